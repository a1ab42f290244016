"""The audit verbs of core: users, the Django admin, the job machinery."""

from casspath.core.audit import AuditVerb


class CoreVerb(AuditVerb):
    CHANGE_PASSWORD = "user.change_password"  # noqa: S105 (a verb, not a secret)
    ADMIN_ADD = "admin.add"
    ADMIN_CHANGE = "admin.change"
    ADMIN_DELETE = "admin.delete"
    ADMIN_SET_PASSWORD = "admin.set_password"  # noqa: S105 (a verb, not a secret)
    JOB_FAILED = "job.failed"
    JOB_REQUEUED = "job.requeued"
