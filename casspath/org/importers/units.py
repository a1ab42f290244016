"""The org-unit import (CONTRACTS.md, "Org tree and roster"): upsert units by code.

The database is read once, parents may come after their children in the file, cycles and
units outside the actor's scope are refused row by row. Re-importing a file changes nothing.
"""

from django.utils.translation import gettext_lazy as _

from casspath.imports import columns as col
from casspath.imports.columns import Column
from casspath.imports.errors import RowError
from casspath.imports.framework import RunContext, Table, TabularImporter
from casspath.imports.locks import ORG_TREE
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.org.audit_verbs import OrgVerb
from casspath.org.figures import roster_changed
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm, PermScope
from casspath.org.tree import rebuild_paths

KIND_LABELS_ZH = {
    OrgUnit.Kind.NATIONAL: "集团公司",
    OrgUnit.Kind.PROVINCE: "省公司",
    OrgUnit.Kind.CITY: "地市公司",
    OrgUnit.Kind.DISTRICT: "区县公司",
    OrgUnit.Kind.TEAM: "班组",
    OrgUnit.Kind.DEPARTMENT: "部门",
}
KIND_SYNONYMS = {
    OrgUnit.Kind.NATIONAL: ("集团", "总部", "总公司", "全国公司", "headquarters", "group company"),
    OrgUnit.Kind.PROVINCE: ("省", "省级", "省分公司", "province company"),
    OrgUnit.Kind.CITY: ("地市", "市公司", "地市分公司", "city company"),
    OrgUnit.Kind.DISTRICT: ("区县", "县公司", "区县分公司", "district company", "county"),
    OrgUnit.Kind.TEAM: ("班组", "小组", "group"),
    OrgUnit.Kind.DEPARTMENT: ("部室", "dept"),
}


def _kind_options() -> dict[str, str]:
    options: dict[str, str] = {}
    for kind, label in KIND_LABELS_ZH.items():
        options[label] = kind.value
        options[kind.value] = kind.value
        for synonym in KIND_SYNONYMS[kind]:
            options[synonym] = kind.value
    return options


class OrgImporter(TabularImporter):
    kind = "org"
    lock_space = ORG_TREE  # the roster's key space: waits for roster imports and single edits
    label = _("Org units")
    scope = PermScope(Perm.IMPORT_DATA)
    sheet_name = "单位 units"
    examples = (
        {"org_code": "GD", "name": "广东公司", "parent_code": "", "kind": "省公司"},
        {"org_code": "GD-GZ", "name": "广州分公司", "parent_code": "GD", "kind": "地市公司"},
        {"org_code": "GD-GZ-TH", "name": "天河区", "parent_code": "GD-GZ", "kind": "区县公司"},
        {"org_code": "GD-GZ-TH-01", "name": "政企一班", "parent_code": "GD-GZ-TH", "kind": "班组"},
    )
    audit_verb = OrgVerb.IMPORT_UNITS
    columns = (
        Column(
            "org_code",
            "单位编码",
            "unit code",
            ("编码", "组织编码", "机构编码", "单位代码", "code", "org code", "unit_code"),
            required=True,
            blank_ok=False,
            parse=col.code(40, upper=True),
            note_zh="单位的唯一编码，再次导入时按编码更新。",
            note_en="The unit's unique code; re-imports update by it.",
        ),
        Column(
            "name",
            "单位名称",
            "unit name",
            ("名称", "组织名称", "机构名称", "name"),
            required=True,
            blank_ok=False,
            parse=col.text(100),
        ),
        Column(
            "parent_code",
            "上级单位编码",
            "parent code",
            ("上级编码", "父级编码", "上级单位", "上级机构编码", "parent", "parent unit code"),
            required=True,
            parse=col.code(40, upper=True),
            note_zh="根单位（集团公司或省公司）留空；上级可以写在下级之后。",
            note_en="Empty for the root (national or province company); parents may follow their children.",
        ),
        Column(
            "kind",
            "类型",
            "kind",
            ("单位类型", "机构类型", "层级", "type", "unit kind", "unit type"),
            required=True,
            blank_ok=False,
            parse=col.choice(_kind_options(), [*KIND_LABELS_ZH.values(), *OrgUnit.Kind.values]),
            choices=lambda: list(KIND_LABELS_ZH.values()),
            note_zh="省公司、地市公司、区县公司、班组、部门"
            "（或英文 province, city, district, team, department）。",
            note_en="province, city, district, team, department (or the Chinese names).",
        ),
    )
    instructions_zh = (
        "每行一个单位。单位编码唯一；再次导入同一文件不会产生任何变化。",
        "上级单位编码须为本文件中或系统中已有的单位；不允许循环（A 的上级是 B，B 的上级又是 A）。",
        "市级管理员只能导入本单位下属的单位。",
    )
    instructions_en = (
        "One unit per row. Codes are unique; importing the same file again changes nothing.",
        "A parent code must name a unit in this file or already in the system; cycles are refused.",
        "A city admin may import only units below his own unit.",
    )

    def lock_units(self, ctx: RunContext) -> None:
        """The whole tree, whoever imports: units change the tree the scopes are made of
        (a move rewrites the paths below it) and unit codes are unique company-wide. Unit
        imports are few and small; exclusive on the whole tree of the key space they share
        with the roster (locks.ORG_TREE), they wait for every roster import and single edit
        of employees or units, and those wait for them."""
        return None

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        seen: dict[str, int] = {}
        codes, parents, headers = table.columns["org_code"], table.columns["parent_code"], table.headers
        for i, code in enumerate(codes):
            if code is None:
                continue
            number = table.numbers[i]
            if code in seen:
                report.errors.append(
                    RowError(
                        number,
                        headers["org_code"],
                        code,
                        f"单位编码重复：与第 {seen[code]} 行相同。",
                        f"Duplicate unit code: the same as row {seen[code]}.",
                    )
                )
                table.bad.add(i)
                continue
            seen[code] = number
            if parents[i] == code:
                report.errors.append(
                    RowError(
                        number,
                        headers["parent_code"],
                        code,
                        "上级单位不能是自己。",
                        "A unit cannot be its own parent.",
                    )
                )
                table.bad.add(i)

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict:
        existing = {u["code"]: u for u in OrgUnit.objects.values("id", "code", "name", "kind", "parent_id")}
        code_of = {u["id"]: code for code, u in existing.items()}
        parent_of = {code: code_of.get(u["parent_id"]) for code, u in existing.items()}
        rows = table.rows
        for index, row in enumerate(rows):  # bad rows too: their codes exist, if wrongly
            if row.values["org_code"] is not None and index not in table.bad:
                parent_of[row.values["org_code"]] = row.values["parent_code"] or None
            elif row.values["org_code"] is not None:
                parent_of.setdefault(row.values["org_code"], None)
        in_file = {row.values["org_code"]: row for index, row in enumerate(rows) if index not in table.bad}
        allowed = ctx.allowed_unit_ids()
        header = table.headers
        creates, updates = [], []
        for code, row in in_file.items():
            values = row.values
            parent = values["parent_code"] or None
            old = existing.get(code)
            if parent is not None and parent not in parent_of:
                # A scoped admin gets the same reason as for another city's unit (see below).
                reasons = (
                    _parent_not_found(parent)
                    if allowed is not None
                    else (
                        f"上级单位编码“{parent}”在文件和系统中都不存在。",
                        f"Parent code '{parent}' is neither in the file nor in the system.",
                    )
                )
                report.errors.append(RowError(row.row, header["parent_code"], parent, *reasons))
                continue
            cycle = _cycle_from(code, parent_of)
            if cycle:
                report.errors.append(
                    RowError(
                        row.row,
                        header["parent_code"],
                        parent or "",
                        "上级关系形成循环：" + " → ".join(cycle) + "。",
                        "The parents form a cycle: " + " → ".join(cycle) + ".",
                    )
                )
                continue
            if allowed is not None:
                problem = self._scope_problem(code, parent, old, existing, code_of, allowed, in_file)
                if problem:
                    report.errors.append(RowError(row.row, header["org_code"], code, *problem))
                    continue
            new = {"name": values["name"], "kind": values["kind"], "parent": parent}
            if old is None:
                creates.append((row, new))
                report.created += 1
                report.add_change(Change(row.row, code, "create", {k: [None, v] for k, v in new.items()}))
                continue
            before = {"name": old["name"], "kind": old["kind"], "parent": code_of.get(old["parent_id"])}
            changed = {k: [before[k], v] for k, v in new.items() if before[k] != v}
            if changed:
                updates.append((row, old["id"], new))
                report.updated += 1
                report.add_change(Change(row.row, code, "update", changed))
            else:
                report.unchanged += 1
        return {"creates": creates, "updates": updates, "existing": existing}

    @staticmethod
    def _scope_problem(code, parent, old, existing, code_of, allowed, in_file) -> tuple[str, str] | None:
        # Never another city's unit name: only that the code is taken, or a neutral reason.
        if old is not None and old["id"] not in allowed:
            return (
                f"单位编码“{code}”已被您权限范围外的单位使用。",
                f"The unit code '{code}' is used outside your import scope.",
            )
        if old is not None and code_of.get(old["parent_id"]) == parent:
            return None  # not moved: being in scope is enough
        if parent is None:
            return ("只有省级管理员可以导入根单位。", "Only a province-wide admin may import a root unit.")
        if parent in existing and existing[parent]["id"] not in allowed:
            return _parent_not_found(parent)
        return None

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        # Bulk writes send no signal: the token is replaced first, in the transaction, so
        # that no read on this connection caches figures of rows half written.
        roster_changed()
        new_units = [
            OrgUnit(code=row.values["org_code"], name=new["name"], kind=new["kind"])
            for row, new in plan["creates"]
        ]
        OrgUnit.objects.bulk_create(new_units, batch_size=2000)
        ids = {code: unit["id"] for code, unit in plan["existing"].items()}
        if new_units and new_units[0].pk is None:  # backends that do not return ids
            ids.update(OrgUnit.objects.filter(code__in=[u.code for u in new_units]).values_list("code", "id"))
        else:
            ids.update({unit.code: unit.pk for unit in new_units})
        touched = []
        for row, new in plan["creates"]:
            touched.append(
                OrgUnit(
                    pk=ids[row.values["org_code"]],
                    name=new["name"],
                    kind=new["kind"],
                    parent_id=ids.get(new["parent"]) if new["parent"] else None,
                )
            )
        for _row, pk, new in plan["updates"]:
            touched.append(
                OrgUnit(
                    pk=pk,
                    name=new["name"],
                    kind=new["kind"],
                    parent_id=ids.get(new["parent"]) if new["parent"] else None,
                )
            )
        OrgUnit.objects.bulk_update(touched, ["name", "kind", "parent"], batch_size=1000)
        rebuild_paths()


def _cycle_from(code: str, parent_of: dict[str, str | None]) -> list[str]:
    """The cycle `code` sits on (codes, closed), or [] if its ancestors end at a root."""
    seen = [code]
    current = parent_of.get(code)
    while current is not None:
        if current == code:
            return [*seen, code]
        if current in seen:
            return []  # a cycle above, not through this unit: reported on its own rows
        seen.append(current)
        current = parent_of.get(current)
    return []


register(OrgImporter())


def _parent_not_found(parent: str) -> tuple[str, str]:
    """The one reason for a parent that is absent or outside the import scope (zh, en)."""
    return (
        f"上级单位“{parent}”不存在或不在您的导入权限范围内。",
        f"Parent unit '{parent}' does not exist or is outside your import scope.",
    )
