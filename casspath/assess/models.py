"""Evidence (证据) of a dimension's level: ratings now, exam results with the assessment
issue, in one table (CONTRACTS.md, "Evidence"). The current level is derived from it by
the rule of `casspath/analytics/evidence.py`, never stored."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.analytics import evidence as rule
from casspath.competency.models import level_validators

score_validators = [MinValueValidator(0), MaxValueValidator(100)]


class Evidence(models.Model):
    """One record of an employee's level of one dimension, by one source on one day.

    The level or the score is what was given; `level` is the level it means (a score s
    means 1 + 4·s/100, `analytics.evidence.level_of_score`), which the current-level rule
    reads. `model` is the competency model version the record was measured against and
    `dimension` that version's dimension; `dimension_code` is the code, stable across
    versions (CONTRACTS.md), by which a newer version's current level reads it.

    The natural key is employee + dimension code + source + date: an import of the same
    file twice changes nothing, and a corrected value for the same key replaces the old.
    """

    class Source(models.TextChoices):
        SUPERVISOR = rule.SUPERVISOR, _("supervisor's rating")
        PEER = rule.PEER, _("peer rating")
        SELF = rule.SELF, _("self-rating")
        SURVEY = rule.SURVEY, _("survey")
        EXAM = rule.EXAM, _("exam result")

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("employee"),
        db_index=False,  # the natural key's index leads with the employee
    )
    model = models.ForeignKey(
        "competency.CompetencyModel", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("competency model version"),
    )
    dimension = models.ForeignKey(
        "competency.Dimension", on_delete=models.PROTECT, related_name="evidence",
        verbose_name=_("dimension"),
    )
    dimension_code = models.CharField(_("dimension code"), max_length=10)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    observed_on = models.DateField(_("date"))
    given_level = models.PositiveSmallIntegerField(_("level given"), null=True, blank=True,
                                                   validators=level_validators)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=score_validators)
    level = models.FloatField(_("level"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=150, blank=True)
    # The imported file (its ImportRun has the same sha256); empty for a record made otherwise.
    file_sha256 = models.CharField(_("file"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        constraints = [
            # Also the index every read uses: a unit's evidence is its employees' (employee_id
            # leads), a person's per dimension (then the code), newest first (then the date).
            models.UniqueConstraint(fields=["employee", "dimension_code", "source", "observed_on"],
                                    name="unique_evidence"),
            models.CheckConstraint(
                condition=Q(given_level__isnull=False, score__isnull=True)
                | Q(given_level__isnull=True, score__isnull=False),
                name="evidence_level_xor_score",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="evidence_level_1_to_5"),
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.dimension_code} {self.source} {self.observed_on}: {self.level:g}"
