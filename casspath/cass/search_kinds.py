"""cass's kind of search documents (casspath/search/registry.py): Q&A cards, registered
from CassConfig.ready. A card's document is its resource's (the id the card's page takes):
the question its title, the resource's summary its head, the answer and the tags its body;
filtered by the resource's dimensions and the card's product code."""

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from casspath.cass.access import visible_resources_q
from casspath.cass.models import QACard, Resource, ResourceKind, ResourceSkill
from casspath.search.registry import Document, Kind, id_url, register, tag


def card_documents(ids: list[int]) -> list[Document]:
    cards = (
        QACard.objects.filter(resource_id__in=ids, resource__kind=ResourceKind.QA_CARD)
        .select_related("resource")
        .order_by("resource_id")
    )
    dimensions: dict[int, set[str]] = {}
    for resource_id, code in ResourceSkill.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "dimension_code"
    ):
        dimensions.setdefault(resource_id, set()).add(code)
    docs = []
    for card in cards:
        tags = {tag("dimension", code) for code in dimensions.get(card.resource_id, ())}
        if card.product_code:
            tags.add(tag("product", card.product_code))
        summary = card.resource.summary
        head = "" if summary.strip() in card.answer else summary  # the demo's summary is the answer
        docs.append(
            Document(
                obj_id=card.resource_id,
                code=card.resource.code,
                title=card.question,
                head=head,
                body="\n".join([card.answer, " ".join(str(t) for t in card.tags or [])]).strip(),
                tags=tags,
            )
        )
    return docs


def _visible_cards_q(user) -> Q:
    return visible_resources_q(user) & Q(kind=ResourceKind.QA_CARD)


def _card_ids() -> list[int]:
    return list(QACard.objects.values_list("resource_id", flat=True))


def register_kinds() -> None:
    register(
        Kind(
            name="card",
            key=4,
            label=pgettext_lazy("search", "Q&A cards"),
            model=Resource,
            build=card_documents,
            visible_q=_visible_cards_q,
            url=id_url("cass:card"),
            order=40,
            all_ids=_card_ids,
            watch={
                Resource: lambda resource: [resource.pk] if resource.kind == ResourceKind.QA_CARD else [],
                QACard: lambda card: [card.resource_id],
                ResourceSkill: lambda skill: [skill.resource_id],
            },
        )
    )
