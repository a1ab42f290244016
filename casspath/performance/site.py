"""What performance adds to the site: the diagnosis menu entry and home card (see
casspath/core/parts.py), for those who may see reports."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from casspath.core.parts import HomeCard, MenuEntry
from casspath.org import scopes
from casspath.org.scopes import Perm
from casspath.performance.access import diagnoses_in_scope

LATEST_ON_CARD = 3


def _sees_reports(user) -> bool:
    return scopes.has_perm(user, Perm.SEE_REPORTS)


def latest_diagnoses(user, today: date) -> dict | None:
    if not _sees_reports(user):
        return None
    return {"latest": list(diagnoses_in_scope(user)[:LATEST_ON_CARD])}


MENU = [MenuEntry(_("Diagnosis"), "performance:diagnoses", _sees_reports, order=60)]

HOME_CARDS = [HomeCard("diagnoses", "performance/home/diagnoses.html", latest_diagnoses, order=45)]
