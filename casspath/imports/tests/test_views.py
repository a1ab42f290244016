import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from casspath.core.models import User
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes, roster_rows
from casspath.org.models import Employee


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def _upload(client, rows, **extra):
    data = {"file": SimpleUploadedFile("roster.csv", csv_bytes(rows), content_type="text/csv"), **extra}
    return client.post(reverse("imports:kind", args=["roster"]), data)


def test_it_lists_the_kinds_and_recent_runs(world, client, django_assert_max_num_queries):
    _login(client, "gzadmin")
    _upload(client, roster_rows(), dry_run="on")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("imports:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        reverse("imports:kind", args=["roster"]) in body and reverse("imports:template", args=["org"]) in body
    )
    assert "roster.csv" in body


def test_it_the_upload_run_report_apply_flow(world, client):
    _login(client, "gzadmin")
    page = client.get(reverse("imports:kind", args=["roster"]))
    assert page.status_code == 200 and 'name="dry_run"' in page.content.decode()
    response = _upload(client, roster_rows(), dry_run="on")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:run", args=[run.pk])
    assert run.dry_run and run.status == "succeeded" and run.created_by == world.city_admin_a
    assert not Employee.objects.filter(employee_no="E0003").exists()
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'id="preview"' in page and "E0003" in page
    assert reverse("imports:apply", args=[run.pk]) in page and "every 1s" not in page
    # Without "mark missing as left", the employees missing from the file are not listed.
    assert 'id="missing"' not in page
    applied = client.post(reverse("imports:apply", args=[run.pk]))
    new_run = ImportRun.objects.exclude(pk=run.pk).get()
    assert applied["Location"] == reverse("imports:run", args=[new_run.pk])
    assert new_run.source_run == run and not new_run.dry_run and new_run.status == "succeeded"
    assert Employee.objects.filter(employee_no__in=["E0003", "E0004"]).count() == 2
    # Applying twice does not import twice.
    again = client.post(reverse("imports:apply", args=[run.pk]))
    assert again["Location"] == reverse("imports:run", args=[new_run.pk])
    assert ImportRun.objects.count() == 2
    status = client.get(reverse("imports:run_status", args=[new_run.pk])).content.decode()
    assert "every 1s" not in status and "Apply" not in status


def test_it_a_running_run_polls_with_htmx(world, client):
    _login(client, "gzadmin")
    _upload(client, roster_rows())
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        status="running", progress_done=5, progress_total=10, report=None
    )
    fragment = client.get(reverse("imports:run_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="50"' in fragment and "style=" not in fragment


def test_it_a_bad_file_shows_every_row_error(world, client):
    _login(client, "gzadmin")
    rows = [
        ROSTER_HEADERS_ZH,
        ["E0200", "深圳新人", "", "", "SZ-NS-01", "", "2020-01-01", "", ""],
        ["E0201", "", "12", "", "GZ-TH-01", "", "2020-01-01", "", ""],
    ]
    _upload(client, rows, dry_run="")
    run = ImportRun.objects.get()
    assert run.status == "failed" and not run.dry_run
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'id="row-errors"' in page and "SZ-NS-01" in page and "outside your import scope" in page
    assert "不在您的导入权限范围内" in page and "Not a valid mobile number" in page
    assert reverse("imports:apply", args=[run.pk]) not in page
    assert not Employee.objects.filter(employee_no__in=["E0200", "E0201"]).exists()
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code == 404


def test_it_a_run_is_visible_only_to_its_creator(world, client):
    _login(client, "gzadmin")
    _upload(client, roster_rows())
    run = ImportRun.objects.get()
    client.logout()
    _login(client, "szadmin")
    for name in ("imports:run", "imports:run_status", "imports:download"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:run", args=[run.pk + 100])).status_code == 404
    assert "roster.csv" not in client.get(reverse("imports:index")).content.decode()


def test_it_the_creator_downloads_his_file_from_private_storage(world, client, settings):
    _login(client, "gzadmin")
    _upload(client, roster_rows())
    run = ImportRun.objects.get()
    response = client.get(reverse("imports:download", args=[run.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == csv_bytes(roster_rows())
    stored = Path(settings.PRIVATE_FILES_DIR) / "imports" / run.stored_name
    assert stored.is_file() and not str(stored).startswith(str(settings.MEDIA_ROOT))


def test_it_users_without_the_import_permission_are_refused(world, client):
    for username in ("E0001", "T0001", "outsider"):
        client.logout()
        _login(client, username)
        assert client.get(reverse("imports:index")).status_code == 403
        assert client.get(reverse("imports:kind", args=["roster"])).status_code == 403
        assert client.get(reverse("imports:template", args=["roster"])).status_code == 403
        assert _upload(client, roster_rows()).status_code == 403
    assert not ImportRun.objects.exists()


def test_it_anonymous_users_are_sent_to_login(world, client):
    for url in (
        reverse("imports:index"),
        reverse("imports:kind", args=["roster"]),
        reverse("imports:template", args=["roster"]),
        reverse("imports:run", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_unknown_kinds_are_404(world, client):
    _login(client, "padmin")
    assert client.get(reverse("imports:kind", args=["nope"])).status_code == 404


def test_it_the_template_download_has_notes_drop_downs_and_instructions(world, client):
    _login(client, "padmin")
    response = client.get(reverse("imports:template", args=["roster"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == ROSTER_HEADERS_ZH
    assert "employee no" in sheet["A1"].comment.text
    lists = workbook["lists"]
    validations = sheet.data_validations.dataValidation
    by_column = {str(v.sqref).split(":")[0][0]: v for v in validations}
    assert set(by_column) == {"F", "H", "I"}  # position, grade, status
    position_list = by_column["F"].formula1
    letter = position_list.split("$")[1]
    values = [c.value for c in lists[letter][1:] if c.value]
    assert values == ["客户经理", "集团客户经理", "行业经理", "产品经理", "班组长"]
    guide = workbook["说明 Instructions"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "再次导入" in text and "importing the same file again changes nothing" in text


def test_it_the_org_template_has_the_kind_drop_down(world, client):
    _login(client, "padmin")
    workbook = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["org"])).content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["单位编码", "单位名称", "上级单位编码", "类型"]
    assert len(sheet.data_validations.dataValidation) == 1


def test_it_the_preview_shows_a_status_by_its_label_in_the_page_language(world, client):
    _login(client, "gzadmin")
    _upload(client, roster_rows(), dry_run="on")
    run = ImportRun.objects.get()
    assert run.report is not None
    assert run.report["preview"][0]["fields"]["status"] == [None, "active"]  # stored raw
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert '<span class="text-muted">状态</span>: — → 在职</div>' in page and "→ active" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert '<span class="text-muted">Status</span>: — → Active</div>' in page and "在职" not in page
    # Positions and grades by their English names too, not half the row in Chinese.
    assert '<span class="text-muted">Position</span>: — → Account manager</div>' in page
    assert '<span class="text-muted">Grade</span>: — → Junior</div>' in page and "客户经理" not in page


def test_it_shows_the_imports_menu_to_whoever_may_import_something(client, world):
    from casspath.org.models import Role
    from casspath.testing import make_user

    consultant = make_user("consultant", role=Role.CONSULTANT, unit=world.province)
    imports_link = f'href="{reverse("imports:index")}"'
    for user, shown in ((consultant, True), (world.city_admin_a, True), (world.manager, False),
                        (world.team_lead, False)):
        client.force_login(user)
        assert (imports_link in client.get(reverse("home")).content.decode()) is shown, user


def test_it_a_dry_run_with_bad_rows_wears_problems_found_not_failed(world, client):
    _login(client, "gzadmin")
    rows = [ROSTER_HEADERS_ZH, ["E0201", "", "12", "", "GZ-TH-01", "", "2020-01-01", "", ""]]
    _upload(client, rows, dry_run="on")
    run = ImportRun.objects.get()
    assert run.dry_run and run.status == "failed"
    for url in (reverse("imports:run", args=[run.pk]), reverse("imports:index")):
        page = client.get(url).content.decode()
        assert "text-bg-warning" in page and "发现问题" in page
        assert "text-bg-danger" not in page


def test_it_a_dry_run_of_an_unreadable_file_still_wears_failed(world, client):
    _login(client, "gzadmin")
    data = {"file": SimpleUploadedFile("roster.csv", b"\xff\xfe\x00garbage", content_type="text/csv"),
            "dry_run": "on"}
    client.post(reverse("imports:kind", args=["roster"]), data)
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.report and run.report["file_error"]
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "text-bg-danger" in page and "text-bg-warning" not in page


def test_it_counts_people_marked_left_only_for_an_import_that_marks_them(world, client):
    _login(client, "gzadmin")
    kept = _upload(client, roster_rows(), dry_run="on")
    assert "标记离职" not in client.get(kept["Location"]).content.decode()
    marking = _upload(client, roster_rows(), dry_run="on", deactivate_missing="on")
    assert "标记离职" in client.get(marking["Location"]).content.decode()


def test_it_shows_an_options_help_in_the_page_language_only(world, client):
    # The CASS map's options (unit, family) carry their help in Chinese and English.
    from casspath.org.models import Role
    from casspath.testing import make_user

    client.force_login(make_user("consultant", role=Role.CONSULTANT, unit=world.province))
    page = client.get(reverse("imports:kind", args=["cass"])).content.decode()
    assert "地图所属单位的编码" in page and "The code of the map's owner unit" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("imports:kind", args=["cass"])).content.decode()
    assert "The code of the map&#x27;s owner unit" in page and "地图所属单位的编码" not in page
