"""Refuse a NUL character (U+0000) at the door: in the path, the query string, a posted
form's fields or a JSON body. PostgreSQL cannot hold one in text (a query carrying it fails
with a 500) and SQLite would store it silently; no user means one.
"""

import json

from casspath.core.responses import early_refusal
from casspath.core.validators import NUL

MESSAGE_ZH = "请求中含有空字符（NUL，U+0000），已拒绝：请删除后重试。"
MESSAGE_EN = "The request contains a NUL character (U+0000) and was refused: remove it and try again."
FORM_TYPES = ("application/x-www-form-urlencoded",)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _nul_in(request)
        if where is None:
            return self.get_response(request)
        return early_refusal(request, 400, f"{MESSAGE_ZH}（位置：{where}）", f"{MESSAGE_EN} (in the {where})")


def _nul_in(request) -> str | None:
    """Where the request holds a NUL ("path", "query string", "form", "body"), or None."""
    if NUL in request.path or NUL in request.path_info:
        return "path"
    if _has_nul(request.GET.lists()):
        return "query string"
    # Multipart bodies are left to the forms (Django's fields refuse NUL): reading them here
    # would fix the upload handlers before a view can choose its own.
    if request.content_type in FORM_TYPES and _has_nul(request.POST.lists()):
        return "form"
    if request.content_type == "application/json" and b"\\u0000" in request.body:
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):
            return None  # not JSON (or absurdly deep): the endpoint answers that
        if _json_has_nul(data):
            return "body"
    return None


def _has_nul(lists) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in lists)


def _json_has_nul(data) -> bool:
    stack = [data]  # a loop, not recursion: any depth json.loads accepted
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
