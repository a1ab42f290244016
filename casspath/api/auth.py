"""How API calls authenticate: a bearer token (integrations) or the login session (the
site's own pages). Either way the call acts as the user, with his roles and scopes."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from casspath.api.errors import ApiError
from casspath.api.models import ApiToken, hash_secret
from casspath.core.models import User
from casspath.core.prepared import PreparedQuery

# Writing last_used_at on every call would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# Every call with a token reads it: compiled once per process (core/prepared.py). The
# revocation, expiry and user checks below run on the row as read, at every call.
_token_by_hash = PreparedQuery(
    lambda secret_hash: ApiToken.objects.select_related("user").filter(secret_hash=secret_hash)
    .order_by("pk")[:1],
    str)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A call carrying an Authorization header is judged by
    it alone: a bad token, or another scheme, is refused outright (401), never passed on to
    the session check, so an integration learns why and a header cannot ride on a session."""

    openapi_bearerFormat = "casspath API token (cpt_…)"

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        if header and header.split(" ")[0].lower() != self.openapi_scheme:
            raise ApiError(401, "Authorization 请求头须为 Bearer <令牌>",
                           "The Authorization header must be Bearer <token>")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        row = _token_by_hash.first(hash_secret(token)) if token else None
        if row is None:
            raise ApiError(401, "API 令牌无效：未找到该令牌", "Invalid API token: no such token")
        now = timezone.now()
        if row.revoked_at is not None:
            raise ApiError(401, f"API 令牌 {row.prefix} 已被撤销", f"API token {row.prefix} has been revoked")
        if row.is_expired(now):
            raise ApiError(401, f"API 令牌 {row.prefix} 已过期", f"API token {row.prefix} has expired")
        if not row.user.is_active:
            raise ApiError(401, "该令牌所属的用户已停用", "The token's user is deactivated")
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        # Endpoints and shared helpers read request.user as on the pages.
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """django-ninja's session auth (CSRF checked on unsafe methods), except that a request
    with no logged-in session gets 401 rather than a CSRF 403: there is no session to forge.

    A session whose user still holds his one-time password is refused (403) here, where the
    authentication used is known: the pages' middleware cannot tell a real token from a
    header that merely looks like one."""

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        if getattr(request.user, "must_change_password", False):
            raise ApiError(403, "请先修改一次性密码后再使用接口。",
                           "Change your one-time password before using the API.")
        return super()._get_key(request)


def api_user(request: HttpRequest):
    """The user a call acts as: the token's user, else the session's. Refuses (401) a call
    with neither, so an endpoint never acts as an anonymous user."""
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, User) else request.user
    if not getattr(user, "is_authenticated", False):
        raise ApiError(401, "需要身份验证", "Authentication required")
    return user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
