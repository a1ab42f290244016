"""The work guide pages: the list, a guide (all steps, or one step a screen on a phone), the
editors' pages (guide info, steps, images, status) and the PDF (prepared in the background,
then downloaded). Thin: parse, access, act, render."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.models import ResourceStatus
from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, run_action
from casspath.knowledge import queries
from casspath.knowledge.access import (
    access_guide_by_id,
    access_image_in_guide,
    access_step_in_guide,
    may_edit_guide,
)
from casspath.knowledge.actions.guides import (
    do_add_image,
    do_create_guide,
    do_move_step,
    do_remove_image,
    do_remove_step,
    do_save_step,
    do_set_guide_status,
    do_update_guide,
)
from casspath.knowledge.actions.pdf import do_request_guide_pdf
from casspath.knowledge.downloads import guide_pdf_name, image_file_response, pdf_file_response
from casspath.knowledge.forms import GuideForm, ImageForm, NewGuideForm, PdfForm, StatusForm, StepForm
from casspath.knowledge.models import GuidePdf


def _guide_url(guide, name: str = "guide", *rest) -> str:
    return reverse(f"knowledge:{name}", args=[guide.pk, *rest])


@login_required
@require_http_methods(["GET", "POST"])
def guides(request):
    """The guides the user may read; for editors, the form that starts a guide for a work
    item of their maps that has none."""
    user = request.user
    candidates = queries.work_items_without_guide(user)
    form = None
    if candidates.exists():
        form = NewGuideForm(candidates, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            guide = run_action(
                form,
                do_create_guide,
                data["work_item"],
                title=data["title"],
                intro=data["intro"],
                acting_user=user,
            )
            if guide is not REFUSED:
                return redirect(_guide_url(guide, "edit"))
    elif request.method == "POST":
        raise PermissionDenied
    listed = list(queries.guides_for(user))
    return render(request, "knowledge/guides.html", {"guides": listed, "form": form})


def _context(request, guide, **extra) -> dict:
    steps = queries.steps_of(guide)
    return {
        "guide": guide,
        "steps": steps,
        "total": len(steps),
        "may_edit": may_edit_guide(request.user, guide),
        "work_item": guide.work_item,
        "cass_map": guide.resource.cass_map,
        **extra,
    }


@login_required
@require_GET
def guide(request, guide_id: int):
    """The guide's cover and all its steps on one page, with its PDF."""
    found = access_guide_by_id(request.user, guide_id)
    return render(
        request,
        "knowledge/guide.html",
        _context(request, found, pdf=queries.latest_pdf(found), pdf_form=PdfForm()),
    )


@login_required
@require_GET
def step(request, guide_id: int, number: int):
    """One step a screen (a phone in the hand at the customer's desk): previous and next,
    and where one is ("第 2/7 步")."""
    found = access_guide_by_id(request.user, guide_id)
    context = _context(request, found)
    if not 1 <= number <= context["total"]:
        raise Http404("no such step")
    return render(
        request,
        "knowledge/step.html",
        context
        | {
            "step": context["steps"][number - 1],
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < context["total"] else None,
        },
    )


@login_required
@require_GET
def image(request, guide_id: int, image_id: int):
    """An image of a step, to those who may read the guide (a draft's screenshots stay private)."""
    found = access_image_in_guide(access_guide_by_id(request.user, guide_id), image_id)
    return image_file_response(found)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, guide_id: int):
    """The guide's title and introduction, its steps (add, edit, move, remove) and status."""
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    initial = {"title": found.title, "intro": found.intro}
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_action(
            form,
            do_update_guide,
            found,
            title=form.cleaned_data["title"],
            intro=form.cleaned_data["intro"],
            acting_user=user,
        )
        if changed is not REFUSED:
            messages.success(request, _("The guide was saved."))
            return redirect(_guide_url(found, "edit"))
    return render(
        request, "knowledge/edit.html", _context(request, found, form=form, statuses=ResourceStatus)
    )


@login_required
@require_POST
def set_status(request, guide_id: int):
    found = access_guide_by_id(request.user, guide_id, for_edit=True)
    apply_status(request, found, do_set_guide_status)
    return redirect(_guide_url(found, "edit"))


def apply_status(request, found, action) -> None:
    """Set the status a status button posted (guide or course): a refusal shown as a message."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise Http404("no such status")
    try:
        action(found, form.cleaned_data["status"], acting_user=request.user)
    except BilingualError as refused:
        messages.error(request, refused.both())


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, guide_id: int, step_id: int | None = None):
    """Add a step (no step_id) or change one; a step's page also holds its images."""
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    current = access_step_in_guide(found, step_id) if step_id is not None else None
    initial = (
        {name: getattr(current, name) for name in ("title", "text", "tips", "mistakes")} if current else {}
    )
    form = StepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_action(form, do_save_step, found, form.cleaned_data, step=current, acting_user=user)
        if saved is not REFUSED:
            messages.success(request, _("The step was saved."))
            return redirect(_guide_url(found, "step_edit", saved.pk))
    images = list(current.images.order_by("order", "id")) if current else []
    return render(
        request,
        "knowledge/step_form.html",
        {"guide": found, "current": current, "form": form, "images": images, "image_form": ImageForm()},
    )


@login_required
@require_POST
def step_move(request, guide_id: int, step_id: int):
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    current = access_step_in_guide(found, step_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404("no such direction")
    do_move_step(current, offset, acting_user=user)
    return redirect(_guide_url(found, "edit") + "#steps")


@login_required
@require_POST
def step_remove(request, guide_id: int, step_id: int):
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    do_remove_step(access_step_in_guide(found, step_id), acting_user=user)
    messages.success(request, _("The step was removed."))
    return redirect(_guide_url(found, "edit") + "#steps")


@login_required
@require_POST
def image_add(request, guide_id: int, step_id: int):
    """Upload an image to a step (multipart); a refused file is named with the reason and
    nothing is stored."""
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    current = access_step_in_guide(found, step_id)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        added = run_action(
            form,
            do_add_image,
            current,
            form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            acting_user=user,
        )
        if added is not REFUSED:
            messages.success(request, _("The image was added."))
            return redirect(_guide_url(found, "step_edit", current.pk) + "#images")
    return render(
        request,
        "knowledge/step_form.html",
        {
            "guide": found,
            "current": current,
            "images": list(current.images.order_by("order", "id")),
            "image_form": form,
            "form": StepForm(
                initial={name: getattr(current, name) for name in ("title", "text", "tips", "mistakes")}
            ),
        },
        status=400,
    )


@login_required
@require_POST
def image_remove(request, guide_id: int, image_id: int):
    user = request.user
    found = access_guide_by_id(user, guide_id, for_edit=True)
    target = access_image_in_guide(found, image_id)
    do_remove_image(target, acting_user=user)
    messages.success(request, _("The image was removed."))
    return redirect(_guide_url(found, "step_edit", target.step_id) + "#images")


@login_required
@require_POST
def pdf_prepare(request, guide_id: int):
    """Queue the guide's PDF (once: asking again while it is queued, running or printed
    changes nothing) and return to the guide, which shows its progress, then the download."""
    user = request.user
    found = access_guide_by_id(user, guide_id)
    form = PdfForm(request.POST)
    size = form.cleaned_data["page_size"] if form.is_valid() else GuidePdf.PageSize.A5
    do_request_guide_pdf(found, page_size=size, acting_user=user)
    return redirect(_guide_url(found) + "#pdf")


@login_required
@require_GET
def pdf_progress(request, guide_id: int):
    found = access_guide_by_id(request.user, guide_id)
    return render(
        request,
        "knowledge/partials/pdf.html",
        {"guide": found, "pdf": queries.latest_pdf(found), "pdf_form": PdfForm()},
    )


@login_required
@require_GET
def pdf_download(request, guide_id: int):
    """The guide's printed PDF of its current version; until it is printed, back to the
    guide's "prepare" button."""
    found = access_guide_by_id(request.user, guide_id)
    job = queries.latest_pdf(found)
    if job is None or job.status != GuidePdf.Status.SUCCEEDED:
        messages.info(request, _("The PDF has not been prepared yet: prepare it, then download it."))
        return redirect(_guide_url(found) + "#pdf")
    return pdf_file_response(job, guide_pdf_name(found))
