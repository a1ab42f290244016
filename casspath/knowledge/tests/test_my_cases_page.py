"""My cases: a manager's own cases in every status, with the reviewers' comments."""

import pytest
from django.urls import reverse

from casspath.knowledge.actions.cases import do_request_changes
from casspath.org.models import Employee
from casspath.testing import ApiCaller, log_in

pytestmark = pytest.mark.django_db


def test_it_lists_his_cases_with_status_and_the_reviewer_comment(client, world, review_case, other_manager):
    do_request_changes(review_case, comment="请写出客户的行业和规模", acting_user=world.consultant_a)
    html = log_in(client, world.manager).get(reverse("knowledge:my_cases")).content.decode()
    assert "扫楼扫出一条专线" in html
    assert 'data-status="changes_requested"' in html
    assert "请写出客户的行业和规模" in html


def test_it_lists_nobody_else_s_cases(client, world, review_case, other_manager):
    html = log_in(client, other_manager).get(reverse("knowledge:my_cases")).content.decode()
    assert "扫楼扫出一条专线" not in html


def test_it_leaves_out_his_cases_of_a_city_he_has_left(client, world, review_case):
    """Moved to Shenzhen, he no longer opens the Guangzhou map: nor are its cases his list's."""
    world.manager.role_assignments.update(org_unit=world.team_b)
    Employee.objects.filter(user=world.manager).update(org_unit=world.team_b)
    log_in(client, world.manager)
    assert "扫楼扫出一条专线" not in client.get(reverse("knowledge:my_cases")).content.decode()
    assert client.get(reverse("knowledge:case", args=[review_case.pk])).status_code == 404
    assert ApiCaller(client, world.manager).get("/knowledge/cases?view=mine").json()["total"] == 0


def test_it_sends_an_anonymous_visitor_to_log_in(client, world):
    assert client.get(reverse("knowledge:my_cases")).status_code == 302
