"""The audit verbs of the API plumbing: tokens."""

from casspath.core.audit import AuditVerb


class ApiVerb(AuditVerb):
    CREATE_TOKEN = "api_token.create"  # noqa: S105 (a verb, not a secret)
    REVOKE_TOKEN = "api_token.revoke"  # noqa: S105 (a verb, not a secret)
