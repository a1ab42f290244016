"""cass's part of the demo: the CASS map of the enterprise-customer department's work for the
top of the tree (org's part puts it in `run.shared["root"]`), for the family of the
competency model competency's part loaded there, with its learning resources.

The content is written, not generated (casspath/cass/demo_data/): 14 work items with their
key actions, completion standards and mistakes, linked to all 18 dimensions of the default
model; 138 Q&A cards (短信i提升); 10 micro-videos and 3 audio clips rendered from slides at
build time (demo_media.py: PyAV, VP8 + Opus in WebM, played by every Chromium), 3 articles,
a quiz and a course. Every resource is published; a media resource's duration is its file's
real duration, probed after encoding.

Writes go through the app's actions (one audit row each), except the parts the actions do
not cover yet: a Q&A card's row and a media file with its poster are written here. A second
build finds every code and creates nothing. Nothing is random.
"""

from collections.abc import Iterable
from functools import cache

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from casspath.cass import demo_media
from casspath.cass.actions.maps import WORK_ITEM_FIELDS, do_create_map, do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.demo_data.qa_cards import QA_CARDS
from casspath.cass.demo_data.resources import ARTICLES, AUDIO, COURSE, QUIZ, VIDEOS
from casspath.cass.demo_data.work_items import WORK_ITEMS
from casspath.cass.models import (
    CassMap,
    KeyAction,
    QACard,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    WorkItem,
)
from casspath.competency.models import CompetencyModel
from casspath.core import audit
from casspath.core.demo import DemoError, DemoPart, DemoRun
from casspath.org.models import OrgUnit, Position, Stage

MAP_NAME = "集团客户经理 CASS 地图"
MAP_DESCRIPTION = ("集团客户部集团客户经理的工作内容、关键动作与完成标准、所需技能及学习模式"
                   "（工作内容 → 关键动作 → 技巧 → 学习模式），演示数据。")
LABEL = "集团客户部 · 微视频"
# How long a slide shows: long enough to read it (about 9 characters a second after the
# first glance), within these bounds (seconds).
SLIDE_SECONDS = (4.0, 8.0)
TITLE_SECONDS = 4.0


def _split(codes: str) -> list[str]:
    return codes.split()


def _skills(pairs: str) -> dict[str, int]:
    return {code: int(level) for code, level in (pair.split(":") for pair in pairs.split())}


def slide_seconds(index: int, points: Iterable[str]) -> float:
    if index == 0:
        return TITLE_SECONDS
    chars = sum(len(point) for point in points)
    low, high = SLIDE_SECONDS
    return min(high, max(low, round((2.5 + chars / 9) * 2) / 2))


def video_slides(video: dict) -> list[demo_media.Slide]:
    return [demo_media.Slide(title, tuple(points), slide_seconds(i, points))
            for i, (title, points) in enumerate(video["slides"])]


# Rendered once a process: the bytes depend only on the slides (and the wheel's FFmpeg).
@cache
def _rendered_video(code: str) -> tuple[bytes, bytes]:
    video = next(v for v in VIDEOS if v["code"] == code)
    return demo_media.render_video(video_slides(video), LABEL)


@cache
def _rendered_audio(code: str) -> bytes:
    clip = next(a for a in AUDIO if a["code"] == code)
    return demo_media.render_audio([float(s) for s in clip["segments"]])


def prerender() -> None:
    """Render every clip now (once a process): for a caller that times the build itself."""
    for video in VIDEOS:
        _rendered_video(video["code"])
    for clip in AUDIO:
        _rendered_audio(clip["code"])


def _family(root: OrgUnit) -> str | None:
    model = CompetencyModel.objects.filter(org_unit=root).order_by("family", "-version").first()
    return None if model is None else model.family


def demo_map(run: DemoRun) -> CassMap | None:
    """The map the demo builds: the root's, for the family of the root's competency model."""
    root = run.shared.get("root")
    family = None if root is None else _family(root)
    if family is None:
        return None
    return CassMap.objects.filter(org_unit=root, model_family=family).first()


def resource_codes() -> list[str]:
    return ([f"QA{i:03d}" for i in range(1, len(QA_CARDS) + 1)] + [v["code"] for v in VIDEOS]
            + [a["code"] for a in AUDIO] + [a["code"] for a in ARTICLES] + [QUIZ["code"], COURSE["code"]])


class CassDemo(DemoPart):
    def conflicts(self, run: DemoRun) -> list[str]:
        """Codes of the demo's map already used in a map of a top unit (they run before org's
        part has put the root in `run.shared`: the top of a tree is the unit without parent)."""
        maps = CassMap.objects.filter(org_unit__parent=None)
        taken = list(WorkItem.objects.filter(cass_map__in=maps, code__in=[w["code"] for w in WORK_ITEMS])
                     .values_list("code", flat=True))
        taken += list(Resource.objects.filter(cass_map__in=maps, code__in=resource_codes())
                      .values_list("code", flat=True))
        return [f"CASS {code}" for code in sorted(set(taken))]

    def build(self, run: DemoRun) -> dict[str, int]:
        run.progress("CASS map")
        root = run.shared["root"]
        cass_map = demo_map(run)
        created = {"cass_maps": 0}
        if cass_map is None:
            family = _family(root)
            if family is None:
                raise DemoError("CASS 地图需要先有能力模型（competency 的演示部分）",
                                "the CASS map needs the competency model (competency's demo part) first")
            cass_map = do_create_map(org_unit=root, model_family=family, name=MAP_NAME,
                                     description=MAP_DESCRIPTION, acting_user=run.acting_user)
            created["cass_maps"] = 1
        items, actions, counts = self._map(cass_map, run)
        created |= counts
        run.progress("learning resources")
        created |= self._resources(cass_map, items, actions, run)
        return created

    def _map(self, cass_map: CassMap, run: DemoRun):
        user = run.acting_user
        stages = {stage.code: stage for stage in Stage.objects.all()}
        positions = {position.code: position for position in Position.objects.all()}
        items = {item.code: item for item in cass_map.work_items.all()}
        actions = {action.code: action for action in KeyAction.objects.filter(cass_map=cass_map)}
        new_items = new_actions = 0
        for data in WORK_ITEMS:
            item = items.get(data["code"])
            if item is None:
                values = {key: data[key] for key in WORK_ITEM_FIELDS}
                item = do_save_work_item(
                    cass_map, values, acting_user=user,
                    stages=[stages[c] for c in _split(data["stages"]) if c in stages],
                    positions=[positions[c] for c in _split(data["positions"]) if c in positions],
                )
                items[item.code] = item
                new_items += 1
            for order, row in enumerate(data["actions"], 1):
                code, name, standard, mistakes, modes, checks, skills = row
                if code in actions:
                    continue
                actions[code] = do_save_key_action(
                    item, {"code": code, "order": order, "name": name, "standard": standard,
                           "mistakes": mistakes, "study_modes": _split(modes), "checks": _split(checks)},
                    skills=_skills(skills), acting_user=user,
                )
                new_actions += 1
        return items, actions, {"cass_work_items": new_items, "cass_key_actions": new_actions}

    def _resources(self, cass_map: CassMap, items: dict[str, WorkItem], actions: dict[str, KeyAction],
                   run: DemoRun) -> dict[str, int]:
        have = set(cass_map.resources.values_list("code", flat=True))
        counts = {"cass_qa_cards": 0, "cass_videos": 0, "cass_audio": 0, "cass_other_resources": 0}
        action_skills = {row[0]: _skills(row[6]) for data in WORK_ITEMS for row in data["actions"]}

        def publish(values: dict, skills: dict[str, int], work: list[str], acts: list[str],
                    media: tuple[bytes, bytes | None] | None = None) -> Resource:
            with transaction.atomic():
                resource = do_save_resource(
                    cass_map, values, skills=skills, work_items=[items[c] for c in work],
                    key_actions=[actions[c] for c in acts], acting_user=run.acting_user,
                )
                if media is not None:
                    _attach(resource, *media)
                return do_set_resource_status(resource, ResourceStatus.PUBLISHED, acting_user=run.acting_user)

        counts["cass_qa_cards"] = _qa_cards(cass_map, items, action_skills, have, run)
        run.progress("micro-videos and audio")
        for video in VIDEOS:
            if video["code"] in have:
                continue
            action = actions[video["action"]]
            publish({"code": video["code"], "kind": ResourceKind.MICRO_VIDEO, "title": video["title"],
                     "summary": video["summary"], "body": _script(video), "duration_minutes": 1,
                     "devices": ["phone", "pc"], "study_modes": ["pre_shift", "on_the_way", "leisure"]},
                    _skills(video["skills"]), [action.work_item.code], [action.code],
                    media=_rendered_video(video["code"]))
            counts["cass_videos"] += 1
        for clip in AUDIO:
            if clip["code"] in have:
                continue
            publish({"code": clip["code"], "kind": ResourceKind.AUDIO, "title": clip["title"],
                     "summary": clip["summary"], "body": clip["body"], "duration_minutes": 1,
                     "devices": ["phone"], "study_modes": ["on_the_way", "leisure"]},
                    _skills(clip["skills"]), [clip["work_item"]], clip["actions"],
                    media=(_rendered_audio(clip["code"]), None))
            counts["cass_audio"] += 1
        others = [(a, ResourceKind.ARTICLE) for a in ARTICLES] + [(QUIZ, ResourceKind.QUIZ),
                                                                   (COURSE, ResourceKind.COURSE)]
        for data, kind in others:
            if data["code"] in have:
                continue
            publish({"code": data["code"], "kind": kind, "title": data["title"], "summary": data["summary"],
                     "body": data["body"], "duration_minutes": data["minutes"],
                     "devices": _split(data["devices"]), "study_modes": _split(data["modes"])},
                    _skills(data["skills"]), [data["work_item"]], data["actions"])
            counts["cass_other_resources"] += 1
        return counts

    def describe(self, run: DemoRun) -> list[str]:
        cass_map = demo_map(run)
        if cass_map is None:
            return []
        resources = cass_map.resources.filter(status=ResourceStatus.PUBLISHED)
        kinds = {kind: resources.filter(kind=kind).count() for kind in ResourceKind.values}
        actions = KeyAction.objects.filter(cass_map=cass_map).count()
        return [
            f"CASS map: {cass_map.name} ({cass_map.org_unit.code}, model {cass_map.model_family}): "
            f"{cass_map.work_items.count()} work items, {actions} key actions (/cass/)",
            f"learning resources: {kinds['qa_card']} Q&A cards, {kinds['micro_video']} micro-videos, "
            f"{kinds['audio']} audio clips, {kinds['article']} articles, {kinds['quiz']} quiz, "
            f"{kinds['course']} course",
        ]


def _qa_cards(cass_map: CassMap, items: dict[str, WorkItem], action_skills: dict[str, dict[str, int]],
              have: set[str], run: DemoRun) -> int:
    """The Q&A cards, published, in one batch (130 resources through the actions would be
    two audited writes each, a few seconds of the build): rows checked as the actions check
    them, then one audit row for the batch."""
    now = timezone.now()
    by_item: dict[int, list[KeyAction]] = {}
    for action in KeyAction.objects.filter(cass_map=cass_map).order_by("order", "code"):
        by_item.setdefault(action.work_item_id, []).append(action)
    rows, links = [], []
    for number, (question, answer, dimension, work, product, tags) in enumerate(QA_CARDS, 1):
        code = f"QA{number:03d}"
        if code in have:
            continue
        item = items[work]
        # The first action of the card's work item that needs its dimension, at that level.
        fitting = [a for a in by_item.get(item.pk, []) if dimension in action_skills.get(a.code, {})]
        level = min((action_skills[a.code][dimension] for a in fitting), default=2)
        resource = Resource(
            cass_map=cass_map, code=code, kind=ResourceKind.QA_CARD, title=question, summary=answer,
            duration_minutes=1, devices=["phone"], study_modes=["pre_shift", "on_the_way"],
            status=ResourceStatus.PUBLISHED, created_at=now, updated_at=now, published_at=now,
        )
        resource.full_clean(exclude=["cass_map"], validate_unique=False, validate_constraints=False)
        rows.append(resource)
        links.append((item, fitting[:1], dimension, level, question, answer, product, list(tags)))
    if not rows:
        return 0
    Resource.objects.bulk_create(rows)
    rows = list(Resource.objects.filter(cass_map=cass_map, code__in=[r.code for r in rows]).order_by("code"))
    skills, cards, item_links, action_links = [], [], [], []
    for resource, (item, fitting, dimension, level, question, answer, product, tags) in zip(
            rows, links, strict=True):
        skills.append(ResourceSkill(resource=resource, dimension_code=dimension, level=level))
        cards.append(QACard(resource=resource, question=question, answer=answer, product_code=product,
                            tags=tags))
        item_links.append(Resource.work_items.through(resource_id=resource.pk, workitem_id=item.pk))
        action_links += [Resource.key_actions.through(resource_id=resource.pk, keyaction_id=a.pk)
                         for a in fitting]
    for row in skills + cards:
        row.full_clean(exclude=["resource"], validate_unique=False, validate_constraints=False)
    ResourceSkill.objects.bulk_create(skills)
    QACard.objects.bulk_create(cards)
    Resource.work_items.through.objects.bulk_create(item_links)
    Resource.key_actions.through.objects.bulk_create(action_links)
    audit.record(run.acting_user, CassVerb.SAVE_RESOURCE, cass_map, unit=cass_map.org_unit,
                 summary=f"demo: {len(rows)} Q&A cards published")
    return len(rows)


def _script(video: dict) -> str:
    """The video's text, slide by slide (for reading, and for a learner who cannot play it)."""
    return "\n".join(f"{title}：{'；'.join(points)}" for title, points in video["slides"])


def _attach(resource: Resource, data: bytes, poster: bytes | None) -> None:
    """Store a rendered file (and poster) through the default storage, with its probed type
    and real duration; the duration in minutes follows from it."""
    probed = demo_media.probe(data)
    resource.media.save(f"{resource.code.lower()}.webm", ContentFile(data), save=False)
    if poster is not None:
        resource.poster.save(f"{resource.code.lower()}.png", ContentFile(poster), save=False)
    resource.media_type = probed.media_type
    resource.media_bytes = len(data)
    resource.media_seconds = probed.seconds
    resource.duration_minutes = demo_media.minutes(probed.seconds)
    resource.save(update_fields=["media", "poster", "media_type", "media_bytes", "media_seconds",
                                 "duration_minutes"])


part = CassDemo()
