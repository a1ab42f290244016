"""How a roster row names its unit: by code, or by a path of names that matches exactly one
unit in the importer's scope. The path may start anywhere above the unit: the whole path
from the top ("广东公司/广州分公司/天河区/政企一班"), or from the admin's own city
("广州分公司/天河区/政企一班"), or only as much as tells the unit apart ("天河区/政企一班")."""

from casspath.imports.errors import Invalid
from casspath.imports.framework import RunContext
from casspath.org.models import OrgUnit
from casspath.org.validators import unit_code_key


class UnitResolver:
    """A row's unit: by code, or by a path of names (any tail of its full path) matching
    exactly one unit in scope."""

    def __init__(self, ctx: RunContext):
        self.ctx = ctx
        units = list(OrgUnit.objects.values_list("id", "code", "name", "parent_id"))
        self.by_code = {code: (pk, name) for pk, code, name, _parent in units}
        names = {pk: (name, parent) for pk, _code, name, parent in units}
        self.by_path: dict[str, list[int]] = {}
        self.name_of = {pk: name for pk, _c, name, _p in units}
        self.code_of = {pk: code for pk, code, _n, _p in units}
        for pk in names:
            parts, current, guard = [], pk, 0
            while current is not None and guard < 64:
                name, parent = names[current]
                parts.append(name)
                current, guard = parent, guard + 1
                # Every tail of two names or more ("天河区/政企一班", "广州分公司/天河区/政企一班", ...):
                # a single name is not a path.
                if len(parts) > 1:
                    self.by_path.setdefault("/".join(reversed(parts)), []).append(pk)

    def parse(self, value: str) -> int:
        # One message for "no such unit" and "not yours": telling them apart would let an
        # admin probe another city's unit codes and names.
        allowed = self.ctx.allowed_unit_ids()
        found = self.by_code.get(unit_code_key(value))
        if found is not None:
            if allowed is not None and found[0] not in allowed:
                raise Invalid(*unit_not_found(value))
            return found[0]
        if "/" in value or "／" in value:
            path = "/".join(part.strip() for part in value.replace("／", "/").strip("/").split("/"))
            matches = [pk for pk in self.by_path.get(path, []) if allowed is None or pk in allowed]
            if not matches:
                raise Invalid(*unit_not_found(value))
            if len(matches) > 1:
                raise Invalid(
                    f"该路径对应 {len(matches)} 个单位，请改用单位编码。",
                    f"This path matches {len(matches)} units: use the unit code instead.",
                )
            return matches[0]
        raise Invalid(*unit_not_found(value))


def unit_not_found(value: str) -> tuple[str, str]:
    """The one reason for a unit that is absent or outside the import scope (zh, en)."""
    return (
        f"单位“{value}”不存在或不在您的导入权限范围内（新单位请先导入单位）。",
        f"Unit '{value}' does not exist or is outside your import scope (import new units first).",
    )
