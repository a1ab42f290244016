"""/knowledge/cases/<id>/delete/ and DELETE /api/v1/knowledge/cases/<id>: a case never
published is deleted (CASE_DISCARDS) by its author (his draft, or one he withdraws from
review) or by a reviewer (one sent to him), with its comments and attachment files, and the
deletion is recorded; a published case is refused (retire it); a reviewer may not delete an
author's draft nobody submitted; another manager is refused; a second press says it is gone."""

import pytest
from django.urls import reverse

from casspath.core.models import AuditEvent
from casspath.knowledge.actions.case_files import do_add_case_attachment
from casspath.knowledge.actions.cases import do_comment_case, do_submit_case
from casspath.knowledge.models import Case, CaseComment, CaseStatus
from casspath.knowledge.tests.conftest import png, write_case
from casspath.testing import ApiCaller, log_in

pytestmark = pytest.mark.django_db


def delete(client, user, case, follow=True):
    log_in(client, user)
    return client.post(reverse("knowledge:case_discard", args=[case.pk]), follow=follow)


def stored_files(settings) -> list:
    root = settings.PRIVATE_FILES_DIR
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_lets_the_author_delete_his_draft_with_its_attachments(
    client, world, draft_case, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_add_case_attachment(draft_case, png("现场.png"), acting_user=world.manager)
    assert len(stored_files(settings)) == 1
    page = log_in(client, world.manager).get(reverse("knowledge:case", args=[draft_case.pk])).content.decode()
    assert "删除此案例" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client, world.manager, draft_case)
    assert response.redirect_chain[-1][0] == reverse("knowledge:my_cases")
    assert "已删除" in response.content.decode()
    assert not Case.objects.filter(pk=draft_case.pk).exists() and stored_files(settings) == []
    event = AuditEvent.objects.get(verb="knowledge.discard_case")
    assert event.object_id == str(draft_case.pk) and "扫楼扫出一条专线" in event.summary
    again = delete(client, world.manager, draft_case)  # a second press
    assert again.status_code == 200 and "已不存在" in again.content.decode()
    assert AuditEvent.objects.filter(verb="knowledge.discard_case").count() == 1


def test_it_lets_the_author_withdraw_and_a_reviewer_delete_a_case_in_review(client, world, process):
    mine = do_submit_case(write_case(process, world.manager, title="撤回的案例"), acting_user=world.manager)
    sent = do_submit_case(write_case(process, world.manager, title="不是案例"), acting_user=world.manager)
    do_comment_case(sent, "这只是一句话，不是案例", acting_user=world.consultant_a)
    delete(client, world.manager, mine)
    response = delete(client, world.consultant_a, sent)
    assert response.redirect_chain[-1][0] == reverse("knowledge:cases")
    assert not Case.objects.filter(pk__in=[mine.pk, sent.pk]).exists()
    assert not CaseComment.objects.exists()


def test_it_refuses_a_published_case_and_another_author_s_unsubmitted_draft(client, world, published_case):
    response = delete(client, world.consultant_a, published_case)
    assert "不能删除" in response.content.decode() and "下架" in response.content.decode()
    assert "删除此案例" not in response.content.decode()  # the page offers no deletion
    assert Case.objects.filter(pk=published_case.pk).exists()
    draft = write_case(published_case.cass_map, world.manager, title="他的草稿")
    response = delete(client, world.consultant_a, draft)
    assert "草稿" in response.content.decode() and "不能删除" in response.content.decode()
    assert Case.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(verb="knowledge.discard_case").exists()


def test_it_refuses_another_manager_and_another_city(client, world, process, published_case, other_manager):
    draft = write_case(process, world.manager, title="他的草稿")
    assert "无权删除" in delete(client, other_manager, published_case).content.decode()
    for user in (other_manager, world.manager_b, world.consultant_b):
        response = delete(client, user, draft)
        assert "已不存在" in response.content.decode()  # the same words as for one deleted: nothing told
    assert Case.objects.filter(pk__in=[draft.pk, published_case.pk]).count() == 2
    assert client.get(reverse("knowledge:case_discard", args=[draft.pk])).status_code == 405


def test_it_deletes_through_the_api(client, world, process, published_case, other_manager):
    draft = write_case(process, world.manager, title="他的草稿")
    mine = ApiCaller(client, world.manager)
    assert mine.delete(f"/knowledge/cases/{draft.pk}").status_code == 204
    assert mine.delete(f"/knowledge/cases/{draft.pk}").status_code == 404
    refused = ApiCaller(client, world.consultant_a).delete(f"/knowledge/cases/{published_case.pk}")
    assert refused.status_code == 409 and "下架" in refused.json()["detail_zh"]
    path = f"/knowledge/cases/{published_case.pk}"
    assert ApiCaller(client, other_manager).delete(path).status_code == 403
    assert ApiCaller(client, world.manager_b).delete(path).status_code == 404
    assert list(Case.objects.values_list("pk", flat=True)) == [published_case.pk]


ROLES = ("manager", "other_manager", "team_lead", "city_admin_a", "city_admin_b", "consultant_a", "analyst_a")
REVIEWERS = {"city_admin_a", "consultant_a"}
NEVER_PUBLISHED = {CaseStatus.DRAFT, CaseStatus.IN_REVIEW, CaseStatus.CHANGES_REQUESTED}


@pytest.mark.parametrize("status", list(CaseStatus))
def test_it_deletes_by_each_role_only_what_case_discards_allows(
    client, world, process, other_manager, status
):
    users = {**world.roles(), "other_manager": other_manager}
    for role in ROLES:
        case = write_case(process, world.manager, title=f"{role} 删 {status}")
        Case.objects.filter(pk=case.pk).update(status=status)
        delete(client, users[role], case)
        may = (role == "manager" and status in NEVER_PUBLISHED) or (
            role in REVIEWERS and status in NEVER_PUBLISHED - {CaseStatus.DRAFT}
        )
        assert Case.objects.filter(pk=case.pk).exists() != may, f"{role} deleting from {status}"
