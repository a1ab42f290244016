"""A CASS map of the province with a process step, two products, an industry and cases:
written inside `django_capture_on_commit_callbacks(execute=True)`, so the index receives them
as a commit would (a test's transaction never commits)."""

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.knowledge.models import Case, CaseStatus, Industry, ProcessStep, Product

CASES = [
    # code, title, knowledge point, story, status, author is the manager
    (
        "C001",
        "5G专网助力港口自动化",
        "先算清楚停机一小时的损失",
        "码头吊机靠人工调度，客户经理带着网络工程师连续三周蹲点，测出时延瓶颈，用5G专网替换了旧的无线网。",
        CaseStatus.PUBLISHED,
        False,
    ),
    (
        "C002",
        "学校机房改用云电脑",
        "把维护成本算给校长看",
        "老机房每年换硬盘，老师抱怨开机慢。客户经理拿出三年的维护账单，对比云电脑按月付费，校长当场拍板。",
        CaseStatus.PUBLISHED,
        False,
    ),
    (
        "C003",
        "连锁药店的收银专线",
        "门店越多越要统一网络",
        "十二家药店各自拉宽带，收银高峰经常掉线。我们用互联网专线加SD-WAN组网，把门店连成一张网，5G专网做备份。",
        CaseStatus.PUBLISHED,
        False,
    ),
    (
        "C004",
        "镇政府的视频会议",
        "先让一把手用顺手",
        "镇里开会要跑到县城，视频会议试用一周后，书记说以后例会都在线上开。",
        CaseStatus.IN_REVIEW,
        True,
    ),
]


@pytest.fixture
def library(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cass_map = do_create_map(
            org_unit=world.province,
            model_family="default",
            name="广东 CASS 地图",
            acting_user=world.province_admin,
        )
        phase = ProcessStep.objects.create(cass_map=cass_map, code="PM01", name="了解业务", order=1)
        step = ProcessStep.objects.create(
            cass_map=cass_map, parent=phase, code="PM01-1", name="拜访客户", order=1
        )
        industry = Industry.objects.create(cass_map=cass_map, code="IND02", name="教育")
        line = Product.objects.create(
            cass_map=cass_map, code="P01", name="互联网专线", category="网络", family="专线"
        )
        cloud = Product.objects.create(
            cass_map=cass_map, code="P19", name="云电脑", category="云", family="云计算"
        )
        cloud.industries.add(industry)
        cases = {}
        for code, title, point, story, status, own in CASES:
            cases[code] = Case.objects.create(
                cass_map=cass_map,
                code=code,
                title=title,
                knowledge_point=point,
                story=story,
                status=status,
                author=world.manager_employee if own else None,
                dimension_codes=["D03"] if code == "C002" else [],
            )
        cases["C002"].steps.add(step)
        cases["C002"].industries.add(industry)
        cases["C002"].products.add(cloud)
        cases["C003"].products.add(line)
    return {"map": cass_map, "cases": cases, "products": {"P01": line, "P19": cloud}, "step": step}
