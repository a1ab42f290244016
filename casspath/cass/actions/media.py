"""Writes of a resource's media: its uploaded file and poster, and a learner's progress.

An upload is checked by its content (core/filetypes) before anything is stored: a refused
file leaves the storage as it was. The duration of a video or audio resource is its file's
real duration (media_seconds, and duration_minutes rounded up), never typed.
"""

import math
import uuid
from functools import partial

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from casspath.cass.actions.common import CassError, clean, require_editable, touch
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.models import MEDIA_KINDS, MediaProgress, Resource, ResourceKind
from casspath.core import audit
from casspath.core.filetypes import check_image, check_media
from casspath.org.queries import my_employee

EXTENSIONS = {"video/mp4": ".mp4", "audio/mp4": ".m4a", "video/webm": ".webm", "audio/webm": ".webm",
              "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/flac": ".flac",
              "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}
# Watched this share of a video (furthest position reached) and it counts as completed.
COMPLETED_SHARE = 0.9


def media_max_bytes(kind: str) -> int:
    key = "MEDIA_MAX_BYTES_VIDEO" if kind == ResourceKind.MICRO_VIDEO else "MEDIA_MAX_BYTES_AUDIO"
    return settings.CASSPATH[key]


def _stored_name(resource: Resource, content_type: str) -> str:
    """A new name for every upload (a player or a cache never gets the old file under it);
    the uploader's file name is not kept: it says nothing the resource does not."""
    return f"{resource.code}-{uuid.uuid4().hex[:12]}{EXTENSIONS[content_type]}"


@transaction.atomic
def do_upload_resource_files(resource: Resource, *, media: UploadedFile | None = None,
                             poster: UploadedFile | None = None, acting_user) -> Resource:
    """Store a video or audio resource's file and/or its poster, replacing the old ones
    (deleted once this commits). Both are checked before either is stored."""
    require_editable(resource.cass_map, acting_user)
    if resource.kind not in MEDIA_KINDS:
        raise CassError("只有微视频和音频资源可以上传媒体文件",
                        "Only micro-video and audio resources take a media file")
    if media is None and poster is None:
        raise CassError("请选择要上传的文件", "Choose a file to upload")
    media_info = (check_media(media, want_video=resource.kind == ResourceKind.MICRO_VIDEO,
                              max_bytes=media_max_bytes(resource.kind)) if media is not None else None)
    poster_info = check_image(poster) if poster is not None else None
    old = [f.name for f, new in ((resource.media, media), (resource.poster, poster))
           if new is not None and f.name]
    stored: list[str] = []
    changes: dict = {}
    try:
        fields = ["updated_at"]
        if media is not None and media_info is not None:
            resource.media.save(_stored_name(resource, media_info.content_type), media, save=False)
            stored.append(str(resource.media.name))
            minutes = max(1, math.ceil(media_info.seconds / 60))
            changes = audit.diff(resource, {"media_seconds": media_info.seconds, "duration_minutes": minutes})
            resource.media_type, resource.media_bytes = media_info.content_type, media_info.size
            resource.media_seconds, resource.duration_minutes = media_info.seconds, minutes
            fields += ["media", "media_type", "media_bytes", "media_seconds", "duration_minutes"]
            changes["media"] = f"{media_info.content_type} {media_info.video_codec or '-'}/" \
                               f"{media_info.audio_codec or '-'} {media_info.size} B"
        if poster is not None and poster_info is not None:
            resource.poster.save(_stored_name(resource, poster_info.content_type), poster, save=False)
            stored.append(str(resource.poster.name))
            fields.append("poster")
            changes["poster"] = f"{poster_info.content_type} {poster_info.width}x{poster_info.height}"
        resource.updated_at = timezone.now()
        clean(resource)
        resource.save(update_fields=fields)
        touch(resource.cass_map)
        audit.record(acting_user, CassVerb.UPLOAD_RESOURCE_FILES, resource, summary=str(resource),
                     changes=changes, unit=resource.cass_map.org_unit)
    except BaseException:
        storage = resource.media.storage
        for name in stored:  # nothing of a failed write stays stored
            storage.delete(name)
        raise
    storage = resource.media.storage
    for name in old:
        transaction.on_commit(partial(storage.delete, name))
    return resource


@transaction.atomic
def do_record_media_progress(resource: Resource, *, position: float, ended: bool = False,
                             acting_user) -> MediaProgress:
    """Record where the logged-in employee is in a video or audio (`resource` loaded through
    access.py, so only one he may see): the last position, the furthest he got (never going
    back), completed at COMPLETED_SHARE of the file or at its end (never undone). Repeating
    a call changes nothing more (the player posts every few seconds and may post twice).

    Audit: a player posts a position every 15 seconds while it plays; an audit row per tick
    would drown the log and say nothing a learner's progress row does not. The one row is
    written when the resource is first completed, the event the plans and reports count."""
    if resource.kind not in MEDIA_KINDS or not resource.media or not resource.media_seconds:
        raise CassError("该资源不是可播放的音视频", "This resource is not a video or audio to play")
    employee = my_employee(acting_user)
    if employee is None:
        raise CassError("只有员工的学习进度会被记录", "Only an employee's progress is recorded")
    length = float(resource.media_seconds)
    if not math.isfinite(position):
        raise CassError("播放位置无效", "The position is not a number")
    position = min(max(float(position), 0.0), length)
    progress = (MediaProgress.objects.select_for_update()
                .filter(resource=resource, employee=employee).first())
    if progress is None:
        try:
            with transaction.atomic():
                progress = MediaProgress.objects.create(resource=resource, employee=employee)
        except IntegrityError:  # another tab of his created it meanwhile
            progress = MediaProgress.objects.select_for_update().get(resource=resource, employee=employee)
    now = timezone.now()
    progress.position_seconds = length if ended else position
    progress.furthest_seconds = max(progress.furthest_seconds, progress.position_seconds)
    completing = not progress.completed and (ended or progress.furthest_seconds >= COMPLETED_SHARE * length)
    if completing:
        progress.completed, progress.completed_at = True, now
    progress.updated_at = now
    clean(progress)
    progress.save(update_fields=["position_seconds", "furthest_seconds", "completed", "completed_at",
                                 "updated_at"])
    if completing:
        audit.record(acting_user, CassVerb.COMPLETE_MEDIA, resource, summary=f"{employee} {resource}",
                     unit=employee.org_unit)
    return progress
