"""Asking for a pocket book (口袋书): the selection checked as the asker
(knowledge/pocketbook_selection.py), a PocketBook job queued and audited through the PDF
machinery (actions/pdf.py `queue`) and printed by its one print path, an item at a time; at
most JOB_LIVE_PER_USER queued or printing for one asker (core.jobs.limit_per_user). A failed
book is retried as a new one of the same choice, by its asker."""

from django.db import transaction

from casspath.cass.models import CassMap
from casspath.core import jobs
from casspath.core.actors import SystemActor, actor_label
from casspath.knowledge.actions.pdf import queue
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import PocketBook
from casspath.knowledge.pocketbook_selection import PocketBookError, Selection, choose
from casspath.org import scopes


def do_request_pocketbook(
    cass_map: CassMap,
    *,
    preset: str = "",
    guide_ids=(),
    product_codes=(),
    card_ids=(),
    picked: bool | None = None,
    title: str = "",
    acting_user,
) -> PocketBook:
    """A pocket book of the map (read access suffices: the caller has accessed it) holding a
    preset's selection or the items chosen (see pocketbook_selection.choose; refused with a
    PocketBookError naming each bad value), titled `title` or the preset's. The same asker
    asking the same while his book is queued or running gets that book."""
    selection: Selection = choose(
        cass_map,
        acting_user,
        preset=preset,
        guide_ids=guide_ids,
        product_codes=product_codes,
        card_ids=card_ids,
        picked=picked,
    )
    values = {
        "cass_map": cass_map,
        "title": title.strip() or selection.title or "口袋书",
        "preset": selection.preset,
        "guide_ids": [g.pk for g in selection.guides],
        "product_codes": [p.code for p in selection.products],
        "card_ids": [c.pk for c in selection.cards],
    }
    asker = None if isinstance(acting_user, SystemActor) else acting_user
    with transaction.atomic():
        live = (
            PocketBook.objects.select_for_update()
            .filter(
                cass_map=cass_map,
                created_by=asker,
                status__in=(PocketBook.Status.QUEUED, PocketBook.Status.RUNNING),
            )
            .order_by("-created_at", "-id")
        )
        for book in live:
            if all(getattr(book, name) == value for name, value in values.items() if name != "cass_map"):
                return book
        _limit(asker)
        job = PocketBook(**values, progress_total=selection.count)
        queue(
            job,
            summary=f"{job.title}：{selection.count}",
            verb=KnowledgeVerb.QUEUE_POCKETBOOK,
            unit=cass_map.org_unit,
            acting_user=acting_user,
        )
    return job


def _limit(asker) -> None:
    """At most JOB_LIVE_PER_USER books queued or printing for one asker (core.jobs)."""
    jobs.limit_per_user(PocketBook, asker, what_zh="本口袋书", what_en="pocket books")


CHOICE = ("title", "preset", "guide_ids", "product_codes", "card_ids")


def do_retry_pocketbook(failed: PocketBook, *, acting_user) -> PocketBook:
    """Print a failed book's very choice again, as a new book (the failed one keeps its
    reason): its asker only. Asking twice (a double click) gets the book the first asked for:
    the asker's book of the same choice asked after the failed one, if any is not failed."""
    if failed.created_by_id is None or failed.created_by_id != getattr(acting_user, "pk", None):
        who = actor_label(acting_user)
        raise scopes.ScopeRefused(
            f"{who} 不是口袋书“{failed.title}”的申请人，不能重试",
            f"{who} did not ask for the pocket book '{failed.title}' and may not retry it",
        )
    with transaction.atomic():
        book = PocketBook.objects.select_for_update().select_related("cass_map__org_unit").get(pk=failed.pk)
        if book.status != PocketBook.Status.FAILED:
            raise PocketBookError(
                f"口袋书“{book.title}”没有失败，无需重试", f"The pocket book '{book.title}' has not failed"
            )
        choice = {name: getattr(book, name) for name in CHOICE}
        again = (
            PocketBook.objects.filter(
                cass_map=book.cass_map, created_by=acting_user, created_at__gte=book.created_at, **choice
            )
            .exclude(pk=book.pk)
            .exclude(status=PocketBook.Status.FAILED)
            .order_by("created_at", "id")
            .first()
        )
        if again is not None:
            return again
        _limit(acting_user)
        job = PocketBook(cass_map=book.cass_map, **choice, progress_total=book.item_count)
        queue(
            job,
            summary=f"{job.title}：{book.item_count}（重试 {book.pk} / retry of {book.pk}）",
            verb=KnowledgeVerb.RETRY_POCKETBOOK,
            unit=book.cass_map.org_unit,
            acting_user=acting_user,
        )
    return job
