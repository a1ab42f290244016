"""The audit verbs of assess: evidence imported and exported."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class AssessVerb(AuditVerb):
    IMPORT_RATINGS = "import.ratings", _("Ratings imported")
    EXPORT_RATINGS = "export.ratings", _("Ratings exported")
