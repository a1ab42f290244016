"""The resource library: a map's resources with filters, a resource's page with its player,
its edit page (metadata, skills, links, status, media upload), and the media itself served
in byte ranges after the access check, with the learner's progress posted by the player."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from casspath.cass.access import access_map_by_id, access_resource_by_id, may_edit_map
from casspath.cass.actions.media import do_record_media_progress, do_upload_resource_files
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.kind_pages import page_of
from casspath.cass.models import MEDIA_KINDS, Device, Resource, ResourceKind, ResourceStatus, StudyMode
from casspath.cass.queries import (
    RESOURCES_PER_PAGE,
    ResourceFilters,
    dimension_choices,
    library,
    map_work_items_and_actions,
    maps_for,
    my_media_progress,
    resource_page,
)
from casspath.cass.resource_forms import MediaUploadForm, ProgressForm, ResourceForm
from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, run_action
from casspath.core.ranges import stored_file_response
from casspath.core.uploads import allow_request_bytes

# The status buttons of the edit page: the status each goes to, and its label.
STATUS_BUTTONS = {ResourceStatus.PUBLISHED: gettext_lazy("Publish"),
                  ResourceStatus.RETIRED: gettext_lazy("Retire"),
                  ResourceStatus.DRAFT: gettext_lazy("Back to draft")}


def _labelled(resources) -> None:
    """Each resource's devices and study modes by their labels, for the badges."""
    devices, modes = dict(Device.choices), dict(StudyMode.choices)
    for r in resources:
        r.device_labels = [devices.get(code, code) for code in r.devices]
        r.mode_labels = [modes.get(code, code) for code in r.study_modes]


def clock(seconds: float | None) -> str:
    """3:20 for 200 seconds; 1:02:03 past an hour."""
    total = int(round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@login_required
def library_home(request):
    """The menu's 学习资源: the library of the one map the user reads, or the maps to pick."""
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("cass:resource_list", maps[0].pk)
    return render(request, "cass/resources/library_home.html", {"maps": maps})


@login_required
def resource_list(request, map_id):
    cass_map = access_map_by_id(request.user, map_id)
    may_edit = may_edit_map(request.user, cass_map)
    filters = ResourceFilters.from_params(request.GET, may_filter_status=may_edit)
    page = Paginator(library(request.user, cass_map, filters), RESOURCES_PER_PAGE).get_page(
        request.GET.get("page"))
    _labelled(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cass/resources/resource_list.html", {
        "cass_map": cass_map, "page": page, "filters": filters, "may_edit": may_edit,
        "query": query.urlencode(), "kinds": ResourceKind.choices, "statuses": ResourceStatus.choices,
        "modes": StudyMode.choices, "devices": Device.choices, "dimensions": dimension_choices(cass_map),
    })


@login_required
def resource_detail(request, pk):
    resource = access_resource_by_id(request.user, pk)
    # A Q&A card or a work guide is read on its own page (the SMS note, the steps).
    if (own_page := page_of(resource)) is not None:
        return redirect(own_page)
    resource = resource_page(resource)
    progress = my_media_progress(request.user, resource) if resource.kind in MEDIA_KINDS else None
    _labelled([resource])
    names = dict(dimension_choices(resource.cass_map))
    for skill in resource.skills.all():
        setattr(skill, "dimension_name", names.get(skill.dimension_code, "").partition(" ")[2])  # noqa: B010
    # Resume where he left off, unless he finished (then from the start).
    resume = progress.position_seconds if progress and not progress.completed else 0
    return render(request, "cass/resources/resource_detail.html", {
        "resource": resource, "cass_map": resource.cass_map, "progress": progress,
        "progress_at": clock(progress.position_seconds) if progress else "", "resume": f"{resume:.3f}",
        "media_length": clock(resource.media_seconds),
        "is_media": resource.kind in MEDIA_KINDS and bool(resource.media),
        "is_video": resource.kind == ResourceKind.MICRO_VIDEO,
        "may_edit": may_edit_map(request.user, resource.cass_map),
    })


def _resource_form(data, cass_map, resource: Resource | None) -> ResourceForm:
    work_items, key_actions = map_work_items_and_actions(cass_map)
    initial: dict = {}
    skills: dict[str, int] = {}
    if resource is not None:
        initial = {name: getattr(resource, name) for name in
                   ("code", "kind", "title", "summary", "body", "duration_minutes", "devices", "study_modes")}
        initial["work_items"] = list(resource.work_items.all())
        initial["key_actions"] = list(resource.key_actions.all())
        skills = {s.dimension_code: s.level for s in resource.skills.all()}
    return ResourceForm(data, initial=initial, work_items=work_items, key_actions=key_actions,
                        dimensions=dimension_choices(cass_map), skills=skills,
                        duration_from_file=bool(resource is not None and resource.media),
                        creating=resource is None)


def _save(request, form: ResourceForm, cass_map, resource: Resource | None):
    data = form.cleaned_data
    return run_action(form, do_save_resource, cass_map, form.values(), resource=resource,
                      skills=data["skills"], work_items=list(data["work_items"]),
                      key_actions=list(data["key_actions"]), acting_user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request, map_id):
    cass_map = access_map_by_id(request.user, map_id, for_edit=True)
    form = _resource_form(request.POST or None, cass_map, None)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, cass_map, None)) \
            is not REFUSED:
        messages.success(request, _("Saved."))
        return redirect("cass:resource_edit", saved.pk)
    return render(request, "cass/resources/resource_form.html",
                  {"cass_map": cass_map, "form": form, "resource": None},
                  status=400 if request.method == "POST" else 200)


def _edit_page(request, resource: Resource, form: ResourceForm, upload: MediaUploadForm, status: int = 200):
    buttons = [(code, label) for code, label in STATUS_BUTTONS.items() if code != resource.status]
    return render(request, "cass/resources/resource_form.html", {
        "cass_map": resource.cass_map, "resource": resource, "form": form, "upload": upload,
        "status_buttons": buttons, "is_media_kind": resource.kind in MEDIA_KINDS,
        "max_mb": _max_megabytes(resource),
    }, status=status)


def _max_megabytes(resource: Resource) -> int:
    key = "MEDIA_MAX_BYTES_VIDEO" if resource.kind == ResourceKind.MICRO_VIDEO else "MEDIA_MAX_BYTES_AUDIO"
    return settings.CASSPATH[key] // 2**20


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, pk):
    resource = resource_page(access_resource_by_id(request.user, pk, for_edit=True))
    form = _resource_form(request.POST or None, resource.cass_map, resource)
    if request.method == "POST" and form.is_valid() and _save(request, form, resource.cass_map, resource) \
            is not REFUSED:
        messages.success(request, _("Saved."))
        return redirect("cass:resource_edit", resource.pk)
    return _edit_page(request, resource, form, MediaUploadForm(),
                      status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def resource_status(request, pk):
    resource = access_resource_by_id(request.user, pk, for_edit=True)
    status = request.POST.get("status", "")
    if status not in ResourceStatus.values:
        raise Http404("no such status")
    try:
        do_set_resource_status(resource, status, acting_user=request.user)
    except BilingualError as exc:
        messages.error(request, exc.both())
    else:
        messages.success(request, _("The resource is now %(status)s.")
                         % {"status": ResourceStatus(status).label})
    return redirect("cass:resource_edit", resource.pk)


# The one route whose bodies may be as large as a video (core/uploads.py).
@allow_request_bytes("REQUEST_MAX_BYTES_MEDIA")
@require_POST
@login_required
def resource_upload(request, pk):
    resource = resource_page(access_resource_by_id(request.user, pk, for_edit=True))
    upload = MediaUploadForm(request.POST, request.FILES)
    if upload.is_valid() and run_action(upload, do_upload_resource_files, resource,
                                        media=upload.cleaned_data["media_file"],
                                        poster=upload.cleaned_data["poster"],
                                        acting_user=request.user) is not REFUSED:
        messages.success(request, _("Uploaded."))
        return redirect("cass:resource_edit", resource.pk)
    resource.refresh_from_db()
    return _edit_page(request, resource, _resource_form(None, resource.cass_map, resource), upload,
                      status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def resource_media(request, pk):
    resource = access_resource_by_id(request.user, pk)
    if resource.kind not in MEDIA_KINDS:
        raise Http404("not a media resource")
    return stored_file_response(request, resource.media, resource.media_type or "application/octet-stream",
                                size=resource.media_bytes)


@login_required
@require_http_methods(["GET", "HEAD"])
def resource_poster(request, pk):
    resource = access_resource_by_id(request.user, pk)
    content_type = mimetypes.guess_type(resource.poster.name or "")[0] or "application/octet-stream"
    return stored_file_response(request, resource.poster, content_type)


@require_POST
@login_required
def resource_progress(request, pk):
    """What the player posts (cass/static/cass/player.js): the position, and `ended`."""
    resource = access_resource_by_id(request.user, pk)
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise BilingualError("播放位置无效：应为 0 到 36000 之间的秒数",
                                 "The position is not valid: a number of seconds from 0 to 36000")
        progress = do_record_media_progress(resource, position=form.cleaned_data["position"],
                                            ended=form.cleaned_data["ended"], acting_user=request.user)
    except BilingualError as exc:
        return JsonResponse({"detail": exc.both(), **exc.as_dict()}, status=400)
    return JsonResponse({"position": progress.position_seconds, "furthest": progress.furthest_seconds,
                         "completed": progress.completed})
