"""Every answer under /api/ is JSON: an error that never reached the API's own handlers (a
method the path does not take, a request Django refused around the view, a failure in
another middleware) is given the API's error body (casspath/api/errors.py) instead of the
site's HTML."""

from django.http import JsonResponse

from casspath.api.errors import STATUS_TEXT, error_body
from casspath.core.responses import JSON_DUMPS_PARAMS

API_PREFIX = "/api/"


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path.startswith(API_PREFIX) or response.status_code < 400
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        zh, en = STATUS_TEXT.get(response.status_code, ("请求失败", "Request failed"))
        reshaped = JsonResponse(error_body(zh, en), status=response.status_code,
                                 json_dumps_params=JSON_DUMPS_PARAMS)
        # What a client needs to act on the refusal: the methods, the scheme, when to retry,
        # the size of the file a range missed (416).
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Content-Range", "Accept-Ranges"):
            if header in response:
                reshaped[header] = response[header]
        return reshaped
