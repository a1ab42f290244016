"""The audit verbs of the API plumbing: tokens."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class ApiVerb(AuditVerb):
    CREATE_TOKEN = "api_token.create", _("API token created")  # noqa: S105 (a verb, not a secret)
    REVOKE_TOKEN = "api_token.revoke", _("API token revoked")  # noqa: S105 (a verb, not a secret)
