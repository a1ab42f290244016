"""Units as lists, searches and pickers name them: labels that tell two units of one name
apart, the one unit search (the tree's search box, the pickers, the API's unit list), and the
unit a picker's text names."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key

UNIT_PATH_SEPARATOR = " / "


def unit_labels(units: Iterable[OrgUnit]) -> dict[int, str]:
    """Each unit's name, or, where two units shown together share it (two 商客二班 in one
    city), the shortest run of its ancestors' names that tells it apart: "天河区 / 商客二班".

    One query, for the ancestors of the ambiguous units only (their ids are in `path`);
    none when every name is unique on the page.
    """
    units = list({unit.pk: unit for unit in units}.values())
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in units:
        by_name.setdefault(unit.name, []).append(unit)
    labels = {unit.pk: unit.name for unit in units}
    ambiguous = [unit for same in by_name.values() if len(same) > 1 for unit in same]
    if not ambiguous:
        return labels
    wanted = {pk for unit in ambiguous for pk in unit.ancestor_ids()[:-1]}
    names = dict(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name"))
    for same in (same for same in by_name.values() if len(same) > 1):
        # Lines of names from the unit upwards; grow every label of the group by one
        # ancestor until all differ, or until the roots are reached.
        lines = {unit.pk: [unit.name, *(names.get(pk, "") for pk in reversed(unit.ancestor_ids()[:-1]))]
                 for unit in same}
        longest = length = max(map(len, lines.values()))
        for length in range(2, longest + 1):  # noqa: B007 (the length reached is used below)
            shown = {pk: tuple(line[:length]) for pk, line in lines.items()}
            if len(set(shown.values())) == len(shown):
                break
        for pk, line in lines.items():
            labels[pk] = UNIT_PATH_SEPARATOR.join(reversed(line[:length]))
    return labels



UNIT_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class UnitPath:
    """A unit as a search or a picker shows it: its name, and the names above it down from the
    top of the user's reach, so that two 商客二班 of one city read apart."""

    unit: OrgUnit
    ancestors: list[str]

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def label(self) -> str:
        return UNIT_PATH_SEPARATOR.join([*self.ancestors, self.unit.name])


def matching_units(user, perm: Perm, text: str = "") -> QuerySet[OrgUnit]:
    """The units of the user's scope for `perm` whose code begins with `text` (as codes are
    written: upper-case, half-width) or whose name holds it; all of them for an empty text.
    Unordered: the search ranks them, the API pages them by path."""
    units = scopes.units_for(user, perm)
    text = text.strip()[:100]
    if text:
        units = units.filter(Q(code__startswith=unit_code_key(text)) | Q(name__icontains=text))
    return units


def search_units(user, perm: Perm, text: str = "", *, not_under: OrgUnit | None = None,
                 limit: int = UNIT_SEARCH_LIMIT) -> tuple[list[UnitPath], bool]:
    """`matching_units`, the closest first (the code itself, then codes that begin with the
    text, then names that do, then the rest; shallower units first within each), at most
    `limit`, and whether more match; the first units of the scope, shallowest first, for an
    empty text. `not_under` leaves out that unit's subtree (a unit's new parent). The tree's
    search box and the unit pickers. Two queries: the units, and their ancestors' names."""
    text = text.strip()[:100]
    units = matching_units(user, perm, text)
    if not_under is not None:
        units = units.exclude(path__startswith=not_under.path)
    code = unit_code_key(text)
    rank = Case(When(code=code, then=Value(0)), When(code__startswith=code, then=Value(1)),
                When(name__istartswith=text, then=Value(2)), default=Value(3), output_field=IntegerField())
    found = list(units.only("id", "code", "name", "kind", "path", "depth")
                 .annotate(rank=rank).order_by("rank", "depth", "code")[: limit + 1])
    return unit_paths(user, perm, found[:limit]), len(found) > limit


def unit_paths(user, perm: Perm, units: Iterable[OrgUnit]) -> list[UnitPath]:
    """Each unit with the names of its ancestors, from below the top of the user's reach (a
    city admin's lines start under his city, whose name on every line would say nothing); one
    query."""
    units = list(units)
    roots = scopes.scope_roots(user, perm)
    lines = {unit.pk: unit.ancestor_ids()[_shown_from(unit, roots):-1] for unit in units}
    wanted = {pk for line in lines.values() for pk in line}
    names = dict(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [UnitPath(unit, [names.get(pk, "") for pk in lines[unit.pk]]) for unit in units]


def _shown_from(unit: OrgUnit, roots: list[OrgUnit]) -> int:
    """Where a unit's line of ancestors starts: below the user's one scope root; below the top
    of the tree (the province) for a user of several roots or of the whole tree."""
    if len(roots) == 1 and unit.is_within(roots[0]):
        return roots[0].depth + 1
    return 1


def unit_for_picker(user, perm: Perm, text: str) -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The unit a picker's text names within the user's scope for `perm`: its code (any case),
    else a name only one unit of the scope has. (None, []) when nothing matches; (None, the
    units) when a name is shared, for the refusal to list."""
    text = text.strip()
    units = scopes.units_for(user, perm)
    by_code = units.filter(code=unit_code_key(text)).first()
    if by_code is not None or not text:
        return by_code, []
    named = list(units.filter(name=text).order_by("path")[:UNIT_SEARCH_LIMIT])
    if len(named) == 1:
        return named[0], []
    return None, named
