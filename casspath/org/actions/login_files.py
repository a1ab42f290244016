"""The password files of login batches: written once, downloaded once, purged when old."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from casspath.core import audit
from casspath.core.spreadsheets import new_workbook, save_xlsx
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import LOGIN_FILE_TTL, Employee, LoginBatch, OrgUnit

LOGIN_FILES_SUBDIR = "logins"


def login_files_dir() -> Path:
    path = Path(settings.PRIVATE_FILES_DIR) / LOGIN_FILES_SUBDIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class LoginFileGone(Exception):
    """The batch's file was downloaded already, or expired and was deleted."""


def write_logins_file(path: Path, unit: OrgUnit, issued: list[tuple[Employee, str]]) -> None:
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "logins"
    sheet.append(["工号 employee no", "姓名 name", "单位 unit", "用户名 username",
                  "一次性密码 one-time password"])
    for employee, password in issued:
        # The login's own username: usually the 工号, but an older login may differ.
        username = employee.user.username if employee.user is not None else employee.employee_no
        sheet.append([employee.employee_no, employee.name, employee.org_unit.name, username, password])
    for column, width in zip("ABCDE", (16, 14, 24, 16, 22), strict=True):
        sheet.column_dimensions[column].width = width
    note = workbook.create_sheet("说明 notes")
    note.append([f"{unit.name} ({unit.code})"])
    note.append(["首次登录后须修改密码。请妥善保管本文件，分发后删除。"])
    note.append(["The password must be changed at first login. Keep this file safe and delete it "
                 "once the passwords are handed out."])
    # Create the file readable by the server's user only (and never over another file), then fill it.
    path.touch(mode=0o600, exist_ok=False)
    save_xlsx(workbook, path)


@transaction.atomic
def do_download_login_batch(batch: LoginBatch, *, acting_user) -> bytes:
    """The batch's .xlsx, once: the file is deleted as it is handed over."""
    batch = LoginBatch.objects.select_for_update().select_related("org_unit").get(pk=batch.pk)
    if batch.created_by_id != getattr(acting_user, "pk", None):
        raise PermissionDenied("only the admin who issued the logins may download them")
    if not batch.is_available:
        raise LoginFileGone(batch.pk)
    path = Path(settings.PRIVATE_FILES_DIR) / batch.file_name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LoginFileGone(batch.pk) from exc
    path.unlink(missing_ok=True)
    batch.downloaded_at = timezone.now()
    batch.file_name = ""
    batch.save(update_fields=["downloaded_at", "file_name"])
    audit.record(acting_user, OrgVerb.DOWNLOAD_LOGINS, batch, summary=f"{batch.org_unit.code}: {batch.count}",
                 unit=batch.org_unit)
    return data


@transaction.atomic
def do_purge_login_files(*, acting_user, now=None) -> int:
    """Delete the files of batches older than LOGIN_FILE_TTL, and any stray file in the
    logins folder that old (left by a failed issue). Returns the number of files deleted."""
    now = now or timezone.now()
    cutoff = now - LOGIN_FILE_TTL
    deleted = 0
    expired = list(LoginBatch.objects.select_for_update().exclude(file_name="").filter(created_at__lt=cutoff))
    for batch in expired:
        (Path(settings.PRIVATE_FILES_DIR) / batch.file_name).unlink(missing_ok=True)
        batch.file_name = ""
        batch.save(update_fields=["file_name"])
        deleted += 1
    folder = Path(settings.PRIVATE_FILES_DIR) / LOGIN_FILES_SUBDIR
    if folder.is_dir():
        kept = set(LoginBatch.objects.exclude(file_name="").values_list("file_name", flat=True))
        for path in folder.glob("*.xlsx"):
            if f"{LOGIN_FILES_SUBDIR}/{path.name}" in kept:
                continue
            if path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
                deleted += 1
    if deleted:
        audit.record(acting_user, OrgVerb.PURGE_LOGIN_FILES, summary=audit.phrase(
            gettext_noop("%(count)s expired login files deleted"), count=deleted))
    return deleted
