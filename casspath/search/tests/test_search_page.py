"""The results page (/search/) and the navbar's box."""

from casspath.knowledge.models import Case, CaseStatus
from casspath.testing import log_in


def test_it_shows_the_search_box_in_the_navbar(client, world):
    page = log_in(client, world.manager).get("/").content.decode()
    assert 'action="/search/"' in page and 'id="nav-search"' in page


def test_it_lists_the_hits_with_kind_tabs_and_marked_snippets(client, world, library):
    page = log_in(client, world.province_admin).get("/search/", {"q": "5G专网"}).content.decode()
    assert page.index("C001") < page.index("C003")
    assert "<mark>5G专网</mark>" in page
    assert 'id="search-tabs"' in page and "?q=5G%E4%B8%93%E7%BD%91&amp;kind=case" in page


def test_it_shows_the_filters_as_removable_chips(client, world, library):
    page = (
        log_in(client, world.province_admin)
        .get("/search/", {"q": "客户经理", "step": "PM01-1"})
        .content.decode()
    )
    assert 'id="search-chips"' in page and "拜访客户 ×" in page  # the step by its name
    assert "C002" in page and "C001" not in page


def test_it_names_each_filter_that_the_user_may_see_and_leaves_others_as_given(client, world, library):
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    page = (
        log_in(client, world.province_admin)
        .get(
            "/search/", {"q": "客户", "industry": "IND02", "dimension": "D01", "product": "P19", "step": "X9"}
        )
        .content.decode()
    )
    assert "教育 ×" in page and "目标客户寻找 ×" in page and "P19 ×" not in page
    assert "X9 ×" in page  # a code naming nothing is shown as given
    outsider = (
        log_in(client, world.outsider)
        .get("/search/", {"q": "客户", "industry": "IND02", "dimension": "D01"})
        .content.decode()
    )
    assert "IND02 ×" in outsider and "教育" not in outsider  # a map he may not read names nothing to him
    assert "D01 ×" in outsider and "目标客户寻找" not in outsider  # nor does a model he may not read


def test_it_keeps_the_kind_and_filters_when_the_query_is_changed_in_its_box(client, world, library):
    page = (
        log_in(client, world.province_admin)
        .get("/search/", {"q": "客户经理", "kind": "case", "step": "PM01-1"})
        .content.decode()
    )
    box = page[page.index('id="search-q"') : page.index("</form>", page.index('id="search-q"'))]
    assert '<input type="hidden" name="kind" value="case">' in box
    assert '<input type="hidden" name="step" value="PM01-1">' in box


def test_it_shows_a_story_holding_a_script_as_text(
    client, world, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.create(
            cass_map=library["map"],
            code="C030",
            title="<b>加粗</b>的标题 报价",
            knowledge_point="先彩排",
            story="专线报价单 <script>alert(1)</script>",
            status=CaseStatus.PUBLISHED,
        )
    page = log_in(client, world.province_admin).get("/search/", {"q": "报价"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>加粗</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;加粗&lt;/b&gt;" in page


def test_it_hides_a_case_in_review_from_another_manager(client, world, library):
    page = log_in(client, world.manager_b).get("/search/", {"q": "视频会议"}).content.decode()
    assert "C004" not in page
    page = log_in(client, world.manager).get("/search/", {"q": "视频会议"}).content.decode()
    assert "C004" in page


def test_it_sends_an_anonymous_visitor_to_log_in(client, world):
    response = client.get("/search/", {"q": "专线"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
