"""A work guide, a product course or a lecturer manual as one self-contained HTML document,
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
    """The image as a data: URI; "" when its file is gone from storage (the PDF is printed
    without it, its caption kept, rather than not at all)."""
    try:
        with image.file.open("rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        logger.warning("guide image %s: its file %s is gone", image.pk, image.file.name)
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


def print_pdf(document: str) -> bytes:
    import weasyprint  # loads Pango and its fonts: seconds, paid only by those who print

    return weasyprint.HTML(string=document).write_pdf()
