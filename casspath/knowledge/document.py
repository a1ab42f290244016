"""A work guide, a product course, a lecturer manual or a pocket book as one self-contained HTML document,
printed to PDF by WeasyPrint. A guide: a cover, then the steps, each with its text, images,
tips and mistakes to avoid. Images are data:
URIs read through the storage API (no URL to fetch, nothing outside the file); text is real
text in Noto Sans CJK (Debian's fonts-noto-cjk), subset and embedded into the PDF."""

import base64
import logging
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone, translation

from casspath.knowledge import queries
from casspath.knowledge.models import Course, GuideStep, WorkGuide

logger = logging.getLogger(__name__)


def image_uri(image) -> str:
    """The image (a guide image, an activation step's screenshot: anything with `file` and
    `content_type`) as a data: URI; "" when its file is gone from storage (the PDF is
    printed without it, its caption kept, rather than not at all)."""
    try:
        with image.file.open("rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        logger.warning("%s %s: its file %s is gone", image._meta.label, image.pk, image.file.name)
        return ""
    return f"data:{image.content_type};base64,{base64.b64encode(data).decode('ascii')}"


def html(
    guide: WorkGuide,
    steps: list[GuideStep],
    *,
    page_size: str = "A5",
    language: str = "zh-hans",
    on_step: Callable[[int], None] | None = None,
) -> str:
    """The guide's document; `on_step(n)` is called as each step's images are read."""
    rows = []
    for number, step in enumerate(steps, start=1):
        rows.append(
            {
                "step": step,
                "number": number,
                "images": [
                    {"uri": image_uri(image), "caption": image.caption} for image in step.images.all()
                ],
            }
        )
        if on_step is not None:
            on_step(number)
    with translation.override(language):
        return render_to_string(
            "knowledge/pdf/guide.html",
            {
                "guide": guide,
                "rows": rows,
                "total": len(rows),
                "page_size": page_size,
                "cass_map": guide.resource.cass_map,
                "work_item": guide.work_item,
                "printed": f"{timezone.localdate():%Y-%m-%d}",
                "language": "zh-Hans" if language.startswith("zh") else "en",
            },
        )


def course_html(course: Course, document: str, *, language: str = "zh-hans") -> str:
    """A course (its content and check) or its lecturer manual (the session's script on its
    clock) as an A4 document; the review material closes the course's."""
    with translation.override(language):
        return render_to_string(
            f"knowledge/pdf/{document}.html",
            {
                "course": course,
                "product": course.product,
                "manual": course.manual,
                "questions": queries.questions_of(course),
                "cass_map": course.resource.cass_map,
                "printed": f"{timezone.localdate():%Y-%m-%d}",
                "language": "zh-Hans" if language.startswith("zh") else "en",
                **(queries.script_of(course) if document == "manual" else {}),
            },
        )


def pocketbook_html(
    book, selection, *, language: str = "zh-hans", on_item: Callable[[int], None] | None = None
) -> str:
    """A pocket book (`book`: a PocketBook, `selection`: its pocketbook_selection.Selection)
    as an A6 document: a cover, the table of contents (page numbers by WeasyPrint's
    target-counter), then its work guides (steps, tips, mistakes, small images), product
    cards (selling points, tariff, activation steps with their screenshots) and Q&A cards.
    `on_item(n)` is called as each item is laid out."""
    done = 0

    def laid_out() -> None:
        nonlocal done
        done += 1
        if on_item is not None:
            on_item(done)

    guides = []
    for guide in selection.guides:
        steps = queries.steps_of(guide)
        guides.append(
            {
                "guide": guide,
                "anchor": f"g{guide.pk}",
                "steps": [
                    {
                        "step": step,
                        "images": [{"uri": image_uri(i), "caption": i.caption} for i in step.images.all()],
                    }
                    for step in steps
                ],
            }
        )
        laid_out()
    products = []
    for product in selection.products:
        products.append(
            {
                "product": product,
                "anchor": f"p{product.pk}",
                "tariffs": list(product.tariffs.order_by("order", "id")),
                "steps": [
                    {"step": step, "uri": image_uri(step) if step.image else ""}
                    for step in product.activation_steps.order_by("order", "id")
                ],
            }
        )
        laid_out()
    cards = []
    for card in selection.cards:
        cards.append({"resource": card, "card": card.qa_card, "anchor": f"q{card.pk}"})
        laid_out()
    with translation.override(language):
        return render_to_string(
            "knowledge/pdf/pocketbook.html",
            {
                "book": book,
                "cass_map": book.cass_map,
                "guides": guides,
                "products": products,
                "cards": cards,
                "printed": f"{timezone.localdate():%Y-%m-%d}",
                "language": "zh-Hans" if language.startswith("zh") else "en",
            },
        )


def print_pdf(document: str) -> bytes:
    import weasyprint  # loads Pango and its fonts: seconds, paid only by those who print

    return weasyprint.HTML(string=document).write_pdf()
