"""The audit verbs of performance: its import, the diagnosis."""

from casspath.core.audit import AuditVerb


class PerformanceVerb(AuditVerb):
    IMPORT = "import.performance"
    QUEUE_DIAGNOSIS = "performance.queue_diagnosis"
    DIAGNOSE = "performance.diagnose"
    CANCEL_DIAGNOSIS = "performance.cancel_diagnosis"
