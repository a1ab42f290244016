"""The home card of cases waiting for the user: the author's returned for changes (with the
way to the reviewer's comments), the reviewer's queue; left out for whom nothing waits, and
a case in review is no other manager's business."""

import pytest
from django.urls import reverse

from casspath.knowledge.actions.cases import do_request_changes
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    return log_in(client, user).get(reverse("home")).content.decode()


def test_it_tells_the_author_his_case_came_back_and_the_reviewer_what_waits(
    client, world, review_case, other_manager
):
    consultant_home = home(client, world.consultant_a)
    assert 'id="cases-waiting"' in consultant_home and "1 个案例待您审核" in consultant_home
    assert reverse("knowledge:case", args=[review_case.pk]) in consultant_home
    assert 'id="cases"' not in home(client, world.manager)  # in review: nothing for him to do yet
    assert 'id="cases"' not in home(client, other_manager)
    assert 'id="cases"' not in home(client, world.consultant_b)  # city B's consultant: not his map

    do_request_changes(review_case, comment="请写上签约金额", acting_user=world.consultant_a)
    author_home = home(client, world.manager)
    assert "退回给我修改的案例" in author_home
    assert reverse("knowledge:case", args=[review_case.pk]) + "#comments" in author_home
    assert 'id="cases"' not in home(client, world.consultant_a)  # back with the author
