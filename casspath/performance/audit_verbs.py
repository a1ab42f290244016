"""The audit verbs of performance: its import."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class PerformanceVerb(AuditVerb):
    IMPORT = "import.performance", _("Performance imported")
