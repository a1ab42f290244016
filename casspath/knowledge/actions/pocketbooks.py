"""Asking for a pocket book (口袋书): the selection checked as the asker
(knowledge/pocketbook_selection.py), a PocketBook job queued and audited through the PDF
machinery (actions/pdf.py `queue`) and printed by its one print path, an item at a time."""

from django.db import transaction

from casspath.cass.models import CassMap
from casspath.core.actors import SystemActor
from casspath.knowledge.actions.pdf import queue
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import PocketBook
from casspath.knowledge.pocketbook_selection import Selection, choose


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
        job = PocketBook(**values, progress_total=selection.count)
        queue(
            job,
            summary=f"{job.title}：{selection.count}",
            verb=KnowledgeVerb.QUEUE_POCKETBOOK,
            unit=cass_map.org_unit,
            acting_user=acting_user,
        )
    return job
