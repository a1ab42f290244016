"""Fixtures of the pocket book tests (conftest.py imports them): city A's product map
(conftest's product_map: P01 互联网专线 of family 专线, P03 企业宽带 of family 宽带) with two
published work guides and a draft one, three published Q&A cards (two about P01, one about
P03) and a draft card; city B's map with a published guide of its own."""

from types import SimpleNamespace

import pytest

from casspath.cass.actions.cards import do_save_qa_card
from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.guides import do_create_guide, do_save_step, do_set_guide_status
from casspath.knowledge.models import Product


def _guide(cass_map, code: str, title: str, *, publish: bool, who):
    item = do_save_work_item(
        cass_map, {"code": code, "name": title, "importance": 4, "frequency": 4}, acting_user=who
    )
    guide = do_create_guide(item, title=title, intro=f"{title}的要点。", acting_user=who)
    do_save_step(
        guide,
        {"title": f"{title}第一步", "text": "带上客户资料。", "tips": "提前预约", "mistakes": "不要迟到"},
        acting_user=who,
    )
    if publish:
        do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=who)
    guide.refresh_from_db()
    return guide


def _card(cass_map, code: str, question: str, product: str, *, publish: bool, who):
    return do_save_qa_card(
        cass_map,
        {
            "code": code,
            "question": question,
            "answer": f"{question}——先问清客户的需求。",
            "product_code": product,
            "status": ResourceStatus.PUBLISHED if publish else ResourceStatus.DRAFT,
        },
        acting_user=who,
    )


@pytest.fixture
def pocket(world, product_map):
    who = world.consultant_a
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    return SimpleNamespace(
        cass_map=product_map,
        visit=_guide(product_map, "W01", "首次拜访客户", publish=True, who=who),
        contract=_guide(product_map, "W10", "合同签订", publish=True, who=who),
        draft=_guide(product_map, "W05", "需求挖掘草稿", publish=False, who=who),
        line=Product.objects.get(cass_map=product_map, code="P01"),
        broadband=Product.objects.get(cass_map=product_map, code="P03"),
        card_price=_card(product_map, "QA01", "专线为什么比宽带贵", "P01", publish=True, who=who),
        card_ip=_card(product_map, "QA02", "专线送几个固定 IP", "P01", publish=True, who=who),
        card_speed=_card(product_map, "QA03", "宽带晚上会不会慢", "P03", publish=True, who=who),
        card_draft=_card(product_map, "QA04", "草稿问答", "P01", publish=False, who=who),
        other_map=other,
        other_guide=_guide(other, "W01", "深圳拜访指引", publish=True, who=world.consultant_b),
    )


A6 = (297.64, 419.53)  # points: 105 × 148 mm


def read_a6(data: bytes):
    """The pocket book's PDF, checked: every page A6 (within 1 pt), every font embedded and
    Noto Sans CJK among them; returns (reader, its text)."""
    import io

    from pypdf import PdfReader

    from casspath.knowledge.tests.pdf_checks import fonts_of

    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A6[0]) <= 1 and abs(height - A6[1]) <= 1, (width, height)
    fonts = fonts_of(reader)
    assert fonts and all(f["embedded"] for f in fonts), fonts
    assert any(f["name"].endswith("+Noto-Sans-CJK-SC") for f in fonts), fonts
    return reader, "".join(page.extract_text() for page in reader.pages)
