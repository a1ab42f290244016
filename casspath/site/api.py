"""The API at /api/v1/: the plumbing of casspath/api (authentication, errors, tokens)
with the router of every app that has one."""

from django.http import Http404
from ninja import NinjaAPI, Router

from casspath.api.auth import session_auth, token_auth
from casspath.api.errors import install_error_handlers
from casspath.api.renderers import Utf8JSONRenderer
from casspath.api.tokens_api import router as tokens_router
from casspath.site.discovery import app_modules
from casspath.site.me import router as me_router

DESCRIPTION = """The casspath JSON API.

Authenticate with `Authorization: Bearer <token>` (create a token on the "API tokens" page or
with `casspath api_token create USERNAME --name NAME`), or with the login session (unsafe
methods then need the `X-CSRFToken` header). A call acts as the token's user, with his roles
and scopes, exactly as on the pages. A token expires (after 90 days unless the operator set
another lifetime, or sooner if chosen), and is revoked when its user's password is changed or
reset, his login is reissued or deactivated, or he loses a role he held when it was made.

Errors share one body: `detail` (in the request's language), `detail_zh`, `detail_en`, and for
422 `errors`, one entry per bad field (`field`, `message_zh`, `message_en`). Every call may
answer 401 (no token, or one revoked or expired) and 403 (a one-time password not yet
changed, or no right to the operation); each operation lists the other refusals it words.
"""

# Every router inherits both authentications; the OpenAPI document and the docs page
# stay public (ninja serves them outside the operations' auth).
api = NinjaAPI(title="casspath API", version="1", description=DESCRIPTION, urls_namespace="api",
               auth=[token_auth, session_auth], renderer=Utf8JSONRenderer())
install_error_handlers(api)
api.add_router("/", me_router)
api.add_router("/", tokens_router)
# Each app's `api.py` router, under the app's label: /api/v1/org/, /api/v1/competency/, ...
for label, module in app_modules("api"):
    if hasattr(module, "router"):
        api.add_router(f"/{label}/", module.router)

# Last, so that it only catches what no router matched: an unknown path under /api/v1/ gets
# the API's JSON 404 rather than the site's HTML page.
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None,
                        include_in_schema=False)
def not_found(request, rest: str):
    raise Http404(rest)


api.add_router("/", fallback)
