"""Pocket book jobs per asker (POST /knowledge/pocketbooks/ and .../<id>/retry/): at most
JOB_LIVE_PER_USER queued or printing at once (core.jobs.limit_per_user), refused in both
languages past it; a failed book offers its asker a retry of the same choice, audited, which a
double click does not queue twice, and which is refused to anyone else."""

import pytest

from casspath.core import jobs
from casspath.core.errors import BilingualError
from casspath.core.models import AuditEvent
from casspath.knowledge.models import PocketBook
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

URL = "/knowledge/pocketbooks/"


@pytest.fixture
def no_worker(monkeypatch):
    monkeypatch.setattr("casspath.core.jobs.enqueue", lambda job: None)  # no worker: books stay queued


def ask(client, pocket, title: str):
    data = {"map": pocket.cass_map.pk, "mode": "preset", "preset": "new_manager", "title": title}
    return client.post(URL, data)


def failed_book(client, world, pocket) -> PocketBook:
    log_in(client, world.manager)
    data = {"map": pocket.cass_map.pk, "mode": "pick", "cards": [pocket.card_ip.pk], "title": "卡片"}
    client.post(URL, data)
    book = PocketBook.objects.get(title="卡片")
    failed = jobs.fail(book, BilingualError("队列不可用", "The queue is down"), held=False, retryable=True)
    assert failed is not None and failed.status == PocketBook.Status.FAILED
    return failed


def test_it_refuses_a_fourth_book_while_three_are_queued(client, world, pocket, no_worker, settings):
    assert settings.JOB_LIVE_PER_USER == 3
    log_in(client, world.manager)
    for title in ("一号", "二号", "三号"):
        assert ask(client, pocket, title).status_code == 302
    response = ask(client, pocket, "四号")
    page = response.content.decode()
    assert response.status_code == 400
    assert "您已有 3 本口袋书正在排队或生成" in page
    assert "You already have 3 pocket books queued or running" in page
    assert PocketBook.objects.count() == 3
    # The same choice again is the book already queued, not a new one.
    assert ask(client, pocket, "一号").status_code == 302 and PocketBook.objects.count() == 3
    # Another asker has his own three.
    log_in(client, world.team_lead)
    assert ask(client, pocket, "四号").status_code == 302
    # Once one of the manager's is done, he may ask again.
    first = PocketBook.objects.get(title="一号")
    jobs.fail(first, BilingualError("停止", "Stopped"), held=False)
    log_in(client, world.manager)
    assert ask(client, pocket, "四号").status_code == 302
    assert PocketBook.objects.filter(created_by=world.manager).count() == 4


def test_it_retries_a_failed_book_with_the_same_choice_once(client, world, pocket, no_worker):
    failed = failed_book(client, world, pocket)
    page = client.get(f"{URL}{failed.pk}/").content.decode()
    assert f'action="{URL}{failed.pk}/retry/"' in page
    first = client.post(f"{URL}{failed.pk}/retry/")
    second = client.post(f"{URL}{failed.pk}/retry/")  # a double click
    again = PocketBook.objects.exclude(pk=failed.pk).get()
    assert first["Location"] == second["Location"] == f"{URL}{again.pk}/"
    assert again.status == PocketBook.Status.QUEUED and again.created_by == world.manager
    assert (again.title, again.preset, again.guide_ids, again.product_codes, again.card_ids) == (
        failed.title, failed.preset, failed.guide_ids, failed.product_codes, failed.card_ids
    )  # fmt: skip
    assert AuditEvent.objects.filter(verb="knowledge.retry_pocketbook", object_id=str(again.pk)).count() == 1
    failed.refresh_from_db()
    assert failed.status == PocketBook.Status.FAILED  # kept, with its reason


def test_it_refuses_the_retry_to_anyone_but_the_asker(client, world, pocket, no_worker):
    failed = failed_book(client, world, pocket)
    log_in(client, world.city_admin_a)  # sees the book (he may edit the map), did not ask for it
    page = client.get(f"{URL}{failed.pk}/").content.decode()
    assert "/retry/" not in page
    assert client.post(f"{URL}{failed.pk}/retry/").status_code == 403
    for other in (world.team_lead, world.outsider, world.city_admin_b):
        log_in(client, other)
        assert client.post(f"{URL}{failed.pk}/retry/").status_code == 404
    assert PocketBook.objects.count() == 1


def test_it_refuses_to_retry_a_book_that_did_not_fail(client, world, pocket, no_worker):
    log_in(client, world.manager)
    ask(client, pocket, "一号")
    book = PocketBook.objects.get()
    response = client.post(f"{URL}{book.pk}/retry/", follow=True)
    assert "没有失败" in response.content.decode() and PocketBook.objects.count() == 1
