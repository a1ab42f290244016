"""The audit verbs of the site: the demo build."""

from casspath.core.audit import AuditVerb


class SiteVerb(AuditVerb):
    BUILD_DEMO = "demo.build"
