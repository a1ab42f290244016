"""A diagnosis's bottlenecks linked to the CASS map applying to its unit: each tier's
bottleneck dimensions with the work items and key actions that need them and the count of
published resources teaching them, on the page (links to the map's anchors) and in the
JSON (`casspath diagnose --out x.json`), beside issue 7's keys. A snapshot stored before the
links gets them on its page from the map as it is now."""

import io
import json

import pytest
from django.core.management import call_command

from casspath.cass.actions.maps import do_create_map, do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.models import Resource
from casspath.performance.models import DiagnosisSnapshot
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gz_map(world, diagnosable):
    """City A's map: W01 (rank 2) and W02 (rank 1) need D01; a published and a draft
    resource teach D01."""
    by = world.consultant_a
    cass_map = do_create_map(org_unit=world.city_a, model_family="default", name="广州地图", acting_user=by)
    w1 = do_save_work_item(cass_map, {"code": "W01", "name": "寻找目标客户", "importance": 3, "frequency": 3},
                           acting_user=by)
    w2 = do_save_work_item(cass_map, {"code": "W02", "name": "客户拜访", "importance": 5, "frequency": 5},
                           acting_user=by)
    do_save_key_action(w1, {"code": "A0101", "name": "梳理名单", "standard": "覆盖 80%"}, skills={"D01": 3},
                       acting_user=by)
    do_save_key_action(w2, {"code": "A0201", "name": "预约拜访", "standard": "约定时间"}, skills={"D01": 2},
                       acting_user=by)
    do_save_key_action(w2, {"code": "A0202", "name": "现场沟通", "standard": "记录需求"}, skills={"D03": 2},
                       acting_user=by)
    for code, publish in (("R1", True), ("R2", False)):
        resource = do_save_resource(cass_map, {"code": code, "kind": "article", "title": code,
                                               "duration_minutes": 5}, skills={"D01": 2}, acting_user=by)
        if publish:
            do_set_resource_status(resource, "published", acting_user=by)
    return cass_map


def _diagnose(tmp_path) -> dict:
    path = tmp_path / "d.json"
    call_command("diagnose", "--from", "2026-01", "--to", "2026-05", "--org", "GZ", "--out", str(path),
                 stdout=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def _d01_link(figures):
    for tier in figures["tiers"]:
        assert "bottlenecks" in tier and "ranking" in tier  # issue 7's keys stay
        assert [link["dimension"] for link in tier["bottleneck_links"]] == tier["bottlenecks"]
        for link in tier["bottleneck_links"]:
            if link["dimension"] == "D01":
                return tier["tier"], link
    raise AssertionError("no tier has D01 among its bottlenecks")


def test_it_adds_the_links_to_the_json(world, gz_map, tmp_path):
    figures = _diagnose(tmp_path)
    assert figures["cass_map"] == {"id": gz_map.pk, "name": "广州地图", "org_unit": "GZ",
                                   "model_family": "default"}
    _tier, link = _d01_link(figures)
    assert link["work_items"] == [{"code": "W02", "name": "客户拜访", "rank": 1},
                                  {"code": "W01", "name": "寻找目标客户", "rank": 2}]
    assert link["key_actions"] == [{"code": "A0201", "name": "预约拜访", "work_item": "W02"},
                                   {"code": "A0101", "name": "梳理名单", "work_item": "W01"}]
    assert link["published_resources"] == 1  # the draft is not counted
    assert DiagnosisSnapshot.objects.get().figures == figures  # stored as written


def test_it_says_when_no_map_applies(world, diagnosable, tmp_path):
    figures = _diagnose(tmp_path)
    assert figures["cass_map"] is None
    assert all(tier["bottleneck_links"] == [] for tier in figures["tiers"])


def test_it_links_each_tiers_bottlenecks_to_the_map_on_the_page(client, world, gz_map, tmp_path):
    figures = _diagnose(tmp_path)
    tier, _link = _d01_link(figures)
    snapshot = DiagnosisSnapshot.objects.get()
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    section = page[page.index(f'id="tier-{tier}"'):]
    section = section[:section.index('</ul>')]
    assert "在「广州地图」中训练这些短板的内容" in section
    assert f'href="/cass/maps/{gz_map.pk}/#wi-W02"' in section
    assert f'href="/cass/maps/{gz_map.pk}/#ka-A0101"' in section
    library = f"/cass/maps/{gz_map.pk}/resources/?dimension=D01&amp;status=published"
    assert f'<a href="{library}">1 个已发布资源教授此维度</a>' in section
    listed = client.get(library.replace("&amp;", "&")).content.decode()  # the one it counted
    published, draft = (Resource.objects.get(code=code) for code in ("R1", "R2"))
    assert f'href="/cass/resources/{published.pk}/"' in listed
    assert f'href="/cass/resources/{draft.pk}/"' not in listed


def test_it_links_a_snapshot_stored_before_the_links(client, world, gz_map, tmp_path):
    figures = _diagnose(tmp_path)
    tier, _link = _d01_link(figures)
    old = dict(figures)
    del old["cass_map"]
    old["tiers"] = [{k: v for k, v in t.items() if k != "bottleneck_links"} for t in figures["tiers"]]
    DiagnosisSnapshot.objects.update(figures=old)
    snapshot = DiagnosisSnapshot.objects.get()
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert f'href="/cass/maps/{gz_map.pk}/#ka-A0201"' in page
