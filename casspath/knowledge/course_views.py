"""The product course pages: the list, a course (with its three-question check answered on
the page), its lecturer manual (the session's script on its clock, printable), its review
material, the editors' pages (course, check, manual and its segments, status) and the PDFs
(prepared in the background, then downloaded). Thin: parse, access, act, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.models import ResourceStatus
from casspath.core.forms import REFUSED, run_action
from casspath.knowledge import queries
from casspath.knowledge.access import (
    access_course_by_id,
    access_manual_by_course_id,
    access_question_in_course,
    access_segment_in_course,
    may_edit_course,
    may_read_manual,
)
from casspath.knowledge.actions.courses import (
    MANUAL_FIELDS,
    QUESTION_FIELDS,
    SEGMENT_FIELDS,
    do_create_course,
    do_move_segment,
    do_remove_question,
    do_remove_segment,
    do_save_question,
    do_save_segment,
    do_set_course_status,
    do_update_course,
    do_update_manual,
    publish_problems,
)
from casspath.knowledge.actions.pdf import do_request_course_pdf
from casspath.knowledge.course_forms import CourseForm, ManualForm, NewCourseForm, QuestionForm, SegmentForm
from casspath.knowledge.downloads import pdf_file_response
from casspath.knowledge.models import CoursePdf
from casspath.knowledge.models.courses import COURSE_FIELDS
from casspath.knowledge.views import apply_status

DOCUMENTS = CoursePdf.Document


def _url(course, name: str = "course", *rest) -> str:
    return reverse(f"knowledge:{name}", args=[course.pk, *rest])


def _values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


@login_required
@require_http_methods(["GET", "POST"])
def courses(request):
    """The courses the user may read; for editors, the form that starts a course for a
    product of their maps that has none."""
    user = request.user
    candidates = queries.products_without_course(user)
    form = None
    if candidates.exists():
        form = NewCourseForm(candidates, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            made = run_action(form, do_create_course, data["product"], title=data["title"], acting_user=user)
            if made is not REFUSED:
                return redirect(_url(made, "course_edit"))
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "knowledge/courses/list.html", {"courses": list(queries.courses_for(user)), "form": form}
    )


def _course_context(request, course, **extra) -> dict:
    user = request.user
    return {
        "course": course,
        "product": course.product,
        "cass_map": course.resource.cass_map,
        "may_edit": may_edit_course(user, course),
        "may_read_manual": may_read_manual(user, course),
        **extra,
    }


def _pdf(course, document: str) -> dict:
    return {"pdf": queries.latest_course_pdf(course, document), "document": document}


@login_required
@require_http_methods(["GET", "POST"])
def course(request, course_id: int):
    """The course on one page, phone first, its check at the end: answers posted (by htmx,
    or as a plain form) come back marked right or wrong with the explanation; nothing is kept."""
    found = access_course_by_id(request.user, course_id)
    questions = queries.questions_of(found)
    marked = None
    if request.method == "POST":
        chosen = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
        marked = [
            {"question": q, "chosen": chosen[q.pk], "right": chosen[q.pk] == q.answer} for q in questions
        ]
        if request.headers.get("HX-Request"):
            return render(request, "knowledge/courses/_check.html", {"course": found, "rows": marked})
    rows = marked or [{"question": q, "chosen": "", "right": None} for q in questions]
    return render(
        request,
        "knowledge/courses/course.html",
        _course_context(
            request, found, rows=rows, answered=marked is not None, **_pdf(found, DOCUMENTS.COURSE)
        ),
    )


@login_required
@require_GET
def manual(request, course_id: int):
    """The lecturer manual as a script: the clock on the left, what to say, show and ask."""
    found = access_manual_by_course_id(request.user, course_id)
    return render(
        request,
        "knowledge/courses/manual.html",
        _course_context(
            request, found, manual=found.manual, **queries.script_of(found), **_pdf(found, DOCUMENTS.MANUAL)
        ),
    )


@login_required
@require_GET
def review(request, course_id: int):
    """The review material (补充材料): the product's full detail."""
    found = access_course_by_id(request.user, course_id)
    return render(request, "knowledge/courses/review.html", _course_context(request, found))


def _edit_page(request, found, *, form=None, manual_form=None, status=200):
    context = _course_context(
        request,
        found,
        form=form or CourseForm(initial=_values(found, COURSE_FIELDS)),
        manual_form=manual_form or ManualForm(initial=_values(found.manual, MANUAL_FIELDS)),
        questions=queries.questions_of(found),
        statuses=ResourceStatus,
        problems=publish_problems(found),
        **queries.script_of(found),
    )
    return render(request, "knowledge/courses/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, course_id: int):
    """The course's text, its check's questions, its manual and segments, its status."""
    user = request.user
    found = access_course_by_id(user, course_id, for_edit=True)
    if request.method != "POST":
        return _edit_page(request, found)
    if "objective" in request.POST:
        manual_form = ManualForm(request.POST)
        if (
            manual_form.is_valid()
            and run_action(manual_form, do_update_manual, found, manual_form.cleaned_data, acting_user=user)
            is not REFUSED
        ):
            messages.success(request, _("The lecturer manual was saved."))
            return redirect(_url(found, "course_edit") + "#manual")
        return _edit_page(request, found, manual_form=manual_form, status=400)
    form = CourseForm(request.POST)
    if (
        form.is_valid()
        and run_action(form, do_update_course, found, form.cleaned_data, acting_user=user) is not REFUSED
    ):
        messages.success(request, _("The course was saved."))
        return redirect(_url(found, "course_edit"))
    return _edit_page(request, found, form=form, status=400)


@login_required
@require_POST
def course_status(request, course_id: int):
    found = access_course_by_id(request.user, course_id, for_edit=True)
    apply_status(request, found, do_set_course_status)
    return redirect(_url(found, "course_edit"))


def _part_form(request, found, form_class, fields, action, current, template_name, saved_message, anchor):
    """Add (current None) or change a question or a segment of the course."""
    form = form_class(request.POST or None, initial=_values(current, fields) if current else None)
    if request.method == "POST" and form.is_valid():
        kind = "question" if form_class is QuestionForm else "segment"
        saved = run_action(
            form, action, found, form.cleaned_data, **{kind: current}, acting_user=request.user
        )
        if saved is not REFUSED:
            messages.success(request, saved_message)
            return redirect(_url(found, "course_edit") + anchor)
    return render(request, template_name, {"course": found, "current": current, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, course_id: int, question_id: int | None = None):
    found = access_course_by_id(request.user, course_id, for_edit=True)
    current = access_question_in_course(found, question_id) if question_id is not None else None
    return _part_form(
        request,
        found,
        QuestionForm,
        QUESTION_FIELDS,
        do_save_question,
        current,
        "knowledge/courses/question_form.html",
        _("The question was saved."),
        "#check",
    )


@login_required
@require_POST
def question_remove(request, course_id: int, question_id: int):
    user = request.user
    found = access_course_by_id(user, course_id, for_edit=True)
    do_remove_question(access_question_in_course(found, question_id), acting_user=user)
    messages.success(request, _("The question was removed."))
    return redirect(_url(found, "course_edit") + "#check")


@login_required
@require_http_methods(["GET", "POST"])
def segment_edit(request, course_id: int, segment_id: int | None = None):
    found = access_course_by_id(request.user, course_id, for_edit=True)
    current = access_segment_in_course(found, segment_id) if segment_id is not None else None
    return _part_form(
        request,
        found,
        SegmentForm,
        SEGMENT_FIELDS,
        do_save_segment,
        current,
        "knowledge/courses/segment_form.html",
        _("The segment was saved."),
        "#manual",
    )


@login_required
@require_POST
def segment_move(request, course_id: int, segment_id: int):
    user = request.user
    found = access_course_by_id(user, course_id, for_edit=True)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404("no such direction")
    do_move_segment(access_segment_in_course(found, segment_id), offset, acting_user=user)
    return redirect(_url(found, "course_edit") + "#manual")


@login_required
@require_POST
def segment_remove(request, course_id: int, segment_id: int):
    user = request.user
    found = access_course_by_id(user, course_id, for_edit=True)
    do_remove_segment(access_segment_in_course(found, segment_id), acting_user=user)
    messages.success(request, _("The segment was removed."))
    return redirect(_url(found, "course_edit") + "#manual")


def _access_document(user, course_id, document: str):
    if document == DOCUMENTS.MANUAL:
        return access_manual_by_course_id(user, course_id)
    if document == DOCUMENTS.COURSE:
        return access_course_by_id(user, course_id)
    raise Http404("no such document")


@login_required
@require_POST
def pdf_prepare(request, course_id: int, document: str):
    """Queue the course's or manual's PDF (once) and return to its page, which shows the
    progress, then the download."""
    found = _access_document(request.user, course_id, document)
    do_request_course_pdf(found, document, acting_user=request.user)
    return redirect(_url(found, "course" if document == DOCUMENTS.COURSE else "course_manual") + "#pdf")


@login_required
@require_GET
def pdf_progress(request, course_id: int, document: str):
    found = _access_document(request.user, course_id, document)
    return render(request, "knowledge/courses/_pdf.html", {"course": found, **_pdf(found, document)})


@login_required
@require_GET
def pdf_download(request, course_id: int, document: str):
    found = _access_document(request.user, course_id, document)
    job = queries.latest_course_pdf(found, document)
    page = _url(found, "course" if document == DOCUMENTS.COURSE else "course_manual") + "#pdf"
    if job is None or job.status != CoursePdf.Status.SUCCEEDED:
        messages.info(request, _("The PDF has not been prepared yet: prepare it, then download it."))
        return redirect(page)
    suffix = _("lecturer manual") if document == DOCUMENTS.MANUAL else _("course")
    return pdf_file_response(job, f"{found.product.code}-{found.title}-{suffix}.pdf")
