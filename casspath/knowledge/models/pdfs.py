"""Printed PDFs (a work guide, a product course, a lecturer manual): one background job
shape (casspath.core.jobs) kept until what it printed changes. Each printed thing has its
job model, a subclass naming its owner, its task and its folder."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core.jobs import Job
from casspath.core.storage import private_storage


def _pdf_file_name(job: "PrintedPdf", name: str) -> str:
    return f"{job.folder}/{job.owner_id}/{name}"


class PrintedPdf(Job):
    """A document printed to PDF in the background (WeasyPrint takes seconds) and kept: the
    file serves every download until its owner changes (`edition`, the owner's updated_at
    when asked); then the next request prints it again. Subclasses add `edition`, the owner
    (`owner_id`) and `page_size`."""

    folder = "pdfs"

    file = models.FileField(
        _("file"), upload_to=_pdf_file_name, storage=private_storage, blank=True, max_length=200
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_by_label = models.CharField(_("asked by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def owner_id(self) -> int:
        raise NotImplementedError

    def attempt_file_name(self, attempt: int) -> str:
        return self.file.field.generate_filename(self, f"{self.pk}-{attempt}.pdf")

    def file_names(self) -> list[str]:
        names = {self.attempt_file_name(attempt) for attempt in range(1, self.attempt + 1)}
        if self.file.name:
            names.add(self.file.name)
        return sorted(names)


def delete_pdf_files(job: PrintedPdf, using) -> None:
    """A printed PDF's files go with its row, once the deletion commits (models' post_delete)."""
    from functools import partial

    from casspath.knowledge.actions.pdf import delete_files  # actions import this module

    transaction.on_commit(partial(delete_files, job.file.storage, job.file_names()), using=using)
