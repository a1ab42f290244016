"""Every refusal an operation words itself (`ApiError(status, ...)`) is in its OpenAPI
responses, with the API's error body: read from the source of each operation and of the
module's own functions and classes it calls (`_busy`, `_invalid`, `_importer`, ...), so an
endpoint or a refusal added later is checked too. The refusals of authentication (401, and
403 until a one-time password is changed) stand in the API's description, for every call."""

import ast
import inspect
import sys
import textwrap

import pytest

from casspath.site.api import DESCRIPTION, api

ERROR_SCHEMA = "#/components/schemas/ErrorOut"


def raised_statuses(source: str) -> dict[str, set[int]]:
    """For each top-level function and class of a module's `source`, the statuses of the
    ApiErrors it makes, itself or through the module's functions and classes it calls."""
    tree = ast.parse(source)
    defs = {node.name: node for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    own: dict[str, set[int]] = {}
    calls: dict[str, set[str]] = {}
    for name, node in defs.items():
        own[name], calls[name] = set(), set()
        assigned = {target.id: sub.value for sub in ast.walk(node) if isinstance(sub, ast.Assign)
                    for target in sub.targets if isinstance(target, ast.Name)}
        for sub in ast.walk(node):
            if not isinstance(sub, ast.Call):
                continue
            callee = sub.func.id if isinstance(sub.func, ast.Name) else getattr(sub.func, "attr", None)
            if callee == "ApiError":
                own[name] |= _statuses(sub.args[0] if sub.args else None, assigned, sub.lineno)
            elif callee in defs and callee != name:
                calls[name].add(callee)

    def closure(name: str, seen: set[str]) -> set[int]:
        seen.add(name)
        found = set(own[name])
        for callee in calls[name] - seen:
            found |= closure(callee, seen)
        return found

    return {name: closure(name, set()) for name in defs}


def _statuses(node, assigned: dict, line: int) -> set[int]:
    """The status a call passes: a number, `a if ... else b`, or a name assigned one of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _statuses(node.body, assigned, line) | _statuses(node.orelse, assigned, line)
    if isinstance(node, ast.Name) and node.id in assigned:
        return _statuses(assigned[node.id], {}, line)
    raise AssertionError(f"line {line}: ApiError's status is not a number this test can read; write it out")


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    yield operation


def _documented() -> dict[str, dict]:
    """Each operation's responses by status, as the published JSON spells it (a string)."""
    schema = api.get_openapi_schema()
    return {operation["operationId"]: {str(code): answer for code, answer in operation["responses"].items()}
            for methods in schema["paths"].values() for operation in methods.values()}


OPERATIONS = list(_operations())


def test_it_reads_refusals_made_through_a_helper_and_a_chosen_status():
    source = textwrap.dedent("""
        def _busy(busy):
            return ApiError(409, busy.zh, busy.en)

        def _refusal(exc):
            status = 409 if exc else 403
            return ApiError(status, "", "")

        def put(request):
            if request:
                raise ApiError(422, "", "")
            raise _busy(request)

        def reset(request):
            raise _refusal(request)

        def read(request):
            return 1
    """)
    found = raised_statuses(source)
    assert (found["put"], found["reset"], found["read"]) == ({409, 422}, {403, 409}, set())
    with pytest.raises(AssertionError, match="line 3"):
        raised_statuses("def f(code):\n    x = 1\n    raise ApiError(code, '', '')\n")


def test_it_walks_the_operations_that_wait_for_an_import():
    names = {operation.view_func.__name__ for operation in OPERATIONS}
    assert {"put_employee", "batch_employees", "list_units", "upload"} <= names


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.view_func.__name__)
def test_it_every_refusal_an_operation_words_is_documented(operation):
    func = operation.view_func
    statuses = raised_statuses(inspect.getsource(sys.modules[func.__module__]))[func.__name__]
    documented = _documented()[f"{func.__module__.replace('.', '_')}_{func.__name__}"]
    missing = sorted(status for status in statuses if str(status) not in documented)
    assert not missing, f"{func.__module__}.{func.__name__} answers {missing}: list them in its response="
    for status in statuses:
        content = documented[str(status)]["content"]["application/json"]["schema"]
        assert content == {"$ref": ERROR_SCHEMA}, (func.__name__, status, content)


def test_it_the_import_lock_refusal_is_documented_where_a_request_waits_for_it():
    documented = _documented()
    for operation_id in ("casspath_org_api_put_employee", "casspath_org_api_batch_employees"):
        assert documented[operation_id]["409"]["content"]["application/json"]["schema"] == {
            "$ref": ERROR_SCHEMA}


def test_it_the_description_says_what_every_call_may_answer():
    assert "401" in DESCRIPTION and "403" in DESCRIPTION
