"""What changed between two versions of a model, from their plain data (schema.model_data).

Dimensions are matched by code (stable across versions, CONTRACTS.md), modules by code,
levels by number, requirement cells by (stage or grade, dimension code).
"""

from dataclasses import dataclass, field

MODEL_FIELDS = ("name", "name_en", "description")
LEVEL_FIELDS = ("title", "title_en", "description")
MODULE_FIELDS = ("name", "name_en")
DIMENSION_FIELDS = ("name", "name_en", "category", "description", "module")


@dataclass(frozen=True)
class FieldChange:
    where: str  # "model", "L3", "M1", "D04"
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class IndicatorChange:
    dimension: str
    level: int
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class RequirementChange:
    kind: str  # "stages" or "grades"
    target: str  # stage or grade code
    dimension: str
    old: tuple[int, float] | None
    new: tuple[int, float] | None


@dataclass
class ModelDiff:
    model: list[FieldChange] = field(default_factory=list)
    levels: list[FieldChange] = field(default_factory=list)
    modules_added: list[str] = field(default_factory=list)
    modules_removed: list[str] = field(default_factory=list)
    modules_changed: list[FieldChange] = field(default_factory=list)
    dimensions_added: list[str] = field(default_factory=list)
    dimensions_removed: list[str] = field(default_factory=list)
    dimensions_changed: list[FieldChange] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)
    requirements: list[RequirementChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)

    def counts(self) -> dict[str, int]:
        return {
            "model": len(self.model) + len(self.levels),
            "modules": len(self.modules_added) + len(self.modules_removed) + len(self.modules_changed),
            "dimensions_added": len(self.dimensions_added),
            "dimensions_removed": len(self.dimensions_removed),
            "dimensions_changed": len({c.where for c in self.dimensions_changed}),
            "indicators": len(self.indicators),
            "requirements": len(self.requirements),
        }


def _dimensions(data: dict) -> dict[str, dict]:
    return {
        dim["code"]: {**dim, "module": module["code"]}
        for module in data["modules"] for dim in module["dimensions"]
    }


def _fields(where: str, old: dict, new: dict, names: tuple[str, ...]) -> list[FieldChange]:
    return [FieldChange(where, name, old.get(name), new.get(name))
            for name in names if old.get(name) != new.get(name)]


def diff_model_data(old: dict, new: dict) -> ModelDiff:
    result = ModelDiff()
    result.model = _fields("model", old, new, MODEL_FIELDS)
    old_levels = {item["level"]: item for item in old["levels"]}
    for item in new["levels"]:
        result.levels += _fields(f"L{item['level']}", old_levels.get(item["level"], {}), item, LEVEL_FIELDS)

    old_modules = {m["code"]: m for m in old["modules"]}
    new_modules = {m["code"]: m for m in new["modules"]}
    result.modules_added = [code for code in new_modules if code not in old_modules]
    result.modules_removed = [code for code in old_modules if code not in new_modules]
    for code, module in new_modules.items():
        if code in old_modules:
            result.modules_changed += _fields(code, old_modules[code], module, MODULE_FIELDS)

    old_dims, new_dims = _dimensions(old), _dimensions(new)
    result.dimensions_added = [code for code in new_dims if code not in old_dims]
    result.dimensions_removed = [code for code in old_dims if code not in new_dims]
    for code, dim in new_dims.items():
        if code not in old_dims:
            continue
        result.dimensions_changed += _fields(code, old_dims[code], dim, DIMENSION_FIELDS)
        old_lines = {e["level"]: e["indicators"] for e in old_dims[code]["levels"]}
        new_lines = {e["level"]: e["indicators"] for e in dim["levels"]}
        for level in sorted(set(old_lines) | set(new_lines)):
            before, after = old_lines.get(level, []), new_lines.get(level, [])
            if before != after:
                result.indicators.append(IndicatorChange(
                    code, level,
                    added=tuple(line for line in after if line not in before),
                    removed=tuple(line for line in before if line not in after),
                ))

    for kind in ("stages", "grades"):
        old_targets = old.get("requirements", {}).get(kind, {})
        new_targets = new.get("requirements", {}).get(kind, {})
        for target in [*old_targets, *(t for t in new_targets if t not in old_targets)]:
            before, after = old_targets.get(target, {}), new_targets.get(target, {})
            for code in [*before, *(c for c in after if c not in before)]:
                b, a = before.get(code), after.get(code)
                if b != a:
                    result.requirements.append(RequirementChange(
                        kind, target, code, tuple(b) if b else None, tuple(a) if a else None))
    return result


FIELD_WORDS = {"name": ("名称", "name"), "name_en": ("英文名称", "English name"),
               "description": ("说明", "description"), "title": ("名称", "title"),
               "title_en": ("英文名称", "English title"), "category": ("类别", "category"),
               "module": ("所属模块", "module")}
KIND_WORDS = {"stages": ("阶段", "stage"), "grades": ("职级", "grade")}


def _fields_words(changes: list[FieldChange]) -> tuple[str, str]:
    names = list(dict.fromkeys(change.field for change in changes))
    return ("、".join(FIELD_WORDS.get(n, (n, n))[0] for n in names),
            ", ".join(FIELD_WORDS.get(n, (n, n))[1] for n in names))


def _cell(value: tuple | None) -> str:
    return f"L{value[0]}·{value[1]:g}%" if value else "—"


def describe(diff: ModelDiff, target_names: dict[str, dict[str, tuple[str, str]]]) -> list[tuple[str, str]]:
    """The diff in a consultant's words, one (Chinese, English) line per change:
    "维度 D09 L3 行为指标新增 1 条". `target_names` gives {"stages"|"grades": {code: (name,
    English name)}} for the requirement lines."""
    lines: list[tuple[str, str]] = []
    if diff.model:
        zh, en = _fields_words(diff.model)
        lines.append((f"修改模型的{zh}", f"model {en} changed"))
    for level in dict.fromkeys(change.where for change in diff.levels):
        zh, en = _fields_words([c for c in diff.levels if c.where == level])
        lines.append((f"修改等级 {level} 的{zh}", f"level {level}: {en} changed"))
    for code in diff.modules_added:
        lines.append((f"新增模块 {code}", f"module {code} added"))
    for code in diff.modules_removed:
        lines.append((f"删除模块 {code}", f"module {code} removed"))
    for code in dict.fromkeys(change.where for change in diff.modules_changed):
        zh, en = _fields_words([c for c in diff.modules_changed if c.where == code])
        lines.append((f"修改模块 {code} 的{zh}", f"module {code}: {en} changed"))
    if diff.dimensions_added:
        codes = diff.dimensions_added
        lines.append((f"新增维度 {'、'.join(codes)}", f"dimension{'s' if len(codes) > 1 else ''} "
                      f"{', '.join(codes)} added"))
    if diff.dimensions_removed:
        codes = diff.dimensions_removed
        lines.append((f"删除维度 {'、'.join(codes)}", f"dimension{'s' if len(codes) > 1 else ''} "
                      f"{', '.join(codes)} removed"))
    for code in dict.fromkeys(change.where for change in diff.dimensions_changed):
        zh, en = _fields_words([c for c in diff.dimensions_changed if c.where == code])
        lines.append((f"修改维度 {code} 的{zh}", f"dimension {code}: {en} changed"))
    for change in diff.indicators:
        parts_zh, parts_en = [], []
        if change.added:
            parts_zh.append(f"新增 {len(change.added)} 条")
            parts_en.append(f"{len(change.added)} added")
        if change.removed:
            parts_zh.append(f"删除 {len(change.removed)} 条")
            parts_en.append(f"{len(change.removed)} removed")
        lines.append((
            f"维度 {change.dimension} L{change.level} 行为指标{'、'.join(parts_zh) or '调整顺序'}",
            f"dimension {change.dimension} L{change.level} indicators: {', '.join(parts_en) or 'reordered'}",
        ))
    targets = list(dict.fromkeys((c.kind, c.target) for c in diff.requirements))
    for kind, target in targets:
        cells = [c for c in diff.requirements if (c.kind, c.target) == (kind, target)]
        name, name_en = target_names.get(kind, {}).get(target, (target, target))
        detail = "；".join(f"{c.dimension} {_cell(c.old)}→{_cell(c.new)}" for c in cells)
        detail_en = "; ".join(f"{c.dimension} {_cell(c.old)}→{_cell(c.new)}" for c in cells)
        word, word_en = KIND_WORDS.get(kind, (kind, kind))
        lines.append((f"{word}「{name}」的要求修改 {len(cells)} 项：{detail}",
                      f"{word_en} {name_en}: {len(cells)} requirement{'s' if len(cells) > 1 else ''} "
                      f"changed: {detail_en}"))
    return lines
