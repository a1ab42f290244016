"""Building test files: CSV in any encoding, .xlsx with real dates and numbers."""

import csv
import io
import re
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from casspath.imports import registry
from casspath.imports.template import EXAMPLE_SHEET

ROSTER_HEADERS_ZH = ["工号", "姓名", "手机号", "邮箱", "单位编码", "岗位", "入职日期", "职级", "状态"]
ROSTER_HEADERS_EN = [
    "employee no",
    "name",
    "phone",
    "email",
    "org code",
    "position",
    "hire date",
    "grade",
    "status",
]


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def roster_csv(*rows: tuple[str, str, str]) -> bytes:
    """A roster file of (工号, 姓名, 单位编码) rows: account managers, hired 2023-05-06, 初级, 在职."""
    return csv_bytes([ROSTER_HEADERS_ZH] + [[no, name, "", "", unit, "客户经理", "2023-05-06", "初级", "在职"]
                                           for no, name, unit in rows])


def xlsx_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_rows(headers=None) -> list[list]:
    return [
        headers or ROSTER_HEADERS_ZH,
        [
            "E0003",
            "钱新人",
            "138 0013 8001",
            "qian@example.com",
            "GZ-TH-01",
            "客户经理",
            "2023-05-06",
            "初级",
            "在职",
        ],
        [
            "E0004",
            "孙新人",
            "+86 139-0000-0004",
            "",
            "广东公司/广州分公司/天河区/政企一班",
            "account manager",
            "2021/01/02",
            "senior",
            "active",
        ],
    ]


def roster_xlsx_rows() -> list[list]:
    return [
        ROSTER_HEADERS_ZH,
        [
            "E0003",
            "钱新人",
            13800138001,
            "qian@example.com",
            "GZ-TH-01",
            "客户经理",
            date(2023, 5, 6),
            "初级",
            "在职",
        ],
        ["E0004", "孙新人", 13900000004, None, "GZ-TH-01", "客户经理", date(2021, 1, 2), "高级", "在职"],
    ]


_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def deterministic_xlsx(rows: list[list]) -> bytes:
    """An .xlsx whose bytes depend on `rows` only: openpyxl stamps the save time into
    docProps/core.xml and every zip entry, which made fuzz examples differ between runs."""
    archive = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
        for info in archive.infolist():
            content = archive.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", content)
            fixed.writestr(zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def example_rows(kind: str) -> list[list]:
    """The template's example sheet, as a user copies it onto the data sheet."""
    workbook = load_workbook(io.BytesIO(registry.get(kind).template()))
    assert workbook.sheetnames.index(EXAMPLE_SHEET) == 1  # after the data sheet, which is read
    data, example = workbook.worksheets[0], workbook[EXAMPLE_SHEET]
    header = [cell.value for cell in data[1]]
    assert [cell.value for cell in example[1]] == header and data.max_row == 1
    return [[cell.value for cell in row] for row in example.iter_rows()]

