"""The house rules, read off the source with `ast`: a view or endpoint loads objects only
through its app's access.py (one object) or queries.py (lists), and only actions and
importers write. A rule that is not checked is a suggestion; the next feature copies
whatever the code does, not what CONTRIBUTING.md says."""

import ast
from dataclasses import dataclass
from pathlib import Path

import casspath

ROOT = Path(casspath.__file__).parent

# Value lists a page may read whole: the same for every user, holding no one's data.
GLOBAL_VALUE_LISTS = {
    "Position": "positions are one list for the whole company, shown in every employee form",
    "Stage": "growth stages are one list for the whole company (bounds by tenure)",
    "Grade": "grades are one list for the whole company",
}

# Writes outside actions and importers that are part of the machinery actions use, with why.
WRITE_MACHINERY = {
    "core/audit.py": "writes the audit row itself; every action calls it",
    "core/jobs.py": "the job machinery: claim, heartbeat and status, called by actions and tasks",
    "org/tree.py": "rebuilds materialised paths for the unit actions and importers that call it",
    "org/figures.py": "replaces the roster's version token (one row) for the actions and importers "
                      "that write employees or units, so that kept figures are counted again",
    "org/defaults.py": "seeds the default value lists, for the data migrations, demo and tests",
    "api/auth.py": "stamps a token's last use while authenticating; an audit row per request "
                   "would drown the log",
}

# Calls that look like writes and are not the ORM's.
NOT_ORM = {
    ("core/spreadsheets.py", "workbook.save"): "openpyxl writes a workbook to a file",
    ("core/storage.py", "super().delete"): "a file storage deletes a file (and the folders it empties)",
    ("cass/demo_media.py", "title_slide.save"): "Pillow writes a demo video's poster PNG to memory",
    ("knowledge/demo_images.py", "image.save"): "Pillow writes a demo guide's screenshot to memory",
    ("knowledge/demo_images.py", "image.convert('RGB').save"): "Pillow writes a demo guide's photo to memory",
}

MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERYSET_CALLS = {"filter", "exclude", "all", "select_for_update", "select_related", "order_by"}
WRITES = {"save", "delete", "create", "update", "bulk_create", "bulk_update",
          "update_or_create", "get_or_create"}
# Receivers whose `.delete` and `.update` are not writes: django-ninja routers declare routes.
ROUTERS = {"router", "api"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"casspath/{self.path}:{self.line}: {self.text}"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def source_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def is_view_module(rel: str) -> bool:
    """Modules that answer requests: views and API routers, in modules or packages, the
    site's pages and endpoints, and the home cards apps contribute to the home page."""
    parts = rel.split("/")
    name = parts[-1]
    if "management" in parts:
        return False
    if name in ("views.py", "api.py", "home.py", "site.py") or name.endswith("_api.py"):
        return True
    if any(part in ("views", "api") for part in parts[1:-1]):
        return True
    return parts[0] == "site" and name not in ("demo.py", "discovery.py", "apps.py")


def may_write(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    return (
        name in ("actions.py", "importers.py", "demo.py", "testing.py", "conftest.py")
        or "actions" in parts[:-1]
        or "importers" in parts[:-1]
        or rel in WRITE_MACHINERY
    )


def chain(node: ast.AST) -> list[ast.AST]:
    """`a.b(x).c` → the nodes a, a.b, a.b(x), a.b(x).c: the receivers a call stands on."""
    nodes = [node]
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
        nodes.append(node)
    return nodes[::-1]


def is_queryset_expr(node: ast.AST, querysets: set[str]) -> bool:
    for link in chain(node):
        if isinstance(link, ast.Attribute) and link.attr in MANAGERS:
            return True
        if isinstance(link, ast.Name) and link.id in querysets:
            return True
        if isinstance(link, ast.Call) and isinstance(link.func, ast.Attribute) \
                and link.func.attr in QUERYSET_CALLS and link is not node:
            # `x.filter(...).update()`: a filter result only writes through a queryset.
            return any(isinstance(n, ast.Attribute) and n.attr in MANAGERS for n in chain(link))
    return False


def names_bound_to_querysets(tree: ast.AST) -> set[str]:
    """Names assigned a manager's queryset anywhere in the module (`rows = M.objects...`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_queryset_expr(node.value, set()):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def loads(rel: str, tree: ast.AST) -> list[Finding]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner not in GLOBAL_VALUE_LISTS:
                found.append(Finding(rel, node.lineno, f"{ast.unparse(node)}: load it in access.py or "
                                                       "queries.py"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("get_object_or_404", "get_list_or_404"):
            found.append(Finding(rel, node.lineno, f"{node.func.id}: load it in access.py"))
    return found


def writes(rel: str, tree: ast.AST) -> list[Finding]:
    querysets = names_bound_to_querysets(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        verb, receiver = node.func.attr, node.func.value
        if verb not in WRITES:
            continue
        if isinstance(receiver, ast.Name) and receiver.id in ROUTERS:
            continue
        if (rel, ast.unparse(node.func)) in NOT_ORM:
            continue
        # dict.update and set.update share the name; only a queryset's update writes.
        if verb == "update" and not is_queryset_expr(receiver, querysets):
            continue
        found.append(Finding(rel, node.lineno, f"{ast.unparse(node.func)}(): write it in an action"))
    return found


def check(rel: str, source: str) -> list[Finding]:
    tree = ast.parse(source, filename=rel)
    found = []
    if is_view_module(rel):
        found += loads(rel, tree)
    if not may_write(rel):
        found += writes(rel, tree)
    return found


def all_findings() -> list[Finding]:
    found = []
    for path in source_modules():
        found += check(relative(path), path.read_text(encoding="utf-8"))
    return found


def test_it_finds_no_view_or_endpoint_that_loads_objects_or_writes_by_itself():
    found = all_findings()
    assert not found, "house rules broken:\n" + "\n".join(map(str, found))


def test_it_reads_every_view_and_api_module_of_the_apps():
    views = {relative(p) for p in source_modules() if is_view_module(relative(p))}
    assert {"org/views.py", "org/api.py", "competency/views.py", "competency/api.py",
            "imports/views.py", "imports/api.py", "api/tokens_api.py", "api/views.py",
            "site/me.py", "site/api.py", "site/views.py", "org/home.py", "competency/site.py"} <= views
    assert "org/access.py" not in views and not any(path.startswith("org/queries/") for path in views)


SAMPLE_VIEW = """
from django.shortcuts import get_object_or_404

def page(request, pk):
    employee = Employee.objects.get(pk=pk)
    unit = get_object_or_404(OrgUnit, pk=pk)
    positions = list(Position.objects.all())
    rows = Employee.objects.filter(status="left")
    rows.update(status="active")
    employee.save()
    labels = {}
    labels.update(a=1)
    Stage.objects.filter(code="x").delete()
    return employee
"""


def test_it_catches_loads_and_writes_in_a_view_but_not_value_lists_or_dicts():
    found = sorted(check("org/views.py", SAMPLE_VIEW), key=lambda f: (f.line, f.text))
    assert [(f.line, f.text.split(":")[0]) for f in found] == [
        (5, "Employee.objects"),
        (6, "get_object_or_404"),
        (8, "Employee.objects"),
        (9, "rows.update()"),
        (10, "employee.save()"),
        (13, "Stage.objects.filter(code='x').delete()"),
    ]


def test_it_lets_actions_and_importers_write_and_access_load():
    assert check("org/actions/employees.py", SAMPLE_VIEW.replace("get_object_or_404", "len")) == []
    assert check("org/importers/roster.py", "Employee.objects.filter(x=1).update(y=2)\n") == []
    assert check("org/access.py", "Employee.objects.get(pk=1)\n") == []
    assert [f.line for f in check("org/forms.py", "def f(e):\n    e.save()\n")] == [2]


def test_it_finds_every_test_named_for_what_it_does():
    """Tests read as sentences about the product: `test_it_...` (docs/CONTRIBUTING.md)."""
    misnamed = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for path in ROOT.rglob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_") and not node.name.startswith("test_it_")
    ]
    assert not misnamed, misnamed
