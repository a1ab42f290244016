"""The case library's writes (knowledge.actions.cases): each move allowed and refused."""

import pytest

from casspath.cass.models import ResourceKind, ResourceStatus
from casspath.core.errors import InvalidTransition
from casspath.knowledge.actions.cases import (
    do_publish_case,
    do_request_changes,
    do_retire_case,
    do_save_case,
    do_submit_case,
)
from casspath.knowledge.models import CaseStatus, ProcessStep

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
    assert STORY in resource.body and "【成效】" in resource.body
    assert resource.duration_minutes == 1
    assert {s.dimension_code for s in resource.skills.all()} == {"D01", "D04"}
    assert [i.code for i in resource.work_items.all()] == ["W01"]
    do_retire_case(case, acting_user=world.consultant_a)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.RETIRED
    with pytest.raises(InvalidTransition) as refused:
        do_submit_case(case, acting_user=world.manager)
    assert "扫楼扫出一条专线" in refused.value.message_zh
