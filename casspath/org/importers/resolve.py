"""How a roster row names its unit: by code, or by a unique full path of names."""

from casspath.imports.errors import Invalid
from casspath.imports.framework import RunContext
from casspath.org.models import OrgUnit


class UnitResolver:
    """A row's unit: by code, or by a full path of names matching exactly one unit; in scope."""

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
            self.by_path.setdefault("/".join(reversed(parts)), []).append(pk)

    def parse(self, value: str) -> int:
        found = self.by_code.get(value)
        if found is not None:
            pk = found[0]
        elif "/" in value or "／" in value:
            path = "/".join(part.strip() for part in value.replace("／", "/").strip("/").split("/"))
            matches = self.by_path.get(path, [])
            if not matches:
                raise Invalid("没有这个路径的单位。", "No unit has this path.")
            if len(matches) > 1:
                raise Invalid(
                    f"该路径对应 {len(matches)} 个单位，请改用单位编码。",
                    f"This path matches {len(matches)} units: use the unit code instead.",
                )
            pk = matches[0]
        else:
            raise Invalid(
                "没有这个编码的单位，请先导入单位。", "No unit has this code: import the org units first."
            )
        allowed = self.ctx.allowed_unit_ids()
        if allowed is not None and pk not in allowed:
            code, name = self.code_of[pk], self.name_of[pk]
            raise Invalid(
                f"单位“{code}”（{name}）不在您的导入权限范围内。",
                f"Unit '{code}' ({name}) is outside your import scope.",
            )
        return pk
