"""The work guide's writes: ordered steps, images checked before anything is stored, one
audit row each, the learning resource kept in step, scope refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from casspath.cass.models import Resource, ResourceKind, ResourceStatus
from casspath.core.filetypes import InvalidUpload
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.guides import (
    KnowledgeError,
    do_add_image,
    do_create_guide,
    do_move_step,
    do_remove_image,
    do_remove_step,
    do_save_step,
    do_set_guide_status,
    do_update_guide,
)
from casspath.knowledge.models import GuideImage, GuideStep, WorkGuide
from casspath.knowledge.tests.conftest import png

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_it_makes_the_guide_a_learning_resource_of_its_work_item(world, guide):
    resource = guide.resource
    assert resource.kind == ResourceKind.WORK_GUIDE and resource.status == ResourceStatus.DRAFT
    assert resource.title == guide.title and resource.summary == guide.intro
    assert list(resource.work_items.all()) == [guide.work_item]
    assert resource.duration_minutes == 1


def test_it_creates_one_guide_per_work_item_when_retried(world, guide):
    again = do_create_guide(guide.work_item, title="另一个", acting_user=world.consultant_a)
    assert again.pk == guide.pk
    assert WorkGuide.objects.count() == 1 and Resource.objects.count() == 1


def test_it_audits_every_write_once(world, guide):
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="knowledge.").order_by("id").values_list("verb", flat=True)
    )
    assert verbs == [
        "knowledge.create_guide",
        "knowledge.save_step",
        "knowledge.save_step",
        "knowledge.add_image",
    ]


def test_it_keeps_the_steps_numbered_when_moved_and_removed(world, guide):
    third = do_save_step(guide, {"title": "提交工单"}, acting_user=world.consultant_a)
    assert third.order == 3
    do_move_step(third, -1, acting_user=world.consultant_a)
    assert list(GuideStep.objects.order_by("order").values_list("title", flat=True)) == [
        "资源预查",
        "提交工单",
        "填写开通申请单",
    ]
    first = GuideStep.objects.get(order=1)
    do_move_step(first, -1, acting_user=world.consultant_a)  # at the top already: stays
    assert GuideStep.objects.get(pk=first.pk).order == 1
    do_remove_step(first, acting_user=world.consultant_a)
    assert list(GuideStep.objects.order_by("order").values_list("order", "title")) == [
        (1, "提交工单"),
        (2, "填写开通申请单"),
    ]
    assert not GuideImage.objects.exists()


def test_it_stores_nothing_for_a_refused_image(world, guide, settings):
    step = guide.steps.get(order=2)
    before = _stored_files(settings)
    fake = SimpleUploadedFile("shot.png", b"<html>not an image</html>", content_type="image/png")
    with pytest.raises(InvalidUpload, match="shot.png"):
        do_add_image(step, fake, acting_user=world.consultant_a)
    assert _stored_files(settings) == before
    assert not step.images.exists()
    assert not AuditEvent.objects.filter(verb="knowledge.add_image", object_id=str(step.pk)).exists()


def test_it_removes_an_images_file_with_it(world, guide, settings, django_capture_on_commit_callbacks):
    image = GuideImage.objects.get()
    assert image.content_type == "image/png" and (image.width, image.height) == (64, 40)
    assert len(_stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_image(image, acting_user=world.consultant_a)
    assert _stored_files(settings) == []


def test_it_keeps_the_resources_duration_as_the_reading_time(world, guide):
    step = guide.steps.get(order=2)
    do_save_step(guide, {"title": step.title, "text": "填" * 900}, step=step, acting_user=world.consultant_a)
    guide.resource.refresh_from_db()
    # 900 characters plus the rest (~60) / 300 a minute, one image of 10 s: 4 minutes
    assert guide.resource.duration_minutes == 4
    do_update_guide(guide, title="专线开通指引", intro="", acting_user=world.consultant_a)
    guide.resource.refresh_from_db()
    assert guide.resource.title == "专线开通指引" and guide.resource.summary == ""


def test_it_publishes_through_the_resources_status(world, guide):
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    guide.resource.refresh_from_db()
    assert guide.resource.status == ResourceStatus.PUBLISHED
    assert AuditEvent.objects.filter(verb="cass.set_resource_status").count() == 1


def test_it_refuses_to_publish_a_guide_without_steps(world, guide):
    for step in list(guide.steps.all()):
        do_remove_step(step, acting_user=world.consultant_a)
    with pytest.raises(KnowledgeError):
        do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)


def test_it_refuses_another_citys_consultant_and_managers(world, guide):
    for user in (world.consultant_b, world.manager):
        with pytest.raises(PermissionDenied):
            do_save_step(guide, {"title": "x"}, acting_user=user)
        with pytest.raises(PermissionDenied):
            do_add_image(guide.steps.first(), png(), acting_user=user)
    assert GuideStep.objects.count() == 2 and GuideImage.objects.count() == 1


def test_it_removes_the_image_files_with_a_removed_step(
    world, guide, settings, django_capture_on_commit_callbacks
):
    assert len(_stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_step(guide.steps.get(order=1), acting_user=world.consultant_a)
    assert _stored_files(settings) == []
