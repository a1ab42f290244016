"""Work guides (工作指引手册): steps, images, printed PDFs."""

from functools import partial

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.validators import validate_text
from casspath.knowledge.models.pdfs import PrintedPdf, delete_pdf_files


class WorkGuide(models.Model):
    resource = models.OneToOneField(
        "cass.Resource",
        on_delete=models.CASCADE,
        related_name="work_guide",
        verbose_name=pgettext_lazy("work guide", "learning resource"),
    )
    # One guide per work event (工作事件).
    work_item = models.OneToOneField(
        "cass.WorkItem",
        on_delete=models.CASCADE,
        related_name="work_guide",
        verbose_name=pgettext_lazy("work guide", "work item"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    intro = models.TextField(
        pgettext_lazy("work guide", "introduction"), blank=True, validators=[validate_text]
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Changed by every write to the guide, its steps or images: a PDF printed before is stale.
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["work_item__code"]
        verbose_name = pgettext_lazy("work guide", "work guide")
        verbose_name_plural = pgettext_lazy("work guide", "work guides")

    def __str__(self) -> str:
        return self.title


def lines(text: str) -> list[str]:
    """A tips or mistakes field as its points, one a line, blank lines left out."""
    return [line.strip().lstrip("-•·").strip() for line in text.splitlines() if line.strip()]


class GuideStep(models.Model):
    guide = models.ForeignKey(WorkGuide, on_delete=models.CASCADE, related_name="steps")
    # 1, 2, 3… with no gap: the actions renumber on removal and swap on a move.
    order = models.PositiveSmallIntegerField(pgettext_lazy("work guide", "order"), default=1)
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    text = models.TextField(pgettext_lazy("work guide", "what to do"), blank=True, validators=[validate_text])
    tips = models.TextField(
        pgettext_lazy("work guide", "tips"),
        blank=True,
        validators=[validate_text],
        help_text=_("One point a line."),
    )
    mistakes = models.TextField(
        pgettext_lazy("work guide", "mistakes to avoid"),
        blank=True,
        validators=[validate_text],
        help_text=_("One point a line."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("guide step")
        verbose_name_plural = _("guide steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def tip_lines(self) -> list[str]:
        return lines(self.tips)

    @property
    def mistake_lines(self) -> list[str]:
        return lines(self.mistakes)


class GuideImage(models.Model):
    """An image of a step, stored through Django's storage API and served by an
    access-checked view (a draft guide's screenshots are not public)."""

    step = models.ForeignKey(GuideStep, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(
        pgettext_lazy("work guide", "image file"), upload_to="guides/%Y/%m/", max_length=300
    )
    content_type = models.CharField(pgettext_lazy("work guide", "media type"), max_length=40)
    width = models.PositiveIntegerField(pgettext_lazy("work guide", "width"), default=0)
    height = models.PositiveIntegerField(pgettext_lazy("work guide", "height"), default=0)
    caption = models.CharField(
        pgettext_lazy("work guide", "caption"), max_length=200, blank=True, validators=[validate_text]
    )
    order = models.PositiveSmallIntegerField(pgettext_lazy("work guide", "order"), default=1)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("guide image")
        verbose_name_plural = _("guide images")

    def __str__(self) -> str:
        return self.caption or self.file.name or ""


class GuidePdf(PrintedPdf):
    """A guide printed to PDF in the background (WeasyPrint takes seconds) and kept: the
    file serves every download until the guide changes (`edition`, the guide's updated_at
    when asked); then the next request prints it again."""

    job_task = "casspath.knowledge.tasks.render_guide_pdf"
    folder = "guide-pdfs"

    class PageSize(models.TextChoices):
        A4 = "A4", "A4"
        A5 = "A5", "A5"

    guide = models.ForeignKey(
        WorkGuide,
        on_delete=models.CASCADE,
        related_name="pdfs",
        verbose_name=pgettext_lazy("work guide", "work guide"),
    )
    edition = models.DateTimeField(pgettext_lazy("work guide", "guide version"))
    page_size = models.CharField(
        pgettext_lazy("work guide", "page size"), max_length=4, choices=PageSize.choices, default=PageSize.A5
    )

    class Meta(PrintedPdf.Meta):
        verbose_name = _("work guide PDF")
        verbose_name_plural = _("work guide PDFs")

    def __str__(self) -> str:
        return f"{self.guide_id} {self.page_size} {self.status}"

    @property
    def owner_id(self) -> int:
        return self.guide_id


@receiver(post_delete, sender=GuideImage, dispatch_uid="knowledge.guide_image_file")
def _delete_image_file(sender, instance: GuideImage, using, **kwargs) -> None:
    """An image's file goes with its row, however the row goes (its step, guide, resource or
    map removed), once the deletion commits: a deletion rolled back keeps it."""
    from casspath.knowledge.actions.pdf import delete_files  # actions import this module

    if instance.file.name:
        transaction.on_commit(partial(delete_files, instance.file.storage, [instance.file.name]), using=using)


@receiver(post_delete, sender=GuidePdf, dispatch_uid="knowledge.guide_pdf_files")
def _delete_guide_pdf_files(sender, instance: GuidePdf, using, **kwargs) -> None:
    delete_pdf_files(instance, using)
