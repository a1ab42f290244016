"""The step edit page's "part of" select and /knowledge/maps/<id>/process/<step>/reparent/:
only valid parents are offered; a move through the page lands; a refused move says why in
both languages; another map's step id answers 404; a manager who reads the map gets 403."""

import re

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.knowledge.actions.process import do_save_process_step
from casspath.knowledge.models import ProcessStep
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _pk(code: str) -> int:
    return ProcessStep.objects.get(code=code).pk


def _url(cass_map, code: str, rest: str = "") -> str:
    return f"/knowledge/maps/{cass_map.pk}/process/{_pk(code)}/{rest}"


def _offered(page: str) -> list[str]:
    select = page[page.index('name="parent"') : page.index("</select>")]
    return [ProcessStep.objects.get(pk=int(pk)).code for pk in re.findall(r'<option value="(\d+)"', select)]


def test_it_offers_only_the_parents_that_keep_three_levels(client, world, process):
    log_in(client, world.consultant_a)
    page = client.get(_url(process, "P1-1")).content.decode()
    # P1-1 has sub-steps: only a phase may take it (not itself, its sub-steps or a step).
    assert _offered(page) == ["P1", "P2"]
    assert f'<option value="{_pk("P1")}" selected>' in page
    assert _offered(client.get(_url(process, "P1-1a")).content.decode()) == [
        "P1",
        "P1-1",
        "P1-2",
        "P2",
        "P2-1",
    ]
    assert _offered(client.get(_url(process, "P1")).content.decode()) == []  # its sub-steps: level 4 anywhere


def test_it_moves_a_step_through_the_page(client, world, process):
    log_in(client, world.consultant_a)
    response = client.post(_url(process, "P1-2", "reparent/"), {"parent": _pk("P2")})
    assert response.status_code == 302 and response["Location"].endswith("#ps-P1-2")
    assert ProcessStep.objects.filter(code="P1-2").values_list("parent__code", "order").get() == ("P2", 2)
    client.post(_url(process, "P1-2", "reparent/"), {"parent": ""})
    assert ProcessStep.objects.get(code="P1-2").parent is None


def test_it_says_why_a_move_is_refused(client, world, process):
    log_in(client, world.consultant_a)
    response = client.post(_url(process, "P1", "reparent/"), {"parent": _pk("P1-1a")}, follow=True)
    page = response.content.decode()
    assert "自己的下级" in page and "below it" in page
    assert ProcessStep.objects.get(code="P1").parent is None


def test_it_answers_404_for_another_maps_step_and_403_for_a_manager(client, world, process):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    foreign = do_save_process_step(other, {"code": "Q1", "name": "深圳阶段"}, acting_user=world.consultant_b)
    log_in(client, world.consultant_a)
    assert client.post(_url(process, "P1-2", "reparent/"), {"parent": foreign.pk}).status_code == 404
    assert (
        client.post(
            f"/knowledge/maps/{process.pk}/process/{foreign.pk}/reparent/", {"parent": ""}
        ).status_code
        == 404
    )
    log_in(client, world.manager)
    assert client.post(_url(process, "P1-2", "reparent/"), {"parent": _pk("P2")}).status_code == 403
    log_in(client, world.consultant_b)
    assert client.post(_url(process, "P1-2", "reparent/"), {"parent": _pk("P2")}).status_code == 404
    assert ProcessStep.objects.filter(code="P1-2").values_list("parent__code", flat=True).get() == "P1"
