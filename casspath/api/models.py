import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The secret's first characters after this marker are the public prefix, so a token
# pasted into a log or a ticket can be identified (and revoked) without the database.
TOKEN_MARKER = "cpt_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    """SHA-256 of the whole token string, hex. Tokens are long random strings, so a fast
    unsalted hash is enough (unlike passwords) and allows an indexed lookup."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token an integration uses to call the API as `user`.

    Only the SHA-256 of the secret is stored: the secret is shown once, at creation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # Always set (at most settings.API_TOKEN_MAX_AGE after creation): a leaked token ends.
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("revoked because"), max_length=200, blank=True)
    # The user's role bindings when the token was made, as [role, org unit id] pairs: losing
    # one of them ends the token (`do_revoke_tokens_of`), as it would end the reason for it.
    role_bindings = models.JSONField(_("roles at creation"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.is_expired():
            return "expired"
        return "active"
