"""The audit verbs of the site: the demo build."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class SiteVerb(AuditVerb):
    BUILD_DEMO = "demo.build", _("Demo data built")
