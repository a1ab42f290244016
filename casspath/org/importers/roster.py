"""The roster import (CONTRACTS.md, "Org tree and roster") and the roster export.

Employees are upserted by employee number in bulk: the database is read once, rows are
compared as tuples, and writes go in large batches (`writes.py`) inside the run's one
transaction. Re-importing a file changes nothing.
"""

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import PurePath
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.api.actions import REVOKED_LOGIN_DEACTIVATED, do_revoke_tokens_of
from casspath.core.models import User
from casspath.core.spreadsheets import write_table
from casspath.imports import columns as col
from casspath.imports.columns import Column, cached
from casspath.imports.errors import ImportFileError, RowError, RowsRefused
from casspath.imports.framework import Option, RunContext, Table, TabularImporter
from casspath.imports.locks import ORG_TREE
from casspath.imports.registry import register
from casspath.imports.report import PREVIEW_LIMIT, Change, ImportReport
from casspath.org import queries, scopes
from casspath.org.actions.employees import NEW_NUMBERS_LOCK
from casspath.org.actions.logins import BULK_SIZE, LoginMove, logins_kept_on_leaving, realign_login_roles
from casspath.org.audit_verbs import OrgVerb
from casspath.org.figures import roster_changed
from casspath.org.importers.resolve import UnitResolver
from casspath.org.importers.writes import insert_employees, update_employees
from casspath.org.models import Employee, Grade, OrgUnit, Position
from casspath.org.validators import EMPLOYEE_NO_MAX, NAME_MAX, STATUS_OPTIONS, STATUS_SHOWN

STATUS_LABELS_ZH: dict[str, str] = {Employee.Status.ACTIVE: "在职", Employee.Status.LEFT: "离职"}

# Columns in file order; the keys are Employee attributes (unit, position, grade as ids).
ROSTER_FIELDS = (
    "employee_no",
    "name",
    "phone",
    "email",
    "org_code",
    "position",
    "hire_date",
    "grade",
    "status",
)
OUTSIDE_SCOPE_NUMBER = (
    "该工号已被您权限范围外的员工使用。",
    "This employee number is used outside your import scope.",
)
MISSING_LISTED = 500  # employees missing from the file named in a report; the rest are counted


def moved_by_whom(number: str) -> tuple[str, str]:
    """Why an admin cannot take over an employee of another unit, and who can: a transfer
    between cities (the 工号 is HR's, it cannot change) is for an admin whose scope holds
    both units. Names neither the other unit nor the person: that the number is taken is
    all it says, as before."""
    return (
        f"工号 {number} 属于您权限范围外的员工：调动该员工须由权限范围同时涵盖两个单位的"
        f"培训管理员（例如省公司）办理。",
        f"Employee number {number} belongs to an employee outside your scope: a training admin of a unit "
        f"holding both units (the province, say) can move him.",
    )


_ATTR = {"org_code": "org_unit_id", "position": "position_id", "grade": "grade_id"}
_KEY = {attr: key for key, attr in _ATTR.items()}


def _position_names() -> list[str]:
    return list(Position.objects.values_list("name", flat=True))


def _grade_names() -> list[str]:
    return list(Grade.objects.values_list("name", flat=True))


class RosterImporter(TabularImporter):
    kind = "roster"
    lock_space = ORG_TREE
    label = _("Roster (employees)")
    scope = scopes.PermScope(scopes.Perm.IMPORT_DATA)
    sheet_name = "花名册 roster"
    examples = (
        {"employee_no": "GD00123", "name": "陈晓明", "phone": "13800138000", "email": "chenxm@example.com",
         "org_code": "GD-GZ-TH-01", "position": "客户经理", "hire_date": "2023-07-01", "grade": "中级",
         "status": "在职"},
        {"employee_no": "GD00124", "name": "林珊", "phone": "13900139000", "email": "",
         "org_code": "GD-GZ-TH-01", "position": "班组长", "hire_date": "2019-03-15", "grade": "高级",
         "status": "在职"},
    )
    audit_verb = OrgVerb.IMPORT_ROSTER
    can_export = True
    export_verb = OrgVerb.EXPORT_ROSTER

    @property
    def value_labels(self):  # type: ignore[override]
        """在职 / 离职, and positions and grades by their name in the page's language (the
        preview keeps the file's text: a name or a code)."""
        labels: dict = {"status": dict(Employee.Status.choices)}
        for key, model in (("position", Position), ("grade", Grade)):
            rows = model.objects.only("code", "name", "name_en")
            labels[key] = {text: row.local_name for row in rows
                           for text in (row.code, row.name, row.name_en) if text}
        return labels

    options = (
        Option(
            "deactivate_missing",
            _("Mark employees missing from the file as left"),
            "将文件所含单位中、文件里没有的在职员工标记为离职。",
            "Mark as left the active employees of the file's units who are not in the file.",
        ),
    )
    columns = (
        Column(
            "employee_no",
            "工号",
            "employee no",
            (
                "员工编号",
                "员工号",
                "职工号",
                "人员编号",
                "员工工号",
                "employee number",
                "employee id",
                "staff no",
                "staff id",
                "emp no",
            ),
            required=True,
            blank_ok=False,
            parse=col.code(EMPLOYEE_NO_MAX),
            note_zh="员工唯一编号，也是登录名；再次导入时按工号更新。",
            note_en="The employee's unique number and login name; re-imports update by it.",
        ),
        Column(
            "name",
            "姓名",
            "name",
            ("员工姓名", "人员姓名", "名字", "full name", "employee name"),
            required=True,
            blank_ok=False,
            parse=col.text(NAME_MAX),
        ),
        Column(
            "phone",
            "手机号",
            "phone",
            (
                "手机",
                "手机号码",
                "移动电话",
                "联系电话",
                "电话",
                "mobile",
                "mobile phone",
                "phone number",
                "cell phone",
            ),
            parse=col.mobile_phone,
            note_zh="11 位手机号，可带 +86、空格或短横线。",
            note_en="11-digit mobile number; +86, spaces, dashes allowed.",
        ),
        Column(
            "email",
            "邮箱",
            "email",
            ("电子邮箱", "电子邮件", "邮件", "邮箱地址", "e-mail", "mail"),
            parse=col.email,
        ),
        Column(
            "org_code",
            "单位编码",
            "org code",
            (
                "部门编码",
                "单位",
                "所属单位",
                "所属单位编码",
                "部门",
                "组织编码",
                "班组编码",
                "单位路径",
                "unit code",
                "unit",
                "org unit",
                "department",
                "department code",
            ),
            required=True,
            blank_ok=False,
            note_zh="单位编码，或以 / 分隔的单位路径，如“广东公司/广州分公司/天河区/政企一班”；"
                    "也可从本市写起（“广州分公司/天河区/政企一班”），须唯一匹配一个单位。",
            note_en="The unit's code, or its path of names separated by /, from the top or from any unit "
                    "above it (e.g. from your city); it must match one unit.",
        ),
        Column(
            "position",
            "岗位",
            "position",
            ("职位", "岗位名称", "job", "job title", "title"),
            choices=_position_names,
            note_zh="岗位名称、编码或英文名。",
            note_en="Position name, code or English name.",
        ),
        Column(
            "hire_date",
            "入职日期",
            "hire date",
            ("入职时间", "入职日", "hire date", "join date", "date of hire", "start date", "hired"),
            required=True,
            blank_ok=False,
            note_zh="Excel 日期，或 YYYY-MM-DD、YYYY/MM/DD、YYYY年M月D日；不能晚于今天。",
            note_en="An Excel date, or YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日; not in the future.",
        ),
        Column(
            "grade",
            "职级",
            "grade",
            ("级别", "层级", "职级名称", "level"),
            choices=_grade_names,
            note_zh="初级、中级、高级、资深（或英文）。",
            note_en="junior, intermediate, senior, expert (or Chinese).",
        ),
        Column(
            "status",
            "状态",
            "status",
            ("在职状态", "员工状态", "人员状态", "employment status"),
            choices=lambda: list(STATUS_LABELS_ZH.values()),
            note_zh="在职或离职；留空：新员工为在职，已有员工不变。",
            note_en="active or left; empty: active for a new employee, unchanged otherwise.",
        ),
    )
    instructions_zh = (
        "每行一名员工，按工号新增或更新；再次导入同一文件不会产生任何变化。",
        "文件中没有的员工保持不变；勾选“标记缺失员工为离职”时，文件所含单位中缺失的在职员工标记为离职（试运行会先列出）。",
        "有任何一行错误时不会写入任何数据；报告列出每个错误的行、列、值和原因。",
        "请先导入单位（单位编码），再导入花名册。",
    )
    instructions_en = (
        "One employee per row, created or updated by employee number; importing the same file again "
        "changes nothing.",
        "Employees absent from the file are left as they are; with 'deactivate missing', the active "
        "employees of the file's units who are absent are marked left (the dry run lists them first).",
        "If any row is bad nothing is written; the report names every bad row, column, value and reason.",
        "Import the org units first, then the roster.",
    )

    # --- parsing ----------------------------------------------------------------------

    def parsers(self, ctx: RunContext) -> dict:
        parsers = super().parsers(ctx)
        positions: dict[str, int] = {}
        for pk, code, name, name_en in Position.objects.values_list("id", "code", "name", "name_en"):
            positions.update({code: pk, name: pk, **({name_en: pk} if name_en else {})})
        grades: dict[str, int] = {}
        for pk, code, name, name_en in Grade.objects.values_list("id", "code", "name", "name_en"):
            grades.update({code: pk, name: pk, **({name_en: pk} if name_en else {})})
        parsers["position"] = cached(col.choice(positions, _position_names()))
        parsers["grade"] = cached(col.choice(grades, _grade_names()))
        parsers["status"] = col.choice(STATUS_OPTIONS, STATUS_SHOWN)
        parsers["hire_date"] = cached(col.past_date(timezone.localdate()))
        parsers["status"] = cached(parsers["status"])
        resolver = UnitResolver(ctx)
        parsers["org_code"] = cached(resolver.parse)
        # Preview shows codes and names, not ids.
        ctx.cache["labels"] = {
            "org_unit_id": resolver.code_of,
            "position_id": {
                pk: name for pk, _c, name, _e in Position.objects.values_list("id", "code", "name", "name_en")
            },
            "grade_id": dict(Grade.objects.values_list("id", "name")),
        }
        return parsers

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        # Read here, not with the parsers: a real run checks under the import lock, against
        # the roster as the imports before it left it.
        ctx.cache["existing"] = _existing_employees()
        numbers, header = table.columns["employee_no"], table.headers["employee_no"]
        # A 工号 is a login name: two spellings differing only in case are one number.
        folded = [number.casefold() if number is not None else None for number in numbers]
        if len(set(folded)) != len(folded):
            first: dict[str, tuple[int, str]] = {}
            for i, (number, key) in enumerate(zip(numbers, folded, strict=True)):
                if key is None:
                    continue
                if key not in first:
                    first[key] = (table.numbers[i], number)
                    continue
                row, spelling = first[key]
                if spelling == number:
                    reasons = (f"工号重复：与第 {row} 行相同。",
                               f"Duplicate employee number: the same as row {row}.")
                else:
                    reasons = (f"工号与第 {row} 行的“{spelling}”仅大小写不同。",
                               f"The employee number differs only in case from '{spelling}' in row {row}.")
                report.errors.append(RowError(table.numbers[i], header, number, *reasons))
                table.bad.add(i)
        allowed = ctx.allowed_unit_ids()
        existing = ctx.cache["existing"]
        unit_at = _COL["org_unit_id"]
        existing_folded: dict[str, list[str]] | None = None
        for i, number in enumerate(numbers):
            if number is None:
                continue
            old = existing.get(number)
            if old is not None:
                if allowed is not None and old[unit_at] not in allowed:
                    # Neutral: naming his unit would tell another city's roster.
                    report.errors.append(RowError(table.numbers[i], header, number, *moved_by_whom(number)))
                    table.bad.add(i)
                continue
            if existing_folded is None:  # built once, and only when the file has new numbers
                existing_folded = {}
                for known in existing:
                    existing_folded.setdefault(known.casefold(), []).append(known)
            others = existing_folded.get(number.casefold())
            if not others:
                continue
            visible = [n for n in others if allowed is None or existing[n][unit_at] in allowed]
            if visible:
                reasons = (f"工号与已有员工的工号“{visible[0]}”仅大小写不同。",
                           f"The employee number differs only in case from the existing '{visible[0]}'.")
            else:
                reasons = OUTSIDE_SCOPE_NUMBER
            report.errors.append(RowError(table.numbers[i], header, number, *reasons))
            table.bad.add(i)

    # --- planning ---------------------------------------------------------------------

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict | None:
        if table.bad:
            return None  # nothing found here adds to the errors already reported
        existing: dict[str, tuple] = ctx.cache["existing"]
        labels = ctx.cache["labels"]
        present = [key for key in ROSTER_FIELDS if key in table.present and key != "employee_no"]
        attrs = [_ATTR.get(key, key) for key in present]
        # Blank cells: text becomes "", links None; a blank status keeps the old one (new: active).
        columns = []
        for key in present:
            values = table.columns[key]
            if key in ("phone", "email"):
                values = [value or "" for value in values]
            columns.append(values)
        status_at = present.index("status") if "status" in present else -1
        indexes = [_COL[attr] for attr in attrs]
        numbers = table.columns["employee_no"]
        creates: list[int] = []  # indexes of the rows that are new employees
        updates: list[tuple[int, dict]] = []
        login_updates: list[tuple[tuple, dict]] = []  # (old row, changes) of employees with a login
        active = Employee.Status.ACTIVE.value
        new_rows = zip(*columns, strict=True) if columns else ((),) * len(numbers)
        # Per row, the columns it leaves as they are (an API batch item that omits a field):
        # for an existing employee, as if the file had not the column, judged here, under the
        # lock, against the roster as it is now.
        kept: Mapping[int, set[str]] = ctx.cache.get("kept_columns", {})
        for i, (number, new) in enumerate(zip(numbers, new_rows, strict=True)):
            old = existing.get(number)
            if old is None:
                creates.append(i)
                if len(report.preview) < PREVIEW_LIMIT:
                    if status_at >= 0 and new[status_at] is None:
                        new = (*new[:status_at], active, *new[status_at + 1 :])
                    report.add_change(
                        Change(
                            table.numbers[i],
                            number,
                            "create",
                            {
                                _KEY.get(a, a): [None, _show(labels, a, v)]
                                for a, v in zip(attrs, new, strict=True)
                            },
                        )
                    )
                continue
            changed = None
            keep = kept.get(table.numbers[i], ())
            for j, index in enumerate(indexes):
                value = new[j]
                if value != old[index] and not (j == status_at and value is None) and present[j] not in keep:
                    if changed is None:
                        changed = {}
                    changed[attrs[j]] = value
            if changed is None:
                continue
            updates.append((old[0], changed))
            if old[_COL["user_id"]] is not None:
                login_updates.append((old, changed))
            if len(report.preview) < PREVIEW_LIMIT:
                report.add_change(
                    Change(
                        table.numbers[i],
                        number,
                        "update",
                        {
                            _KEY.get(a, a): [_show(labels, a, old[_COL[a]]), _show(labels, a, v)]
                            for a, v in changed.items()
                        },
                    )
                )
        report.created = len(creates)
        report.updated = len(updates)
        report.unchanged = len(numbers) - len(creates) - len(updates)
        deactivate = bool(ctx.options.get("deactivate_missing"))
        # Employees missing from the file matter only when they are to be marked as left:
        # otherwise every partial file would list the rest of its units' people.
        missing_ids = (self._missing(existing, set(table.columns["org_code"]), set(numbers), report)
                       if deactivate else [])
        return {
            "attrs": attrs,
            "numbers": numbers,
            "rows": table.numbers,
            "number_header": table.headers["employee_no"],
            "columns": columns,
            "creates": creates,
            "updates": updates,
            "login_updates": login_updates,
            "missing": missing_ids,
            "deactivate": deactivate,
        }

    def _missing(self, existing, file_units, numbers, report) -> list[int]:
        ids = []
        active = Employee.Status.ACTIVE
        status_at, unit_at = _COL["status"], _COL["org_unit_id"]
        unit_codes = None
        for number, old in existing.items():
            if old[status_at] == active and old[unit_at] in file_units and number not in numbers:
                ids.append(old[0])
                if len(report.missing) < MISSING_LISTED:
                    if unit_codes is None:
                        unit_codes = dict(
                            OrgUnit.objects.filter(pk__in=list(file_units)[:30000]).values_list("id", "code")
                        )
                    report.missing.append(
                        {"key": number, "name": old[_COL["name"]], "unit": unit_codes.get(old[unit_at], "")}
                    )
        report.missing.sort(key=lambda item: item["key"])
        report.missing_total = len(ids)
        return ids

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        # Bulk writes send no signal: the token is replaced first, in the transaction, so
        # that no read on this connection caches figures of rows half written.
        roster_changed()
        now = timezone.now()
        total = report.total
        update_employees(plan["updates"], now)
        if plan["deactivate"] and plan["missing"]:
            ids = plan["missing"]
            for start in range(0, len(ids), 500):
                Employee.objects.filter(pk__in=ids[start : start + 500]).update(
                    status=Employee.Status.LEFT, updated_at=now
                )
            report.deactivated = len(ids)
        ctx.cache["logins"] = _sync_logins(ctx.cache["existing"], plan, acting_user=ctx.acting_user)
        written = total - len(plan["creates"])
        ctx.progress("writing", written, total)
        if plan["creates"]:
            # New employees last: the lock on new numbers (the whole company's) is held from
            # here to the commit only (locks.py says why it is a lock).
            ctx.lock(NEW_NUMBERS_LOCK, phase="waiting_numbers")
            _refuse_numbers_taken_meanwhile(plan)

            def inserted(done: int) -> None:
                ctx.progress("writing", written + done, total)

            try:
                # A savepoint: after a failed insert the numbers can be read again, without
                # the rows this insert wrote before it failed.
                with transaction.atomic():
                    insert_employees(plan["attrs"], plan["numbers"], plan["columns"], plan["creates"], now,
                                     progress=inserted)
            except IntegrityError:
                # A writer that does not take the lock (one employee created on a page)
                # took a number meanwhile: the same row error, else the error as it is.
                _refuse_numbers_taken_meanwhile(plan)
                raise


    def audit_changes(self, ctx: RunContext, report: ImportReport) -> dict:
        changes = super().audit_changes(ctx, report)
        changes["deactivate_missing"] = bool(ctx.options.get("deactivate_missing"))
        changes["missing"] = report.missing_total
        changes.update(ctx.cache.get("logins", {}))
        return changes

    # --- export -----------------------------------------------------------------------

    def export(self, acting_user, filename: str, out: BinaryIO,
               filters: Mapping[str, str] | None = None) -> int:
        return export_roster(acting_user, filename, out, filters)


# What the import reads of every employee (`_existing_employees`), in this order.
EXISTING_FIELDS = _FIELDS = (
    "id",
    "employee_no",
    "name",
    "phone",
    "email",
    "org_unit_id",
    "position_id",
    "hire_date",
    "grade_id",
    "status",
    "user_id",
)
_COL = {name: index for index, name in enumerate(_FIELDS)}


# NEW_NUMBERS_LOCK (imported above, from org/actions/employees.py, whose single create takes
# it too) is held by every import that creates employees, from its insert to its commit.


def number_taken_meanwhile() -> tuple[str, str]:
    """Why a new 工号 cannot be created after all (zh, en): another import or edit created
    it, or one differing only in case, after this import checked. Neutral: who and where
    stay unsaid (it may be another city's); the next import of the file says more."""
    return (
        "工号已被使用：本次导入检查之后、写入之前，另一个导入或操作创建了相同的工号（或仅大小写不同的工号）。"
        "未写入任何数据，请重新导入该文件。",
        "Employee number already used: another import or edit created the same number (or one "
        "differing only in case) after this import checked it and before it wrote. Nothing was "
        "written; import the file again.",
    )


def _refuse_numbers_taken_meanwhile(plan: dict) -> None:
    """Raise RowsRefused for the plan's new numbers that exist now (or differ only in case
    from one that does): read again under the lock of new numbers, so nobody else's
    insert can come between this check and ours."""
    numbers = plan["numbers"]
    everyone = Employee.objects.values_list("employee_no", flat=True).order_by()
    taken = {number.casefold() for number in everyone}
    clashes = [i for i in plan["creates"] if numbers[i].casefold() in taken]
    if clashes:
        raise RowsRefused([
            RowError(plan["rows"][i], plan["number_header"], numbers[i], *number_taken_meanwhile())
            for i in clashes
        ])


def _existing_employees() -> dict[str, tuple]:
    """Every employee as a tuple of `_FIELDS`, by employee number: one query."""
    return {row[1]: row for row in Employee.objects.values_list(*_FIELDS).order_by()}


def _sync_logins(existing: dict[str, tuple], plan: dict, *, acting_user) -> dict:
    """What `do_update_employee` does to one login, for all the file's changes in bulk and in
    the run's transaction: those who left may no longer log in, names and emails follow the
    roster, and login-derived roles move with their employee (`realign_login_roles`). A
    login the actor may not end (`logins_kept_on_leaving`) stays active; a deactivated one
    loses its tokens. Returns counts for the audit row."""
    user_at, unit_at, position_at, status_at = (_COL[k] for k in ("user_id", "org_unit_id", "position_id",
                                                                   "status"))
    left = Employee.Status.LEFT.value
    gone: list[int] = []  # users of the employees now left
    names: list[User] = []
    emails: list[User] = []
    moves: list[LoginMove] = []
    for old, changed in plan["login_updates"]:
        user_id = old[user_at]
        now_left = changed.get("status", old[status_at]) == left
        if now_left and old[status_at] != left:
            gone.append(user_id)
        if "name" in changed:
            names.append(User(pk=user_id, first_name=changed["name"], last_name=""))
        if "email" in changed:
            emails.append(User(pk=user_id, email=changed["email"]))
        if {"org_unit_id", "position_id", "status"} & changed.keys():
            moves.append(LoginMove(
                user_id=user_id, old_unit_id=old[unit_at], old_position_id=old[position_at],
                new_unit_id=changed.get("org_unit_id", old[unit_at]),
                new_position_id=changed.get("position_id", old[position_at]), left=now_left))
    if plan["deactivate"] and plan["missing"]:
        missing = set(plan["missing"])
        for old in existing.values():
            if old[0] in missing and old[user_at] is not None:
                gone.append(old[user_at])
                moves.append(LoginMove(
                    user_id=old[user_at], old_unit_id=old[unit_at], old_position_id=old[position_at],
                    new_unit_id=old[unit_at], new_position_id=old[position_at], left=True))
    kept = logins_kept_on_leaving(gone, acting_user)
    gone = [user_id for user_id in gone if user_id not in kept]
    deactivated = 0
    for start in range(0, len(gone), BULK_SIZE):
        deactivated += User.objects.filter(pk__in=gone[start : start + BULK_SIZE], is_active=True).update(
            is_active=False
        )
    do_revoke_tokens_of(gone, reason=REVOKED_LOGIN_DEACTIVATED, acting_user=acting_user)
    User.objects.bulk_update(names, ["first_name", "last_name"], batch_size=BULK_SIZE)
    User.objects.bulk_update(emails, ["email"], batch_size=BULK_SIZE)
    removed, added = realign_login_roles(moves, acting_user=acting_user)
    return {
        "logins_deactivated": deactivated,
        "logins_kept_active": len(kept),
        "logins_renamed": len(names),
        "login_emails_changed": len(emails),
        "role_bindings_removed": len(removed),
        "role_bindings_added": len(added),
    }


def _show(labels: dict, attr: str, value):
    if isinstance(value, date):
        return value.isoformat()
    if attr in labels and value is not None:
        return labels[attr].get(value, value)
    return value


# --- roster export ---------------------------------------------------------------------

EXPORT_CHUNK = 2000  # employees read per query while streaming an export


def roster_export_employees(acting_user, filters: Mapping[str, str] | None = None) -> QuerySet[Employee]:
    """The employees the actor may see unmasked (the personal-data rule: whoever may not
    read an employee's phone never exports him), narrowed by the employee list's filters.
    A filter value that names nothing is refused, rather than exporting everyone."""
    parsed, errors = queries.parse_employee_filters(acting_user, filters or {})
    if errors:
        raise ImportFileError(
            "筛选条件有误：" + "；".join(e.message_zh for e in errors),
            "Invalid filter: " + "; ".join(e.message_en for e in errors),
        )
    return queries.employees_visible(acting_user, parsed, perm=scopes.Perm.VIEW_PERSONAL_DATA)


def roster_export_rows(employees: QuerySet[Employee]) -> Iterator[list]:
    """The employees in the roster import's columns, read in chunks, so memory stays flat
    however many."""
    for e in employees.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            e.employee_no,
            e.name,
            e.phone,
            e.email,
            e.org_unit.code,
            e.position.name if e.position else "",
            e.hire_date,
            e.grade.name if e.grade else "",
            STATUS_LABELS_ZH.get(e.status, e.status),
        ]


def export_roster(acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None) -> int:
    """.xlsx (a streamed, write-only workbook) or .csv (UTF-8 with BOM, so Excel opens it)
    by the file name's extension, written to `out`; returns the number of employees."""
    scopes.require_perm(acting_user, scopes.Perm.VIEW_PERSONAL_DATA)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            "导出文件须以 .xlsx 或 .csv 结尾。", "The export file must end in .xlsx or .csv."
        )
    employees = roster_export_employees(acting_user, filters)  # refuses a bad filter before writing
    headers = [column.header_zh for column in RosterImporter.columns]
    return write_table(suffix, out, RosterImporter.sheet_name, headers, roster_export_rows(employees))


register(RosterImporter())
