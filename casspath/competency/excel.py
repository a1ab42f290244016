"""A competency model as an Excel workbook, both ways.

Sheets (row 1 Chinese headers, row 2 English headers, data from row 3):
  模型      model info: 项目 / 字段 / 值 (family, name, name_en, description; the rest is read-only)
  等级      level titles: 等级, 名称, 英文名称, 说明
  维度      modules and dimensions in order: a row per dimension (a module without
            dimensions gets a row with the dimension columns empty)
  行为指标  a row per dimension × level, indicators one per line in the cell
  要求      a row per dimension; per stage and per grade a level column and a weight column

`parse_model_xlsx` reads with python-calamine and returns the dict of schema.py; every bad
cell is collected into one CompetencyImportInvalid. The second header row is optional.
"""

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from casspath.competency.errors import CompetencyImportInvalid
from casspath.competency.models import LEVELS, CompetencyModel
from casspath.competency.schema import level_value, model_data, weight_value
from casspath.core.spreadsheets import new_workbook, xlsx_bytes
from casspath.imports.errors import ImportFileError, RowError
from casspath.org.models import Grade, Stage

SHEET_MODEL, SHEET_LEVELS, SHEET_DIMENSIONS, SHEET_BEHAVIOURS, SHEET_REQUIREMENTS = (
    "模型",
    "等级",
    "维度",
    "行为指标",
    "要求",
)

MODEL_FIELDS = [  # (Chinese label, key)
    ("模型编码", "family"),
    ("名称", "name"),
    ("英文名称", "name_en"),
    ("说明", "description"),
]
OWNER_FIELD = ("所属单位编码", "org_unit")
READ_ONLY_FIELDS = [
    ("版本（只读）", "version"),
    ("状态（只读）", "status"),
    ("所属单位名称（只读）", "org_unit_name"),
]
LEVEL_COLUMNS = [("等级", "level"), ("名称", "title"), ("英文名称", "title_en"), ("说明", "description")]
DIMENSION_COLUMNS = [
    ("模块编码", "module_code"),
    ("模块名称", "module_name"),
    ("模块英文名称", "module_name_en"),
    ("维度编码", "code"),
    ("维度名称", "name"),
    ("维度英文名称", "name_en"),
    ("类别", "category"),
    ("说明", "description"),
]
BEHAVIOUR_COLUMNS = [
    ("维度编码", "code"),
    ("维度名称", "name"),
    ("等级", "level"),
    ("行为指标", "indicators"),
]

CATEGORY_ZH = {"knowledge": "岗位知识", "quality": "岗位素质", "skill": "岗位技能"}
CATEGORY_INPUT = {
    **{value: key for key, value in CATEGORY_ZH.items()},
    **{value[2:]: key for key, value in CATEGORY_ZH.items()},  # 知识, 素质, 技能
    **{key: key for key in CATEGORY_ZH},
}
LEVEL_WORDS = {
    "等级": "level",
    "要求等级": "level",
    "level": "level",
    "权重": "weight",
    "权重%": "weight",
    "权重(%)": "weight",
    "权重（%）": "weight",
    "weight": "weight",
    "weight%": "weight",
    "weight(%)": "weight",
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
XLSX_MAGIC = b"PK\x03\x04"


# Export ------------------------------------------------------------------------------


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, str]], widths: list[int]):
    ws = wb.create_sheet(title)
    ws.append([zh for zh, _ in columns])
    ws.append([en for _, en in columns])
    for row in (1, 2):
        for cell in ws[row]:
            cell.font = Font(bold=row == 1, italic=row == 2)
            cell.fill = HEADER_FILL
    ws["A2"].comment = Comment(
        "第 2 行是英文表头，可保留或删除 / Row 2 holds the English headers; keep it or delete it", "casspath"
    )
    ws.freeze_panes = "A3"
    for index, width in enumerate(widths):
        ws.column_dimensions[ws.cell(1, index + 1).column_letter].width = width
    return ws


def export_model_xlsx(model: CompetencyModel) -> bytes:
    return _workbook(
        model_data(model),
        owner=model.org_unit.code,
        read_only=[model.version, model.get_status_display(), model.org_unit.name],
    )


def template_xlsx() -> bytes:
    """An empty model file to fill in: the five levels and the requirement columns."""
    data = {
        "family": "",
        "name": "",
        "name_en": "",
        "description": "",
        "levels": [{"level": n, "title": "", "title_en": "", "description": ""} for n in LEVELS],
        "modules": [],
        "requirements": {"stages": {}, "grades": {}},
    }
    return _workbook(data, owner="", read_only=["", "", ""])


def _workbook(data: dict, *, owner: str, read_only: list) -> bytes:
    stages = list(Stage.objects.order_by("min_years"))
    grades = list(Grade.objects.order_by("order", "id"))
    wb = new_workbook()
    wb.remove(wb.active)
    wrap = Alignment(wrap_text=True, vertical="top")

    ws = _sheet(wb, SHEET_MODEL, [("项目", "item"), ("字段", "field"), ("值", "value")], [18, 14, 60])
    for label, key in MODEL_FIELDS:
        ws.append([label, key, data[key]])
    ws.append([OWNER_FIELD[0], OWNER_FIELD[1], owner])
    ws.cell(ws.max_row, 1).comment = Comment(
        "新模型的所属单位编码；已有模型的新版本沿用原所属单位 / The owner unit's code for a new model; "
        "a new version of an existing model keeps its owner",
        "casspath",
    )
    for (label, key), value in zip(READ_ONLY_FIELDS, read_only, strict=True):
        ws.append([label, key, value])
    for row in ws.iter_rows(min_row=3):
        row[2].alignment = wrap

    ws = _sheet(wb, SHEET_LEVELS, LEVEL_COLUMNS, [8, 14, 16, 60])
    for item in data["levels"]:
        ws.append([item["level"], item["title"], item["title_en"], item["description"]])

    ws = _sheet(wb, SHEET_DIMENSIONS, DIMENSION_COLUMNS, [10, 16, 24, 10, 18, 28, 12, 50])
    for module in data["modules"]:
        head = [module["code"], module["name"], module["name_en"]]
        if not module["dimensions"]:
            ws.append(head)
        for dim in module["dimensions"]:
            ws.append(
                [
                    *head,
                    dim["code"],
                    dim["name"],
                    dim["name_en"],
                    CATEGORY_ZH[dim["category"]],
                    dim["description"],
                ]
            )
    choices = DataValidation(type="list", formula1='"岗位知识,岗位素质,岗位技能"', allow_blank=True)
    ws.add_data_validation(choices)
    choices.add("G3:G1000")

    ws = _sheet(wb, SHEET_BEHAVIOURS, BEHAVIOUR_COLUMNS, [10, 18, 8, 80])
    for module in data["modules"]:
        for dim in module["dimensions"]:
            for entry in dim["levels"]:
                ws.append([dim["code"], dim["name"], entry["level"], "\n".join(entry["indicators"])])
                ws.cell(ws.max_row, 4).alignment = wrap

    columns = [("维度编码", "code"), ("维度名称", "name")]
    every_target: list[Stage | Grade] = [*stages, *grades]
    for target in every_target:
        key = target.code
        columns += [(f"{target.name} 等级", f"{key} level"), (f"{target.name} 权重%", f"{key} weight")]
    ws = _sheet(wb, SHEET_REQUIREMENTS, columns, [10, 18] + [10] * (len(columns) - 2))
    reqs = data["requirements"]
    for module in data["modules"]:
        for dim in module["dimensions"]:
            row = [dim["code"], dim["name"]]
            for kind, targets in (("stages", stages), ("grades", grades)):
                for target in targets:
                    cell = reqs[kind].get(target.code, {}).get(dim["code"])
                    row += [cell[0], cell[1]] if cell else [None, None]
            ws.append(row)
    levels = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
    ws.add_data_validation(levels)
    for index in range(len(stages) + len(grades)):
        letter = ws.cell(1, 3 + 2 * index).column_letter
        levels.add(f"{letter}3:{letter}1000")

    return xlsx_bytes(wb)


# Parse -------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Sheet:
    """Rows of one sheet with Excel row numbers, past the header row(s)."""

    def __init__(self, name: str, rows: list[list]):
        self.name = name
        self.headers = [_text(cell) for cell in rows[0]] if rows else []
        start = 1
        if len(rows) > 1 and rows[1] and _text(rows[1][0]).lower() in ENGLISH_FIRST_HEADERS:
            start = 2
        self.rows = [
            (index + 1, row)
            for index, row in enumerate(rows)
            if index >= start and any(_text(cell) for cell in row)
        ]

    def column_index(self, header: str) -> int:
        if header not in self.headers:
            raise ImportFileError(
                f"工作表「{self.name}」缺少列「{header}」",
                f"sheet {self.name} has no column {header!r}",
            )
        return self.headers.index(header)

    def where(self, header: str) -> str:
        return f"{self.name}!{header}"


ENGLISH_FIRST_HEADERS = {"item", "level", "module_code", "code"}


class _Parser:
    def __init__(self, book: CalamineWorkbook):
        self.book = book
        self.errors: list[RowError] = []

    def sheet(self, name: str) -> _Sheet:
        if name not in self.book.sheet_names:
            raise ImportFileError(
                f"文件缺少工作表「{name}」（应有：模型、等级、维度、行为指标、要求）",
                f"the file has no sheet named {name} (expected: 模型, 等级, 维度, 行为指标, 要求)",
            )
        return _Sheet(name, self.book.get_sheet_by_name(name).to_python(skip_empty_area=False))

    def bad(self, row: int, sheet: _Sheet, header: str, value, zh: str, en: str) -> None:
        self.errors.append(RowError(row, sheet.where(header), _text(value), zh, en))

    def cells(self, sheet: _Sheet, columns: list[tuple[str, str]]):
        indexes = [(key, header, sheet.column_index(header)) for header, key in columns]
        for number, row in sheet.rows:
            yield number, {key: _text(row[i]) if i < len(row) else "" for key, _, i in indexes}, row

    def level(self, number: int, sheet: _Sheet, header: str, raw) -> int | None:
        try:
            return level_value(raw if isinstance(raw, float) else _text(raw))
        except ValueError:
            self.bad(number, sheet, header, raw, "等级应为 1–5 的整数", "level must be a whole number 1-5")
            return None


def _cell(row: list, index: int):
    return row[index] if index < len(row) else ""


def parse_model_xlsx(data: bytes) -> dict:
    """The model dict of an Excel file; ImportFileError when the file cannot be read,
    CompetencyImportInvalid (every bad cell) when it can."""
    return parse_model_file(data)[0]


def parse_model_file(data: bytes) -> tuple[dict, str]:
    """The model dict and the owner unit code written in the 模型 sheet ("" if none)."""
    if not data.startswith(XLSX_MAGIC):
        raise ImportFileError(
            "无法读取文件：不是 Excel（.xlsx）文件", "cannot read the file: it is not an Excel (.xlsx) file"
        )
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(f"无法读取 Excel 文件：{exc}", f"cannot read the Excel file: {exc}") from exc
    parser = _Parser(book)
    result: dict = {"family": "", "name": "", "name_en": "", "description": ""}
    owner = ""

    info = parser.sheet(SHEET_MODEL)
    labels = {label: key for label, key in MODEL_FIELDS}
    read_only = {key for _, key in READ_ONLY_FIELDS} | {label for label, _ in READ_ONLY_FIELDS}
    for number, row in info.rows:
        label, key, value = _text(_cell(row, 0)), _text(_cell(row, 1)), _text(_cell(row, 2))
        if OWNER_FIELD[1] == key or OWNER_FIELD[0] == label:
            owner = value
            continue
        field = key if key in result else labels.get(label)
        if field is None:
            if key not in read_only and label not in read_only:
                parser.bad(
                    number,
                    info,
                    "项目",
                    label or key,
                    "未知的项目（应为 模型编码、名称、英文名称、说明）",
                    "unknown item (expected family, name, name_en, description)",
                )
            continue
        result[field] = value
    if not result["family"]:
        parser.errors.append(
            RowError(0, info.where("模型编码"), "", "缺少模型编码", "the model code (family) is missing")
        )

    levels_sheet = parser.sheet(SHEET_LEVELS)
    levels = []
    seen_levels: set[int] = set()
    for number, values, row in parser.cells(levels_sheet, LEVEL_COLUMNS):
        level = parser.level(number, levels_sheet, "等级", _cell(row, levels_sheet.column_index("等级")))
        if level is None:
            continue
        if level in seen_levels:
            parser.bad(
                number, levels_sheet, "等级", level, f"等级 {level} 重复", f"level {level} appears twice"
            )
            continue
        seen_levels.add(level)
        if not values["title"]:
            parser.bad(number, levels_sheet, "名称", "", "缺少等级名称", "the level title is missing")
        levels.append(
            {
                "level": level,
                "title": values["title"],
                "title_en": values["title_en"],
                "description": values["description"],
            }
        )
    result["levels"] = sorted(levels, key=lambda item: item["level"])

    dims_sheet = parser.sheet(SHEET_DIMENSIONS)
    modules: dict[str, dict] = {}
    dimensions: dict[str, dict] = {}
    dim: dict | None  # built here, looked up on the behaviours sheet below
    for number, values, _row in parser.cells(dims_sheet, DIMENSION_COLUMNS):
        code = values["module_code"]
        if not code:
            parser.bad(number, dims_sheet, "模块编码", "", "缺少模块编码", "the module code is missing")
            continue
        module = modules.get(code)
        if module is None:
            module = modules[code] = {
                "code": code,
                "name": values["module_name"],
                "name_en": values["module_name_en"],
                "dimensions": [],
            }
            if not module["name"]:
                parser.bad(number, dims_sheet, "模块名称", "", "缺少模块名称", "the module name is missing")
        else:
            for key, header in (("module_name", "模块名称"), ("module_name_en", "模块英文名称")):
                if values[key] and values[key] != module[key[len("module_") :]]:
                    parser.bad(
                        number,
                        dims_sheet,
                        header,
                        values[key],
                        f"与模块 {code} 在前面行中的名称「{module[key[7:]]}」不一致",
                        f"differs from module {code}'s name {module[key[7:]]!r} in an earlier row",
                    )
        if not values["code"]:
            if any(values[key] for key in ("name", "name_en", "category", "description")):
                parser.bad(
                    number, dims_sheet, "维度编码", "", "缺少维度编码", "the dimension code is missing"
                )
            continue
        if values["code"] in dimensions:
            parser.bad(
                number,
                dims_sheet,
                "维度编码",
                values["code"],
                f"维度编码 {values['code']} 重复",
                f"dimension code {values['code']} appears twice",
            )
            continue
        category = CATEGORY_INPUT.get(
            values["category"].lower() if values["category"].isascii() else values["category"]
        )
        if category is None:
            parser.bad(
                number,
                dims_sheet,
                "类别",
                values["category"],
                "类别应为 岗位知识、岗位素质 或 岗位技能",
                "category must be knowledge, quality or skill",
            )
        if not values["name"]:
            parser.bad(number, dims_sheet, "维度名称", "", "缺少维度名称", "the dimension name is missing")
        dim = {
            "code": values["code"],
            "name": values["name"],
            "name_en": values["name_en"],
            "category": category or "",
            "description": values["description"],
            "levels": [],
        }
        dimensions[dim["code"]] = dim
        module["dimensions"].append(dim)
    result["modules"] = list(modules.values())

    behaviours = parser.sheet(SHEET_BEHAVIOURS)
    level_index = behaviours.column_index("等级")
    seen_cells: set[tuple[str, int]] = set()
    for number, values, row in parser.cells(behaviours, BEHAVIOUR_COLUMNS):
        dim = dimensions.get(values["code"])
        if dim is None:
            parser.bad(
                number,
                behaviours,
                "维度编码",
                values["code"],
                "维度编码不在「维度」表中",
                "the dimension code is not on the 维度 sheet",
            )
            continue
        level = parser.level(number, behaviours, "等级", _cell(row, level_index))
        if level is None:
            continue
        if (dim["code"], level) in seen_cells:
            parser.bad(
                number,
                behaviours,
                "等级",
                level,
                f"{dim['code']} 的等级 {level} 重复",
                f"level {level} of {dim['code']} appears twice",
            )
            continue
        seen_cells.add((dim["code"], level))
        lines = [line.strip() for line in values["indicators"].splitlines() if line.strip()]
        if not lines:
            parser.bad(number, behaviours, "行为指标", "", "缺少行为指标", "the indicators are missing")
        dim["levels"].append({"level": level, "indicators": lines})
    for dim in dimensions.values():
        dim["levels"].sort(key=lambda entry: entry["level"])

    result["requirements"] = _parse_requirements(parser, dimensions)
    if parser.errors:
        raise CompetencyImportInvalid(parser.errors)
    return result, owner


def _requirement_columns(parser: _Parser, sheet: _Sheet) -> dict[int, tuple[str, str, str]]:
    """Column index → (kind, target code, "level" or "weight"), from the header row."""
    targets: dict[str, tuple[str, str]] = {}
    for kind, cls in (("stages", Stage), ("grades", Grade)):
        for obj in cls.objects.all():
            for name in (obj.code, obj.name, obj.name_en):
                if name:
                    targets[name.lower()] = (kind, obj.code)
    columns = {}
    for index, header in enumerate(sheet.headers):
        if index < 2 or not header:
            continue
        match = re.match(
            r"^(.+?)[\s·_:：-]*(要求等级|等级|权重\s*[(（]?%?[)）]?|level|weight\s*\(?%?\)?)$",
            header,
            re.IGNORECASE,
        )
        target = targets.get(match.group(1).strip().lower()) if match else None
        if target is None:
            parser.bad(
                1,
                sheet,
                header,
                header,
                "无法识别的列：应为「阶段或职级名称 等级」或「阶段或职级名称 权重%」",
                "unknown column: expected '<stage or grade> 等级' or '<stage or grade> 权重%'",
            )
            continue
        assert match is not None  # the target was found through it
        word = re.sub(r"[\s()（）]", "", match.group(2).lower())
        columns[index] = (*target, LEVEL_WORDS.get(word, "weight"))
    return columns


def _parse_requirements(parser: _Parser, dimensions: dict[str, dict]) -> dict:
    sheet = parser.sheet(SHEET_REQUIREMENTS)
    code_index = sheet.column_index("维度编码")
    columns = _requirement_columns(parser, sheet)
    out: dict = {"stages": {}, "grades": {}}
    seen: set[str] = set()
    for number, row in sheet.rows:
        code = _text(_cell(row, code_index))
        if code not in dimensions:
            parser.bad(
                number,
                sheet,
                "维度编码",
                code,
                "维度编码不在「维度」表中",
                "the dimension code is not on the 维度 sheet",
            )
            continue
        if code in seen:
            parser.bad(
                number, sheet, "维度编码", code, f"维度 {code} 重复", f"dimension {code} appears twice"
            )
            continue
        seen.add(code)
        cells: dict[tuple[str, str], dict] = {}
        for index, (kind, target, what) in columns.items():
            raw = _cell(row, index)
            if _text(raw) == "":
                continue
            header = sheet.headers[index]
            value: int | Decimal
            try:
                if what == "level":
                    value = level_value(raw if isinstance(raw, float) else _text(raw))
                else:
                    value = weight_value(raw)
                    if not Decimal(0) <= value <= Decimal(100):
                        raise ValueError("out of range")
            except ValueError:
                zh, en = (
                    ("要求等级应为 1–5 的整数", "the required level must be a whole number 1-5")
                    if what == "level"
                    else ("权重应为 0–100 的数字", "the weight must be a number 0-100")
                )
                parser.bad(number, sheet, header, raw, zh, en)
                continue
            cells.setdefault((kind, target), {})[what] = (value, header)
        for (kind, target), parts in cells.items():
            if set(parts) != {"level", "weight"}:
                missing = "weight" if "level" in parts else "level"
                header = next(iter(parts.values()))[1]
                parser.bad(
                    number,
                    sheet,
                    header,
                    _text(next(iter(parts.values()))[0]),
                    "要求等级和权重须同时填写或同时留空"
                    + ("（缺权重）" if missing == "weight" else "（缺等级）"),
                    f"a required level and its weight go together (the {missing} is missing)",
                )
                continue
            out[kind].setdefault(target, {})[code] = [parts["level"][0], float(parts["weight"][0])]
    return out
