"""A competency model as plain data: the schema of `data/default_model.json`, of the Excel
file once parsed, and of a stored version read back (`model_data`).

```
{"family", "name", "name_en", "description",
 "levels": [{"level", "title", "title_en", "description"}, ...5],
 "modules": [{"code", "name", "name_en",
              "dimensions": [{"code", "name", "name_en", "category", "description",
                              "levels": [{"level", "indicators": [str, ...]}, ...5]}]}],
 "requirements": {"stages": {stage_code: {dimension_code: [level, weight]}},
                  "grades": {grade_code: {dimension_code: [level, weight]}}}}
```

`validate_model_data` checks a dict and returns it normalised (stripped texts, sorted
levels, weights rounded to 2 decimals), so two dicts with the same content compare equal.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from casspath.competency.errors import ModelDataError
from casspath.competency.models import (
    LEVELS,
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    LevelTitle,
    Module,
    Requirement,
)

CATEGORIES = {choice.value for choice in Dimension.Category}
TARGET_KINDS = ("stages", "grades")
CENT = Decimal("0.01")

# Field lengths, taken from the models so a too-long text is named here, not by the database.
LIMITS = {
    "family": CompetencyModel._meta.get_field("family").max_length,
    "model.name": CompetencyModel._meta.get_field("name").max_length,
    "model.name_en": CompetencyModel._meta.get_field("name_en").max_length,
    "level.title": LevelTitle._meta.get_field("title").max_length,
    "level.title_en": LevelTitle._meta.get_field("title_en").max_length,
    "module.code": Module._meta.get_field("code").max_length,
    "module.name": Module._meta.get_field("name").max_length,
    "module.name_en": Module._meta.get_field("name_en").max_length,
    "dimension.code": Dimension._meta.get_field("code").max_length,
    "dimension.name": Dimension._meta.get_field("name").max_length,
    "dimension.name_en": Dimension._meta.get_field("name_en").max_length,
}


def weight_value(value) -> Decimal:
    """A weight as a Decimal with two places; raises ValueError when not a number."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a weight")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def level_value(value) -> int:
    """A level 1–5 from an int or an integral float/str; raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a level")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"not a whole number: {value!r}")
        value = int(value)
    elif isinstance(value, str):
        value = int(value.strip())
    if not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"not a level 1-5: {value!r}")
    return value


class _Checker:
    def __init__(self):
        self.errors: list[tuple[str, str, str]] = []

    def add(self, where: str, zh: str, en: str) -> None:
        self.errors.append((where, zh, en))

    def text(
        self,
        obj: dict,
        key: str,
        where: str,
        *,
        required: bool,
        limit: int | None = None,
        label_zh: str,
        label_en: str,
    ) -> str:
        value = obj.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", f"{label_zh}应为文本", f"{label_en} must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.add(f"{where}.{key}", f"缺少{label_zh}", f"{label_en} is missing")
        if limit is not None and len(value) > limit:
            self.add(
                f"{where}.{key}",
                f"{label_zh}超过 {limit} 个字符（现 {len(value)} 个）",
                f"{label_en} is longer than {limit} characters ({len(value)})",
            )
        return value

    def items(self, obj: dict, key: str, where: str, label_zh: str, label_en: str) -> list:
        value = obj.get(key)
        if not isinstance(value, list):
            self.add(f"{where}.{key}" if where else key, f"{label_zh}应为列表", f"{label_en} must be a list")
            return []
        return value


def validate_model_data(data, *, stage_codes: set[str], grade_codes: set[str]) -> dict:
    """The dict normalised, or ModelDataError listing every problem in it."""
    check = _Checker()
    if not isinstance(data, dict):
        raise ModelDataError([("$", "模型数据应为一个对象（字典）", "model data must be an object (dict)")])
    out: dict = {
        "family": check.text(
            data,
            "family",
            "model",
            required=True,
            limit=LIMITS["family"],
            label_zh="模型编码",
            label_en="model code (family)",
        ),
        "name": check.text(
            data,
            "name",
            "model",
            required=True,
            limit=LIMITS["model.name"],
            label_zh="模型名称",
            label_en="model name",
        ),
        "name_en": check.text(
            data,
            "name_en",
            "model",
            required=False,
            limit=LIMITS["model.name_en"],
            label_zh="英文名称",
            label_en="English name",
        ),
        "description": check.text(
            data, "description", "model", required=False, label_zh="说明", label_en="description"
        ),
    }
    if out["family"] and any(ch.isspace() for ch in out["family"]):
        check.add("model.family", "模型编码不能含空格", "the model code (family) cannot contain spaces")

    out["levels"] = _check_levels(check, data)
    out["modules"] = _check_modules(check, data)
    dimension_codes = {d["code"] for m in out["modules"] for d in m["dimensions"] if d["code"]}
    out["requirements"] = _check_requirements(
        check, data, dimension_codes, {"stages": stage_codes, "grades": grade_codes}
    )
    if check.errors:
        raise ModelDataError(check.errors)
    return out


def _check_levels(check: _Checker, data: dict) -> list[dict]:
    levels = []
    seen: set[int] = set()
    for index, item in enumerate(check.items(data, "levels", "", "等级列表", "levels")):
        where = f"levels[{index}]"
        if not isinstance(item, dict):
            check.add(where, "等级应为对象", "a level must be an object")
            continue
        try:
            level = level_value(item.get("level"))
        except ValueError:
            check.add(
                f"{where}.level",
                f"等级应为 1–5 的整数，现为 {item.get('level')!r}",
                f"level must be a whole number 1-5, got {item.get('level')!r}",
            )
            continue
        where = f"levels[L{level}]"
        if level in seen:
            check.add(where, f"等级 {level} 重复", f"level {level} appears twice")
            continue
        seen.add(level)
        levels.append(
            {
                "level": level,
                "title": check.text(
                    item,
                    "title",
                    where,
                    required=True,
                    limit=LIMITS["level.title"],
                    label_zh="等级名称",
                    label_en="level title",
                ),
                "title_en": check.text(
                    item,
                    "title_en",
                    where,
                    required=False,
                    limit=LIMITS["level.title_en"],
                    label_zh="等级英文名称",
                    label_en="English level title",
                ),
                "description": check.text(
                    item,
                    "description",
                    where,
                    required=False,
                    label_zh="等级说明",
                    label_en="level description",
                ),
            }
        )
    if isinstance(data.get("levels"), list):
        missing = [str(level) for level in LEVELS if level not in seen]
        if missing:
            check.add(
                "levels",
                f"缺少等级 {'、'.join(missing)}（须有 1–5 级）",
                f"levels {', '.join(missing)} are missing (1-5 are needed)",
            )
    return sorted(levels, key=lambda item: item["level"])


def _check_modules(check: _Checker, data: dict) -> list[dict]:
    modules = []
    module_codes: set[str] = set()
    dimension_codes: set[str] = set()
    items = check.items(data, "modules", "", "模块列表", "modules")
    if isinstance(data.get("modules"), list) and not items:
        check.add("modules", "模型至少要有一个模块", "a model needs at least one module")
    for m_index, item in enumerate(items):
        where = f"modules[{m_index}]"
        if not isinstance(item, dict):
            check.add(where, "模块应为对象", "a module must be an object")
            continue
        code = check.text(
            item,
            "code",
            where,
            required=True,
            limit=LIMITS["module.code"],
            label_zh="模块编码",
            label_en="module code",
        )
        if code:
            where = f"modules[{code}]"
            if code in module_codes:
                check.add(where, f"模块编码 {code} 重复", f"module code {code} appears twice")
            module_codes.add(code)
        module = {
            "code": code,
            "name": check.text(
                item,
                "name",
                where,
                required=True,
                limit=LIMITS["module.name"],
                label_zh="模块名称",
                label_en="module name",
            ),
            "name_en": check.text(
                item,
                "name_en",
                where,
                required=False,
                limit=LIMITS["module.name_en"],
                label_zh="模块英文名称",
                label_en="English module name",
            ),
            "dimensions": [],
        }
        for d_index, dim in enumerate(check.items(item, "dimensions", where, "维度列表", "dimensions")):
            checked = _check_dimension(check, dim, f"{where}.dimensions[{d_index}]", dimension_codes)
            if checked is not None:
                module["dimensions"].append(checked)
        modules.append(module)
    return modules


def _check_dimension(check: _Checker, item, where: str, seen_codes: set[str]) -> dict | None:
    if not isinstance(item, dict):
        check.add(where, "维度应为对象", "a dimension must be an object")
        return None
    code = check.text(
        item,
        "code",
        where,
        required=True,
        limit=LIMITS["dimension.code"],
        label_zh="维度编码",
        label_en="dimension code",
    )
    if code:
        where = f"dimensions[{code}]"
        if code in seen_codes:
            check.add(
                where, f"维度编码 {code} 在模型中重复", f"dimension code {code} appears twice in the model"
            )
        seen_codes.add(code)
    category = item.get("category")
    if category not in CATEGORIES:
        check.add(
            f"{where}.category",
            f"类别应为 knowledge（岗位知识）、quality（岗位素质）或 skill（岗位技能），现为 {category!r}",
            f"category must be knowledge, quality or skill, got {category!r}",
        )
    dimension = {
        "code": code,
        "name": check.text(
            item,
            "name",
            where,
            required=True,
            limit=LIMITS["dimension.name"],
            label_zh="维度名称",
            label_en="dimension name",
        ),
        "name_en": check.text(
            item,
            "name_en",
            where,
            required=False,
            limit=LIMITS["dimension.name_en"],
            label_zh="维度英文名称",
            label_en="English dimension name",
        ),
        "category": category if category in CATEGORIES else "",
        "description": check.text(
            item, "description", where, required=False, label_zh="维度说明", label_en="dimension description"
        ),
        "levels": [],
    }
    seen: set[int] = set()
    for index, entry in enumerate(check.items(item, "levels", where, "行为指标等级列表", "levels")):
        at = f"{where}.levels[{index}]"
        if not isinstance(entry, dict):
            check.add(at, "行为指标等级应为对象", "a behaviour level must be an object")
            continue
        try:
            level = level_value(entry.get("level"))
        except ValueError:
            check.add(
                f"{at}.level",
                f"等级应为 1–5 的整数，现为 {entry.get('level')!r}",
                f"level must be a whole number 1-5, got {entry.get('level')!r}",
            )
            continue
        at = f"{where}.levels[L{level}]"
        if level in seen:
            check.add(at, f"等级 {level} 的行为指标重复", f"level {level} appears twice")
            continue
        seen.add(level)
        raw = entry.get("indicators")
        if not isinstance(raw, list) or not all(isinstance(line, str) for line in raw):
            check.add(f"{at}.indicators", "行为指标应为文本列表", "indicators must be a list of texts")
            continue
        # One indicator per line is how they are stored: a line break inside one splits it.
        lines = [part.strip() for line in raw for part in line.splitlines() if part.strip()]
        if not lines:
            check.add(f"{at}.indicators", f"等级 {level} 缺少行为指标", f"level {level} has no indicators")
        dimension["levels"].append({"level": level, "indicators": lines})
    if isinstance(item.get("levels"), list):
        missing = [str(level) for level in LEVELS if level not in seen]
        if missing:
            check.add(
                f"{where}.levels",
                f"缺少等级 {'、'.join(missing)} 的行为指标（须有 1–5 级）",
                f"indicators for levels {', '.join(missing)} are missing (1-5 are needed)",
            )
    dimension["levels"].sort(key=lambda entry: entry["level"])
    return dimension


def _check_requirements(
    check: _Checker, data: dict, dimension_codes: set[str], known: dict[str, set[str]]
) -> dict:
    out: dict = {"stages": {}, "grades": {}}
    raw = data.get("requirements", {})
    if raw is None:
        return out
    if not isinstance(raw, dict):
        check.add("requirements", "要求应为对象", "requirements must be an object")
        return out
    for key in raw:
        if key not in TARGET_KINDS:
            check.add(
                f"requirements.{key}",
                f"未知的要求类别 {key!r}（应为 stages 或 grades）",
                f"unknown requirement kind {key!r} (stages or grades expected)",
            )
    names = {"stages": ("阶段", "stage"), "grades": ("职级", "grade")}
    for kind in TARGET_KINDS:
        targets = raw.get(kind, {}) or {}
        zh, en = names[kind]
        if not isinstance(targets, dict):
            check.add(f"requirements.{kind}", f"{zh}要求应为对象", f"{en} requirements must be an object")
            continue
        for target, cells in targets.items():
            where = f"requirements.{kind}.{target}"
            if target not in known[kind]:
                check.add(
                    where,
                    f"未知的{zh}编码 {target!r}（已有：{'、'.join(sorted(known[kind]))}）",
                    f"unknown {en} code {target!r} (known: {', '.join(sorted(known[kind]))})",
                )
                continue
            if not isinstance(cells, dict):
                check.add(
                    where,
                    "应为 维度编码 → [等级, 权重] 的对象",
                    "must be an object of dimension code -> [level, weight]",
                )
                continue
            checked = {}
            for code, cell in cells.items():
                at = f"{where}.{code}"
                if code not in dimension_codes:
                    check.add(at, f"维度编码 {code} 不在模型中", f"dimension code {code} is not in the model")
                    continue
                if not isinstance(cell, list | tuple) or len(cell) != 2:
                    check.add(
                        at, f"应为 [等级, 权重]，现为 {cell!r}", f"must be [level, weight], got {cell!r}"
                    )
                    continue
                try:
                    level = level_value(cell[0])
                except ValueError:
                    check.add(
                        at,
                        f"要求等级应为 1–5 的整数，现为 {cell[0]!r}",
                        f"required level must be a whole number 1-5, got {cell[0]!r}",
                    )
                    continue
                try:
                    weight = weight_value(cell[1])
                except ValueError:
                    check.add(
                        at, f"权重应为数字，现为 {cell[1]!r}", f"weight must be a number, got {cell[1]!r}"
                    )
                    continue
                if not Decimal(0) <= weight <= Decimal(100):
                    check.add(
                        at,
                        f"权重应在 0–100 之间，现为 {cell[1]!r}",
                        f"weight must be between 0 and 100, got {cell[1]!r}",
                    )
                    continue
                checked[code] = [level, float(weight)]
            if checked:
                out[kind][target] = checked
    return out


def model_data(model: CompetencyModel) -> dict:
    """A stored version as plain data (the schema above), read with five queries."""
    levels = [
        {"level": row.level, "title": row.title, "title_en": row.title_en, "description": row.description}
        for row in LevelTitle.objects.filter(model=model).order_by("level")
    ]
    behaviours: dict[int, list[dict]] = {}
    for row in BehaviourLevel.objects.filter(dimension__model=model).order_by("dimension_id", "level"):
        behaviours.setdefault(row.dimension_id, []).append(
            {"level": row.level, "indicators": row.indicator_list()}
        )
    dimensions: dict[int, list[dict]] = {}
    for dim in Dimension.objects.filter(model=model).order_by("order", "code"):
        dimensions.setdefault(dim.module_id, []).append(
            {
                "code": dim.code,
                "name": dim.name,
                "name_en": dim.name_en,
                "category": dim.category,
                "description": dim.description,
                "levels": behaviours.get(dim.pk, []),
            }
        )
    modules = [
        {"code": m.code, "name": m.name, "name_en": m.name_en, "dimensions": dimensions.get(m.pk, [])}
        for m in Module.objects.filter(model=model).order_by("order", "code")
    ]
    requirements: dict = {"stages": {}, "grades": {}}
    rows = Requirement.objects.filter(model=model).values_list(
        "stage__code", "grade__code", "dimension__code", "level", "weight"
    )
    for stage_code, grade_code, dim_code, level, weight in rows.order_by(
        "stage__order", "grade__order", "dimension__order", "dimension__code"
    ):
        kind, target = ("stages", stage_code) if stage_code else ("grades", grade_code)
        requirements[kind].setdefault(target, {})[dim_code] = [level, float(weight)]
    return {
        "family": model.family,
        "name": model.name,
        "name_en": model.name_en,
        "description": model.description,
        "levels": levels,
        "modules": modules,
        "requirements": requirements,
    }


def content_key(data: dict) -> dict:
    """What "identical content" compares: everything but the family and the order of
    requirement cells (which has no meaning)."""
    key = {k: v for k, v in data.items() if k not in ("family", "requirements")}
    key["requirements"] = {
        kind: {target: dict(sorted(cells.items())) for target, cells in sorted(targets.items()) if cells}
        for kind, targets in data.get("requirements", {}).items()
    }
    return key
