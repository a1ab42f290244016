"""Units as lists and pickers name them: labels that tell two units of one name apart, and
the units a picker offers or its text names."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

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



UNIT_CHOICES_LIMIT = 20


@dataclass(frozen=True)
class UnitChoice:
    """A unit as a picker offers it: its name, and the names above it down from the top of the
    user's reach, so that two 商客二班 of one city read apart."""

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


def unit_choices(user, perm: Perm, text: str = "", *, not_under: OrgUnit | None = None,
                 limit: int = UNIT_CHOICES_LIMIT) -> tuple[list[UnitChoice], bool]:
    """Units of the user's scope for `perm` whose code begins with `text` or whose name holds
    it, in tree order, at most `limit` (and whether more match); the first units of the scope
    for an empty text. `not_under` leaves out that unit's subtree (a unit's new parent).
    Two queries: the units, and the names of their ancestors."""
    units = scopes.units_for(user, perm)
    text = text.strip()[:100]
    if text:
        units = units.filter(Q(code__startswith=unit_code_key(text)) | Q(name__icontains=text))
    if not_under is not None:
        units = units.exclude(path__startswith=not_under.path)
    found = list(units.only("id", "code", "name", "kind", "path", "depth").order_by("path")[: limit + 1])
    return unit_choices_of(user, perm, found[:limit]), len(found) > limit


def unit_choices_of(user, perm: Perm, units: Iterable[OrgUnit]) -> list[UnitChoice]:
    """Each unit with the names of its ancestors, from below the top of the user's reach (a
    city admin's lines start under his city, whose name on every line would say nothing); one
    query."""
    units = list(units)
    roots = scopes.scope_roots(user, perm)
    lines = {unit.pk: unit.ancestor_ids()[_shown_from(unit, roots):-1] for unit in units}
    wanted = {pk for line in lines.values() for pk in line}
    names = dict(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [UnitChoice(unit, [names.get(pk, "") for pk in lines[unit.pk]]) for unit in units]


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
    named = list(units.filter(name=text).order_by("path")[:UNIT_CHOICES_LIMIT])
    if len(named) == 1:
        return named[0], []
    return None, named
