"""The CASS map (工作内容 → 关键动作 → 技巧 → 学习模式) and the learning resources hung on it.

A map belongs to an org unit and to a competency model family: its actions name dimensions
by code (D01…), so a new version of the model keeps every link. The map that applies to a
person is the nearest one up his unit's path, as the competency model that applies to him.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core.validators import validate_code, validate_text

one_to_five = [MinValueValidator(1), MaxValueValidator(5)]


class StudyMode(models.TextChoices):
    """How a piece is studied (CONTRACTS.md): the fragments of a working day, then the room."""

    PRE_SHIFT = "pre_shift", _("pre-shift learning")
    ON_THE_WAY = "on_the_way", _("on-the-way learning")
    LEISURE = "leisure", _("leisure learning")
    CLASSROOM = "classroom", _("classroom")
    TEAM = "team", _("team learning")
    ACTION = "action", _("action learning")


class Check(models.TextChoices):
    """How learning of an action is checked (CONTRACTS.md)."""

    PRE_TEST = "pre_test", _("pre-test")
    POST_TEST = "post_test", _("post-test")
    SPOT_QUIZ = "spot_quiz", _("spot quiz")
    PERFORMANCE_CHECK = "performance_check", _("performance check")
    OBSERVATION = "observation", _("supervisor observation")


class Device(models.TextChoices):
    PHONE = "phone", _("phone")
    PC = "pc", _("PC")
    PRINT = "print", _("print")


def _check_code_list(value, choices: type[models.TextChoices], what_zh: str, what_en: str) -> None:
    """A JSON list of codes out of `choices`: each known, none twice."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{what_zh}应为编码列表。 / {what_en} must be a list of codes.")
    unknown = [v for v in value if v not in choices.values]
    if unknown:
        raise ValidationError(
            f"未知的{what_zh}：{'、'.join(unknown)}（可选：{'、'.join(choices.values)}）。 / "
            f"Unknown {what_en}: {', '.join(unknown)} (known: {', '.join(choices.values)})."
        )
    if len(set(value)) != len(value):
        raise ValidationError(f"{what_zh}有重复。 / {what_en} listed twice.")


def validate_study_modes(value) -> None:
    _check_code_list(value, StudyMode, "学习模式", "study mode")


def validate_checks(value) -> None:
    _check_code_list(value, Check, "检验方式", "check")


def validate_devices(value) -> None:
    _check_code_list(value, Device, "适用设备", "device")


class CassMap(models.Model):
    """The CASS map of one org unit for one competency model family."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="cass_maps", verbose_name=_("owner unit"),
    )
    model_family = models.CharField(_("model code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=100, validators=[validate_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["org_unit__path", "model_family"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "model_family"], name="unique_cass_map_per_unit"),
        ]
        verbose_name = _("CASS map")
        verbose_name_plural = _("CASS maps")

    def __str__(self) -> str:
        return self.name


class WorkItem(models.Model):
    """A work item (工作内容 / 工作事件). Its rank comes from importance and frequency
    (`casspath.analytics.cass.rank_work_items`), never typed."""

    cass_map = models.ForeignKey(CassMap, on_delete=models.CASCADE, related_name="work_items")
    code = models.CharField(_("work item code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=100, validators=[validate_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    importance = models.PositiveSmallIntegerField(_("importance"), validators=one_to_five)
    frequency = models.PositiveSmallIntegerField(_("frequency"), validators=one_to_five)
    stages = models.ManyToManyField("org.Stage", blank=True, related_name="+", verbose_name=_("stages"))
    positions = models.ManyToManyField(
        "org.Position", blank=True, related_name="+", verbose_name=_("positions"),
    )

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["cass_map", "code"], name="unique_work_item_code")]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    # Derived, never stored: set by queries.ranked_work_items from importance and frequency.
    rank: int = 0

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KeyAction(models.Model):
    """A key action (关键动作) of a work item, in order, with its completion standard."""

    cass_map = models.ForeignKey(CassMap, on_delete=models.CASCADE, related_name="+")
    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("action code"), max_length=20, validators=[validate_code])
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=100, validators=[validate_text])
    standard = models.TextField(_("completion standard"), validators=[validate_text])
    mistakes = models.TextField(_("common mistakes"), blank=True, validators=[validate_text])
    study_modes = models.JSONField(
        _("study modes"), default=list, blank=True, validators=[validate_study_modes],
    )
    checks = models.JSONField(_("checks"), default=list, blank=True, validators=[validate_checks])

    class Meta:
        ordering = ["work_item__code", "order", "code"]
        # Codes are the workbook's natural keys: unique in the whole map (CONTRACTS.md).
        constraints = [models.UniqueConstraint(fields=["cass_map", "code"], name="unique_action_code")]
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ActionSkill(models.Model):
    """A dimension a key action needs (by its stable code) and the level it needs."""

    action = models.ForeignKey(KeyAction, on_delete=models.CASCADE, related_name="skills")
    dimension_code = models.CharField(_("dimension code"), max_length=10, validators=[validate_code])
    level = models.PositiveSmallIntegerField(_("level"), validators=one_to_five)

    class Meta:
        ordering = ["dimension_code"]
        constraints = [
            models.UniqueConstraint(fields=["action", "dimension_code"], name="unique_action_skill"),
        ]
        verbose_name = _("action skill")
        verbose_name_plural = _("action skills")

    def __str__(self) -> str:
        return f"{self.dimension_code} L{self.level}"


class ResourceKind(models.TextChoices):
    MICRO_VIDEO = "micro_video", _("micro-video")
    AUDIO = "audio", _("audio")
    ARTICLE = "article", _("article")
    CASE = "case", _("case")
    PRODUCT_CARD = "product_card", _("product card")
    QA_CARD = "qa_card", _("Q&A card")
    WORK_GUIDE = "work_guide", _("work guide")
    QUIZ = "quiz", _("quiz")
    COURSE = "course", _("course")


# Kinds whose content is a played media file (uploaded, checked by content, served by ranges).
MEDIA_KINDS = frozenset({ResourceKind.MICRO_VIDEO, ResourceKind.AUDIO})


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


# Status rules as data: where a resource may go from each status (`do_set_resource_status`).
RESOURCE_TRANSITIONS: dict[str, frozenset[str]] = {
    ResourceStatus.DRAFT: frozenset({ResourceStatus.PUBLISHED, ResourceStatus.RETIRED}),
    ResourceStatus.PUBLISHED: frozenset({ResourceStatus.RETIRED, ResourceStatus.DRAFT}),
    ResourceStatus.RETIRED: frozenset({ResourceStatus.DRAFT, ResourceStatus.PUBLISHED}),
}


class Resource(models.Model):
    """A learning resource (学习资源) of a map's library. Only published ones reach learners.

    Duration, devices, modes and dimension levels are what the plans issue schedules by, so
    a media resource's duration is its file's real duration (`media_seconds`), never typed.
    """

    cass_map = models.ForeignKey(CassMap, on_delete=models.CASCADE, related_name="resources")
    code = models.CharField(_("resource code"), max_length=30, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    summary = models.TextField(_("summary"), blank=True, validators=[validate_text])
    body = models.TextField(_("text"), blank=True, validators=[validate_text])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    devices = models.JSONField(_("devices"), default=list, blank=True, validators=[validate_devices])
    study_modes = models.JSONField(
        _("study modes"), default=list, blank=True, validators=[validate_study_modes],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT,
    )
    work_items = models.ManyToManyField(WorkItem, blank=True, related_name="resources")
    key_actions = models.ManyToManyField(KeyAction, blank=True, related_name="resources")
    # The played file and its poster, stored through Django's storage API (media/ by default,
    # S3-compatible by configuration); type and duration are read from the content on upload.
    media = models.FileField(_("media file"), upload_to="resources/%Y/%m/", blank=True, max_length=300)
    media_type = models.CharField(_("media type"), max_length=60, blank=True)
    media_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    media_seconds = models.FloatField(_("media duration (seconds)"), null=True, blank=True)
    poster = models.FileField(_("poster image"), upload_to="posters/%Y/%m/", blank=True, max_length=300)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["cass_map", "code"], name="unique_resource_code")]
        indexes = [models.Index(fields=["cass_map", "status"], name="resource_map_status")]
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED


class ResourceSkill(models.Model):
    """A dimension (by code) a resource teaches and the level it teaches it at."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="skills")
    dimension_code = models.CharField(_("dimension code"), max_length=10, validators=[validate_code])
    level = models.PositiveSmallIntegerField(_("level"), validators=one_to_five)

    class Meta:
        ordering = ["dimension_code"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "dimension_code"], name="unique_resource_skill"),
        ]
        indexes = [models.Index(fields=["dimension_code", "level"], name="resource_skill_dimension")]

    def __str__(self) -> str:
        return f"{self.dimension_code} L{self.level}"


class QACard(models.Model):
    """A Q&A card (问答卡, 短信i提升): a customer's question and the plain answer a manager can
    say back. It is a resource of kind qa_card; its dimension is the resource's skill."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="qa_card")
    question = models.TextField(_("question"), validators=[validate_text])
    answer = models.TextField(_("answer"), validators=[validate_text])
    # Products come with the knowledge app (issue of the product map): held by code until then.
    product_code = models.CharField(_("product code"), max_length=30, blank=True, validators=[validate_text])
    tags = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        verbose_name = _("Q&A card")
        verbose_name_plural = _("Q&A cards")

    def __str__(self) -> str:
        return self.question[:40]


class MediaProgress(models.Model):
    """How far a learner got in a video or audio: the last position and whether he finished."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="progress")
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    position_seconds = models.FloatField(_("position (seconds)"), default=0)
    furthest_seconds = models.FloatField(_("furthest (seconds)"), default=0)
    completed = models.BooleanField(_("completed"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "employee"], name="unique_media_progress"),
        ]
        verbose_name = _("media progress")
        verbose_name_plural = _("media progress")

    def __str__(self) -> str:
        return f"{self.resource_id}@{self.position_seconds:.0f}s"
