"""The home page: every app's cards (their `site.py`), in order, each only when the user
has something to see on it."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from casspath.org import scopes
from casspath.site.discovery import home_cards


@dataclass(frozen=True)
class ShownCard:
    name: str
    template: str
    figures: dict[str, Any]


def home_context(user) -> dict:
    today = timezone.localdate()
    context: dict = {"today": today, "roles": sorted(scopes.roles_of(user)), "cards": []}
    for card in home_cards():
        figures = card.figures(user, today)
        if figures is not None:
            context["cards"].append(ShownCard(card.name, card.template, figures))
            context[card.name] = figures
    return context
