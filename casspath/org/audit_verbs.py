"""The audit verbs of org: units, employees, roles, logins, and its imports and export."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class OrgVerb(AuditVerb):
    CREATE_UNIT = "org_unit.create", _("Unit created")
    UPDATE_UNIT = "org_unit.update", _("Unit changed")
    CREATE_EMPLOYEE = "employee.create", _("Employee created")
    UPDATE_EMPLOYEE = "employee.update", _("Employee changed")
    TRANSFER_OUT_EMPLOYEE = "employee.transfer_out", _("Employee moved out of the unit")
    GRANT_ROLE = "org.grant_role", _("Role granted")
    REVOKE_ROLE = "org.revoke_role", _("Role revoked")
    QUEUE_LOGINS = "org.queue_logins", _("Login batch queued")
    ISSUE_LOGINS = "org.issue_logins", _("Logins issued")
    ISSUE_LOGINS_FAILED = "org.issue_logins_failed", _("Login batch failed")
    CANCEL_LOGINS = "org.cancel_logins", _("Login batch cancelled")
    DOWNLOAD_LOGINS = "org.download_logins", _("Login file downloaded")
    PURGE_LOGIN_FILES = "org.purge_login_files", _("Login files purged")
    IMPORT_UNITS = "import.org", _("Org units imported")
    IMPORT_ROSTER = "import.roster", _("Roster imported")
    EXPORT_ROSTER = "export.roster", _("Roster exported")
    EXPORT_AUDIT = "audit.export", _("Audit log exported")
    RESET_PASSWORD = "login.reset_password", _("Password reset")  # noqa: S105 (an audit verb, not a password)
    UNLOCK_LOGIN = "login.unlock", _("Lock-out lifted")
