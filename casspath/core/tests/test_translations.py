"""The Chinese catalogue: shown by default, switchable to English, complete and compiled.

After adding or changing a UI string, run `make messages`, translate the new entries in
casspath/locale/zh_Hans/LC_MESSAGES/django.po, and compile (`make messages` again does it).
"""

import ast
import gettext
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casspath.competency.actions.edits import do_set_requirements, do_update_dimension
from casspath.competency.actions.loading import do_load_default_model
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.models import Dimension
from casspath.core.actors import SystemActor
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.models import Stage

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: context, msgid, msgid_plural, msgstr (list), flags, line."""
    entries: list[dict] = []
    entry: dict | None = None
    key: str | tuple[str, int] | None = None

    def close():
        if entry and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}, "line": number}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            keyword, _space, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                key = ("msgstr", int(match.group(1)))
                entry["msgstr"][key[1]] = value
            elif keyword == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                key = keyword
                entry[key] = value
    close()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def label(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"line {entry['line']}: {context}{entry['msgid']!r}"


def test_it_shows_chinese_by_default(client, world):
    client.force_login(world.province_admin)
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "首页" in body and "退出登录" in body
    assert ">Home<" not in body and "Log out" not in body


def test_it_shows_the_login_page_in_chinese_to_anonymous_users(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    body = client.get(response.url).content.decode()
    assert "登录 casspath" in body and "用户名（工号）" in body


def test_it_switches_to_english(client, world):
    client.force_login(world.province_admin)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in body
    assert "Home" in body and "Log out" in body
    assert "首页" not in body and "退出登录" not in body

    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")}, follow=True)
    assert "首页" in back.content.decode()


def test_it_has_no_untranslated_or_fuzzy_entries():
    entries = parse_po(PO)
    assert len(entries) > 100  # the parser read the catalogue, not an empty file
    untranslated = [label(e) for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [label(e) for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated and not fuzzy, (
        "untranslated in django.po (run `make messages`, then translate):\n" + "\n".join(untranslated)
        + "\nfuzzy in django.po (check the translation, then remove the flag):\n" + "\n".join(fuzzy))


def test_it_keeps_every_placeholder_in_the_translations():
    wrong = []
    for entry in parse_po(PO):
        expected = sorted(PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"]))
        for msgstr in entry["msgstr"].values():
            if sorted(PLACEHOLDER.findall(msgstr)) != expected:
                wrong.append(f"{label(entry)} -> {msgstr!r}")
    assert not wrong, "placeholders differ from the English:\n" + "\n".join(wrong)


def test_it_has_compiled_the_catalogue_that_is_in_the_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # type: ignore[attr-defined]  # private, so typeshed leaves it out
    stale = []
    for entry in parse_po(PO):
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]
        if entry["msgid_plural"] is None:
            found = catalog.get(msgid)
        else:
            found = catalog.get((msgid, 0))
        if found != entry["msgstr"][0]:
            stale.append(label(entry))
    assert not stale, "django.mo is older than django.po (run `make messages`):\n" + "\n".join(stale)


def test_it_names_the_columns_and_kinds_of_an_import_in_chinese(client, world):
    client.force_login(world.city_admin_a)
    rows = [ROSTER_HEADERS_ZH,
            ["E0003", "钱新人", "13800138001", "", "GZ-TH-01", "客户经理", "2023-05-06", "初级", "在职"]]
    upload = SimpleUploadedFile("roster.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(reverse("imports:kind", args=["roster"]), {"file": upload, "dry_run": "on"})
    run = client.get(response["Location"]).content.decode()
    assert '<span class="text-muted">姓名</span>' in run and '<span class="text-muted">单位编码</span>' in run
    assert '<span class="text-muted">org_code</span>' not in run
    index = client.get(reverse("imports:index")).content.decode()
    assert "<td>花名册（员工）</td>" in index and "<td>roster</td>" not in index


def test_it_names_the_changed_fields_and_stages_of_a_model_diff_in_chinese(client, world):
    model = do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    draft = do_start_new_version(model, acting_user=world.province_admin)
    dimension = Dimension.objects.get(model=draft, code="D01")
    do_update_dimension(dimension, module=dimension.module, name="目标客户筛选", name_en=dimension.name_en,
                        category="knowledge", description=dimension.description,
                        acting_user=world.province_admin)
    do_set_requirements(draft, stage=Stage.objects.get(code="growth"), cells={"D01": (5, Decimal("30"))},
                        acting_user=world.province_admin)
    client.force_login(world.province_admin)
    body = client.get(reverse("competency:model_diff", args=[draft.pk])).content.decode()
    assert "<td>名称</td>" in body and "<td>类别</td>" in body and "<td>岗位知识</td>" in body
    assert "<td>成长期</td>" in body
    assert "<td>name</td>" not in body and "<td>growth</td>" not in body and "<td>knowledge</td>" not in body
