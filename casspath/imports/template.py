"""The downloadable .xlsx template of a tabular import: headers with notes as cell comments,
drop-downs on list columns (openpyxl data validation from a hidden sheet of values), and a
sheet of instructions in Chinese and English."""

from typing import TYPE_CHECKING

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from casspath.core.spreadsheets import new_workbook, xlsx_bytes

if TYPE_CHECKING:
    from casspath.imports.framework import TabularImporter

TEMPLATE_ROWS = 5000  # rows the drop-downs cover
LISTS_SHEET = "lists"
INSTRUCTIONS_SHEET = "说明 Instructions"


def build_template(importer: "TabularImporter") -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = importer.sheet_name or importer.kind
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    list_column = 0
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header_zh)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        note = [f"{column.header_zh} / {column.header_en}"]
        note.append(
            ("必填列" if column.required else "选填列")
            + " / "
            + ("required column" if column.required else "optional column")
        )
        if column.note_zh:
            note.append(column.note_zh)
        if column.note_en:
            note.append(column.note_en)
        if column.synonyms:
            note.append("也可用表头 / also accepted: " + ", ".join(column.synonyms[:8]))
        cell.comment = Comment("\n".join(note), "casspath", width=320, height=160)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header_zh) * 3)
        if column.choices is not None:
            values = [str(value) for value in column.choices()]
            if values:
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=column.key)
                for offset, value in enumerate(values, start=2):
                    lists.cell(row=offset, column=list_column, value=value)
                validation = DataValidation(
                    type="list",
                    formula1=f"{LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}",
                    allow_blank=not column.required,
                    showErrorMessage=False,  # other spellings (English) are accepted too
                )
                validation.prompt = "、".join(values)[:250]
                validation.promptTitle = column.header_zh[:32]
                validation.showInputMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 60
    guide.append(["列 / Column", "说明", "Notes"])
    for cell in guide[1]:
        cell.font = bold
    for column in importer.columns:
        zh = ("必填。" if column.required else "选填。") + column.note_zh
        en = ("Required. " if column.required else "Optional. ") + column.note_en
        if column.choices is not None:
            allowed = ", ".join(str(v) for v in column.choices())
            zh += f" 可选值：{allowed}"
            en += f" Allowed values: {allowed}"
        guide.append([f"{column.header_zh} / {column.header_en}", zh, en])
    guide.append([])
    for zh, en in zip(importer.instructions_zh, importer.instructions_en, strict=False):
        guide.append(["", zh, en])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return xlsx_bytes(workbook)
