"""The audit verbs of performance: its import, the diagnosis."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class PerformanceVerb(AuditVerb):
    IMPORT = "import.performance", _("Performance imported")
    QUEUE_DIAGNOSIS = "performance.queue_diagnosis", _("Diagnosis queued")
    DIAGNOSE = "performance.diagnose", _("Diagnosis run")
    CANCEL_DIAGNOSIS = "performance.cancel_diagnosis", _("Diagnosis cancelled")
    QUEUE_REPORT = "performance.queue_report", _("Diagnosis report queued")
    EXPORT_DIAGNOSIS = "export.diagnosis", _("Diagnosis exported")
