"""`casspath demo` writes six work guides with images for the enterprise-customer account
manager, published on the CASS map that applies to the province; a rebuild adds none."""

import time
from io import StringIO

import pytest
from django.core.management import call_command

from casspath.cass.models import ResourceKind, ResourceStatus
from casspath.knowledge.demo_guides import GUIDES
from casspath.knowledge.demo_images import image_file
from casspath.knowledge.models import GuideImage, GuideStep, WorkGuide


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_it_builds_six_published_guides_with_images_once():
    output = _demo("--managers", "30", "--seed", "3")
    guides = list(WorkGuide.objects.select_related("resource", "work_item"))
    assert len(guides) >= 6
    for guide in guides:
        steps = GuideStep.objects.filter(guide=guide).count()
        assert 4 <= steps <= 8, guide.title
        assert GuideImage.objects.filter(step__guide=guide).exists(), guide.title
        assert guide.resource.kind == ResourceKind.WORK_GUIDE
        assert guide.resource.status == ResourceStatus.PUBLISHED
        assert guide.resource.duration_minutes >= 2
    # Each hangs on a work item of the CASS map cass's part built: the four ordering events,
    # the visit, the contract.
    assert {(g.work_item.code, g.title.split(" · ")[0]) for g in guides} >= {
        ("W15", "集团专线开通申请"),
        ("W16", "企业宽带报装"),
        ("W17", "物联网卡批量开卡"),
        ("W18", "集团短信业务开通"),
        ("W02", "客户拜访前准备"),
        ("W10", "合同签订与归档"),
    }
    assert "work guides: 6 with" in output
    images = GuideImage.objects.count()
    _demo("--managers", "30", "--seed", "3")
    assert WorkGuide.objects.count() == len(guides) and GuideImage.objects.count() == images


def test_it_draws_the_images_quickly_and_deterministically():
    import random

    started = time.monotonic()
    first = [
        image_file(spec, random.Random(1), "x").read()  # noqa: S311 (test data)
        for guide in GUIDES
        for step in guide.steps
        for spec in step.images
    ]
    elapsed = time.monotonic() - started
    again = [
        image_file(spec, random.Random(1), "x").read()  # noqa: S311 (test data)
        for guide in GUIDES
        for step in guide.steps
        for spec in step.images
    ][:1]
    assert again[0] == first[0]
    assert len(first) >= 25
    print(f"{len(first)} images in {elapsed:.2f} s")
