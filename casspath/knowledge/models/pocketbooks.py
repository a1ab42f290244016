"""Pocket books (口袋书): an A6 PDF of chosen work guides, product cards and Q&A cards of one
CASS map, with a cover and a table of contents, printed in the background (a PrintedPdf job)
for the one who asked. A book is what was chosen when asked: it is not printed again when
its items change (ask for a new one).

Presets (a named choice) are data: POCKETBOOK_PRESETS below, and one "family:<name>" per
product family of the map (knowledge/pocketbook_selection.py resolves both)."""

from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.validators import validate_text
from casspath.knowledge.models.pdfs import PrintedPdf, delete_pdf_files

FAMILY_PRESET = "family:"  # + a product family's name: that family's products and their Q&A cards


@dataclass(frozen=True)
class Preset:
    """A named choice. `guides`: how many of the map's published work guides, by the map's
    order of work items (None: none). `products`: "category_leaders" (the first product on
    sale of each category, by code) or "" (none). `cards`: how many published Q&A cards whose
    product_code is one of the chosen products, by code; when none matches, the map's first
    published cards by code."""

    title: str
    title_en: str
    guides: int | None
    products: str
    cards: int


POCKETBOOK_PRESETS: dict[str, Preset] = {
    "new_manager": Preset(
        "新人口袋书", "New manager's pocket book", guides=8, products="category_leaders", cards=20
    ),
}
DEFAULT_PRESET = "new_manager"
FAMILY_CARDS = 30  # the Q&A cards a family's pocket book holds at most


class PocketBook(PrintedPdf):
    """An A6 pocket book asked by one user: its map, title, preset (blank: a hand-picked
    selection) and selection in order (guide ids, product codes, Q&A card resource ids)."""

    job_task = "casspath.knowledge.tasks.render_pocketbook"
    folder = "pocketbooks"
    page_size = "A6"

    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="pocketbooks",
        verbose_name=pgettext_lazy("pocket book", "CASS map"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    preset = models.CharField(pgettext_lazy("pocket book", "preset"), max_length=120, blank=True)
    guide_ids = models.JSONField(pgettext_lazy("pocket book", "work guides"), default=list, blank=True)
    product_codes = models.JSONField(pgettext_lazy("pocket book", "products"), default=list, blank=True)
    card_ids = models.JSONField(pgettext_lazy("pocket book", "Q&A cards"), default=list, blank=True)

    class Meta(PrintedPdf.Meta):
        verbose_name = pgettext_lazy("pocket book", "pocket book")
        verbose_name_plural = pgettext_lazy("pocket book", "pocket books")

    def __str__(self) -> str:
        return f"{self.title} {self.status}"

    @property
    def owner_id(self) -> int:
        return self.cass_map_id

    @property
    def item_count(self) -> int:
        return len(self.guide_ids) + len(self.product_codes) + len(self.card_ids)


@receiver(post_delete, sender=PocketBook, dispatch_uid="knowledge.pocketbook_files")
def _delete_pocketbook_files(sender, instance: PocketBook, using, **kwargs) -> None:
    delete_pdf_files(instance, using)
