"""The API writes Chinese as Chinese: `ensure_ascii=False`, so an answer reads as it is
(`"name": "陈伟"`, not `"\\u9648\\u4f1f"`) and takes half the bytes. Every JSON answer,
ninja's and the few written by middleware, uses core's parameters."""

from django.http import HttpResponse
from ninja.renderers import JSONRenderer

from casspath.core.responses import JSON_DUMPS_PARAMS


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = JSON_DUMPS_PARAMS


def built_answer(request, data) -> HttpResponse:
    """A 200 answer that the endpoint built itself, field for field as its response schema
    documents it, rendered as ninja renders any answer but without validating it against the
    schema again: for large lists, where validation costs more than building (50 employees:
    2.7 ms of a 6 ms call, benchmarks/profile_request.py api_token). The endpoint's tests
    check its answers against the schema instead."""
    renderer = Utf8JSONRenderer()
    return HttpResponse(renderer.render(request, data, response_status=200),
                        content_type=f"{renderer.media_type}; charset={renderer.charset}")
