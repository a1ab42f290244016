"""The learning map as an Excel workbook: one sheet per stage, then one per grade that has
requirements; each dimension required there, its key actions in rank order and every
published resource teaching it, by level (the page shows the first few; the workbook all)."""

from django.utils.translation import gettext as _

from casspath.cass.learning_map import LearningMap
from casspath.core.spreadsheets import append_row, new_workbook, xlsx_bytes


def columns() -> list[str]:
    return [_("Dimension code"), _("Dimension"), _("Required level"), _("Weight %"), _("Row kind"),
            _("Work item rank"), _("Work item"), _("Code"), _("Name"), _("Level"), _("Kind"),
            _("Duration (minutes)"), _("Study modes"), _("Devices")]


def _sheet_title(label: str, used: set[str]) -> str:
    title = "".join(ch for ch in label if ch not in "[]:*?/\\")[:31] or "sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}-{n}"
        n += 1
    used.add(title)
    return title


def learning_map_xlsx(learning: LearningMap) -> bytes:
    workbook = new_workbook(write_only=True)
    used: set[str] = set()
    header = columns()
    for view in learning.views:
        sheet = workbook.create_sheet(_sheet_title(view.label, used))
        append_row(sheet, header)
        for d in view.dimensions:
            common = [d.code, d.label, d.level, float(d.weight)]
            append_row(sheet, [*common, _("Requirement"), *[None] * 9])
            for item in d.work_items:
                for action in item.actions:
                    append_row(sheet, [*common, _("Key action"), item.rank, f"{item.code} {item.name}",
                                       action.code, action.name, action.level, None, None, None, None])
            for r in d.resources:
                append_row(sheet, [*common, _("Resource"), None, None, r.code, r.title, r.level, r.kind_label,
                                   r.duration_minutes, "、".join(r.mode_labels), "、".join(r.device_labels)])
    return xlsx_bytes(workbook)
