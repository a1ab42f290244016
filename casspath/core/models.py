from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Username is the employee number (工号) for employees."""

    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when a one-time password is issued; cleared by the first change."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class AuditEvent(models.Model):
    """One row for every write: who, when, what."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("actor"),
    )
    # Kept as text so the row still says who acted after the user is gone, and so that
    # CLI runs without a user ("cli:root") are named.
    actor_label = models.CharField(_("actor"), max_length=150)
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The summary as a phrase to render in the reader's language (core/audit.py, `Phrase`):
    # {"msgid": ..., "params": {...}} or {"zh": ...}; `summary` keeps the English (empty:
    # rows written before, or a summary of data only, shown as `summary`).
    summary_i18n = models.JSONField(_("summary (translatable)"), default=dict, blank=True)
    # The org unit the row concerns, as plain values: core sits below org and cannot point
    # at OrgUnit. The materialised path ("/0001/0007/") makes "rows in my subtree" one
    # prefix match; empty when the row concerns no unit (only unrestricted users see those).
    org_unit_path = models.CharField(_("org unit path"), max_length=255, blank=True, default="")
    org_unit_id = models.BigIntegerField(_("org unit id"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The audit page filters on these and pages by (created_at, id), newest first: each
        # filter walks its index in that order instead of sorting millions of rows.
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["org_unit_path", "-created_at", "-id"], name="audit_unit_time"),
            models.Index(fields=["actor_label", "-created_at", "-id"], name="audit_actor_time"),
            models.Index(fields=["verb", "-created_at", "-id"], name="audit_verb_time"),
            models.Index(fields=["-created_at", "-id"], name="audit_time"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.summary}"
