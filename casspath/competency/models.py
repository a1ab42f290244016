from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core.validators import validate_code, validate_text

LEVELS = (1, 2, 3, 4, 5)
level_validators = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyModel(models.Model):
    """One version of a competency model. Versions of one model share a `family` code.

    A published version is in use: editing it makes a new draft version, so evidence
    keeps pointing at the version it was measured against.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    family = models.CharField(_("model code"), max_length=40, validators=[validate_code])
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=150, blank=True, validators=[validate_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="competency_models",
        verbose_name=_("owner unit"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("derived from"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="unique_model_version"),
        ]
        verbose_name = _("competency model")
        verbose_name_plural = _("competency models")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class LevelTitle(models.Model):
    """The name of each of the five levels in a model (入门 … 专家)."""

    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=level_validators)
    title = models.CharField(_("title"), max_length=20, validators=[validate_text])
    title_en = models.CharField(_("English title"), max_length=40, blank=True, validators=[validate_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])

    class Meta:
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["model", "level"], name="unique_level_title")]

    def __str__(self) -> str:
        return f"L{self.level} {self.title}"


class Module(models.Model):
    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("module code"), max_length=10, validators=[validate_code])
    name = models.CharField(_("name"), max_length=40, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=80, blank=True, validators=[validate_text])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="unique_module_code")]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Dimension(models.Model):
    """A dimension of a module. Its code (D01…) is stable across model versions."""

    class Category(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge")
        QUALITY = "quality", _("quality")
        SKILL = "skill", _("skill")

    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="dimensions")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("dimension code"), max_length=10, validators=[validate_code])
    name = models.CharField(_("name"), max_length=40, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=80, blank=True, validators=[validate_text])
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="unique_dimension_code"),
        ]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BehaviourLevel(models.Model):
    """The behavioural indicators of one dimension at one level, one per line."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="behaviours")
    level = models.PositiveSmallIntegerField(_("level"), validators=level_validators)
    indicators = models.TextField(_("behavioural indicators"), validators=[validate_text])

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "level"], name="unique_behaviour_level"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} L{self.level}"

    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]


class Requirement(models.Model):
    """The required level and weight of a dimension for one stage or one grade."""

    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="requirements")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="requirements")
    stage = models.ForeignKey("org.Stage", null=True, blank=True, on_delete=models.PROTECT)
    grade = models.ForeignKey("org.Grade", null=True, blank=True, on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("required level"), validators=level_validators)
    weight = models.DecimalField(
        _("weight %"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(stage__isnull=False, grade__isnull=True)
                    | models.Q(stage__isnull=True, grade__isnull=False)
                ),
                name="requirement_for_stage_xor_grade",
            ),
            models.UniqueConstraint(
                fields=["dimension", "stage"], condition=models.Q(stage__isnull=False),
                name="unique_stage_requirement",
            ),
            models.UniqueConstraint(
                fields=["dimension", "grade"], condition=models.Q(grade__isnull=False),
                name="unique_grade_requirement",
            ),
        ]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        target = self.stage or self.grade
        return f"{self.dimension.code} @ {target}: L{self.level} ({self.weight}%)"
