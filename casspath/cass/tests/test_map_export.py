"""/cass/maps/<id>/export.xlsx: the map as the import's workbook, for its editors (the web's
`casspath export cass`), linked from the map's page; audited; refused to readers."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casspath.cass.audit_verbs import CassVerb
from casspath.core.models import AuditEvent
from casspath.testing import log_in

from .conftest import map_page

pytestmark = pytest.mark.usefixtures("default_model")


def _export(client, cass_map):
    return client.get(reverse("cass:map_export", args=[cass_map.pk]))


def test_it_exports_the_map_as_the_imports_workbook(client, world, city_map):
    log_in(client, world.consultant_a)
    assert reverse("cass:map_export", args=[city_map.pk]) in map_page(client, city_map).content.decode()
    response = _export(client, city_map)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="cass-{world.city_a.code}-default.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["工作内容", "关键动作", "动作技能", "学习资源"]
    assert [c.value for c in book["工作内容"][2]][:2] == ["W01", "寻找目标客户"]
    assert [c.value for c in book["动作技能"][2]] == ["A0101", "D01", 3]
    assert AuditEvent.objects.filter(verb=CassVerb.EXPORT_MAP, actor=world.consultant_a).count() == 1


def test_it_links_the_learning_map_to_readers_but_not_the_export(client, world, city_map):
    log_in(client, world.manager)
    page = map_page(client, city_map).content.decode()
    assert reverse("cass:learning_map", args=[city_map.pk]) in page
    assert reverse("cass:map_export", args=[city_map.pk]) not in page
    assert _export(client, city_map).status_code == 403


def test_it_refuses_another_citys_users(client, world, city_map):
    for user in (world.consultant_b, world.manager_b):
        log_in(client, user)
        assert _export(client, city_map).status_code == 404
