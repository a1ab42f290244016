"""A guide's printed PDF as a download, for the page and the API alike."""

from django.http import FileResponse, Http404

from casspath.knowledge.models import GuideImage, GuidePdf, ProductActivationStep, WorkGuide


def pdf_file_response(guide: WorkGuide, job: GuidePdf) -> FileResponse:
    """The job's PDF, named by the guide's work item and title (Django spells a Chinese name
    as RFC 5987's filename*); 404 when the storage lost the file."""
    try:
        stored = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("the PDF file is gone") from None
    return FileResponse(stored, content_type="application/pdf", as_attachment=True,
                        filename=f"{guide.work_item.code}-{guide.title}.pdf")


def image_file_response(image: GuideImage | ProductActivationStep) -> FileResponse:
    """A guide step's image or a product's activation screenshot, kept in the browser's private
    cache for an hour (a draft's screenshots are private); 404 when the storage lost the file."""
    try:
        stored = image.file.open("rb")
    except FileNotFoundError:
        raise Http404("the image file is gone") from None
    response = FileResponse(stored, content_type=image.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
