"""A case's attachments (a photo, the proposal, a slide deck): added and removed by whoever
may change the case (its author while it is his to change, a reviewer). The file is checked
by its content first (core.filetypes.check_document: what it claims, its size, a zip bomb);
a refused one stores nothing."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from casspath.core.filetypes import check_document
from casspath.knowledge.access import may_edit_case
from casspath.knowledge.actions.cases import CaseError, _lock, _record, _refuse
from casspath.knowledge.actions.guides import _digest
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import Case, CaseAttachment

MAX_ATTACHMENTS = 10


def _require_editor(case: Case, acting_user) -> None:
    if not may_edit_case(acting_user, case):
        raise _refuse(acting_user, f"无权修改案例“{case.title}”", f"may not change the case '{case.title}'")


@transaction.atomic
def do_add_case_attachment(case: Case, upload: UploadedFile, *, acting_user) -> CaseAttachment:
    case = _lock(case)
    _require_editor(case, acting_user)
    info = check_document(upload)
    if CaseAttachment.objects.filter(case=case).count() >= MAX_ATTACHMENTS:
        raise CaseError(
            f"每个案例最多 {MAX_ATTACHMENTS} 个附件", f"A case has at most {MAX_ATTACHMENTS} attachments"
        )
    name = (upload.name or f"attachment.{info.extension}").replace("/", "_").replace("\\", "_")[-200:]
    attachment = CaseAttachment(case=case, name=name, content_type=info.content_type, size=info.size)
    attachment.full_clean(exclude=["case", "file"])
    attachment.file.save(f"{_digest(upload)}.{info.extension}", upload, save=False)
    storage, stored = attachment.file.storage, attachment.file.name or ""
    try:
        # Files are not transactional: whatever fails after the file is stored removes it.
        with transaction.atomic():
            attachment.save()
            case.updated_at = timezone.now()
            case.save(update_fields=["updated_at"])
            _record(acting_user, KnowledgeVerb.ADD_CASE_ATTACHMENT, case, {"attachment": ["", name]})
    except BaseException:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def do_remove_case_attachment(attachment: CaseAttachment, *, acting_user) -> None:
    """Remove an attachment and its file (once the removal commits)."""
    case = _lock(attachment.case)
    _require_editor(case, acting_user)
    current = CaseAttachment.objects.filter(pk=attachment.pk, case=case).first()
    if current is None:
        raise CaseError("该附件已被删除", "This attachment no longer exists")
    storage, stored, name = current.file.storage, current.file.name or "", current.name
    current.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    _record(acting_user, KnowledgeVerb.REMOVE_CASE_ATTACHMENT, case, {"attachment": [name, ""]})
