"""The case's moves (POST cases/<id>/move/): every move from every status, by each role.
Allowed moves change the status; a wrong one is refused with the one InvalidTransition
(naming the case and both states); a reviewer is refused the publication of another's draft
never submitted to him; a role that may not make it gets 403, one that may not see the case
404."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from casspath.knowledge.models import Case, CaseStatus
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

ROLES = ("manager", "other_manager", "team_lead", "city_admin_a", "city_admin_b", "consultant_a", "analyst_a")
REVIEWERS = {"city_admin_a", "consultant_a"}
# Who reads a published case of city A's map (city B's training admin does not read it).
READERS = {"manager", "other_manager", "team_lead", "city_admin_a", "consultant_a", "analyst_a"}
MOVES = {
    "submit": CaseStatus.IN_REVIEW,
    "request_changes": CaseStatus.CHANGES_REQUESTED,
    "publish": CaseStatus.PUBLISHED,
    "retire": CaseStatus.RETIRED,
}
ALLOWED = {
    ("submit", CaseStatus.DRAFT),
    ("submit", CaseStatus.CHANGES_REQUESTED),
    ("request_changes", CaseStatus.IN_REVIEW),
    ("publish", CaseStatus.IN_REVIEW),
    ("publish", CaseStatus.DRAFT),
    ("publish", CaseStatus.RETIRED),
    ("retire", CaseStatus.PUBLISHED),
}
# Moves only an author who is a reviewer too makes (CASE_MOVES): publishing a draft. The case
# here is the manager's, so a reviewer is refused it: its author never sent it to him.
AUTHOR_REVIEWER_ONLY = {("publish", CaseStatus.DRAFT)}


def expected(role: str, move: str, status: str):
    if not (role == "manager" or role in REVIEWERS or (status == CaseStatus.PUBLISHED and role in READERS)):
        return 404
    if (move == "submit") != (role == "manager") or (move != "submit" and role not in REVIEWERS):
        return 403
    if (move, status) in AUTHOR_REVIEWER_ONLY:
        return "not sent"
    return "moved" if (move, status) in ALLOWED else "refused"


@pytest.mark.parametrize("status", list(CaseStatus))
def test_it_allows_and_refuses_each_move_by_each_role(client, world, draft_case, other_manager, status):
    users = {**world.roles(), "other_manager": other_manager}
    url = reverse("knowledge:case_move", args=[draft_case.pk])
    for role in ROLES:
        log_in(client, users[role])
        for move, to in MOVES.items():
            Case.objects.filter(pk=draft_case.pk).update(status=status)
            response = client.post(url, {"move": move, "comment": "请补充成效的数字"})
            now = Case.objects.get(pk=draft_case.pk).status
            want = expected(role, move, status)
            where = f"{role} {move} from {status}"
            if want in (403, 404):
                assert response.status_code == want, where
                assert now == status, where
            elif want == "moved":
                assert response.status_code == 302 and now == to, where
            elif want == "not sent":
                assert response.status_code == 302 and now == status, where
                shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
                assert "扫楼扫出一条专线" in shown and "尚未提交审核" in shown, where
            else:
                assert response.status_code == 302 and now == status, where
                shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
                assert "扫楼扫出一条专线" in shown and status in shown and to in shown, where


def test_it_refuses_asking_for_changes_without_a_comment(client, world, review_case):
    log_in(client, world.consultant_a)
    client.post(
        reverse("knowledge:case_move", args=[review_case.pk]), {"move": "request_changes", "comment": " "}
    )
    review_case.refresh_from_db()
    assert review_case.status == CaseStatus.IN_REVIEW


def test_it_refuses_an_unknown_move(client, world, review_case):
    log_in(client, world.consultant_a)
    response = client.post(reverse("knowledge:case_move", args=[review_case.pk]), {"move": "delete"})
    assert response.status_code == 404
