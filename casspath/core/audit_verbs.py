"""The audit verbs of core: users, the Django admin, the job machinery."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class CoreVerb(AuditVerb):
    CHANGE_PASSWORD = "user.change_password", _("Password changed")  # noqa: S105 (a verb, not a secret)
    ADMIN_ADD = "admin.add", _("Added in the admin")
    ADMIN_CHANGE = "admin.change", _("Changed in the admin")
    ADMIN_DELETE = "admin.delete", _("Deleted in the admin")
    ADMIN_SET_PASSWORD = "admin.set_password", _("Password set in the admin")  # noqa: S105 (a verb, not a secret)
    JOB_FAILED = "job.failed", _("Job failed")
    JOB_REQUEUED = "job.requeued", _("Job requeued")
