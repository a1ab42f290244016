"""The answer a middleware gives when it refuses a request before any view runs: bilingual,
JSON under /api/ (the API's error shape), a bare page elsewhere (no template, no database)."""

from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

# Chinese written as Chinese in every JSON answer (ninja's renderer uses the same).
JSON_DUMPS_PARAMS = {"ensure_ascii": False}


def early_refusal(request, status: int, message_zh: str, message_en: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"{message_zh} / {message_en}", "detail_zh": message_zh,
                             "detail_en": message_en}, status=status,
                            json_dumps_params=JSON_DUMPS_PARAMS)
    return HttpResponse(
        f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{escape(message_zh)}</p>"
        f"<p>{escape(message_en)}</p>",
        status=status,
    )
