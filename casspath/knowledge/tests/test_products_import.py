"""`casspath import products FILE` and `casspath export products FILE`: the product map as
one workbook (行业, 产品, 资费, 开通流程, 方案, 方案对比). An export re-imports changing nothing;
an edited export changes what was edited; bad values are reported by sheet, row and column in
both languages and nothing is written; another city's admin may not import into this map."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from casspath.core.models import AuditEvent
from casspath.imports.models import ImportRun
from casspath.imports.report import ImportReport
from casspath.knowledge.models import Industry, Product, ProductActivationStep, ProductTariff, Solution

pytestmark = pytest.mark.django_db


def cli_import(tmp_path, data: bytes, *args: str) -> ImportReport:
    path = tmp_path / "products.xlsx"
    path.write_bytes(data)
    try:
        call_command("import", "products", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        pass
    return ImportReport.from_dict(ImportRun.objects.latest("pk").report or {})


def cli_export(tmp_path, *args: str) -> bytes:
    path = tmp_path / "out.xlsx"
    call_command("export", "products", str(path), *args, stdout=io.StringIO())
    return path.read_bytes()


def edited(data: bytes, sheet: str, cell: str, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        list(
            Product.objects.order_by("code").values_list(
                "code", "name", "selling_points", "customer_sizes", "active"
            )
        ),
        list(ProductTariff.objects.order_by("product__code", "order").values_list("name", "monthly_price")),
        list(ProductActivationStep.objects.order_by("product__code", "order").values_list("text", flat=True)),
        list(Solution.objects.values_list("code", "name")),
        Industry.objects.count(),
    )


AS = ("--option", "unit=GZ", "--as", "consultant_a")


def test_it_reimports_an_export_changing_nothing(world, product_map, tmp_path):
    data = cli_export(tmp_path, "--filter", "unit=GZ", "--as", "consultant_a")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["行业", "产品", "资费", "开通流程", "方案", "方案对比"]
    before, audits = snapshot(), AuditEvent.objects.count()
    report = cli_import(tmp_path, data, *AS)
    assert report.ok and report.applied, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 2 + 2 + 1
    assert snapshot() == before
    assert AuditEvent.objects.count() == audits + 2  # the import's row and the export's


def test_it_changes_what_an_edited_export_changed(world, product_map, tmp_path):
    data = cli_export(tmp_path, "--filter", "unit=GZ", "--as", "consultant_a")
    book = load_workbook(io.BytesIO(data))
    row = next(
        r
        for r in range(2, 10)
        if book["资费"][f"A{r}"].value == "P01" and book["资费"][f"B{r}"].value == "100M"
    )
    data = edited(data, "资费", f"C{row}", "2,200")
    report = cli_import(tmp_path, data, *AS)
    assert report.ok and report.applied and report.updated == 1, report.errors
    assert ProductTariff.objects.get(product__code="P01", name="100M").monthly_price == Decimal("2200")


def test_it_creates_a_product_map_from_a_filled_template(world, product_map, tmp_path):
    from casspath.knowledge.importers.sheets import workbook_xlsx

    book = load_workbook(io.BytesIO(workbook_xlsx(None)))
    book["行业"].append(["IND05", "制造业"])
    book["产品"].append(
        [
            "P18",
            "5G专网",
            "网络接入",
            "组网",
            "园区专用 5G",
            "数据不出园区",
            "",
            "UPF 下沉",
            "先做样板车间",
            "深度",
            "制造业；IND01",
            "大型",
            "企业",
            "在售",
        ]
    )
    book["资费"].append(["P18", "行业卡", "50", "每卡 20GB"])
    book["资费"].append(["P18", "混合专网", "面议", ""])
    book["开通流程"].append(["P18", 2, "部署边缘 UPF"])
    book["开通流程"].append(["P18", 1, "现场勘察"])
    book["方案"].append(["S09", "园区上云", "IND05", "P18；P01", "一条快车道", "友商公有云", "在售"])
    book["方案对比"].append(["S09", "数据位置", "园区内", "外省"])
    out = io.BytesIO()
    book.save(out)
    report = cli_import(tmp_path, out.getvalue(), *AS)
    assert report.ok and report.applied, report.errors
    product = Product.objects.get(code="P18")
    assert product.informatization_level == 3 and product.customer_sizes == ["large"]
    assert sorted(i.code for i in product.industries.all()) == ["IND01", "IND05"]
    assert [(t.name, t.monthly_price) for t in ProductTariff.objects.filter(product=product)] == [
        ("行业卡", Decimal("50")),
        ("混合专网", None),
    ]
    assert list(ProductActivationStep.objects.filter(product=product).values_list("text", flat=True)) == [
        "现场勘察",
        "部署边缘 UPF",
    ]
    solution = Solution.objects.get(code="S09")
    assert [i.product.code for i in solution.items.order_by("order")] == ["P18", "P01"]
    assert cli_import(tmp_path, out.getvalue(), *AS).created == 0


def test_it_reports_bad_values_by_row_and_column_writing_nothing(world, product_map, tmp_path):
    from casspath.knowledge.importers.sheets import workbook_xlsx

    book = load_workbook(io.BytesIO(workbook_xlsx(None)))
    book["产品"].append(
        ["P30", "新产品", "", "", "", "", "", "", "", "很高", "不存在的行业", "巨型", "", "在售"]
    )
    book["资费"].append(["P30", "套餐", "很便宜", ""])
    book["资费"].append(["P77", "套餐", "100", ""])
    book["方案"].append(["S09", "方案", "", "P01；P88", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    before = snapshot()
    report = cli_import(tmp_path, out.getvalue(), *AS)
    assert not report.ok and not report.applied
    where = {(e.row, e.column) for e in report.errors}
    assert (2, "产品!信息化程度") in where
    assert (2, "产品!客户规模") in where
    assert (2, "产品!适用行业") in where
    assert (2, "资费!月费(元)") in where
    assert (3, "资费!产品编码") in where
    assert (2, "方案!产品") in where
    for error in report.errors:
        assert error.reason_zh and error.reason_en
    assert snapshot() == before


def test_it_refuses_another_citys_admin_and_a_manager(world, product_map, tmp_path):
    from casspath.knowledge.importers.sheets import workbook_xlsx

    report = cli_import(tmp_path, workbook_xlsx(None), "--option", "unit=GZ", "--as", "szadmin")
    assert not report.ok and not report.applied
    with pytest.raises((CommandError, Exception)):
        cli_export(tmp_path, "--filter", "unit=GZ", "--as", "E0001")
