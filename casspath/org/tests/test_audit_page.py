"""The audit page (org:audit_log) and its export: a training admin reads the audit rows about
the units in his scope, filtered and paged by keyset, and exports them."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casspath.core import audit
from casspath.core.actions import do_change_password
from casspath.core.models import AuditEvent
from casspath.org.actions.employees import do_update_employee
from casspath.org.audit_verbs import OrgVerb
from casspath.org.queries import AUDIT_PAGE_SIZE

URL = reverse("org:audit_log")


def _rows_text(response) -> str:
    """The table of rows only: the filter's selects name every verb."""
    return _rows_text_of(response.content.decode())


def _rows_text_of(page: str) -> str:
    return page[page.index('id="audit-rows"'):page.index("</table>")]


@pytest.fixture
def edits(world):
    """One employee edit in each city, and a row about no unit."""
    do_update_employee(world.colleague, {"phone": "13700009999"}, acting_user=world.city_admin_a)
    do_update_employee(world.city_b_employee, {"name": "深圳新名"}, acting_user=world.city_admin_b)
    do_change_password(world.manager, "another-horse-battery", acting_user=world.manager)
    return world


def test_it_records_the_unit_an_employee_edit_concerns(edits):
    row = AuditEvent.objects.get(verb="employee.update", object_id=str(edits.colleague.pk))
    assert row.org_unit_path == edits.team_a.path
    assert row.org_unit_id == edits.team_a.pk


def test_it_shows_a_city_admin_his_city_and_never_the_other(client, edits):
    client.force_login(edits.city_admin_a)
    page = _rows_text(client.get(URL))
    assert "E0002 赵同事" in page
    assert "深圳新名" not in page
    assert "user.change_password" not in page


def test_it_shows_the_province_admin_every_city_but_not_rows_about_no_unit(client, edits):
    client.force_login(edits.province_admin)
    page = _rows_text(client.get(URL))
    assert "E0002 赵同事" in page and "深圳新名" in page
    assert "user.change_password" not in page


def test_it_shows_rows_about_no_unit_to_a_superuser(client, edits):
    admin = get_user_model().objects.create_superuser("root", password="x-long-password-1")
    client.force_login(admin)
    assert "user.change_password" in _rows_text(client.get(URL))


def test_it_keeps_phones_masked_in_audit_rows(client, edits):
    client.force_login(edits.province_admin)
    page = _rows_text(client.get(URL))
    assert "13700009999" not in page
    assert "137****9999" in page


@pytest.mark.parametrize("who", ["manager", "team_lead", "consultant_a", "analyst_a", "outsider"])
def test_it_refuses_the_page_and_the_export_to_others(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("org:audit_export", args=["csv"])).status_code == 403


def test_it_sends_an_anonymous_visitor_to_log_in(client, world):
    assert client.get(URL).status_code == 302


def test_it_filters_by_actor_verb_object_and_dates(client, edits):
    client.force_login(edits.province_admin)
    by_actor = _rows_text(client.get(URL, {"actor": "szadmin"}))
    assert "深圳新名" in by_actor and "E0002 赵同事" not in by_actor
    by_object = _rows_text(client.get(URL, {"object_type": "org.employee",
                                            "object_id": str(edits.colleague.pk)}))
    assert "E0002 赵同事" in by_object and "深圳新名" not in by_object
    assert "深圳新名" not in _rows_text(client.get(URL, {"verb": "employee.create"}))
    AuditEvent.objects.filter(actor_label="szadmin").update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate().isoformat()
    recent = _rows_text(client.get(URL, {"since": today, "until": today}))
    assert "E0002 赵同事" in recent and "深圳新名" not in recent


def test_it_reports_a_bad_date_in_both_languages_and_ignores_it(client, edits):
    client.force_login(edits.province_admin)
    response = client.get(URL, {"since": "2024-13-40"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "不是 YYYY-MM-DD 格式的日期" in page and "is not a date as YYYY-MM-DD" in page
    assert "E0002 赵同事" in page


def test_it_pages_by_keyset_without_counting(client, world, django_assert_max_num_queries):
    for n in range(AUDIT_PAGE_SIZE + 7):
        audit.record(world.city_admin_a, OrgVerb.UPDATE_EMPLOYEE, summary=f"row-{n:03d}", unit=world.team_a)
    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(12) as queries:
        first = client.get(URL, {"verb": OrgVerb.UPDATE_EMPLOYEE.value})
    assert not any("COUNT(" in q["sql"].upper() or "OFFSET" in q["sql"].upper()
                   for q in queries.captured_queries)
    rows = first.context["page"].rows
    assert len(rows) == AUDIT_PAGE_SIZE and rows[0].summary == f"row-{AUDIT_PAGE_SIZE + 6:03d}"
    cursor = first.context["page"].next_cursor
    second = client.get(URL, {"verb": OrgVerb.UPDATE_EMPLOYEE.value, "before": cursor}).context["page"]
    assert [r.summary for r in second.rows] == [f"row-{n:03d}" for n in range(6, -1, -1)]
    assert second.next_cursor is None


def test_it_ignores_a_cursor_outside_the_viewers_rows(client, edits):
    foreign = AuditEvent.objects.get(actor_label="szadmin")
    client.force_login(edits.city_admin_a)
    page = client.get(URL, {"before": str(foreign.pk)}).context["page"]
    assert page.first and page.rows


def test_it_exports_the_rows_in_scope_as_csv_and_audits_the_export(client, edits):
    client.force_login(edits.city_admin_a)
    response = client.get(reverse("org:audit_export", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "E0002 赵同事" in text and "深圳新名" not in text and "13700009999" not in text
    export = AuditEvent.objects.get(verb="audit.export")
    assert export.actor_label == "gzadmin" and export.org_unit_path == edits.city_a.path


def test_it_exports_the_filtered_rows_as_xlsx(client, edits):
    client.force_login(edits.province_admin)
    response = client.get(reverse("org:audit_export", args=["xlsx"]), {"actor": "szadmin"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("深圳新名" in str(v) for v in values)
    assert not any("赵同事" in str(v) for v in values)


def test_it_refuses_an_unknown_export_format(client, edits):
    client.force_login(edits.province_admin)
    assert client.get(reverse("org:audit_export", args=["pdf"])).status_code == 404


def test_it_offers_the_page_in_the_menu_to_training_admins_only(client, world):
    client.force_login(world.city_admin_a)
    assert URL in client.get("/").content.decode()
    client.force_login(world.manager)
    assert URL not in client.get("/").content.decode()


def test_it_shows_actions_and_summaries_in_the_readers_language(client, edits):
    client.force_login(edits.city_admin_a)
    do_reset = audit.record(edits.city_admin_a, OrgVerb.RESET_PASSWORD, edits.colleague,
                            summary=audit.phrase("%(no)s: one-time password issued", no="E0002"),
                            unit=edits.team_a)
    assert do_reset.summary == "E0002: one-time password issued"  # the English, stored
    chinese = _rows_text(client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "E0002：已发放一次性密码" in chinese and "重置密码" in chinese and "修改员工" in chinese
    assert "one-time password issued" not in chinese and ">login.reset_password<" not in chinese
    english = _rows_text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))
    assert "E0002: one-time password issued" in english and "Password reset" in english


def test_it_shows_an_old_row_without_a_phrase_as_it_was_written(client, edits):
    AuditEvent.objects.create(actor_label="gzadmin", verb="retired.verb", summary="old words",
                              org_unit_path=edits.team_a.path, org_unit_id=edits.team_a.pk)
    client.force_login(edits.city_admin_a)
    page = client.get(URL, {"verb": "retired.verb"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "old words" in _rows_text_of(page) and "retired.verb" in _rows_text_of(page)
    assert '<option value="retired.verb" selected>retired.verb</option>' in page  # kept in the select


def test_it_filters_by_verb_and_object_type_chosen_from_labelled_selects(client, edits):
    client.force_login(edits.city_admin_a)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<select class="form-select" name="verb"' in page
    assert '<option value="employee.update">修改员工</option>' in page
    assert '<option value="org.employee">员工</option>' in page
    assert '<option value="login.unlock">解除锁定</option>' in page
    chosen = client.get(URL, {"verb": "employee.update", "object_type": "org.employee"},
                        HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="employee.update" selected>修改员工</option>' in chosen
    assert "E0002 赵同事" in _rows_text_of(chosen)
    none = client.get(URL, {"verb": "login.unlock"}).content.decode()
    assert "E0002 赵同事" not in _rows_text_of(none)


def test_it_exports_actions_and_summaries_in_the_readers_language(client, edits):
    do_reset = audit.phrase("%(no)s: one-time password issued", no="E0002")
    audit.record(edits.city_admin_a, OrgVerb.RESET_PASSWORD, edits.colleague, summary=do_reset,
                 unit=edits.team_a)
    client.force_login(edits.city_admin_a)
    response = client.get(reverse("org:audit_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode("utf-8-sig")
    assert "E0002：已发放一次性密码" in text and "重置密码 (login.reset_password)" in text
    assert "员工 (org.employee)" in text
