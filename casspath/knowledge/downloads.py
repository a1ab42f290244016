"""A printed PDF (a guide, a course, a manual) as a download, for the pages and the API alike."""

from django.http import FileResponse, Http404

from casspath.knowledge.models import GuideImage, PrintedPdf, ProductActivationStep, WorkGuide


def guide_pdf_name(guide: WorkGuide) -> str:
    return f"{guide.work_item.code}-{guide.title}.pdf"


def pdf_file_response(job: PrintedPdf, filename: str) -> FileResponse:
    """The job's PDF as `filename` (Django spells a Chinese name as RFC 5987's filename*);
    404 when the storage lost the file."""
    try:
        stored = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("the PDF file is gone") from None
    # FileResponse keeps what follows the last slash (a path's base name): a title's "/" is no path.
    filename = filename.replace("/", "-").replace("\\", "-")
    return FileResponse(stored, content_type="application/pdf", as_attachment=True, filename=filename)


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
