"""Product skill courses (产品技能课程) and their lecturer manuals (讲师手册).

A course teaches one product of a map's product map (one course a product): what it is
(定义), what it does (功能), why customers buy it (卖点), how it is opened (开通流程) and how to
sell it (营销技巧), closed by a short check of three questions. Its review material
(补充材料) holds the product's full detail. It is a learning resource of kind course
(cass.Resource, one to one), as a work guide is: the resource's status (draft, published,
retired) and its duration, the reading time of its text (casspath.analytics.reading).

Its lecturer manual is the script an internal lecturer reads aloud to run a 15–20 minute team
session: segments in order, each with its minutes, what to say, what to show, what to ask and
the answers expected (casspath.analytics.sessions checks the total when the course is
published). The manual is published with its course.
"""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.validators import TextLimited, validate_text
from casspath.knowledge.models.guides import lines
from casspath.knowledge.models.pdfs import PrintedPdf, delete_pdf_files

# The fields of a course an editor writes (the actions take these).
COURSE_FIELDS = (
    "title",
    "definition",
    "functions",
    "selling_points",
    "activation",
    "marketing",
    "review_material",
)


def _text(label, **extra) -> models.TextField:
    return models.TextField(label, blank=True, validators=[validate_text], **extra)


class Course(TextLimited):

    TEXT_LIMITS = {
        **dict.fromkeys(("definition", "functions", "selling_points", "activation", "marketing"), 5_000),
        "review_material": 20_000,
    }
    resource = models.OneToOneField(
        "cass.Resource",
        on_delete=models.CASCADE,
        related_name="course",
        verbose_name=pgettext_lazy("course", "learning resource"),
    )
    # One course per product: its map is the product's.
    product = models.OneToOneField(
        "knowledge.Product",
        on_delete=models.CASCADE,
        related_name="course",
        verbose_name=pgettext_lazy("course", "product"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    definition = _text(pgettext_lazy("course", "definition"))
    functions = _text(pgettext_lazy("course", "functions"), help_text=_("One point a line."))
    selling_points = _text(pgettext_lazy("course", "selling points"), help_text=_("One point a line."))
    activation = _text(pgettext_lazy("course", "activation process"), help_text=_("One point a line."))
    marketing = _text(pgettext_lazy("course", "marketing techniques"), help_text=_("One point a line."))
    review_material = _text(pgettext_lazy("course", "review material"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Changed by every write to the course, its check or its manual: a PDF printed before is stale.
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["product__code"]
        verbose_name = pgettext_lazy("course", "product course")
        verbose_name_plural = pgettext_lazy("course", "product courses")

    def __str__(self) -> str:
        return self.title

    @property
    def code(self) -> str:
        return self.resource.code

    @property
    def function_lines(self) -> list[str]:
        return lines(self.functions)

    @property
    def selling_point_lines(self) -> list[str]:
        return lines(self.selling_points)

    @property
    def activation_lines(self) -> list[str]:
        return lines(self.activation)

    @property
    def marketing_lines(self) -> list[str]:
        return lines(self.marketing)


class CourseQuestion(TextLimited):
    """A question of the course's check (三道题): single choice, the options one a line, the
    answer one of them (the actions check it)."""

    TEXT_LIMITS = {"stem": 2_000, "options": 2_000, "explanation": 5_000}

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(pgettext_lazy("course", "order"), default=1)
    stem = models.TextField(pgettext_lazy("course", "question"), validators=[validate_text])
    options = models.TextField(
        pgettext_lazy("course", "options"), validators=[validate_text], help_text=_("One option a line.")
    )
    answer = models.CharField(
        pgettext_lazy("course", "answer"),
        max_length=200,
        validators=[validate_text],
        help_text=_("The right option, as written among the options."),
    )
    explanation = _text(pgettext_lazy("course", "explanation"))

    class Meta:
        ordering = ["order", "id"]
        verbose_name = pgettext_lazy("course", "check question")
        verbose_name_plural = pgettext_lazy("course", "check questions")

    def __str__(self) -> str:
        return f"{self.order}. {self.stem[:40]}"

    @property
    def option_lines(self) -> list[str]:
        return lines(self.options)


class LecturerManual(TextLimited):
    """The script of the course's team session (one per course)."""

    TEXT_LIMITS = {"objective": 5_000, "preparation": 5_000}

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="manual")
    objective = _text(pgettext_lazy("course", "session objective"))
    preparation = _text(pgettext_lazy("course", "preparation"), help_text=_("One point a line."))

    class Meta:
        verbose_name = pgettext_lazy("course", "lecturer manual")
        verbose_name_plural = pgettext_lazy("course", "lecturer manuals")

    def __str__(self) -> str:
        return f"{self.course.title}"

    @property
    def preparation_lines(self) -> list[str]:
        return lines(self.preparation)


class SegmentKind(models.TextChoices):
    SAY = "say", pgettext_lazy("manual segment", "say (讲)")
    SHOW = "show", pgettext_lazy("manual segment", "show (展示)")
    ASK = "ask", pgettext_lazy("manual segment", "ask (提问)")
    ACTIVITY = "activity", pgettext_lazy("manual segment", "activity (练习)")


class ManualSegment(TextLimited):
    """A timed part of the session, in order: what the lecturer says word for word, what he
    shows, the question he asks and the answers he expects."""

    TEXT_LIMITS = dict.fromkeys(("say", "show", "question", "expected"), 5_000)

    manual = models.ForeignKey(LecturerManual, on_delete=models.CASCADE, related_name="segments")
    # 1, 2, 3… with no gap: the actions renumber on removal and swap on a move.
    order = models.PositiveSmallIntegerField(pgettext_lazy("course", "order"), default=1)
    minutes = models.PositiveSmallIntegerField(pgettext_lazy("manual segment", "minutes"), default=1)
    kind = models.CharField(
        pgettext_lazy("manual segment", "kind"),
        max_length=10,
        choices=SegmentKind.choices,
        default=SegmentKind.SAY,
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    say = _text(pgettext_lazy("manual segment", "what to say"))
    show = _text(pgettext_lazy("manual segment", "what to show"))
    question = _text(pgettext_lazy("manual segment", "question to ask"))
    expected = _text(pgettext_lazy("manual segment", "expected answers"), help_text=_("One point a line."))
    # Not a field: its place on the session's clock (casspath.analytics.sessions.Slot), set by
    # queries.script_of.
    slot: Any = None

    class Meta:
        ordering = ["order", "id"]
        verbose_name = pgettext_lazy("manual segment", "manual segment")
        verbose_name_plural = pgettext_lazy("manual segment", "manual segments")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def expected_lines(self) -> list[str]:
        return lines(self.expected)


class CoursePdf(PrintedPdf):
    """A course or its lecturer manual printed to PDF (A4), kept until the course changes."""

    job_task = "casspath.knowledge.tasks.render_course_pdf"
    folder = "course-pdfs"

    class Document(models.TextChoices):
        COURSE = "course", pgettext_lazy("course", "course")
        MANUAL = "manual", pgettext_lazy("course", "lecturer manual")

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="pdfs",
        verbose_name=pgettext_lazy("course", "product course"),
    )
    document = models.CharField(
        pgettext_lazy("course", "document"), max_length=10, choices=Document.choices, default=Document.COURSE
    )
    edition = models.DateTimeField(pgettext_lazy("course", "course version"))
    page_size = models.CharField(
        pgettext_lazy("course", "page size"), max_length=4, default="A4", editable=False
    )

    class Meta(PrintedPdf.Meta):
        verbose_name = _("course PDF")
        verbose_name_plural = _("course PDFs")

    def __str__(self) -> str:
        return f"{self.course_id} {self.document} {self.status}"

    @property
    def owner_id(self) -> int:
        return self.course_id


@receiver(post_delete, sender=CoursePdf, dispatch_uid="knowledge.course_pdf_files")
def _delete_course_pdf_files(sender, instance: CoursePdf, using, **kwargs) -> None:
    delete_pdf_files(instance, using)
