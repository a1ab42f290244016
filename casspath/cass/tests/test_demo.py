"""cass's part of `casspath demo`: the enterprise-customer department's CASS map over all 18
dimensions, 100+ distinct Q&A cards, 10+ micro-videos that are real WebM files of their
stated duration, the other kinds of resource, and a second build that adds nothing."""

import io
import math
import statistics
from collections import Counter
from io import StringIO

import av
import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from casspath.cass.models import (
    ActionSkill,
    CassMap,
    KeyAction,
    QACard,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    WorkItem,
)
from casspath.competency.models import CompetencyModel, Dimension
from casspath.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--managers", "30", "--seed", "4", *args, stdout=out)
    return out.getvalue()


def the_map() -> CassMap:
    return CassMap.objects.get()


def test_it_builds_the_map_of_the_department_over_all_eighteen_dimensions():
    output = demo()
    cass_map = the_map()
    model = CompetencyModel.objects.get()
    assert (cass_map.org_unit.code, cass_map.model_family) == ("GD", model.family)
    items = list(WorkItem.objects.filter(cass_map=cass_map).prefetch_related("actions", "stages"))
    assert len(items) >= 12
    assert len({item.name for item in items}) == len(items)
    for item in items:
        assert 1 <= item.importance <= 5 and 1 <= item.frequency <= 5
        assert item.description and item.stages.exists()
        actions = list(item.actions.all())
        assert 3 <= len(actions) <= 6, item.code
        assert [a.order for a in actions] == list(range(1, len(actions) + 1))
    # Importance and frequency differ between items: the rank has something to order.
    assert len({(item.importance, item.frequency) for item in items}) >= 5
    actions = list(KeyAction.objects.filter(cass_map=cass_map))
    assert len({a.standard for a in actions}) == len(actions)
    assert len({a.mistakes for a in actions}) == len(actions)
    assert all(a.standard and a.mistakes and a.study_modes and a.checks for a in actions)
    # Standards are measurable: each names a number (days, hours, items, a share).
    assert all(any(ch.isdigit() for ch in a.standard) for a in actions)
    codes = set(Dimension.objects.filter(model=model).values_list("code", flat=True))
    assert len(codes) == 18
    linked = ActionSkill.objects.filter(action__cass_map=cass_map)
    assert set(linked.values_list("dimension_code", flat=True)) == codes
    assert {level for level in linked.values_list("level", flat=True)} >= {1, 2, 3, 4}
    assert "CASS map: 集团客户经理 CASS 地图" in output and "138 Q&A cards" in output


def test_it_has_over_a_hundred_distinct_published_qa_cards():
    demo()
    cards = list(QACard.objects.select_related("resource").prefetch_related(
        "resource__skills", "resource__work_items"))
    assert len(cards) >= 100
    assert len({c.question for c in cards}) == len(cards)
    assert len({c.answer for c in cards}) == len(cards)
    # No template sentence: no two answers open with the same 8 characters.
    assert len({c.answer[:8] for c in cards}) == len(cards)
    lengths = [len(c.answer) for c in cards]
    assert sum(n <= 70 for n in lengths) >= 0.9 * len(cards)  # most fit one SMS
    assert any(n > 70 for n in lengths)  # a few cannot, honestly
    assert statistics.pstdev(lengths) > 6 and len(set(lengths)) >= 25
    codes = set(Dimension.objects.values_list("code", flat=True))
    products = Counter(c.product_code for c in cards)
    assert {"P01", "P03", "P04", "P05", "P06", "P07"} <= set(products)  # the product map's codes
    assert sum("竞争" in c.tags for c in cards) >= 8
    for card in cards:
        resource = card.resource
        assert resource.kind == ResourceKind.QA_CARD and resource.status == ResourceStatus.PUBLISHED
        assert resource.published_at is not None and resource.title == card.question
        skills = list(resource.skills.all())
        assert len(skills) == 1 and skills[0].dimension_code in codes
        assert resource.work_items.count() == 1 and card.tags
        resource.full_clean()
        card.full_clean()
    assert any("友商报价比你们便宜" in c.question for c in cards)


def test_it_renders_micro_videos_that_are_webm_files_of_their_stated_duration():
    demo()
    videos = list(Resource.objects.filter(kind=ResourceKind.MICRO_VIDEO).prefetch_related("key_actions"))
    assert len(videos) >= 10
    assert len({v.title for v in videos}) == len(videos)
    for video in videos:
        assert video.status == ResourceStatus.PUBLISHED and video.media_type == "video/webm"
        assert video.media.name and video.poster.name
        with default_storage.open(video.media.name) as stored:
            data = stored.read()
        assert len(data) == video.media_bytes == default_storage.size(video.media.name)
        assert data[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a Matroska/WebM file
        with av.open(io.BytesIO(data), mode="r") as container:
            assert "webm" in container.format.name
            assert container.duration is not None
            probed = container.duration / av.time_base
            stream = container.streams.video[0]
            assert stream.codec_context.name in {"vp8", "vp9"}
            assert (stream.codec_context.width, stream.codec_context.height) == (640, 360)
            assert container.streams.audio[0].codec_context.name == "opus"
        assert video.media_seconds is not None
        assert abs(probed - video.media_seconds) < 0.01
        assert 20 <= video.media_seconds <= 60
        assert video.duration_minutes == math.ceil(video.media_seconds / 60)
        with default_storage.open(video.poster.name) as poster:
            image = Image.open(poster)
            assert (image.format, image.size) == ("PNG", (640, 360))
        assert video.key_actions.count() == 1 and video.body  # about one key action, its script kept
        video.full_clean()


def test_it_has_every_kind_of_resource_the_plans_need_with_complete_metadata():
    demo()
    kinds = Counter(Resource.objects.values_list("kind", flat=True))
    assert kinds[ResourceKind.AUDIO] >= 2 and kinds[ResourceKind.ARTICLE] >= 3
    assert kinds[ResourceKind.QUIZ] >= 1 and kinds[ResourceKind.COURSE] >= 1
    for clip in Resource.objects.filter(kind=ResourceKind.AUDIO):
        assert clip.media.name and clip.media_seconds is not None
        with default_storage.open(clip.media.name) as stored, av.open(stored, mode="r") as container:
            assert not container.streams.video and container.streams.audio[0].codec_context.name == "opus"
            assert abs((container.duration or 0) / av.time_base - clip.media_seconds) < 0.01
            # The soundtrack is there: the decoded samples are not silence.
            loud = max(float(np.abs(f.to_ndarray()).max()) for f in container.decode(audio=0))
            assert loud > 0.05
        assert clip.media_type == "audio/webm"
    for resource in Resource.objects.exclude(kind=ResourceKind.QA_CARD).prefetch_related(
            "skills", "work_items", "key_actions"):
        assert resource.status == ResourceStatus.PUBLISHED
        assert resource.duration_minutes >= 1 and resource.devices and resource.study_modes
        assert resource.skills.exists() and resource.work_items.exists() and resource.key_actions.exists()
        # A guide's text is its steps, a product course's its parts (both in knowledge).
        if resource.kind != ResourceKind.WORK_GUIDE and not hasattr(resource, "course"):
            assert resource.body, resource.code
    for article in Resource.objects.filter(kind=ResourceKind.ARTICLE):
        assert len(article.body) >= 250  # a real text, several paragraphs


def test_it_a_second_build_adds_nothing():
    demo()
    counts = [model.objects.count() for model in (CassMap, WorkItem, KeyAction, ActionSkill, Resource,
                                                  ResourceSkill, QACard)]
    events = AuditEvent.objects.count()
    files = sorted(Resource.objects.exclude(media="").values_list("media", flat=True))
    demo()
    assert [model.objects.count() for model in (CassMap, WorkItem, KeyAction, ActionSkill, Resource,
                                                ResourceSkill, QACard)] == counts
    assert AuditEvent.objects.count() == events
    assert sorted(Resource.objects.exclude(media="").values_list("media", flat=True)) == files


def test_it_is_refused_when_a_map_of_the_top_unit_already_uses_its_codes(world):
    from django.core.management import CommandError

    from casspath.cass.actions.maps import do_create_map, do_save_work_item

    cass_map = do_create_map(org_unit=world.province, model_family="default", name="自建地图",
                             acting_user=world.province_admin)
    do_save_work_item(cass_map, {"code": "W01", "name": "自己的工作", "importance": 3, "frequency": 3},
                      acting_user=world.province_admin)
    with pytest.raises(CommandError) as refused:
        demo()
    assert "CASS W01" in str(refused.value)
    assert WorkItem.objects.get().name == "自己的工作"  # nothing was built into it


def test_it_renders_the_same_bytes_from_the_same_slides():
    from casspath.cass import demo as cass_demo
    from casspath.cass.demo_media import render_video

    video = cass_demo.VIDEOS[-1]
    first = render_video(cass_demo.video_slides(video), cass_demo.LABEL)
    assert render_video(cass_demo.video_slides(video), cass_demo.LABEL) == first
