"""`casspath import performance FILE`: performance records in any of three forms (forms.py),
the form told by the file's header and named in the report."""

from casspath.imports.errors import ImportWarning
from casspath.imports.framework import RunContext, header_row
from casspath.imports.registry import register
from casspath.imports.report import ImportReport
from casspath.performance.importers.forms import LongSummaries, form_for


class PerformanceImporter(LongSummaries):
    """Registered as the long form of monthly summaries (its template, and the rows an API
    batch gives as data); a file is read in whichever form its header says."""

    examples = (
        {"employee_no": "GD00123", "month": "2026-03", "amount": "1,234.50", "big_deal_amount": ""},
        {"employee_no": "GD00123", "month": "2026-04", "amount": "62000", "big_deal_amount": "55000"},
    )

    instructions_zh = (
        "三种格式任选其一，按表头自动识别，试运行报告会说明按哪种读取：",
        "① 明细：工号、日期或月份、金额、产品（选填）、是否大单（选填）；每行一笔。",
        "② 月度汇总（长表，即本模板）：工号、月份、贡献、大单金额（选填）；每行一人一月。",
        "③ 月度汇总（宽表）：工号、2026-01、2026-02、……；每行一人，每列一月，空格表示该月不导入。",
        "再次导入某月时，文件中员工的该月记录整体替换；其他月份和其他员工不变。再次导入同一文件不会产生任何变化。",
        "大单：标记为大单的记录，或单笔金额达到大单标准（默认 50,000 元，可配置）的明细。",
        "有任何一行错误时不会写入任何数据；报告列出每个错误的行、列、值和原因。",
    )
    instructions_en = (
        "Any of three forms, told by the header; the dry run's report says which was read:",
        "1. Line items: 工号, 日期 (date) or 月份 (month), 金额 (amount), 产品 (product, optional), "
        "是否大单 (big deal, optional); a sale a row.",
        "2. Monthly summaries, long form (this template): 工号, 月份, 贡献 (contribution), "
        "大单金额 (big-deal amount, optional); a person's month a row.",
        "3. Monthly summaries, wide form: 工号, 2026-01, 2026-02, ...; a person a row, a month a column; "
        "a blank cell leaves that month alone.",
        "Re-importing a month replaces that month's records of the file's employees; other months and "
        "employees are left as they are. Importing the same file again changes nothing.",
        "Big deal: a record flagged so, or a line item whose amount reaches the threshold (default "
        "50,000 yuan, configurable).",
        "If any row is bad nothing is written; the report names every bad row, column, value and reason.",
    )

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        sheet = self.read(data, ctx)
        form = form_for(header_row(sheet)[1])
        if isinstance(form, LongSummaries):
            form = self  # the same columns; and the registered one keeps its instructions
        report, _plan = form.run_sheet(sheet, ctx)
        report.warnings.insert(0, ImportWarning(*form.read_as()))
        return report


register(PerformanceImporter())
