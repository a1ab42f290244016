from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core.jobs import Job

# What the run page says a run is doing (its `phase`, framework.PHASES).
PHASE_LABELS = {
    "reading": _("Reading the file"),
    "validating": _("Checking the rows"),
    "waiting": _("Waiting for another import of the same units to finish"),
    "planning": _("Comparing with the data"),
    "writing": _("Writing"),
    "waiting_numbers": _("Waiting for another import that adds employees to finish"),
}


class ImportRun(Job):
    """One import of one uploaded file: who, what, how far, and the report. A job of
    casspath.core.jobs (status, progress, attempt, heartbeat, error)."""

    job_task = "casspath.imports.tasks.run_import_task"
    created_by_label_field = "actor_label"

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
        verbose_name=_("created by"),
    )
    # Names a CLI run ("cli:root") too, which has no user.
    actor_label = models.CharField(_("actor"), max_length=150)
    filename = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    dry_run = models.BooleanField(_("dry run"), default=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    # The uploader's import scope when he uploaded: [{"id", "code", "name"}], or ["*"] for all.
    scope = models.JSONField(_("scope"), default=list, blank=True)
    source_run = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applied_runs",
        verbose_name=_("dry run applied"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def kind_label(self):
        """The importer's translated name ("花名册（员工）"), or the bare kind if none is registered."""
        from casspath.imports import registry  # the registry imports the framework, which imports us

        try:
            return registry.get(self.kind).label
        except registry.UnknownKind:
            return self.kind

    @property
    def badge(self) -> tuple[str, str]:
        # A dry run that read the whole file and found bad rows did what it was asked: the
        # report says what to fix. It is "problems found", not a red failure.
        found_bad_rows = bool(self.report) and not (self.report or {}).get("file_error")
        if self.dry_run and self.status == self.Status.FAILED and found_bad_rows:
            return str(_("problems found")), "warning"
        return super().badge

    @property
    def phase_label(self):
        """The phase in the page's language ("" before the run starts)."""
        return PHASE_LABELS.get(self.phase, self.phase)

    @property
    def ok(self) -> bool:
        return bool(self.report and self.report.get("ok"))
