"""The case library's writes (knowledge.actions.cases): each move allowed and refused."""

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.cass.models import Resource, ResourceKind, ResourceStatus
from casspath.core.errors import InvalidTransition
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.cases import (
    CaseError,
    do_comment_case,
    do_mark_case_useful,
    do_pick_case,
    do_publish_case,
    do_request_changes,
    do_retire_case,
    do_save_case,
    do_submit_case,
)
from casspath.knowledge.actions.process import do_save_process_step
from casspath.knowledge.models import Case, CaseStatus, ProcessStep
from casspath.org.scopes import ScopeRefused

pytestmark = pytest.mark.django_db

STORY = "王经理在园区扫楼时发现一家新入驻的企业还没有专线，当天就约到了行政负责人。"


def write(process, world, **values):
    step = ProcessStep.objects.get(cass_map=process, code="P1-1")
    return do_save_case(
        process,
        {
            "title": "扫楼扫出一条专线",
            "knowledge_point": "新入驻企业是专线的好机会",
            "story": STORY,
            **values,
        },
        steps=[step],
        acting_user=world.manager,
    )


def test_it_publishes_a_case_as_a_published_resource_of_kind_case(world, process):
    case = write(process, world, result="签下 100M 专线", dimension_codes=["D01"])
    case = do_submit_case(case, acting_user=world.manager)
    case = do_request_changes(case, comment="补充成效的数字", acting_user=world.consultant_a)
    case = do_submit_case(case, acting_user=world.manager)
    case = do_publish_case(case, acting_user=world.consultant_a)
    case.refresh_from_db()
    resource = case.resource
    assert resource is not None
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert resource.kind == ResourceKind.CASE and resource.status == ResourceStatus.PUBLISHED
    assert resource.title == case.title and resource.summary == case.knowledge_point
    assert STORY in resource.body and "【结果】" in resource.body
    assert resource.duration_minutes == 1
    assert {s.dimension_code for s in resource.skills.all()} == {"D01", "D04"}
    assert [i.code for i in resource.work_items.all()] == ["W01"]
    do_retire_case(case, acting_user=world.consultant_a)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.RETIRED
    with pytest.raises(InvalidTransition) as refused:
        do_submit_case(case, acting_user=world.manager)
    assert "扫楼扫出一条专线" in refused.value.message_zh


def test_it_numbers_the_cases_written_on_the_pages(world, process):
    first, second = write(process, world), write(process, world, title="扫楼又扫出一条专线")
    assert (first.code, second.code) == ("C0001", "C0002")
    assert write(process, world).pk == first.pk  # the same text sent again is the same case


def test_it_publishes_a_retired_case_again_on_the_same_resource(world, published_case):
    resource_id = published_case.resource_id
    do_retire_case(published_case, acting_user=world.consultant_a)
    again = do_publish_case(published_case, acting_user=world.city_admin_a)
    resource = Resource.objects.get(case=again)
    assert again.resource_id == resource_id and resource.status == ResourceStatus.PUBLISHED
    assert Resource.objects.filter(kind=ResourceKind.CASE).count() == 1


@pytest.mark.parametrize("role", ["city_admin_b", "consultant_b", "team_lead", "analyst_a", "lecturer_a"])
def test_it_refuses_a_reviewer_s_move_to_who_may_not_edit_the_map(world, review_case, role):
    with pytest.raises(ScopeRefused):
        do_publish_case(review_case, acting_user=world.roles()[role])
    review_case.refresh_from_db()
    assert review_case.status == CaseStatus.IN_REVIEW and review_case.resource is None


def test_it_refuses_the_author_a_change_while_his_case_is_in_review(world, process, review_case):
    with pytest.raises(CaseError):
        do_save_case(process, {"title": "改个标题"}, case=review_case, acting_user=world.manager)


def test_it_refuses_an_empty_comment_and_a_self_useful_mark(world, published_case):
    with pytest.raises(CaseError):
        do_comment_case(published_case, "  ", acting_user=world.manager)
    with pytest.raises(CaseError):
        do_mark_case_useful(published_case, acting_user=world.manager)


def test_it_audits_a_useful_mark_and_a_pick_once(world, published_case, other_manager):
    assert do_mark_case_useful(published_case, acting_user=other_manager) is True
    assert do_mark_case_useful(published_case, acting_user=other_manager) is False
    do_pick_case(published_case, True, acting_user=world.consultant_a)
    do_pick_case(published_case, True, acting_user=world.consultant_a)
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("knowledge.mark_case_useful") == 1 and verbs.count("knowledge.pick_case") == 1


def test_it_refuses_a_step_of_another_map(world, process, draft_case):
    other = do_create_map(
        org_unit=world.city_a, model_family="other", name="另一张地图", acting_user=world.consultant_a
    )
    foreign = do_save_process_step(
        other, {"code": "X1", "name": "别处的阶段"}, acting_user=world.consultant_a
    )
    with pytest.raises(CaseError):
        do_save_case(process, {}, case=draft_case, steps=[foreign], acting_user=world.manager)


def test_it_refuses_a_story_or_a_part_past_its_cap_in_both_languages(world, process):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        write(process, world, story="故" * 20_001, tools="表" * 5_001)
    errors = refused.value.message_dict
    assert set(errors) == {"story", "tools"}
    assert errors["story"][0].startswith("故事：长度 20001 超过上限 20000 个字符。")
    assert "Story: 20001 characters, more than the limit of 20000." in errors["story"][0]
    assert "5000" in errors["tools"][0]
    assert not Case.objects.exists()
    assert write(process, world, story="故" * 20_000).story == "故" * 20_000


# --- who may publish a draft: its author when he is a reviewer too (CASE_MOVES) ------------


def _own_draft(process, world, reviewer):
    from casspath.knowledge.tests.conftest import write_case
    from casspath.testing import make_employee

    make_employee("C0001", "陈顾问", world.team_a, user=reviewer)
    return write_case(process, reviewer, title="顾问自己写的案例")


@pytest.mark.parametrize("reviewer", ["consultant_a", "city_admin_a", "province_admin"])
def test_it_lets_a_reviewer_publish_his_own_draft_directly(world, process, reviewer):
    own = _own_draft(process, world, world.roles()[reviewer])
    published = do_publish_case(own, acting_user=world.roles()[reviewer])
    assert published.status == CaseStatus.PUBLISHED and published.resource is not None


@pytest.mark.parametrize("reviewer", ["consultant_a", "city_admin_a", "province_admin"])
def test_it_refuses_a_reviewer_another_author_s_draft_never_submitted(world, draft_case, reviewer):
    before = AuditEvent.objects.count()
    with pytest.raises(ScopeRefused) as refused:
        do_publish_case(draft_case, acting_user=world.roles()[reviewer])
    assert "尚未提交审核" in refused.value.message_zh and "has not submitted it" in refused.value.message_en
    draft_case.refresh_from_db()
    assert draft_case.status == CaseStatus.DRAFT and draft_case.resource is None
    assert AuditEvent.objects.count() == before
    # Once its author sends it, the same reviewer publishes it.
    submitted = do_submit_case(draft_case, acting_user=world.manager)
    assert do_publish_case(submitted, acting_user=world.roles()[reviewer]).status == CaseStatus.PUBLISHED


@pytest.mark.parametrize("role", ["manager", "team_lead", "lecturer_a", "analyst_a", "consultant_b"])
def test_it_refuses_a_draft_s_publication_to_who_is_no_reviewer(world, draft_case, role):
    with pytest.raises(ScopeRefused):
        do_publish_case(draft_case, acting_user=world.roles()[role])
    draft_case.refresh_from_db()
    assert draft_case.status == CaseStatus.DRAFT

