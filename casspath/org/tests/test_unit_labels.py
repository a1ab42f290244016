"""Two teams of the same name (商客二班 in two districts of one city) read apart wherever
they are shown together: the employee list and the login batches show the shortest run of
ancestors that tells them apart; a unique name stays as it is."""

import pytest
from django.urls import reverse

from casspath.org.actions.logins import do_queue_issue_logins
from casspath.org.models import OrgUnit
from casspath.org.queries import unit_labels
from casspath.testing import log_in, make_employee, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(world):
    yuexiu = make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    first = make_unit("GZ-TH-02", "商客二班", OrgUnit.Kind.TEAM, world.district_a)
    second = make_unit("GZ-YX-02", "商客二班", OrgUnit.Kind.TEAM, yuexiu)
    make_employee("E0301", "甲", first)
    make_employee("E0302", "乙", second)
    return first, second


def test_it_labels_same_named_units_by_the_shortest_telling_path(world, twins, django_assert_num_queries):
    first, second = twins
    with django_assert_num_queries(1):
        labels = unit_labels([first, second, world.team_a])
    assert labels == {
        first.pk: "天河区 / 商客二班", second.pk: "越秀区 / 商客二班", world.team_a.pk: "政企一班"}


def test_it_reads_no_ancestor_when_every_name_is_unique(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        labels = unit_labels([world.team_a, world.team_b])
    assert labels == {world.team_a.pk: "政企一班", world.team_b.pk: "政企二班"}


def test_it_goes_up_as_far_as_it_must(world):
    # The same district name in two cities, the same team name in each.
    a = make_unit("GZ-XQ", "新区", OrgUnit.Kind.DISTRICT, world.city_a)
    b = make_unit("SZ-XQ", "新区", OrgUnit.Kind.DISTRICT, world.city_b)
    team_a = make_unit("GZ-XQ-01", "一班", OrgUnit.Kind.TEAM, a)
    team_b = make_unit("SZ-XQ-01", "一班", OrgUnit.Kind.TEAM, b)
    labels = unit_labels([team_a, team_b])
    assert labels == {team_a.pk: "广州分公司 / 新区 / 一班", team_b.pk: "深圳分公司 / 新区 / 一班"}


def test_it_shows_the_telling_path_in_the_employee_list(client, world, twins):
    log_in(client, world.city_admin_a)
    body = client.get(reverse("org:employee_list")).content.decode()
    assert "天河区 / 商客二班" in body and "越秀区 / 商客二班" in body
    assert "<td>政企一班</td>" in body


def test_it_shows_the_telling_path_in_the_login_batches(client, world, twins):
    first, second = twins
    do_queue_issue_logins(first, acting_user=world.city_admin_a)
    do_queue_issue_logins(second, acting_user=world.city_admin_a)
    log_in(client, world.city_admin_a)
    body = client.get(reverse("org:login_batches")).content.decode()
    assert "天河区 / 商客二班" in body and "越秀区 / 商客二班" in body
