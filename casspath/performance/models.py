"""Performance records (绩效, 贡献): what the diagnosis reads (CONTRACTS.md, "Performance").

A record is a line item (one sale, with its date) or a monthly summary (a manager's month in
one figure, which may carry the big-deal part of it, 大单金额). A manager's output for a
month is the sum of his records in it. Records are written only by the performance import,
which replaces an employee's month whole.
"""

from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core.jobs import Job, JobStatus
from casspath.core.storage import private_storage
from casspath.core.validators import validate_text
from casspath.org.models import Employee, OrgUnit

AMOUNT_DIGITS, AMOUNT_PLACES = 14, 2
PRODUCT_MAX = 100


def big_deal_threshold() -> Decimal:
    """A line item of at least this many yuan is a big deal (settings.CASSPATH
    PERFORMANCE_BIG_DEAL_THRESHOLD, default 50,000). Read whenever records are read, so a
    new threshold applies to the records already imported."""
    return Decimal(settings.CASSPATH.get("PERFORMANCE_BIG_DEAL_THRESHOLD", 50_000))


class PerformanceRecord(models.Model):
    class Kind(models.TextChoices):
        LINE_ITEM = "item", _("line item")
        MONTHLY_SUMMARY = "month", _("monthly summary")

    # Rows are many (100,000 managers × 24 months and more): the one index below serves
    # both the import (an employee's months) and the reader (a unit's employees' months,
    # reached from OrgUnit.path through Employee); the foreign keys carry no index of their
    # own. Their database constraints stay: the import's bulk writer checks them set-based
    # on PostgreSQL (core/bulk.py) instead of row by row. Django deletes an employee's
    # records with him (CASCADE is Django's, not the database's).
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="performance_records",
        verbose_name=_("employee"), db_index=False,
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    day = models.DateField(_("date"), null=True, blank=True)  # a line item's, when the file gives it
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    product = models.CharField(_("product"), max_length=PRODUCT_MAX, blank=True, validators=[validate_text])
    # A line item's 是否大单 flag; it is a big deal when flagged or when its amount reaches
    # the threshold (`is_big_deal`), judged when read.
    flagged = models.BooleanField(_("flagged as a big deal"), default=False)
    # A monthly summary's 大单金额: the part of its amount that came from big deals.
    big_deal_amount = models.DecimalField(
        _("big-deal amount (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES,
        default=Decimal("0"),
    )
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("import run"), db_index=False,
    )

    class Meta:
        ordering = ["employee_id", "month", "day", "id"]
        indexes = [models.Index(fields=["employee", "month"], name="performance_employee_month")]
        verbose_name = _("performance record")
        verbose_name_plural = _("performance records")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m} {self.amount}"

    def big_deal_part(self, threshold: Decimal | None = None) -> Decimal:
        """The part of this record's amount that is big deals: a line item's whole amount
        when it is one, a monthly summary's 大单金额."""
        if self.kind == self.Kind.MONTHLY_SUMMARY:
            return self.big_deal_amount
        return self.amount if self.is_big_deal(threshold) else Decimal("0")

    def is_big_deal(self, threshold: Decimal | None = None) -> bool:
        if self.kind == self.Kind.MONTHLY_SUMMARY:
            return self.big_deal_amount > 0
        return self.flagged or self.amount >= (big_deal_threshold() if threshold is None else threshold)


class DiagnosisSnapshot(Job):
    """One diagnosis of an org unit over a month range, dated and kept (issue 7): the period,
    the competency model version it was measured against, and the figures (issue 7's JSON).
    Computed in the background (performance/tasks.py) or by the command line, as a job of
    casspath.core.jobs: `figures` is set when it succeeds, with the job's success."""

    job_task = "casspath.performance.tasks.run_diagnosis"

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="diagnoses", verbose_name=_("org unit"),
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    model = models.ForeignKey(
        "competency.CompetencyModel", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("competency model"),
    )
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    # Null for a command-line run by the system actor (named by created_by_label).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("run by"),
    )
    created_by_label = models.CharField(_("run by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    figures = models.JSONField(_("figures"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")

    def __str__(self) -> str:
        return f"{self.org_unit} {self.first_month:%Y-%m}–{self.last_month:%Y-%m}"


def _report_file_name(report: "DiagnosisReport", name: str) -> str:
    return f"diagnosis-reports/{report.snapshot_id}/{name}"


class DiagnosisReport(Job):
    """A diagnosis's report printed to a file in the background and kept (the PDF: WeasyPrint
    takes seconds, tens of them for a large unit, which would hold a web worker): a
    snapshot's figures never change, so the file printed once serves every later download.
    At most one live report per snapshot and format (queued, running or succeeded), so
    asking twice queues once; a failed one stays as history beside the retry."""

    job_task = "casspath.performance.tasks.render_report"
    # A printed report whose kept file is gone (storage wiped or restored without it) fails,
    # so that the next request prints it again rather than answer with a file it cannot read.
    TRANSITIONS = {**Job.TRANSITIONS, JobStatus.SUCCEEDED: frozenset({JobStatus.FAILED})}

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"

    snapshot = models.ForeignKey(DiagnosisSnapshot, on_delete=models.CASCADE, related_name="reports",
                                 verbose_name=_("diagnosis"))
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # Set with the job's success; in the private storage (core/storage.py), never served by URL.
    file = models.FileField(_("file"), upload_to=_report_file_name, storage=private_storage, blank=True,
                            max_length=200)
    # Null for a command-line request by the system actor (named by created_by_label).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("asked by"),
    )
    created_by_label = models.CharField(_("asked by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["snapshot", "format"], condition=~Q(status=JobStatus.FAILED),
            name="performance_one_live_report")]
        verbose_name = _("diagnosis report")
        verbose_name_plural = _("diagnosis reports")

    def __str__(self) -> str:
        return f"{self.snapshot_id} .{self.format} {self.status}"

    def attempt_file_name(self, attempt: int) -> str:
        """Where attempt `attempt` of this job keeps its file (actions.do_render_report): one
        name per attempt, so that a worker taken for dead, still printing, never writes over
        the file of the attempt that took the job over."""
        return self.file.field.generate_filename(self, f"{self.pk}-{attempt}.{self.format}")

    def file_names(self) -> list[str]:
        """Every file this job may have left: the one it kept, and each attempt's (a worker
        killed between saving its file and committing leaves one no row names)."""
        names = {self.attempt_file_name(attempt) for attempt in range(1, self.attempt + 1)}
        if self.file.name:
            names.add(self.file.name)
        return sorted(names)


@receiver(post_delete, sender=DiagnosisReport, dispatch_uid="performance.report_files")
def _delete_report_files(sender, instance: DiagnosisReport, using, **kwargs) -> None:
    """A report's files go with its row (a diagnosis deleted takes its reports along), once
    the deletion commits: a deletion rolled back keeps them."""
    from casspath.performance.actions import delete_files  # actions imports this module

    transaction.on_commit(partial(delete_files, instance.file.storage, instance.file_names()), using=using)


class DiagnosisMember(models.Model):
    """Who was in which tier of a diagnosis, with his period output (excluding big deals, the
    tiers' measure): the drill-down from a tier to its people. Written with the figures, in
    the same transaction (actions.do_run_diagnosis), in the order of each tier's output from
    the highest, so that a tier's page reads its members by id, from its index, at any depth."""

    class Tier(models.TextChoices):
        HIGH = "high", _("high performers")
        MIDDLE = "middle", _("middle performers")
        LOW = "low", _("low performers")

    # The composite index below serves every read (a snapshot's tier, by id); the foreign
    # keys carry none of their own.
    snapshot = models.ForeignKey(DiagnosisSnapshot, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("diagnosis"), db_index=False)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("employee"), db_index=False)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    period_output = models.FloatField(_("period output excluding big deals"))

    class Meta:
        ordering = ["snapshot_id", "tier", "id"]
        indexes = [models.Index(fields=["snapshot", "tier", "id"], name="performance_member_tier")]
        verbose_name = _("diagnosis member")
        verbose_name_plural = _("diagnosis members")

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.tier} {self.employee_id}"
