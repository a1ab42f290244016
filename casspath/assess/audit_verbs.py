"""The audit verbs of assess: evidence imported and exported."""

from casspath.core.audit import AuditVerb


class AssessVerb(AuditVerb):
    IMPORT_RATINGS = "import.ratings"
    EXPORT_RATINGS = "export.ratings"
