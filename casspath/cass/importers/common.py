"""What the CASS imports share: which map a run writes (options unit and family), the
value lists in Chinese and English, a sheet's rows parsed cell by cell into row errors that
name the sheet, row and column."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from casspath.cass.models import CassMap, Check, Device, ResourceKind, ResourceStatus, StudyMode
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.queries import family_model_applying, model_applying
from casspath.core import validators
from casspath.imports.columns import Column, match_headers
from casspath.imports.errors import ImportFileError, Invalid, RowError
from casspath.imports.framework import Option
from casspath.imports.reader import Sheet
from casspath.org import scopes
from casspath.org.models import OrgUnit

# The Chinese each value is written with in a workbook (CONTRACTS.md); import also takes the
# code and the English label, in any case.
STUDY_MODE_ZH: dict[str, str] = {
    StudyMode.PRE_SHIFT: "班前学",
    StudyMode.ON_THE_WAY: "途中学",
    StudyMode.LEISURE: "闲暇学",
    StudyMode.CLASSROOM: "面授",
    StudyMode.TEAM: "班组学习",
    StudyMode.ACTION: "行动学习",
}
CHECK_ZH: dict[str, str] = {
    Check.PRE_TEST: "学前测",
    Check.POST_TEST: "学后测",
    Check.SPOT_QUIZ: "随机测",
    Check.PERFORMANCE_CHECK: "绩效测",
    Check.OBSERVATION: "主管观察",
}
DEVICE_ZH: dict[str, str] = {Device.PHONE: "手机", Device.PC: "电脑", Device.PRINT: "打印"}
KIND_ZH: dict[str, str] = {
    ResourceKind.MICRO_VIDEO: "微视频",
    ResourceKind.AUDIO: "音频",
    ResourceKind.ARTICLE: "文章",
    ResourceKind.CASE: "案例",
    ResourceKind.PRODUCT_CARD: "产品卡",
    ResourceKind.QA_CARD: "问答卡",
    ResourceKind.WORK_GUIDE: "工作指引",
    ResourceKind.QUIZ: "测验",
    ResourceKind.COURSE: "课程",
}
STATUS_ZH: dict[str, str] = {
    ResourceStatus.DRAFT: "草稿",
    ResourceStatus.PUBLISHED: "已发布",
    ResourceStatus.RETIRED: "已停用",
}
# Other words people write for the same values.
SYNONYMS: dict[str, str] = {
    "微课": ResourceKind.MICRO_VIDEO,
    "视频": ResourceKind.MICRO_VIDEO,
    "问答": ResourceKind.QA_CARD,
    "工作指引手册": ResourceKind.WORK_GUIDE,
    "电脑端": Device.PC,
    "手机端": Device.PHONE,
    "纸质": Device.PRINT,
    "打印件": Device.PRINT,
    "发布": ResourceStatus.PUBLISHED,
    "停用": ResourceStatus.RETIRED,
    "已下线": ResourceStatus.RETIRED,
    "已下架": ResourceStatus.RETIRED,
    "主管观察评价": Check.OBSERVATION,
    "课堂面授": StudyMode.CLASSROOM,
}

LIST_SEPARATORS = re.compile(r"[；;，,、\n]+")


def split_list(value: str) -> list[str]:
    """ "班前学；途中学" / "W01, W02" / one a line → the items, blanks dropped."""
    return [part.strip() for part in LIST_SEPARATORS.split(value) if part.strip()]


def join_list(values: Sequence[str]) -> str:
    return "；".join(values)


def _lookup(choices: type[models.TextChoices], zh: Mapping) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[value.lower()] = value
        table[str(label).lower()] = value
        table[zh[value].lower()] = value
    for word, value in SYNONYMS.items():
        if value in choices.values:
            table[word.lower()] = value
    return table


def choice_parser(
    choices: type[models.TextChoices], zh: Mapping, what_zh: str, what_en: str
) -> Callable[[str], str]:
    table = _lookup(choices, zh)
    shown = "、".join(zh[v] for v in choices.values)

    def parse(value: str) -> str:
        found = table.get(value.strip().lower())
        if found is None:
            raise Invalid(
                f"未知的{what_zh}“{value}”（可选：{shown}）",
                f"unknown {what_en} '{value}' (one of: {', '.join(choices.values)})",
            )
        return found

    return parse


def list_parser(
    choices: type[models.TextChoices], zh: Mapping, what_zh: str, what_en: str
) -> Callable[[str], list[str]]:
    """A list of values (in the order of `choices`, each once), any spelling."""
    one = choice_parser(choices, zh, what_zh, what_en)
    order = list(choices.values)  # read once: an enum's values are rebuilt on every access

    def parse(value: str) -> list[str]:
        found = {one(part) for part in split_list(value)}
        return [v for v in order if v in found]

    return parse


parse_modes = list_parser(StudyMode, STUDY_MODE_ZH, "学习模式", "study mode")
parse_checks = list_parser(Check, CHECK_ZH, "检验方式", "check")
parse_devices = list_parser(Device, DEVICE_ZH, "适用设备", "device")
parse_kind = choice_parser(ResourceKind, KIND_ZH, "资源类型", "resource kind")
parse_status = choice_parser(ResourceStatus, STATUS_ZH, "状态", "status")


def shown_list(values: Sequence[str], zh: Mapping) -> str:
    return join_list([zh.get(v, v) for v in values])


def parse_code(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return validators.code(value, max_length)

    return parse


def parse_text(max_length: int | None = None) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return validators.text(value, max_length)

    return parse


def parse_whole(low: int, high: int, what_zh: str, what_en: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        text = value.strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or not low <= int(text) <= high:
            raise Invalid(
                f"{what_zh}应为 {low}–{high} 的整数", f"{what_en} must be a whole number {low}-{high}"
            )
        return int(text)

    return parse


parse_level = parse_whole(1, 5, "等级", "level")


def parse_code_list(max_length: int) -> Callable[[str], list[str]]:
    """Codes separated by ；/,: each a code, in the order written, each once."""
    one = parse_code(max_length)

    def parse(value: str) -> list[str]:
        codes: list[str] = []
        for part in split_list(value):
            code = one(part)
            if code not in codes:
                codes.append(code)
        return codes

    return parse


def parse_skills(value: str) -> dict[str, int]:
    """ "D01:3；D05:2" → {"D01": 3, "D05": 2} (also D01：3, D01=3, D01 3)."""
    skills: dict[str, int] = {}
    for part in split_list(value):
        match = re.fullmatch(r"\s*([^:：=\s]+)\s*[:：=\s]\s*(\d+)\s*", part)
        if match is None:
            raise Invalid(
                f"“{part}”应写成 维度编码:等级，如 D01:3", f"'{part}' must be dimension:level, e.g. D01:3"
            )
        code = validators.code(match.group(1), 10)
        level = int(match.group(2))
        if not 1 <= level <= 5:
            raise Invalid(f"“{part}”的等级应为 1–5", f"the level of '{part}' must be 1-5")
        if code in skills:
            raise Invalid(f"维度 {code} 写了两次", f"dimension {code} is listed twice")
        skills[code] = level
    return skills


def shown_skills(skills: Mapping[str, int]) -> str:
    return join_list([f"{code}:{level}" for code, level in sorted(skills.items())])


# --- which map --------------------------------------------------------------------------

MAP_OPTIONS = (
    Option(
        "unit",
        _("Owner unit code of the map"),
        "地图所属单位的编码；不填则为您唯一的权限范围根单位。",
        "The code of the map's owner unit; blank: your one scope root.",
        takes_value=True,
    ),
    Option(
        "family",
        _("Competency model code of the map"),
        "地图对应的技能模型编码；不填则为适用于该单位的技能模型。",
        "The competency model code of the map; blank: the model applying to the unit.",
        takes_value=True,
    ),
)


@dataclass
class Target:
    unit: OrgUnit
    family: str
    model: CompetencyModel
    cass_map: CassMap | None  # None: the import creates it

    @property
    def default_name(self) -> str:
        return f"{self.unit.name} CASS 地图"


def _outside(code: str) -> ImportFileError:
    # The same answer for a unit that does not exist and one outside the actor's scope.
    return ImportFileError(
        f"单位编码 {code} 不存在或不在您编辑 CASS 地图的权限范围内",
        f"unit code {code} does not exist or is outside the scope in which you may edit CASS maps",
    )


def owner_unit(acting_user, code: str) -> OrgUnit:
    """The unit named by the option (the actor's one scope root when none is named),
    refused unless he may edit the CASS maps there."""
    if code:
        unit = (
            OrgUnit.objects.filter(code=code.strip()).first()
            or OrgUnit.objects.filter(code=code.strip().upper()).first()
        )
        if unit is None or not scopes.unit_in_scope(acting_user, scopes.Perm.EDIT_MODELS, unit):
            raise _outside(code)
        return unit
    if scopes.is_unrestricted(acting_user):
        roots = list(OrgUnit.objects.filter(parent__isnull=True)[:2])
    else:
        roots = scopes.scope_roots(acting_user, scopes.Perm.EDIT_MODELS)
    if len(roots) != 1:
        raise ImportFileError(
            "请用选项 unit 指明地图所属单位的编码（如 --option unit=GZ）",
            "name the map's owner unit with the option unit (e.g. --option unit=GZ)",
        )
    return roots[0]


def resolve_target(acting_user, options: Mapping[str, object]) -> Target:
    unit = owner_unit(acting_user, str(options.get("unit") or ""))
    family = str(options.get("family") or "").strip()
    if family:
        model = family_model_applying(unit, family)
        if model is None:
            raise ImportFileError(
                f"没有适用于 {unit.code} 的已发布技能模型 {family}",
                f"no published competency model {family} applies to {unit.code}",
            )
    else:
        model = model_applying(unit)
        if model is None:
            raise ImportFileError(
                f"没有适用于 {unit.code} 的已发布技能模型，请先导入并发布技能模型",
                f"no published competency model applies to {unit.code}: import and publish one first",
            )
        family = model.family
    cass_map = CassMap.objects.filter(org_unit=unit, model_family=family).select_related("org_unit").first()
    return Target(unit, family, model, cass_map)


def existing_map(acting_user, options: Mapping[str, object]) -> CassMap:
    """The map the options `unit` and `family` name (resolve_target), refused when it is not
    there yet: what an export, or an import into a map, needs."""
    target = resolve_target(acting_user, options)
    if target.cass_map is None:
        raise ImportFileError(
            f"{target.unit.code} 还没有模型 {target.family} 的 CASS 地图，请先建立地图",
            f"{target.unit.code} has no CASS map for model {target.family} yet: create it first",
        )
    return target.cass_map


def dimension_names(model: CompetencyModel) -> dict[str, str]:
    return dict(Dimension.objects.filter(model=model).values_list("code", "name"))


# --- a sheet parsed cell by cell ------------------------------------------------------------


@dataclass
class Row:
    number: int  # as Excel shows it (header = 1)
    values: dict  # key -> parsed value, None when blank or bad
    raw: dict  # key -> the cell's text
    bad: bool = False  # a cell of it has an error


class SheetRows:
    """A sheet's rows parsed with `columns`; bad cells become RowErrors naming
    "sheet!header"."""

    def __init__(self, sheet: Sheet, columns: Sequence[Column], errors: list[RowError], warnings: list):
        self.name = sheet.name
        self.rows: list[Row] = []
        self.present: set[str] = set()
        self.headers: dict[str, str] = {}
        all_rows = sheet.rows
        header_at = next((i for i, row in enumerate(all_rows) if any(row)), None)
        if header_at is None:
            return
        try:
            match = match_headers(all_rows[header_at], columns)
        except ImportFileError as error:
            raise ImportFileError(
                f"工作表「{sheet.name}」：{error.message_zh}", f"sheet {sheet.name}: {error.message_en}"
            ) from None
        for warning in match.warnings:
            warnings.append(
                type(warning)(
                    f"工作表「{sheet.name}」：{warning.message_zh}",
                    f"sheet {sheet.name}: {warning.message_en}",
                )
            )
        self.present = set(match.index)
        self.headers = {key: f"{sheet.name}!{header}" for key, header in match.headers.items()}
        by_key = {column.key: column for column in columns}
        for offset, cells in enumerate(all_rows[header_at + 1 :]):
            if not any(cells):
                continue
            number = header_at + offset + 2
            values: dict = {}
            raw: dict = {}
            errors_before = len(errors) + getattr(errors, "more", 0)
            for key, index in match.index.items():
                text = cells[index].strip() if index < len(cells) else ""
                raw[key] = text
                column = by_key[key]
                if not text:
                    if not column.blank_ok:
                        errors.append(
                            RowError(
                                number, self.headers[key], "", "必填，不能为空", "required: may not be empty"
                            )
                        )
                    values[key] = None
                    continue
                try:
                    validators.no_nul(text)
                    values[key] = column.parse(text) if column.parse else text
                except Invalid as invalid:
                    errors.append(
                        RowError(
                            number,
                            self.headers[key],
                            text.replace(validators.NUL, "\\0"),
                            invalid.message_zh,
                            invalid.message_en,
                        )
                    )
                    values[key] = None
            bad = len(errors) + getattr(errors, "more", 0) > errors_before
            self.rows.append(Row(number, values, raw, bad))

    def where(self, key: str) -> str:
        return self.headers.get(key, f"{self.name}!{key}")
