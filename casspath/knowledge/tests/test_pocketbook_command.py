"""`casspath pocketbook --out FILE.pdf [--preset NAME | --guides … --products … --cards …]`
prints a pocket book now, within the asker's scope; with nothing chosen, the new-manager
preset; bad values refused naming each."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casspath.knowledge.tests.pocketbook_world import read_a6

pytestmark = pytest.mark.django_db


def _run(tmp_path, *args):
    out = tmp_path / "book.pdf"
    printed = StringIO()
    call_command("pocketbook", "--out", str(out), *args, stdout=printed)
    return out, printed.getvalue()


def test_it_prints_the_new_manager_preset_when_nothing_is_chosen(world, pocket, tmp_path):
    out, printed = _run(tmp_path, "--as", world.manager.username)
    reader, text = read_a6(out.read_bytes())
    assert len(reader.pages) >= 4  # cover, contents, guides, products, cards
    for title in (
        "新人口袋书",
        "目录",
        "首次拜访客户",
        "合同签订",
        "P01 互联网专线",
        "专线为什么比宽带贵",
        "专线送几个固定 IP",
    ):
        assert title in text, title
    # Published only: not the draft guide nor the draft card; not city B's guide.
    assert "需求挖掘草稿" not in text and "草稿问答" not in text and "深圳拜访指引" not in text
    # One category (网络接入): its leader P01 only, and the cards about it.
    assert "P03 企业宽带" not in text and "宽带晚上会不会慢" not in text
    assert "新人口袋书" in printed and "2 guides, 1 products, 2 Q&A cards" in printed
    assert "3/5" in printed  # progress per item


def test_it_prints_a_family_preset(world, pocket, tmp_path):
    out, printed = _run(tmp_path, "--preset", "family:宽带", "--map", str(pocket.cass_map.pk))
    _reader, text = read_a6(out.read_bytes())
    assert "宽带产品口袋书" in text and "P03 企业宽带" in text and "宽带晚上会不会慢" in text
    assert "互联网专线" not in text and "首次拜访客户" not in text
    assert "0 guides, 1 products, 1 Q&A cards" in printed


def test_it_prints_the_chosen_items_in_order(world, pocket, tmp_path):
    out, printed = _run(
        tmp_path,
        "--guides",
        str(pocket.contract.pk),
        "--products",
        "P03",
        "P01",
        "--cards",
        str(pocket.card_ip.pk),
        "--title",
        "我的口袋书",
        "--as",
        world.manager.username,
    )
    _reader, text = read_a6(out.read_bytes())
    assert "我的口袋书" in text and "合同签订" in text and "专线送几个固定 IP" in text
    assert text.index("P03 企业宽带") < text.index("P01 互联网专线")
    assert "首次拜访客户" not in text and "专线为什么比宽带贵" not in text


def test_it_refuses_bad_values_naming_each(world, pocket, tmp_path):
    with pytest.raises(CommandError) as refused:
        _run(
            tmp_path,
            "--guides",
            str(pocket.draft.pk),
            str(pocket.other_guide.pk),
            "x1",
            "--products",
            "P99",
            "--cards",
            str(pocket.card_draft.pk),
            "--as",
            world.city_admin_a.username,
        )
    message = str(refused.value)
    assert (
        f"工作指引 {pocket.draft.pk} 尚未发布" in message
        and f"work guide {pocket.draft.pk} is not published" in message
    )
    assert f"no work guide {pocket.other_guide.pk}" in message and "'x1' is not a number" in message
    assert "本地图没有产品 P99" in message and "no product P99" in message
    assert f"Q&A card {pocket.card_draft.pk} is not published" in message
    assert not (tmp_path / "book.pdf").exists()


def test_it_refuses_a_manager_a_draft_and_nothing_chosen(world, pocket, tmp_path):
    # A manager does not see the draft at all: the same words as for an absent one.
    with pytest.raises(CommandError, match=f"no work guide {pocket.draft.pk}, or not one you may read"):
        _run(tmp_path, "--guides", str(pocket.draft.pk), "--as", world.manager.username)
    with pytest.raises(CommandError, match="Nothing chosen"):
        _run(tmp_path, "--guides", "--as", world.manager.username)
    with pytest.raises(CommandError, match="No such preset: old"):
        _run(tmp_path, "--preset", "old", "--as", world.manager.username)
    with pytest.raises(CommandError, match="no such CASS map"):
        _run(tmp_path, "--map", str(pocket.other_map.pk), "--as", world.manager.username)
    with pytest.raises(CommandError, match=".pdf"):
        call_command("pocketbook", "--out", str(tmp_path / "book.txt"))


def test_it_prints_a_product_s_activation_screenshots(world, pocket, tmp_path):
    from casspath.knowledge.actions.products import do_set_activation_image
    from casspath.knowledge.tests.conftest import png

    step = pocket.line.activation_steps.order_by("order").first()
    step.product = pocket.line
    do_set_activation_image(step, png(size=(320, 200)), acting_user=world.consultant_a)
    out, _printed = _run(tmp_path, "--products", "P01", "--as", world.manager.username)
    reader, text = read_a6(out.read_bytes())
    assert "提交资源预查" in text
    pages = [page for page in reader.pages if "提交资源预查" in page.extract_text()]
    assert [image.image.size for page in pages for image in page.images] == [(320, 200)]
