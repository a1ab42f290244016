"""One JSON error body for the whole API: `detail` (in the request's language), `detail_zh`,
`detail_en`, and for validation errors `errors`, one entry per bad field naming it.

Endpoints raise `ApiError(status, zh, en)` for refusals they word themselves; Http404,
PermissionDenied, Django's ValidationError (from an action's full_clean) and ninja's own
errors are turned into the same shape here, and any other exception into a JSON 500 (logged,
its text kept out of the answer). What never reaches ninja's handlers (a wrong method, an
error raised by Django around the view) is reshaped by casspath/api/middleware.py.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from casspath.core.errors import BilingualError

logger = logging.getLogger("django.request")

# Generic wording per status, for errors raised without a Chinese text of their own.
STATUS_TEXT: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("需要身份验证：请登录，或在请求头中发送 Authorization: Bearer <令牌>",
          "Authentication required: log in, or send the header Authorization: Bearer <token>"),
    403: ("无权执行此操作", "You are not allowed to do this"),
    404: ("未找到", "Not found"),
    405: ("不支持该请求方法", "Method not allowed"),
    409: ("与现有数据冲突", "Conflict with existing data"),
    422: ("输入有误", "Invalid input"),
    413: ("请求内容过大", "Request too large"),
    416: ("请求的字节范围超出文件末尾：Content-Range 给出文件大小",
          "The byte range asked lies past the end of the file: Content-Range gives its size"),
    429: ("请求过于频繁，请稍后再试", "Too many requests, try again later"),
    500: ("服务器内部错误，请稍后再试，或联系系统管理员",
          "An internal error stopped the request: try again later, or tell the system administrator"),
}
CSRF_TEXT = ("CSRF 校验失败：通过登录会话调用时，修改类请求须带 X-CSRFToken 请求头",
             "CSRF check failed: calls made with the login session must send the X-CSRFToken header "
             "on unsafe methods")

# Pydantic error types in Chinese; anything else falls back to the generic text + English.
PYDANTIC_ZH = {
    "missing": "缺少必填字段",
    "string_too_long": "太长",
    "string_too_short": "太短",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期 (YYYY-MM-DD)",
    "date_parsing": "应为日期 (YYYY-MM-DD)",
    "date_type": "应为日期 (YYYY-MM-DD)",
    "datetime_parsing": "应为日期时间 (ISO 8601)",
    "datetime_from_date_parsing": "应为日期时间 (ISO 8601)",
    "datetime_type": "应为日期时间 (ISO 8601)",
    "greater_than_equal": "太小",
    "greater_than": "太小",
    "less_than_equal": "太大",
    "less_than": "太大",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "value_error": "取值无效",
    "too_long": "条目太多",
    "too_short": "条目太少",
    "extra_forbidden": "不允许的字段",
}


class ApiError(HttpError, BilingualError):
    """A refusal worded in both languages, with its HTTP status. `errors` lists field errors
    when there are any. The body spells the messages `detail_zh`/`detail_en` (the API's
    published shape)."""

    def __init__(self, status_code: int, message_zh: str, message_en: str, *,
                 errors: list[dict] | None = None):
        # ninja's HttpError sets status_code and message (English, its __str__); the
        # bilingual attributes are the base class's, set here because the MRO puts
        # HttpError's two-argument __init__ behind BilingualError's.
        HttpError.__init__(self, status_code, message_en)
        self.message_zh, self.message_en = message_zh, message_en
        self.errors = errors or []


class FieldErrorOut(Schema):
    field: str = Field(description="The field, dotted (employees.3.phone)")
    loc: list[str]
    type: str
    message_zh: str
    message_en: str


class ErrorOut(Schema):
    """The body of every error (`error_body`), for the operations' documented refusals."""

    detail: str = Field(description="In the request's language")
    detail_zh: str
    detail_en: str
    errors: list[FieldErrorOut] | None = Field(None, description="Validation errors (422): one per bad field")


def error_body(detail_zh: str, detail_en: str, errors: list[dict] | None = None) -> dict:
    lang = translation.get_language() or "zh-hans"
    body: dict[str, Any] = {
        "detail": detail_zh if lang.startswith("zh") else detail_en,
        "detail_zh": detail_zh,
        "detail_en": detail_en,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _field_name(loc) -> str:
    # loc is (source, field, ...), e.g. ("body", "payload", "name"); the source and the
    # single body parameter's name say nothing to a caller.
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(raw: list[dict]) -> list[dict]:
    errors = []
    for item in raw:
        kind = item.get("type", "")
        en = str(item.get("msg", "invalid"))
        zh = PYDANTIC_ZH.get(kind, f"取值无效（{en}）")
        errors.append({
            "field": _field_name(item.get("loc", ())),
            "loc": [str(part) for part in item.get("loc", ())],
            "type": kind,
            "message_zh": zh,
            "message_en": en,
        })
    return errors


def _summary(errors: list[dict]) -> tuple[str, str]:
    zh = "；".join(f"{e['field']}：{e['message_zh']}" for e in errors[:10])
    en = "; ".join(f"{e['field']}: {e['message_en']}" for e in errors[:10])
    more = len(errors) - 10
    if more > 0:
        zh += f"；另有 {more} 处"
        en += f"; and {more} more"
    return f"输入有误：{zh}", f"Invalid input: {en}"


def _django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    def render(lang: str) -> list[tuple[str, str]]:
        with translation.override(lang):
            if hasattr(exc, "error_dict"):
                return [(field if field != "__all__" else "body", str(message))
                        for field, messages in exc.message_dict.items() for message in messages]
            return [("body", str(message)) for message in exc.messages]

    zh, en = render("zh-hans"), render("en")
    return [
        {"field": field, "loc": [field], "type": "invalid", "message_zh": msg_zh, "message_en": msg_en}
        for (field, msg_zh), (_, msg_en) in zip(zh, en, strict=True)
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, zh: str, en: str, errors=None) -> HttpResponse:
        response = api.create_response(request, error_body(zh, en, errors), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="casspath"'
        return response

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError):
        return respond(request, exc.status_code, exc.message_zh, exc.message_en, exc.errors or None)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return respond(request, 401, *STATUS_TEXT[401])

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        if exc.status_code == 403 and "CSRF" in exc.message:
            return respond(request, 403, *CSRF_TEXT)
        zh, en = STATUS_TEXT.get(exc.status_code, ("请求失败", "Request failed"))
        # The raiser's own words are English (ninja, other code); keep them rather than
        # replacing them with the generic text.
        return respond(request, exc.status_code, zh, exc.message or en)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404):
        return respond(request, 404, *STATUS_TEXT[404])

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied):
        # A refusal worded for people (ScopeRefused) says why; a bare one says no more.
        if isinstance(exc, BilingualError):
            return respond(request, 403, exc.message_zh, exc.message_en)
        return respond(request, 403, *STATUS_TEXT[403])

    @api.exception_handler(NinjaValidationError)
    def on_invalid(request: HttpRequest, exc: NinjaValidationError):
        errors = validation_errors(exc.errors)
        return respond(request, 422, *_summary(errors), errors)

    @api.exception_handler(DjangoValidationError)
    def on_model_invalid(request: HttpRequest, exc: DjangoValidationError):
        errors = _django_validation_errors(exc)
        return respond(request, 422, *_summary(errors), errors)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception):
        # Logged as Django logs an uncaught exception (and mails it, where set up); the
        # caller gets the API's JSON, never an HTML page nor the exception's text.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                     extra={"status_code": 500, "request": request})
        return respond(request, 500, *STATUS_TEXT[500])
