"""The pocket book pages (/knowledge/pocketbooks/): pick a preset or tick items, build it in
the background (a PocketBook job through the PDF machinery), follow its progress, download an
A6 PDF with a table of contents and the Chinese font embedded; only published items the asker
may read; a book only for its asker and the map's editors."""

import datetime
from urllib.parse import quote

import pytest

from casspath.cass.actions.resources import do_set_resource_status
from casspath.cass.models import ResourceStatus
from casspath.core.models import AuditEvent
from casspath.knowledge.models import PocketBook
from casspath.knowledge.tests.pocketbook_world import read_a6
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

URL = "/knowledge/pocketbooks/"


def _download(client, book) -> bytes:
    response = client.get(f"{URL}{book.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_it_offers_presets_and_grouped_items_of_published_things_only(client, world, pocket):
    log_in(client, world.manager)
    page = client.get(URL).content.decode()
    assert "新人口袋书" in page and "宽带产品口袋书" in page and "专线产品口袋书" in page
    assert (
        "首次拜访客户" in page and "合同签订" in page and "P01 互联网专线" in page and "网络接入 (2)" in page
    )
    assert "专线为什么比宽带贵" in page
    assert "需求挖掘草稿" not in page and "草稿问答" not in page and "深圳拜访指引" not in page
    assert "/knowledge/pocketbooks/" in client.get("/").content.decode()  # the menu's 口袋书


def test_it_builds_the_chosen_items_as_an_a6_pdf_with_contents(
    client, world, pocket, django_capture_on_commit_callbacks
):
    log_in(client, world.manager)
    form = {
        "map": pocket.cass_map.pk,
        "mode": "pick",
        "title": "专线/宽带 我的口袋书",
        "guides": [pocket.visit.pk],
        "products": ["P03", "P01"],
        "cards": [pocket.card_speed.pk, pocket.card_price.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)
    book = PocketBook.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{book.pk}/"
    assert book.status == PocketBook.Status.SUCCEEDED and book.created_by == world.manager
    assert (book.guide_ids, book.product_codes, book.card_ids) == (
        [pocket.visit.pk],
        ["P03", "P01"],
        [pocket.card_speed.pk, pocket.card_price.pk],
    )
    assert book.progress_done == book.progress_total == 5 + 2  # an item each, then printing and storing
    assert AuditEvent.objects.filter(verb="knowledge.queue_pocketbook").count() == 1
    assert f"{URL}{book.pk}.pdf" in client.get(f"{URL}{book.pk}/progress/").content.decode()
    # The whole title names the file, its slash no path.
    disposition = client.get(f"{URL}{book.pk}.pdf")["Content-Disposition"]
    assert quote("专线-宽带 我的口袋书") in disposition, disposition
    assert "我的口袋书" in client.get(URL).content.decode()  # my recent pocket books
    reader, text = read_a6(_download(client, book))
    contents = reader.pages[1].extract_text()
    for title in ("首次拜访客户", "P03 企业宽带", "P01 互联网专线", "宽带晚上会不会慢", "专线为什么比宽带贵"):
        assert title in contents, title  # the table of contents, with page numbers
    for line in (
        "首次拜访客户第一步",
        "提前预约",
        "不要迟到",
        "上下行对称",
        "100M",
        "每月 2000 元",
        "提交资源预查",
    ):
        assert line in text, line


def test_it_shows_progress_while_queued_and_dedupes_the_same_request(client, world, pocket, monkeypatch):
    monkeypatch.setattr("casspath.core.jobs.enqueue", lambda job: None)  # no worker: it stays queued
    log_in(client, world.manager)
    client.post(URL, {"map": pocket.cass_map.pk, "mode": "preset", "preset": "new_manager"})
    client.post(URL, {"map": pocket.cass_map.pk, "mode": "preset", "preset": "new_manager"})
    book = PocketBook.objects.get()  # not printed yet: the live one serves
    assert book.status == PocketBook.Status.QUEUED and book.title == "新人口袋书"
    fragment = client.get(f"{URL}{book.pk}/progress/").content.decode()
    assert 'hx-get="/knowledge/pocketbooks/' in fragment and "every 1s" in fragment
    assert client.get(f"{URL}{book.pk}.pdf").status_code == 404  # not printed yet


def test_it_refuses_a_draft_or_another_citys_item_naming_each(client, world, pocket):
    log_in(client, world.manager)
    response = client.post(
        URL,
        {
            "map": pocket.cass_map.pk,
            "mode": "pick",
            "guides": [pocket.draft.pk, pocket.other_guide.pk],
            "cards": [pocket.card_draft.pk],
            "products": ["P99"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    for bad in (pocket.draft.pk, pocket.other_guide.pk, pocket.card_draft.pk):
        assert f"没有编号为 {bad} 的" in page and f" {bad}, or not one you may read" in page
    assert "P99" in page
    response = client.post(URL, {"map": pocket.cass_map.pk, "mode": "pick"})
    assert response.status_code == 400 and "Nothing chosen" in response.content.decode()
    assert client.post(URL, {"map": pocket.other_map.pk, "mode": "preset"}).status_code == 404
    assert not PocketBook.objects.exists()


def test_it_refuses_an_id_no_database_holds_naming_it(client, world, pocket):
    huge = "99999999999999999999"  # past a 64-bit integer: no row has it
    log_in(client, world.manager)
    response = client.post(
        URL, {"map": pocket.cass_map.pk, "mode": "pick", "guides": [huge, "-1"], "cards": [huge]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"没有编号为 {huge} 的工作指引" in page and f"no Q&amp;A card {huge}" in page
    assert "没有编号为 -1 的工作指引" in page
    assert not PocketBook.objects.exists()


def test_it_fails_a_book_whose_item_went_back_to_draft(client, world, pocket, monkeypatch):
    from casspath.knowledge.actions.pdf import do_render_pocketbook

    monkeypatch.setattr("casspath.core.jobs.enqueue", lambda job: None)  # printed below, by hand
    log_in(client, world.manager)
    client.post(URL, {"map": pocket.cass_map.pk, "mode": "pick", "cards": [pocket.card_ip.pk]})
    book = PocketBook.objects.get()
    do_set_resource_status(pocket.card_ip, ResourceStatus.DRAFT, acting_user=world.consultant_a)
    failed = do_render_pocketbook(book.pk)
    assert (
        failed is not None
        and failed.status == PocketBook.Status.FAILED
        and str(pocket.card_ip.pk) in failed.error
    )
    page = client.get(f"{URL}{book.pk}/").content.decode()
    assert "重新选择" in page and f"问答卡 {pocket.card_ip.pk} 尚未发布" not in page  # a manager: not visible
    assert f"没有编号为 {pocket.card_ip.pk} 的问答卡" in page


def test_it_lets_only_the_asker_and_the_maps_editors_download(
    client, world, pocket, django_capture_on_commit_callbacks
):
    log_in(client, world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"map": pocket.cass_map.pk, "mode": "preset", "preset": "family:专线"})
    book = PocketBook.objects.get()
    assert book.status == PocketBook.Status.SUCCEEDED and book.product_codes == ["P01"]
    _download(client, book)
    for other in (world.outsider, world.city_admin_b, world.team_lead):
        log_in(client, other)
        assert client.get(f"{URL}{book.pk}.pdf").status_code == 404
        assert client.get(f"{URL}{book.pk}/").status_code == 404
    log_in(client, world.city_admin_a)  # may edit the map
    _download(client, book)


def test_it_dates_the_downloaded_file_by_the_local_day_as_the_cover_is(
    client, world, pocket, django_capture_on_commit_callbacks
):
    """A book asked for at 04:00 in China (20:00 UTC the day before) is named by the Chinese
    day, the one its cover prints, not the UTC one."""
    log_in(client, world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL, {"map": pocket.cass_map.pk, "mode": "pick", "title": "夜班口袋书", "products": ["P01"]}
        )
    book = PocketBook.objects.get()
    PocketBook.objects.filter(pk=book.pk).update(
        created_at=datetime.datetime(2026, 12, 4, 20, 0, tzinfo=datetime.UTC)
    )
    disposition = client.get(f"{URL}{book.pk}.pdf")["Content-Disposition"]
    assert quote("夜班口袋书-20261205.pdf") in disposition, disposition


def test_it_counts_what_the_book_holds_in_the_right_plural_leaving_out_what_it_lacks(
    client, world, pocket, django_capture_on_commit_callbacks
):
    log_in(client, world.manager)
    chosen = {"map": pocket.cass_map.pk, "mode": "pick", "products": ["P01"], "cards": [pocket.card_price.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, chosen)
    book = PocketBook.objects.get()
    english = client.get(f"{URL}{book.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 product · 1 Q&amp;A card · A6" in english and "work guide" not in english
    chinese = client.get(f"{URL}{book.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "产品 1 个 · 问答卡 1 张 · A6" in chinese and "工作指引 0 份" not in chinese
    _reader, text = read_a6(_download(client, book))
    assert "产品 1 个 · 问答卡 1 张" in text and "工作指引 0 份" not in text  # the cover
