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
