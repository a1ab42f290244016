"""Kinds of learning resource that have a page of their own: a Q&A card's page (with its SMS
length note), a work guide's steps (the knowledge app). A resource's page sends a learner
there, since the learning map, the home card and the library all link to resource pages.

Apps above cass register their kinds (`register`, from their AppConfig.ready), so cass
needs no import of them (the layers of import-linter).
"""

from collections.abc import Callable

from django.urls import reverse

from casspath.cass.models import QACard, Resource, ResourceKind

# kind -> the URL of the resource's own page, or None when it has none (yet).
_PAGES: dict[str, Callable[[Resource], str | None]] = {}


def register(kind: str, url_for: Callable[[Resource], str | None]) -> None:
    _PAGES[kind] = url_for


def page_of(resource: Resource) -> str | None:
    """The URL of the resource's own page, or None: the resource page shows it."""
    url_for = _PAGES.get(resource.kind)
    return url_for(resource) if url_for is not None else None


def _card_page(resource: Resource) -> str | None:
    if not QACard.objects.filter(resource=resource).exists():
        return None
    return reverse("cass:card", args=[resource.pk])


register(ResourceKind.QA_CARD, _card_page)
