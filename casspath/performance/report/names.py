"""Words the report's text and its charts share."""

from django.utils.translation import gettext as _


def tier_name(code: str) -> str:
    return {"high": _("High performers"), "middle": _("Middle performers"),
            "low": _("Low performers")}.get(code, code)
