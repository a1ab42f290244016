"""Ranking, through the one search interface and on whichever database runs the suite."""

from casspath.knowledge.models import Case, CaseStatus
from casspath.search.queries import search


def codes(hits):
    return [hit.code for hit in hits]


def test_it_finds_the_case_a_query_is_about_first(world, library):
    assert codes(search(world.province_admin, "云电脑", kinds=["case"]))[0] == "C002"
    assert codes(search(world.province_admin, "药店 收银", kinds=["case"])) == ["C003"]
    assert codes(search(world.province_admin, "港口自动化"))[0] == "C001"


def test_it_ranks_a_term_in_the_title_above_the_same_term_in_the_body(world, library):
    # 5G专网 is C001's title and only a word of C003's story.
    found = codes(search(world.province_admin, "5G专网", kinds=["case"]))
    assert found[:2] == ["C001", "C003"]


def test_it_ranks_a_title_above_a_body_repeating_the_term(world, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.create(
            cass_map=library["map"],
            code="C010",
            title="营业厅的一天",
            knowledge_point="耐心",
            story="停车场的事说了三遍：停车场太小，停车场收费，停车场没有指引。",
            status=CaseStatus.PUBLISHED,
        )
        Case.objects.create(
            cass_map=library["map"],
            code="C011",
            title="停车场的智慧改造",
            knowledge_point="看现场",
            story="物业想省人工，我们用车牌识别替换了岗亭。",
            status=CaseStatus.PUBLISHED,
        )
    assert codes(search(world.province_admin, "停车场")) == ["C011", "C010"]


def test_it_needs_every_term_of_the_query(world, library):
    assert codes(search(world.province_admin, "专线 校长")) == []
    assert codes(search(world.province_admin, "云电脑 校长")) == ["C002"]


def test_it_reads_full_width_and_upper_case_as_the_same_words(world, library):
    assert codes(search(world.province_admin, "ＳＤ－ＷＡＮ", kinds=["case"])) == ["C003"]
    assert codes(search(world.province_admin, "5g专网", kinds=["case"]))[0] == "C001"


def test_it_finds_products_by_name_and_family(world, library):
    assert codes(search(world.province_admin, "互联网专线", kinds=["product"])) == ["P01"]
    assert codes(search(world.province_admin, "云计算", kinds=["product"])) == ["P19"]


def test_it_filters_by_step_phase_dimension_product_and_industry(world, library):
    admin = world.province_admin
    assert codes(search(admin, "客户经理", kinds=["case"], filters={"step": "PM01-1"})) == ["C002"]
    assert codes(search(admin, "客户经理", kinds=["case"], filters={"step": "pm01"})) == ["C002"]
    assert codes(search(admin, "客户经理", kinds=["case"], filters={"dimension": "D03"})) == ["C002"]
    assert codes(search(admin, "专线", kinds=["case"], filters={"product": "P01"})) == ["C003"]
    assert codes(search(admin, "云电脑", filters={"industry": "IND02"})) == ["C002", "P19"] or sorted(
        codes(search(admin, "云电脑", filters={"industry": "IND02"}))
    ) == ["C002", "P19"]
    assert codes(search(admin, "专线", filters={"industry": "IND02"})) == []


def test_it_marks_the_terms_in_the_snippet_and_escapes_the_text(
    world, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.create(
            cass_map=library["map"],
            code="C020",
            title="一次失败的演示",
            knowledge_point="先彩排",
            story='演示页面里有 <script>alert("x")</script> 的专线报价 & 说明。',
            status=CaseStatus.PUBLISHED,
        )
    hit = search(world.province_admin, "专线报价")[0]
    assert hit.code == "C020"
    assert "<script>" not in hit.snippet
    assert "&lt;/script&gt;" in hit.snippet
    assert "<mark>专线报价</mark>" in hit.snippet and "&amp;" in hit.snippet


def test_it_finds_nothing_for_punctuation_or_an_unknown_kind(world, library):
    assert search(world.province_admin, "，。！") == []
    assert search(world.province_admin, "专线", kinds=["nothing"]) == []


# The tiers (search/ranking.py): every term in title and knowledge point first, then the
# rest; each tier ranked over its newest CANDIDATES matches a kind.


def _cases(library, rows, status=CaseStatus.PUBLISHED):
    for code, title, point, story in rows:
        Case.objects.create(
            cass_map=library["map"], code=code, title=title, knowledge_point=point, story=story, status=status
        )


def test_it_finds_a_query_whose_only_matches_are_in_bodies(world, library):
    # 吊机 and 硬盘 are words of C001's and C002's stories only.
    assert codes(search(world.province_admin, "吊机")) == ["C001"]
    assert codes(search(world.province_admin, "硬盘", kinds=["case"])) == ["C002"]
    assert sorted(codes(search(world.province_admin, "客户经理", kinds=["case"]))) == ["C001", "C002"]


def test_it_ranks_a_multi_term_query_held_by_title_and_head_above_one_reaching_into_the_body(
    world, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _cases(
            library,
            [
                ("C030", "停车场的收费改造", "车牌识别先行", "物业想省人工。"),
                ("C031", "停车场停车场停车场", "先看现场", "车牌识别，车牌识别，车牌识别，车牌识别。"),
                ("C032", "物业的一天", "耐心", "停车场装了车牌识别。"),
            ],
        )
    assert codes(search(world.province_admin, "停车场 车牌识别")) == ["C030", "C031", "C032"]
    assert codes(search(world.province_admin, "停车场 车牌识别 物业")) == ["C030", "C032"]


def test_it_ranks_a_common_term_over_its_newest_head_matches_then_the_bodies(
    world, library, django_capture_on_commit_callbacks, monkeypatch
):
    from casspath.search import ranking

    monkeypatch.setattr(ranking, "CANDIDATES", 3)
    with django_capture_on_commit_callbacks(execute=True):
        _cases(library, [(f"C04{n}", f"机房巡检第{n}回", "巡检", "按时上门。") for n in range(1, 6)])
        _cases(library, [(f"C05{n}", "一次拜访", "听", f"机房里说了{n}件事。") for n in range(1, 3)])
    found = codes(search(world.province_admin, "机房", kinds=["case"]))
    # The three newest of the six title matches (C002's is the oldest), then the body matches.
    assert sorted(found[:3]) == ["C043", "C044", "C045"]
    assert sorted(found[3:]) == ["C051", "C052"]
    # A page of two holds title matches only; the pages add up to the whole list.
    admin = world.province_admin
    pages = [codes(search(admin, "机房", kinds=["case"], limit=2, offset=at)) for at in (0, 2, 4)]
    assert [code for page in pages for code in page] == found


def test_it_reads_the_newest_visible_head_matches_when_hidden_ones_crowd_the_candidates(
    world, library, django_capture_on_commit_callbacks, monkeypatch
):
    from casspath.search import ranking

    monkeypatch.setattr(ranking, "CANDIDATES", 3)
    with django_capture_on_commit_callbacks(execute=True):
        _cases(library, [(f"C06{n}", f"机房巡检第{n}回", "巡检", "按时上门。") for n in range(1, 4)])
        _cases(
            library,
            [(f"C07{n}", f"机房巡检第{n}回", "巡检", "按时上门。") for n in range(1, 3)],
            status=CaseStatus.IN_REVIEW,
        )
    # The newest three title matches are C063, C071, C072: the reader of published cases sees
    # one, so the tier is read again within what he may see.
    assert sorted(codes(search(world.manager_b, "机房", kinds=["case"]))[:3]) == ["C061", "C062", "C063"]
    assert sorted(codes(search(world.province_admin, "机房", kinds=["case"]))[:3]) == ["C063", "C071", "C072"]
    assert not {"C071", "C072"} & set(codes(search(world.manager_b, "机房", limit=100)))
