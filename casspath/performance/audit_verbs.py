"""The audit verbs of performance: its import."""

from casspath.core.audit import AuditVerb


class PerformanceVerb(AuditVerb):
    IMPORT = "import.performance"
