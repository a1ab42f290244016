"""The audit verbs of org: units, employees, roles, logins, and its imports and export."""

from casspath.core.audit import AuditVerb


class OrgVerb(AuditVerb):
    CREATE_UNIT = "org_unit.create"
    UPDATE_UNIT = "org_unit.update"
    CREATE_EMPLOYEE = "employee.create"
    UPDATE_EMPLOYEE = "employee.update"
    GRANT_ROLE = "org.grant_role"
    REVOKE_ROLE = "org.revoke_role"
    QUEUE_LOGINS = "org.queue_logins"
    ISSUE_LOGINS = "org.issue_logins"
    ISSUE_LOGINS_FAILED = "org.issue_logins_failed"
    CANCEL_LOGINS = "org.cancel_logins"
    DOWNLOAD_LOGINS = "org.download_logins"
    PURGE_LOGIN_FILES = "org.purge_login_files"
    IMPORT_UNITS = "import.org"
    IMPORT_ROSTER = "import.roster"
    EXPORT_ROSTER = "export.roster"
    EXPORT_AUDIT = "audit.export"
    RESET_PASSWORD = "login.reset_password"  # noqa: S105 (an audit verb, not a password)
    UNLOCK_LOGIN = "login.unlock"
