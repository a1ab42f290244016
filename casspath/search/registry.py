"""What each kind of document is: the apps above search register their kinds (`register`,
from their AppConfig.ready), so search imports none of them (the layers of import-linter),
as cass/kind_pages.py does for resource pages.

A kind says how to build the documents of some of its objects (`build(ids)`: one `Document`
per object that exists, with its title, its text by weight and its filter tags), which of
its objects a user may see (`visible_q(user)`, a filter on its model taken from the app's
access.py, which every search joins to), the URL of a hit, and which models' writes change
its documents (`watch`: model → the ids of the kind's objects a saved or deleted instance
touches; the receivers queue those ids for the commit).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass
class Document:
    """One object's text for the index. `head` weighs less than the title and more than the
    body (a case's knowledge point, a resource's summary). Tags are `kind:code` strings the
    filters match: "step:PM01-1", "dimension:D03", "product:P01", "industry:IND01"."""

    obj_id: int
    code: str
    title: str
    head: str = ""
    body: str = ""
    tags: set[str] = field(default_factory=set)


@dataclass
class Kind:
    name: str  # case, product, guide, card: the `kind` of hits, the CLI's and API's --kind
    key: int  # 1, 2, …: the kind's range of document ids (search/index.py); never reuse one
    label: Any  # shown on the results page's tabs (a lazy translation)
    model: type[models.Model]
    build: Callable[[list[int]], Iterable[Document]]
    visible_q: Callable[[Any], Q]
    url: Callable[[int, str], str]  # (object id, code) → the hit's page, "" when it has none
    watch: dict[type[models.Model], Callable[[Any], Iterable[int]]] = field(default_factory=dict)
    # m2m through models whose changes (adding a tag) touch the kind: the through model →
    # the ids, given the instance and the pk_set Django sends with m2m_changed.
    watch_m2m: dict[Any, Callable[[Any, set | None, bool], Iterable[int]]] = field(default_factory=dict)
    order: int = 100  # the tabs' order
    # The ids a rebuild writes (all of the model's by default).
    all_ids: Callable[[], Iterable[int]] | None = None

    def ids(self) -> list[int]:
        if self.all_ids is not None:
            return sorted(self.all_ids())
        return list(self.model._default_manager.order_by("pk").values_list("pk", flat=True))


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Register a kind (from the app's AppConfig.ready) and watch its models' writes."""
    from casspath.search.receivers import connect_kind

    taken = {other.key: other.name for other in _KINDS.values() if other.name != kind.name}
    if not 0 < kind.key < 9_000_000 or kind.key in taken:
        raise ValueError(
            f"search kind {kind.name}: key {kind.key} is out of range or {taken.get(kind.key)}'s"
        )
    _KINDS[kind.name] = kind
    connect_kind(kind)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def kind_names() -> list[str]:
    return [kind.name for kind in kinds()]


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


_MARK = 918273645546372819  # an id no URL holds otherwise: where the id goes in a reversed URL


class _IdUrl:
    """A kind's `url` for a view whose only argument is the object's id (`id_url`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._parts: dict[tuple, tuple[str, str] | None] = {}

    def bound(self) -> Callable[[int, str], str]:
        """The URL of an id under the URLconf and script prefix of now: reversed once (with
        a marker id), then each id put in its place, the same URL as reverse()."""
        key = (get_urlconf(), get_script_prefix())
        if key not in self._parts:
            pieces = reverse(self.name, args=[_MARK]).split(str(_MARK))
            self._parts[key] = (pieces[0], pieces[1]) if len(pieces) == 2 else None
        found = self._parts[key]
        if found is None:
            return lambda pk, code: reverse(self.name, args=[pk])
        prefix, suffix = found
        return lambda pk, code: f"{prefix}{int(pk)}{suffix}"

    def __call__(self, pk: int, code: str) -> str:
        return self.bound()(pk, code)


def id_url(name: str) -> Callable[[int, str], str]:
    """A kind's `url` for a view whose only argument is the object's id: a page of hits
    reverses it once (`url_maker`), not once a hit."""
    return _IdUrl(name)


def url_maker(kind: Kind) -> Callable[[int, str], str]:
    """The kind's `url`, ready for a page of hits (id_url's resolved once)."""
    return kind.url.bound() if isinstance(kind.url, _IdUrl) else kind.url


FILTERS = ("step", "dimension", "product", "industry")

# The names of a filter's codes, for the results page's chips ("行业: 酒店餐饮", not IND05):
# an app above registers, per filter, (user, codes) → {code: name} over what he may see.
_FILTER_NAMES: dict[str, Callable[[Any, list[str]], dict[str, str]]] = {}


def register_filter_names(filter_name: str, names: Callable[[Any, list[str]], dict[str, str]]) -> None:
    if filter_name not in FILTERS:
        raise ValueError(f"no search filter {filter_name!r}")
    _FILTER_NAMES[filter_name] = names


def filter_names(user, filter_name: str, codes: list[str]) -> dict[str, str]:
    """{code: name} of the codes that name something `user` may see; {} when none does."""
    names = _FILTER_NAMES.get(filter_name)
    return names(user, codes) if names is not None and codes else {}


def tag(filter_name: str, code: str) -> str:
    return f"{filter_name}:{code}"
