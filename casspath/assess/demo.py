"""assess's part of the demo: skill evidence of every demo account manager on the default
model's 18 dimensions, with the CASS article's bottlenecks planted in it (issue 7).

The truth is planted here and the performance part (performance/demo.py) makes output from
it, so that the diagnosis finds it again (its test checks that over many seeds):

- each manager has an aptitude u_d ~ N(0, 1) per dimension, with a shared part (people good
  at one thing tend to be good at others, ρ ≈ 0.3 between dimensions);
- his true level is his effective requirement (stage and grade, CONTRACTS.md) plus the
  dimension's usual shortfall plus SPREAD · u_d, in [1, 5]. The usual shortfall is small
  for every dimension but D09 商务谈判, where people stay a level below what their stage and
  grade ask: the top tier's bottleneck against the requirement;
- output (performance/demo.py) depends on u_D01, u_D03 (whether a manager sells at all:
  finding targets and building relationships) and on u_D05, u_D06 (how much: needs mining
  and solution design), with noise enough that each correlation stays about 0.2–0.4;
- the evidence is what a consultant's survey (a score 0–100, one campaign, SURVEY_DAY) and,
  up to SUPERVISOR_RATINGS_UP_TO managers, a supervisor's rating (a level 1–5, some day
  within the year) measure of the true level, with measurement noise. Past that the survey
  alone: 100,000 managers × 18 dimensions is 1.8 million rows already.

`planted_skills(...)` is pure (numpy, one Generator seeded from the demo's seed), and so is
`observed_evidence(...)`; `AssessDemo.build` writes the evidence with core/demo.insert_rows.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from casspath.analytics import evidence as rule
from casspath.analytics.tenure import completed_years, stage_for
from casspath.assess.models import Evidence
from casspath.competency.models import CompetencyModel, Dimension, Requirement
from casspath.core.demo import CHUNK, DEMO_TODAY, DemoPart, DemoRun, insert_rows, pairs
from casspath.org.defaults import STAGES
from casspath.org.demo import DemoPlan, plan_of
from casspath.org.models import Employee

CODES = [f"D{number:02d}" for number in range(1, 19)]
# The positions whose holders the demo counts as its account managers (org/demo.py's).
MANAGER_POSITIONS = ("account_manager", "enterprise_account_manager", "industry_manager")
SHARED = 0.3  # correlation of two dimensions' aptitudes
SPREAD = 0.6  # levels per standard deviation of aptitude
USUAL_SHORTFALL = 0.15  # levels below the requirement, on average, of most dimensions
SHORTFALL = {"D09": 1.0}  # the planted one: negotiation lags what the stage asks
SURVEY_DAY = date(2026, 3, 16)
SURVEY_NOISE = 8.0  # score points
SUPERVISOR_NOISE = 0.5  # levels, before rounding to a whole level
# Up to this many managers (a province and a half) each has a supervisor's rating too.
SUPERVISOR_RATINGS_UP_TO = 7500
YEAR_START = DEMO_TODAY - timedelta(days=364)
STAGE_BOUNDS = [(code, lower, upper) for code, _name, _en, lower, upper in STAGES]

# {"stages" | "grades": {stage or grade code: {dimension code: required level}}}
RequirementTable = Mapping[str, Mapping[str, Mapping[str, int]]]


def demo_rng(seed: int, label: str) -> np.random.Generator:
    """A part's own Generator: from f"{seed}:{label}" (core/demo.py), the same on any machine."""
    digest = hashlib.sha256(f"{seed}:{label}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class DemoManager:
    employee_id: int  # 0 when planned, not yet in a database
    employee_no: str
    hire_date: date
    grade_code: str


@dataclass(frozen=True)
class PlantedSkills:
    aptitude: NDArray[np.float64]  # (N, 18) u, standard normal
    requirement: NDArray[np.float64]  # (N, 18) effective requirement level, NaN where none
    level: NDArray[np.float64]  # (N, 18) true level, 1–5


def requirement_matrix(managers: Sequence[DemoManager], table: RequirementTable) -> NDArray[np.float64]:
    """Each manager's effective requirement per dimension: the higher of his stage's (by
    completed years on DEMO_TODAY) and his grade's (CONTRACTS.md)."""
    result = np.full((len(managers), len(CODES)), np.nan)
    stages, grades = table.get("stages", {}), table.get("grades", {})
    for i, manager in enumerate(managers):
        stage = stage_for(completed_years(manager.hire_date, DEMO_TODAY), STAGE_BOUNDS)
        by_stage, by_grade = stages.get(stage, {}), grades.get(manager.grade_code, {})
        for d, code in enumerate(CODES):
            levels = [level for level in (by_stage.get(code), by_grade.get(code)) if level is not None]
            if levels:
                result[i, d] = max(levels)
    return result


def planted_skills(managers: Sequence[DemoManager], table: RequirementTable, seed: int) -> PlantedSkills:
    """The managers' aptitudes and true levels (the module docstring's model)."""
    rng = demo_rng(seed, "assess")
    n = len(managers)
    common = rng.standard_normal((n, 1))
    aptitude = np.sqrt(SHARED) * common + np.sqrt(1 - SHARED) * rng.standard_normal((n, len(CODES)))
    requirement = requirement_matrix(managers, table)
    shortfall = np.array([SHORTFALL.get(code, USUAL_SHORTFALL) for code in CODES])
    base = np.where(np.isnan(requirement), 3.0, requirement)
    level = np.clip(base - shortfall + SPREAD * aptitude, rule.MIN_LEVEL, rule.MAX_LEVEL)
    return PlantedSkills(aptitude, requirement, level)


@dataclass(frozen=True)
class ObservedEvidence:
    """Two records per manager and dimension: the survey's score and the supervisor's level."""

    score: NDArray[np.float64]  # (N, 18) whole points 0–100, dated SURVEY_DAY
    supervisor_level: NDArray[np.int64]  # (N, 18) 1–5
    supervisor_day: NDArray[np.int64]  # (N,) day offsets from YEAR_START, one rating day each


def observed_evidence(skills: PlantedSkills, seed: int) -> ObservedEvidence:
    rng = demo_rng(seed, "assess:evidence")
    n, d = skills.level.shape
    score = np.clip(np.rint((skills.level - 1.0) * 25.0 + SURVEY_NOISE * rng.standard_normal((n, d))),
                    0, rule.MAX_SCORE)
    supervisor = np.clip(np.rint(skills.level + SUPERVISOR_NOISE * rng.standard_normal((n, d))), 1, 5)
    days = np.asarray(rng.integers(0, 365, size=n), dtype=np.int64)
    return ObservedEvidence(score, supervisor.astype(np.int64), days)


def supervisors_rate(managers: int) -> bool:
    """Whether the demo of this size has supervisors' ratings beside the survey: not past
    SUPERVISOR_RATINGS_UP_TO managers, where a second 1.8 million rows would add about a
    minute to the build on PostgreSQL (docs/benchmarks.md)."""
    return managers <= SUPERVISOR_RATINGS_UP_TO


def current_levels_of(observed: ObservedEvidence, *, supervisors: bool = True) -> NDArray[np.float64]:
    """The current levels on DEMO_TODAY that the evidence gives, by the evidence rule: what
    the diagnosis will read from the database (for tests that skip the database)."""
    n, d = observed.score.shape
    rows = np.repeat(np.arange(n), d)
    columns = np.tile(np.arange(d), n)
    employee, dimension = [rows], [columns]
    level = [rule.level_of_score(observed.score.ravel())]
    day = [np.full(n * d, SURVEY_DAY.toordinal())]
    source = [np.full(n * d, rule.SURVEY)]
    if supervisors:
        employee.append(rows)
        dimension.append(columns)
        level.append(observed.supervisor_level.ravel().astype(np.float64))
        day.append(np.repeat(YEAR_START.toordinal() + observed.supervisor_day, d))
        source.append(np.full(n * d, rule.SUPERVISOR))
    result = rule.current_levels(
        np.concatenate(employee), np.concatenate(dimension), np.concatenate(level),
        np.concatenate(day), np.concatenate(source), shape=(n, d), as_of=DEMO_TODAY.toordinal(),
    )
    return result.level


def default_requirement_table(data: Mapping) -> dict[str, dict[str, dict[str, int]]]:
    """The table from a model file's "requirements" ({kind: {code: {dimension: [level, weight]}}})."""
    return {kind: {code: {dim: int(pair[0]) for dim, pair in by_dim.items()}
                   for code, by_dim in data.get(kind, {}).items()}
            for kind in ("stages", "grades")}


def _model(run: DemoRun) -> CompetencyModel:
    return (CompetencyModel.objects.filter(org_unit=run.shared["root"])
            .order_by("family", "-version").first())  # type: ignore[return-value]


def planned_managers(plan: DemoPlan) -> list[DemoManager]:
    """The plan's active account managers, by employee number (not yet in a database)."""
    people = sorted((person for person in plan.people if person.position_code in MANAGER_POSITIONS
                     and person.status == Employee.Status.ACTIVE), key=lambda person: person.employee_no)
    return [DemoManager(0, person.employee_no, person.hire_date, person.grade_code) for person in people]


def demo_managers(plan: DemoPlan) -> list[DemoManager]:
    """The plan's active account managers with their ids in the database: only the demo's
    own people, not those imported since, get planted data."""
    planned = planned_managers(plan)
    ids = dict(pairs(Employee.objects, "employee_no", [manager.employee_no for manager in planned],
                     "employee_no", "id"))
    return [replace(manager, employee_id=ids[manager.employee_no]) for manager in planned]


def _table(model: CompetencyModel) -> dict[str, dict[str, dict[str, int]]]:
    table: dict[str, dict[str, dict[str, int]]] = {"stages": {}, "grades": {}}
    rows = Requirement.objects.filter(model=model).values_list(
        "stage__code", "grade__code", "dimension__code", "level")
    for stage, grade, code, level in rows:
        kind, key = ("stages", stage) if stage else ("grades", grade)
        table[kind].setdefault(key, {})[code] = level
    return table


def planted_for(run: DemoRun) -> tuple[list[DemoManager], PlantedSkills]:
    """The database's demo managers and their planted skills (kept in run.shared: the
    performance part reads the same)."""
    if "planted" not in run.shared:
        managers = demo_managers(plan_of(run))
        run.shared["planted"] = (managers, planted_skills(managers, _table(_model(run)), run.seed))
    return run.shared["planted"]


class AssessDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        run.progress("planting skills")
        model = _model(run)
        managers, skills = planted_for(run)
        rated = set(Evidence.objects.values_list("employee_id", flat=True).distinct())
        todo = [i for i, manager in enumerate(managers) if manager.employee_id not in rated]
        if not todo:
            return {"evidence": 0}
        observed = observed_evidence(skills, run.seed)
        dimensions = dict(Dimension.objects.filter(model=model).values_list("code", "id"))
        dimension_ids = [dimensions[code] for code in CODES]
        # One Decimal per possible score, shared by the rows that have it.
        decimals = [Decimal(value) for value in range(int(rule.MAX_SCORE) + 1)]
        scores = [[decimals[int(value)] for value in row] for row in observed.score.tolist()]
        survey_levels = (1.0 + 4.0 * observed.score / rule.MAX_SCORE).tolist()
        supervisor = observed.supervisor_level.tolist()
        fields = ("employee_id", "model_id", "dimension_id", "dimension_code", "source", "observed_on",
                  "given_level", "score", "level", "recorded_by_label")
        with_supervisors = supervisors_rate(run.managers)
        written = 0
        # A slice of managers at a time: 100,000 managers' 3.6 million rows at once would
        # hold gigabytes of tuples.
        for start in range(0, len(todo), CHUNK):
            rows: list[tuple] = []
            for i in todo[start:start + CHUNK]:
                employee = managers[i].employee_id
                rated_on = YEAR_START + timedelta(days=int(observed.supervisor_day[i]))
                for d, code in enumerate(CODES):
                    rows.append((employee, model.pk, dimension_ids[d], code, rule.SURVEY, SURVEY_DAY,
                                 None, scores[i][d], survey_levels[i][d], "顾问调研"))
                    if with_supervisors:
                        rows.append((employee, model.pk, dimension_ids[d], code, rule.SUPERVISOR, rated_on,
                                     supervisor[i][d], None, float(supervisor[i][d]), "主管评价"))
            insert_rows(Evidence, fields, rows)
            written += len(rows)
            run.progress("evidence", written, len(todo) * len(CODES) * (1 + with_supervisors))
        return {"evidence": written}

    def describe(self, run: DemoRun) -> list[str]:
        sources = f"the consultant's survey of {SURVEY_DAY}"
        if supervisors_rate(run.managers):
            sources += ", supervisors' ratings"
        return [f"evidence of skills: {Evidence.objects.count():,} records ({sources})"]


part = AssessDemo()
