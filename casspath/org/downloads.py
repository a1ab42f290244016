"""The roster export as an HTTP download, for the employee list page and the API: through
`imports.actions.do_export_to` (the one export path, audited), into a temporary file that
spills to disk past a few megabytes and is streamed out, so 100,000 rows never sit in memory."""

import tempfile
from collections.abc import Mapping
from typing import BinaryIO, cast

from django.http import FileResponse
from django.utils import timezone

from casspath.imports.actions import do_export_to
from casspath.imports.errors import ImportFileError

EXPORT_FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
IN_MEMORY_UP_TO = 4 * 1024 * 1024  # bytes; a bigger export goes to a temporary file


def roster_download(user, fmt: str, filters: Mapping[str, str]) -> FileResponse:
    """The roster of the employees `user` may export, narrowed by the list's filters.
    Raises ImportFileError (a bad format or filter) and ScopeRefused (no personal-data
    permission): the caller words them for its page or its JSON."""
    if fmt not in EXPORT_FORMATS:
        raise ImportFileError(
            f"导出格式“{fmt}”无效：请选择 xlsx 或 csv。",
            f"Export format '{fmt}' is not known: choose xlsx or csv.",
        )
    filename = f"roster-{timezone.localdate():%Y%m%d}.{fmt}"
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)  # FileResponse closes it
    # A binary file object: typeshed types it IO[bytes], not BinaryIO.
    do_export_to("roster", filename, cast(BinaryIO, out), acting_user=user, filters=filters)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "no-store"
    return response
