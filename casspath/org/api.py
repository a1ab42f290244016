"""`/api/v1/org/`: the org tree and the roster, read and written through the caller's scope.

Authentication is the API's (token or session, set on the NinjaAPI); a call acts as its user.
"""

import math
from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from casspath.api.auth import api_user
from casspath.api.cursors import CURSOR_DESCRIPTION, cursor_field, cursor_keys
from casspath.api.errors import ApiError, ErrorOut
from casspath.api.renderers import built_answer
from casspath.core import paging
from casspath.core.errors import InvalidTransition, InvalidValue
from casspath.imports import registry
from casspath.imports.errors import ImportFileError
from casspath.imports.framework import RunContext, TabularImporter
from casspath.imports.locks import LockBusy, request_lock_wait_seconds
from casspath.org import queries, scopes, tasks
from casspath.org import validators as employee_values
from casspath.org.access import (
    access_employee_by_no,
    access_employee_for_upsert,
    access_login_batch_by_id,
    access_login_batch_to_cancel,
    access_unit_by_code,
)
from casspath.org.actions.employees import do_upsert_employee
from casspath.org.actions.login_files import LoginFileGone, do_download_login_batch
from casspath.org.actions.logins import LoginBatchError, do_cancel_login_batch, do_queue_issue_logins
from casspath.org.actions.passwords import LoginRefused, NoLogin, do_reset_password, do_unlock_login
from casspath.org.downloads import roster_download
from casspath.org.importers.roster import EXISTING_FIELDS, moved_by_whom
from casspath.org.models import Grade, OrgUnit, Position
from casspath.org.scopes import Perm

router = Router(tags=["org"])

MAX_PAGE_SIZE = 200
# Beyond any roster (a page past the end is simply empty), and an offset every database takes.
MAX_PAGE = 1_000_000
MAX_BATCH = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- schemas


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    depth: int
    headcount: int = Field(description="Active employees in the unit and its subunits")


class UnitDetailOut(UnitOut):
    path: list[str] = Field(description="Unit names from the root down to this unit")
    children: list[UnitOut]
    headcount_left: int


class EmployeeOut(Schema):
    employee_no: str
    name: str
    phone: str = Field(description="Masked (138****8000) unless the caller may read personal data")
    email: str
    personal_data_masked: bool
    org_unit_code: str
    org_unit_name: str
    position: str | None = Field(description="Position code")
    position_name: str | None
    grade: str | None = Field(description="Grade code")
    grade_name: str | None
    hire_date: date
    status: Literal["active", "left"]
    stage: str | None = Field(description="Growth stage code, from tenure today")
    tenure_years: int | None
    has_login: bool


class EmployeePageOut(Schema):
    count: int = Field(description=f"Employees matching: exact when count_exact, else {paging.COUNT_CAP} "
                                   "(there are more; narrow the filters to count them)")
    count_exact: bool
    page: int | None = Field(description="The page number asked for; null when paging by cursor")
    page_size: int
    pages: int | None = Field(description="Pages of page_size, when the count is exact; else null")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last")
    previous_cursor: str | None = Field(description="Pass as cursor for the previous page; null on the first")
    items: list[EmployeeOut]


class EmployeeFilterIn(Schema):
    q: str = Field("", description="A name (3 characters or more anywhere in it; 1 or 2 from its start), "
                                   "an employee number from its start, or a phone number from its start "
                                   "(3 digits or more, only where you may read phones)")
    unit: str = Field("", description="Unit code (or a name only one unit of your scope has): the unit "
                                      "and its subunits")
    stage: str = Field("", description="Stage code or name")
    position: str = Field("", description="Position code or name")
    grade: str = Field("", description="Grade code or name")
    status: str = Field("", description="active / left (在职 / 离职)")
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"Page number, while the page starts within the "
                      f"first {paging.MAX_OFFSET} rows; deeper, follow next_cursor")
    cursor: str | None = cursor_field(f"{CURSOR_DESCRIPTION}: pages by employee number at any depth "
                                      "(leave page out)")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class EmployeeIn(Schema):
    """Fields left out are left as they are on an existing employee; name, org_unit and
    hire_date are required to create one."""

    name: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=30, description="Mobile number, 11 digits (+86 allowed)")
    email: str | None = Field(None, max_length=254)
    org_unit: str | None = Field(None, description="Unit code")
    position: str | None = Field(None, description="Position code or name; null or empty clears it")
    hire_date: date | None = None
    grade: str | None = Field(None, description="Grade code or name; null or empty clears it")
    status: str | None = Field(None, description="active / left (在职 / 离职)")


class EmployeeBatchItemIn(EmployeeIn):
    employee_no: str


class EmployeeBatchIn(Schema):
    employees: list[EmployeeBatchItemIn] = Field(..., min_length=1, max_length=MAX_BATCH)


class UpsertOut(Schema):
    action: Literal["created", "updated", "unchanged"]
    changes: dict[str, list] = Field(description="{field: [old, new]}")
    employee: EmployeeOut


class BatchOut(Schema):
    created: int
    updated: int
    unchanged: int
    results: list[UpsertOut]


# ---------------------------------------------------------------- rendering


def _unit_out(node: queries.UnitNode, parent_codes: dict[int, str]) -> dict:
    unit = node.unit
    return {"code": unit.code, "name": unit.name, "kind": unit.kind,
            "parent_code": parent_codes.get(unit.parent_id) if unit.parent_id else None, "depth": unit.depth,
            "headcount": node.headcount}


def _employee_out(row: queries.EmployeeRow) -> dict:
    e = row.employee
    return {
        "employee_no": e.employee_no, "name": e.name, "phone": row.phone, "email": row.email,
        "personal_data_masked": not row.personal_visible,
        "org_unit_code": e.org_unit.code, "org_unit_name": e.org_unit.name,
        "position": e.position.code if e.position else None,
        "position_name": e.position.name if e.position else None,
        "grade": e.grade.code if e.grade else None, "grade_name": e.grade.name if e.grade else None,
        "hire_date": e.hire_date, "status": e.status, "stage": row.stage_code,
        "tenure_years": row.tenure_years, "has_login": e.user_id is not None,
    }


def _field_error(field: str, zh: str, en: str) -> dict:
    return {"field": field, "loc": field.replace("]", "").replace("[", ".").split("."), "type": "invalid",
            "message_zh": zh, "message_en": en}


def _model_errors(exc: ValidationError, prefix: str = "") -> list[dict]:
    """An action's full_clean errors, worded in both languages (Django's own catalogue)."""
    def render(lang: str) -> list[tuple[str, str]]:
        with translation.override(lang):
            return [(field, str(message)) for field, messages in exc.message_dict.items()
                    for message in messages]

    return [_field_error(f"{prefix}{field}", zh, en)
            for (field, zh), (_, en) in zip(render("zh-hans"), render("en"), strict=True)]


def _invalid(errors: list[dict]) -> ApiError:
    zh = "；".join(f"{e['field']}：{e['message_zh']}" for e in errors[:10])
    en = "; ".join(f"{e['field']}: {e['message_en']}" for e in errors[:10])
    return ApiError(422, f"输入有误：{zh}", f"Invalid input: {en}", errors=errors)


# ---------------------------------------------------------------- units


class UnitPageOut(Schema):
    count: int = Field(description=f"Units matching: exact when count_exact, else {paging.COUNT_CAP} "
                                   "(there are more; narrow the filters to count them)")
    count_exact: bool
    page_size: int
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last")
    previous_cursor: str | None = Field(description="Pass as cursor for the previous page; null on the first")
    items: list[UnitOut]


class UnitFilterIn(Schema):
    q: str = Field("", max_length=100, description="A unit code from its start (any case, full-width "
                                                   "letters as typed) or part of a unit's name: the search "
                                                   "of the org tree and the unit pickers")
    under: str = Field("", max_length=100,
                       description="A unit code of your scope: that unit and its subunits")
    cursor: str | None = cursor_field()
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


UNITS_CURSOR_SALT = "casspath.org.api.units"


@router.get("/units", response={200: UnitPageOut, 400: ErrorOut, 422: ErrorOut},
            summary="Org units in your scope, in tree order, a page at a time")
def list_units(request, filters: Query[UnitFilterIn]):
    """Each unit followed by its subunits, `page_size` at a time: follow `next_cursor`
    (keyset, the same cost at any depth). `count` is exact up to 1,000. `q` searches codes
    and names, `under` keeps one unit's subtree. (It used to answer a bare list of every unit
    in scope: the units are in `items` now.)"""
    user = api_user(request)
    units = queries.matching_units(user, Perm.VIEW_EMPLOYEES, filters.q)
    if filters.under:
        try:
            under = access_unit_by_code(user, filters.under)
        except Http404:
            raise _invalid([_field_error("under", f"单位编码“{filters.under}”不存在或不在您的范围内",
                                         f"unit code '{filters.under}' does not exist or is outside your "
                                         "scope")]) from None
        units = units.filter(path__startswith=under.path)
    after, before = cursor_keys(UNITS_CURSOR_SALT, filters.cursor)
    page = paging.keyset_page(units, "path", size=filters.page_size, after=after, before=before)
    count = paging.capped_count(units)
    headcounts = queries.subtree_headcounts(page.rows)
    codes = queries.unit_values_by_id({unit.parent_id for unit in page.rows if unit.parent_id}, "code")
    return {
        "count": count.value, "count_exact": count.exact, "page_size": filters.page_size,
        **paging.cursor_links(UNITS_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [_unit_out(queries.UnitNode(unit, headcount=headcounts.get(unit.pk, 0)), codes)
                  for unit in page.rows],
    }


@router.get("/units/{code}", response=UnitDetailOut, summary="One org unit, with its subunits")
def get_unit(request, code: str):
    user = api_user(request)
    unit = access_unit_by_code(user, code)
    subtree = queries.unit_tree(user, root=unit)
    node = subtree[0]
    codes = {unit.pk: unit.code}
    if unit.parent is not None:
        codes[unit.parent.pk] = unit.parent.code
    out = _unit_out(node, codes)
    out.update(
        path=queries.unit_path_names(unit),
        children=[_unit_out(child, codes) for child in node.children],
        headcount_left=queries.unit_headcount(unit)["left"],
    )
    return out


# ---------------------------------------------------------------- employees


@router.get("/employees", response={200: EmployeePageOut, 400: ErrorOut, 422: ErrorOut},
            summary="Employees in your scope, filtered and paginated")
def list_employees(request, filters: Query[EmployeeFilterIn]):
    """In employee-number order. Follow `next_cursor` (keyset: the same cost at any depth);
    `page` numbers still work for the first 10,000 rows. `count` is exact up to 1,000."""
    user = api_user(request)
    params = filters.dict()
    parsed, errors = queries.parse_employee_filters(user, params)
    if errors:
        raise _invalid([_field_error(e.field, e.message_zh, e.message_en) for e in errors])
    size = filters.page_size
    after = before = None
    if filters.cursor is not None:
        if filters.page != 1:
            raise ApiError(400, "page 与 cursor 只能给出一个", "Give page or cursor, not both")
        after, before = cursor_keys(CURSOR_SALT, filters.cursor)
    offset = (filters.page - 1) * size
    if offset > paging.MAX_OFFSET:
        raise ApiError(
            400, f"page 过深：页码只用于前 {paging.MAX_OFFSET} 行，更深的页请沿 next_cursor 翻页",
            f"page too deep: page numbers reach the first {paging.MAX_OFFSET} rows; follow next_cursor "
            "for deeper pages")
    page = queries.employee_page(user, parsed, after=after, before=before, offset=offset, size=size)
    count = page.count
    return built_answer(request, {  # EmployeePageOut, not validated again: see built_answer
        "count": count.value, "count_exact": count.exact,
        "page": None if filters.cursor is not None else filters.page, "page_size": size,
        "pages": math.ceil(count.value / size) if count.exact else None,
        **paging.cursor_links(CURSOR_SALT, page.next_key, page.previous_key),
        "items": [_employee_out(row) for row in queries.employee_rows(user, page.employees)],
    })


CURSOR_SALT = "casspath.org.api.employees"


class EmployeeExportIn(Schema):
    format: Literal["xlsx", "csv"] = Field("xlsx", description="xlsx, or csv (UTF-8 with BOM)")
    q: str = Field("", description="As in the employee list")
    unit: str = Field("", description="Unit code: the unit and its subunits")
    stage: str = Field("", description="Stage code or name")
    position: str = Field("", description="Position code or name")
    grade: str = Field("", description="Grade code or name")
    status: str = Field("", description="active / left (在职 / 离职)")


@router.get("/employees/export", summary="The roster as .xlsx or .csv, in the roster import's columns",
            response={200: None, 422: ErrorOut})
def export_employees(request, params: Query[EmployeeExportIn]):
    """The employees in your scope whose personal data you may read (training admins: their
    scope; team leads: their team; a manager: himself; consultants, analysts and lecturers are
    refused), narrowed by the list's filters, unmasked; audited as `export.roster`. The file
    re-imports unchanged."""
    user = api_user(request)
    filters = params.dict()
    fmt = filters.pop("format")
    try:
        return roster_download(user, fmt, filters)
    except ImportFileError as error:
        raise ApiError(422, error.message_zh, error.message_en) from error


@router.get("/employees/{employee_no}", response=EmployeeOut, summary="One employee")
def get_employee(request, employee_no: str):
    user = api_user(request)
    employee = access_employee_by_no(user, employee_no)
    return _employee_out(queries.employee_rows(user, [employee])[0])


class _Resolver:
    """Turns API values (codes, names, words) into the action's values, collecting errors
    in both languages. Value lists are read once per request."""

    def __init__(self, user):
        self.user = user
        self.positions = list(Position.objects.all())
        self.grades = list(Grade.objects.all())
        self.units: dict[str, OrgUnit | None] = {}

    def unit(self, code: str) -> OrgUnit | None:
        if code not in self.units:
            self.units[code] = (scopes.units_for(self.user, Perm.IMPORT_DATA)
                                .filter(code=employee_values.unit_code_key(code)).first())
        return self.units[code]

    def visible(self, employee_no: str) -> bool:
        return scopes.employees_for(self.user, Perm.VIEW_EMPLOYEES).filter(employee_no=employee_no).exists()

    def values(self, employee_no: str, payload: EmployeeIn, prefix: str = "") -> tuple[dict, list[dict]]:
        errors: list[dict] = []
        given = payload.dict(exclude_unset=True)
        values: dict = {"employee_no": employee_no}

        def bad(field: str, zh: str, en: str) -> None:
            errors.append(_field_error(f"{prefix}{field}", zh, en))

        def checked(field: str, check, value):
            try:
                return check(value)
            except InvalidValue as invalid:
                bad(field, invalid.message_zh, invalid.message_en)
                return None

        # The number as stored (full-width digits read as digits); the path keeps what was sent.
        employee_no = checked("employee_no", employee_values.employee_no, employee_no or "") or employee_no
        values["employee_no"] = employee_no
        # "Exists" as the caller can see it: a number taken outside his sight is answered as an
        # unknown one (the same checks and errors), so the answers reveal nothing about it.
        exists = self.visible(employee_no)
        if not exists:
            for field, zh in (("name", "姓名"), ("org_unit", "单位编码"), ("hire_date", "入职日期")):
                if given.get(field) in (None, ""):
                    bad(field, f"新员工须填写{zh}", f"{field} is required to create an employee")
        for field, check in (("name", employee_values.name), ("phone", employee_values.phone),
                             ("email", employee_values.email)):
            if field in given:
                values[field] = checked(field, check, given[field] or "")
        if given.get("org_unit") not in (None, ""):
            unit = self.unit(given["org_unit"].strip())
            if unit is None:
                bad("org_unit", f"单位编码“{given['org_unit']}”不存在或不在您的导入权限范围内",
                    f"unit code '{given['org_unit']}' does not exist or is outside your import scope")
            values["org_unit"] = unit
        elif "org_unit" in given and exists:
            bad("org_unit", "单位编码不能为空", "org_unit must not be empty")
        for field, rows, zh in (("position", self.positions, "岗位"), ("grade", self.grades, "职级")):
            if field not in given:
                continue
            word = (given[field] or "").strip()
            found = queries.match_value(word, rows, "code", "name", "name_en") if word else None
            if word and found is None:
                names = "、".join(row.name for row in rows)
                bad(field, f"{zh}“{word}”不存在（可选：{names}）",
                    f"{field} '{word}' does not exist (one of: {', '.join(row.code for row in rows)})")
            values[field] = found
        if given.get("hire_date") is not None:
            values["hire_date"] = checked("hire_date", employee_values.hire_date, given["hire_date"])
        elif "hire_date" in given and exists:
            bad("hire_date", "入职日期不能为空", "hire_date must not be empty")
        if given.get("status") not in (None, ""):
            values["status"] = checked("status", employee_values.status, given["status"])
        elif "status" in given and exists:
            bad("status", "状态不能为空", "status must not be empty")
        return values, errors


def _upsert(user, values: dict) -> dict:
    """One upsert, refusals mapped: 403 for an employee in sight but outside the import
    scope; for one out of sight, the neutral 422 below, which is what is left once his
    number went through the same checks as an unknown number's (no oracle of existence)."""
    try:
        access_employee_for_upsert(user, values["employee_no"])
    except PermissionDenied:
        raise ApiError(403, "您无权修改该员工", "You may not change this employee") from None
    except Http404:
        raise _number_unavailable(values["employee_no"]) from None
    employee, action, changes = do_upsert_employee(values, acting_user=user)
    employee = queries.employees_visible(user, perm=Perm.IMPORT_DATA).get(pk=employee.pk)
    return {"action": action, "changes": changes,
            "employee": _employee_out(queries.employee_rows(user, [employee])[0])}


def _number_unavailable(number: str) -> ApiError:
    """The 工号 is another unit's employee's: who can move him (a transfer keeps his 工号)."""
    zh, en = moved_by_whom(number)
    return ApiError(422, f"输入有误：employee_no：{zh}", f"Invalid input: employee_no: {en}",
                    errors=[_field_error("employee_no", zh, en)])


def _require_import(user) -> None:
    if not scopes.has_perm(user, Perm.IMPORT_DATA):
        raise ApiError(403, "您无权修改员工花名册", "You may not change the roster")


@router.put("/employees/{employee_no}",
            response={200: UpsertOut, 201: UpsertOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
            summary="Create or update one employee (idempotent)")
def put_employee(request, employee_no: str, payload: EmployeeIn):
    user = api_user(request)
    _require_import(user)
    values, errors = _Resolver(user).values(employee_no, payload)
    if errors:
        raise _invalid(errors)
    try:
        result = _upsert(user, values)
    except LockBusy as busy:
        raise _busy(busy) from None
    except PermissionDenied:
        raise ApiError(403, "目标单位不在您的导入权限范围内",
                       "The unit is outside your import scope") from None
    return Status(201 if result["action"] == "created" else 200, result)


# API field → roster import column, for the batch (which is a roster import of its items).
_BATCH_COLUMNS = {"employee_no": "employee_no", "name": "name", "phone": "phone", "email": "email",
                  "org_unit": "org_code", "position": "position", "hire_date": "hire_date",
                  "grade": "grade", "status": "status"}
_BATCH_FIELDS = {column: field for field, column in _BATCH_COLUMNS.items()}
_ROSTER_AT = {name: index for index, name in enumerate(EXISTING_FIELDS)}
_PLAN_FIELDS = {"org_unit_id": "org_unit", "position_id": "position", "grade_id": "grade"}


@router.post("/employees:batch", response={200: BatchOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Create or update many employees in one transaction (all or nothing)")
def batch_employees(request, payload: EmployeeBatchIn):
    """A roster import of the items: the import's parsing, checks and set-based write (a
    bounded number of queries, whatever the batch's size). Fields an item leaves out keep an
    existing employee's values: they are filled in from the roster before the import."""
    user = api_user(request)
    _require_import(user)
    errors, doubled = [], set()
    seen: dict[str, int] = {}
    for index, item in enumerate(payload.employees):
        number = item.employee_no.strip()
        if number in seen:
            doubled.add(index)
            errors.append(_field_error(f"employees[{index}].employee_no",
                                       f"工号重复：与第 {seen[number]} 项相同",
                                       f"duplicate employee number: the same as item {seen[number]}"))
        seen.setdefault(number, index)
    records, kept = _batch_records(user, payload.employees)
    importer = registry.get("roster")
    assert isinstance(importer, TabularImporter)  # the roster import reads rows
    # A request waits briefly for another import of the same units, then answers 409.
    ctx = RunContext(acting_user=user, importer=importer, filename="api:employees:batch", dry_run=False,
                     lock_wait_seconds=request_lock_wait_seconds())
    ctx.cache["kept_columns"] = kept
    try:
        report, plan = importer.run_records(records, ctx)
    except LockBusy as busy:
        raise _busy(busy) from None
    except ImportFileError as error:
        raise ApiError(422, error.message_zh, error.message_en) from None
    for row_error in report.errors:
        index = row_error.row - 2
        field = _BATCH_FIELDS.get(row_error.column, row_error.column)
        if not (field == "employee_no" and index in doubled):  # said above, in the API's words
            errors.append(_field_error(f"employees[{index}].{field}", row_error.reason_zh,
                                       row_error.reason_en))
    if errors:
        errors.sort(key=lambda e: int(e["field"].split("]")[0].removeprefix("employees[")))
        raise _invalid(errors)
    return _batch_out_of(user, records, plan, ctx)


def _busy(busy: LockBusy) -> ApiError:
    return ApiError(409, busy.message_zh, busy.message_en)


def _batch_records(user, items: list[EmployeeBatchItemIn]
                   ) -> tuple[list[dict[str, str]], dict[int, set[str]]]:
    """The items as roster rows of text, and per row (item i is row i + 2) the columns an item
    leaves out. What an item leaves out of an employee the caller can see is filled with his
    current value (one query for the batch), for the cells to parse; the import leaves those
    columns as they are under its lock (the roster's `kept_columns`), not as read here."""
    current = {
        row[0]: dict(zip(_BATCH_COLUMNS.values(), row, strict=True))
        for row in scopes.employees_for(user, Perm.VIEW_EMPLOYEES)
        .filter(employee_no__in=[item.employee_no.strip() for item in items])
        .values_list("employee_no", "name", "phone", "email", "org_unit__code", "position__code",
                     "hire_date", "grade__code", "status")
    }
    records, kept = [], {}
    for index, item in enumerate(items):
        number = item.employee_no.strip()
        given = item.dict(exclude_unset=True)
        kept[index + 2] = {column for field, column in _BATCH_COLUMNS.items() if field not in given}
        record = dict(current.get(number, {}))
        record.update({_BATCH_COLUMNS[field]: value for field, value in given.items()})
        records.append({key: value.isoformat() if isinstance(value, date) else str(value or "")
                        for key, value in record.items()})
    return records, kept


def _batch_out_of(user, records: list[dict], plan: dict, ctx: RunContext) -> dict:
    """Each item's action, changes ({field: [old, new]}, links by name) and employee."""
    existing, labels = ctx.cache["existing"], ctx.cache["labels"]
    numbers = [record["employee_no"] for record in records]
    created = set(plan["creates"])
    updated = dict(plan["updates"])
    unit_ids = {value for _pk, changed in plan["updates"] for key, value in changed.items()
                if key == "org_unit_id"} | {existing[n][5] for n in numbers if n in existing}
    employees = {e.employee_no: e for e in queries.employees_visible(user, perm=Perm.IMPORT_DATA)
                 .filter(employee_no__in=numbers)}
    unit_ids |= {e.org_unit_id for e in employees.values()}
    names = {"org_unit_id": queries.unit_values_by_id(unit_ids, "name"),
             "position_id": labels["position_id"], "grade_id": labels["grade_id"]}

    def shown(attr: str, value):
        if value is None or attr not in names:
            return value.isoformat() if isinstance(value, date) else value
        return names[attr].get(value, value)

    rows = {row.employee.employee_no: row for row in queries.employee_rows(user, list(employees.values()))}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    results = []
    for index, number in enumerate(numbers):
        employee = employees[number]
        if index in created:
            action = "created"
            changes = {_PLAN_FIELDS.get(f, f): [None, shown(f, getattr(employee, f))]
                       for f in ("name", "phone", "email", "org_unit_id", "position_id", "hire_date",
                                 "grade_id", "status") if getattr(employee, f) not in (None, "")}
        elif existing[number][0] in updated:
            action = "updated"
            old = existing[number]
            changes = {_PLAN_FIELDS.get(attr, attr): [shown(attr, old[_ROSTER_AT[attr]]), shown(attr, value)]
                       for attr, value in updated[old[0]].items()}
        else:
            action, changes = "unchanged", {}
        counts[action] += 1
        results.append({"action": action, "changes": changes, "employee": _employee_out(rows[number])})
    return {**counts, "results": results}


# ---------------------------------------------------------------- logins


class IssueLoginsIn(Schema):
    reissue: bool = Field(False, description="Reset the passwords of everyone in the unit, not only "
                                             "of those without a login")


class LoginBatchOut(Schema):
    id: int
    org_unit_code: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress_done: int
    progress_total: int
    count: int = Field(description="Logins issued (when succeeded)")
    reissue: bool
    error_zh: str
    error_en: str
    file_available: bool = Field(description="The password file can still be downloaded, once")
    already_queued: bool = Field(
        False, description="Issuing again found this batch still queued or running: it was returned, "
        "no other was queued")


def _batch_out(batch) -> dict:
    return {
        "id": batch.pk, "org_unit_code": batch.org_unit.code, "status": batch.status,
        "progress_done": batch.progress_done, "progress_total": batch.progress_total,
        "count": batch.count, "reissue": batch.reissue, "error_zh": batch.error_zh,
        "error_en": batch.error_en, "file_available": batch.is_available,
        "already_queued": batch.reused,
    }


class PasswordResetOut(Schema):
    employee_no: str
    username: str
    one_time_password: str = Field(description="Shown once: he must change it when he logs in")


class UnlockOut(Schema):
    employee_no: str
    failed_logins_cleared: int = Field(description="0 when he was not locked out")


def _login_refusal(exc: LoginRefused | NoLogin) -> ApiError:
    status = 409 if isinstance(exc, NoLogin) else 403
    return ApiError(status, exc.message_zh, exc.message_en)


@router.post("/employees/{employee_no}/password-reset",
             response={200: PasswordResetOut, 403: ErrorOut, 409: ErrorOut},
             summary="Reset one employee's password: a one-time password, his tokens revoked")
def reset_password(request: HttpRequest, employee_no: str, response: HttpResponse):
    """For a training admin whose scope holds the employee, never for his own login nor one
    holding roles outside his scope (403); 409 when the employee has no working login."""
    user = api_user(request)
    employee = access_employee_by_no(user, employee_no, perm=Perm.ISSUE_LOGINS)
    try:
        password = do_reset_password(employee, acting_user=user)
    except (LoginRefused, NoLogin) as exc:
        raise _login_refusal(exc) from exc
    response["Cache-Control"] = "no-store"
    # do_reset_password refuses (NoLogin) an employee without a login, so he has one here.
    assert employee.user is not None
    return {"employee_no": employee.employee_no, "username": employee.user.get_username(),
            "one_time_password": password}


@router.post("/employees/{employee_no}/unlock", response={200: UnlockOut, 403: ErrorOut, 409: ErrorOut},
             summary="Lift one employee's lock-out after repeated wrong passwords")
def unlock_login(request: HttpRequest, employee_no: str):
    user = api_user(request)
    employee = access_employee_by_no(user, employee_no, perm=Perm.ISSUE_LOGINS)
    try:
        cleared = do_unlock_login(employee, acting_user=user)
    except (LoginRefused, NoLogin) as exc:
        raise _login_refusal(exc) from exc
    return {"employee_no": employee.employee_no, "failed_logins_cleared": cleared}


@router.post("/units/{code}/logins", response={202: LoginBatchOut, 200: LoginBatchOut, 422: ErrorOut},
             summary="Issue one-time-password logins for a unit's employees (a background job)")
def issue_logins(request: HttpRequest, code: str, body: IssueLoginsIn):
    """202 with a new batch; 200 with `already_queued` true and the batch when one of yours for
    this unit with the same `reissue` is still queued or running (none is queued again)."""
    user = api_user(request)
    unit = access_unit_by_code(user, code, perm=Perm.ISSUE_LOGINS)
    try:
        batch = do_queue_issue_logins(unit, acting_user=user, reissue=body.reissue)
    except LoginBatchError as refused:  # too many employees for one batch
        raise ApiError(422, refused.message_zh, refused.message_en) from None
    if batch.reused:
        return Status(200, _batch_out(batch))
    tasks.enqueue_issue_logins(batch)
    batch.refresh_from_db()
    return Status(202, _batch_out(batch))


@router.post("/logins/{batch_id}/cancel", response={200: LoginBatchOut, 409: ErrorOut},
             summary="Cancel a queued or running login batch: none of its logins is issued")
def cancel_login_batch(request: HttpRequest, batch_id: int):
    """By the admin who issued it, or any admin who may issue logins for its unit."""
    user = api_user(request)
    batch = access_login_batch_to_cancel(user, batch_id)
    try:
        batch = do_cancel_login_batch(batch, acting_user=user)
    except InvalidTransition as finished:
        raise ApiError(409, finished.message_zh, finished.message_en) from None
    return _batch_out(batch)


@router.get("/logins/{batch_id}", response=LoginBatchOut, summary="A login batch's status and progress")
def login_batch(request: HttpRequest, batch_id: int):
    return _batch_out(access_login_batch_by_id(api_user(request), batch_id))


@router.post("/logins/{batch_id}/file", summary="Take the batch's password file (.xlsx): once, it is "
             "deleted as it is handed over", response={200: None, 409: ErrorOut, 410: ErrorOut})
def login_batch_file(request: HttpRequest, batch_id: int):
    """POST, as on the page: handing the file over deletes it, which a GET must never do."""
    user = api_user(request)
    batch = access_login_batch_by_id(user, batch_id)
    if not batch.is_finished:
        raise ApiError(409, "账号尚在开通中，文件还未生成：请在批次完成后再下载。",
                       "The logins are still being issued and the file is not written yet: download it "
                       "once the batch has finished.")
    try:
        data = do_download_login_batch(batch, acting_user=user)
    except LoginFileGone as exc:
        raise ApiError(410, "该文件已下载过或已过期删除，请重新开通账号。",
                       "The file was downloaded already or expired and was deleted: issue the logins "
                       "again.") from exc
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="logins-{batch.org_unit.code}-{batch.pk}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
