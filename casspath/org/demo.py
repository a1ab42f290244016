"""org's part of the demo: a province with departments, cities, district companies, teams,
account managers and a login for every role, built deterministically from a seed.

`plan_demo(managers, seed)` is pure: the same arguments give the same plan on any machine
(one `random.Random(seed)`, lists not sets, a fixed reference date instead of the clock).
`OrgDemo.build` writes a plan: it creates what is missing and touches nothing that exists.
The site's orchestrator (casspath/site/demo.py) runs it first, then the other apps' parts.
"""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from casspath.analytics.tenure import completed_years
from casspath.core.demo import (
    DEMO_TODAY,
    MAX_MANAGERS,
    DemoError,
    DemoPart,
    DemoRun,
    ShowcaseLogin,
    pairs,
)
from casspath.core.models import User
from casspath.org.defaults import ensure_positions, ensure_value_lists
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment, Stage
from casspath.org.tree import path_for

DEMO_JOINED = datetime.combine(DEMO_TODAY, time(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
EMAIL_DOMAIN = "gd-telecom.example"  # RFC 2606: a domain that can never reach a real mailbox

PROVINCE = ("GD", "广东公司")
DEPARTMENTS = [("GD-JK", "集团客户部"), ("GD-PX", "培训学院")]
# code, name, share of the province's account managers, admin login, district companies
CITIES = [
    ("GZ", "广州分公司", 0.45, "gzadmin", [
        ("TH", "天河区"), ("YX", "越秀区"), ("HZ", "海珠区"), ("LW", "荔湾区"), ("BY", "白云区"),
        ("HP", "黄埔区"), ("PY", "番禺区"), ("HD", "花都区"), ("ZC", "增城区"), ("NS", "南沙区"),
    ]),
    ("FS", "佛山分公司", 0.30, "fsadmin", [
        ("CC", "禅城区"), ("NH", "南海区"), ("SD", "顺德区"), ("SS", "三水区"), ("GM", "高明区"),
    ]),
    # Dongguan has no districts: its county-level companies serve towns and subdistricts.
    ("DG", "东莞分公司", 0.25, "dgadmin", [
        ("NC", "南城街道"), ("DC", "东城街道"), ("HM", "虎门镇"), ("CA", "长安镇"), ("CP", "常平镇"),
        ("TX", "塘厦镇"),
    ]),
]
TEAM_NAMES = ["政企一班", "政企二班", "商客一班", "商客二班", "行业拓展组", "校园客户组", "聚类市场组"]

# Guangdong's common surnames, weighted roughly by their frequency there; pinyin for e-mail.
SURNAMES = [
    ("陈", "chen", 80), ("李", "li", 65), ("黄", "huang", 60), ("张", "zhang", 45), ("梁", "liang", 40),
    ("林", "lin", 38), ("刘", "liu", 36), ("吴", "wu", 30), ("罗", "luo", 28), ("杨", "yang", 25),
    ("何", "he", 23), ("郑", "zheng", 21), ("周", "zhou", 20), ("谢", "xie", 19), ("钟", "zhong", 18),
    ("叶", "ye", 17), ("曾", "zeng", 16), ("邓", "deng", 16), ("王", "wang", 15), ("冯", "feng", 14),
    ("蔡", "cai", 13), ("许", "xu", 13), ("彭", "peng", 12), ("卢", "lu", 12), ("苏", "su", 11),
    ("潘", "pan", 11), ("朱", "zhu", 11), ("郭", "guo", 10), ("黎", "li", 10), ("赖", "lai", 9),
    ("余", "yu", 9), ("胡", "hu", 9), ("邱", "qiu", 8), ("莫", "mo", 8), ("江", "jiang", 8),
    ("徐", "xu", 7), ("谭", "tan", 7), ("廖", "liao", 7), ("袁", "yuan", 6), ("方", "fang", 6),
    ("伍", "wu", 5), ("麦", "mai", 5), ("温", "wen", 5), ("唐", "tang", 5), ("陆", "lu", 4),
    ("严", "yan", 4), ("马", "ma", 4), ("孙", "sun", 4), ("赵", "zhao", 4), ("邹", "zou", 4),
    ("古", "gu", 3), ("杜", "du", 3), ("龙", "long", 3), ("洪", "hong", 3), ("汤", "tang", 3),
    ("骆", "luo", 2), ("欧阳", "ouyang", 2), ("司徒", "situ", 1),
]
MALE_CHARS = [
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("辉", "hui"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("俊", "jun"), ("浩", "hao"),
    ("宇", "yu"), ("鹏", "peng"), ("斌", "bin"), ("峰", "feng"), ("健", "jian"), ("晨", "chen"),
    ("子", "zi"), ("嘉", "jia"), ("家", "jia"), ("振", "zhen"), ("锦", "jin"), ("荣", "rong"),
    ("海", "hai"), ("泽", "ze"), ("凯", "kai"), ("毅", "yi"), ("彬", "bin"), ("炜", "wei"),
    ("铭", "ming"), ("坤", "kun"), ("晓", "xiao"), ("永", "yong"), ("冠", "guan"), ("启", "qi"),
    ("卓", "zhuo"), ("达", "da"), ("航", "hang"), ("锋", "feng"), ("德", "de"), ("耀", "yao"),
    ("培", "pei"), ("鸿", "hong"),
]
FEMALE_CHARS = [
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
    ("婷", "ting"), ("颖", "ying"), ("琳", "lin"), ("雪", "xue"), ("慧", "hui"), ("欣", "xin"),
    ("怡", "yi"), ("佳", "jia"), ("玲", "ling"), ("霞", "xia"), ("燕", "yan"), ("红", "hong"),
    ("萍", "ping"), ("洁", "jie"), ("诗", "shi"), ("雅", "ya"), ("思", "si"), ("晓", "xiao"),
    ("梓", "zi"), ("嘉", "jia"), ("咏", "yong"), ("淑", "shu"), ("倩", "qian"), ("蕾", "lei"),
    ("莹", "ying"), ("媛", "yuan"), ("秀", "xiu"), ("凤", "feng"), ("瑶", "yao"), ("美", "mei"),
    ("翠", "cui"), ("丹", "dan"), ("彤", "tong"), ("茵", "yin"), ("珊", "shan"), ("晴", "qing"),
    ("月", "yue"), ("宁", "ning"), ("蓉", "rong"), ("碧", "bi"), ("琪", "qi"), ("璇", "xuan"),
]
# China Mobile's number blocks: the demo operator's own staff phones.
MOBILE_PREFIXES = ["134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158",
                   "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198"]

POSITION_WEIGHTS = [("account_manager", 62), ("enterprise_account_manager", 30), ("industry_manager", 8)]
# Years of tenure: (from, before, share). Many in 成长期, a bulk in 发展期, fewer in 成熟期,
# a few of 8 years and more.
TENURE_BANDS = [(0, 2, 42), (2, 5, 36), (5, 8, 15), (8, 16, 7)]
# Grade shares by completed years (lower bound of the band), earned by promotion over time.
GRADE_WEIGHTS = {
    0: [("junior", 85), ("intermediate", 15)],
    2: [("junior", 25), ("intermediate", 60), ("senior", 15)],
    5: [("intermediate", 30), ("senior", 55), ("expert", 15)],
    8: [("intermediate", 10), ("senior", 50), ("expert", 40)],
}
LEFT_SHARE = 0.03


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True)
class PersonPlan:
    """An employee of the demo; his login's username is his employee number."""

    employee_no: str
    name: str
    phone: str
    email: str
    unit_code: str
    position_code: str
    hire_date: date
    grade_code: str
    status: str
    roles: tuple[tuple[str, str], ...]  # (role, unit code)


@dataclass(frozen=True)
class LoginPlan:
    """A login that is no employee record: admins, consultant, analyst."""

    username: str
    name: str
    email: str
    roles: tuple[tuple[str, str], ...]


@dataclass
class DemoPlan:
    seed: int
    managers: int
    units: list[UnitPlan]
    people: list[PersonPlan]
    logins: list[LoginPlan]
    showcase: list[ShowcaseLogin]

    def unit_codes(self) -> list[str]:
        return [unit.code for unit in self.units]

    def usernames(self) -> list[str]:
        return [login.username for login in self.logins] + [p.employee_no for p in self.people]


class _Names:
    """Realistic Chinese names and their e-mail addresses, unique per address."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames = [(s, p) for s, p, _ in SURNAMES]
        self.weights = [w for _, _, w in SURNAMES]
        self.emails: Counter[str] = Counter()

    def person(self) -> tuple[str, str]:
        rng = self.rng
        surname, surname_py = rng.choices(self.surnames, weights=self.weights)[0]
        chars = MALE_CHARS if rng.random() < 0.55 else FEMALE_CHARS
        given = [rng.choice(chars)] if rng.random() < 0.22 else rng.sample(chars, 2)
        name = surname + "".join(c for c, _ in given)
        local = surname_py + "".join(p for _, p in given)
        self.emails[local] += 1
        if self.emails[local] > 1:
            local += str(self.emails[local])
        return name, f"{local}@{EMAIL_DOMAIN}"


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _grade(rng: random.Random, years: int) -> str:
    band = max(lower for lower in GRADE_WEIGHTS if lower <= years)
    return _weighted(rng, GRADE_WEIGHTS[band])


def _hire_date(rng: random.Random, lower: float, upper: float) -> date:
    days = rng.randrange(int(lower * 365.25), int(upper * 365.25))
    return DEMO_TODAY - timedelta(days=days)


def plan_demo(managers: int, seed: int) -> DemoPlan:
    """The whole demo company as data. Pure and deterministic in (managers, seed)."""
    if not 1 <= managers <= MAX_MANAGERS:  # as DemoRun checks: the plan is also used alone
        raise DemoError(f"客户经理人数须在 1 到 {MAX_MANAGERS} 之间：{managers}",
                        f"the number of managers must be between 1 and {MAX_MANAGERS}: {managers}")
    rng = random.Random(seed)  # noqa: S311 (demo data, reproducible by design)
    names = _Names(rng)
    phones: set[str] = set()

    units = [UnitPlan(PROVINCE[0], PROVINCE[1], OrgUnit.Kind.PROVINCE, None)]
    units += [UnitPlan(code, name, OrgUnit.Kind.DEPARTMENT, PROVINCE[0]) for code, name in DEPARTMENTS]
    units += [UnitPlan(code, name, OrgUnit.Kind.CITY, PROVINCE[0]) for code, name, *_ in CITIES]
    teams: list[tuple[UnitPlan, float]] = []  # with the team's weight in the headcount
    for city_code, _, share, _, districts in CITIES:
        chosen = sorted(rng.sample(range(len(districts)), rng.randint(2, 4)))
        city_teams: list[UnitPlan] = []
        for index in chosen:
            short, district_name = districts[index]
            district = UnitPlan(f"{city_code}-{short}", district_name, OrgUnit.Kind.DISTRICT, city_code)
            units.append(district)
            team_names = sorted(rng.sample(range(len(TEAM_NAMES)), rng.randint(1, 3)))
            for number, team_index in enumerate(team_names, start=1):
                team = UnitPlan(f"{district.code}-{number:02d}", TEAM_NAMES[team_index],
                                OrgUnit.Kind.TEAM, district.code)
                units.append(team)
                city_teams.append(team)
        for team in city_teams:
            teams.append((team, share / len(city_teams) * rng.uniform(0.7, 1.3)))

    # People are drafted without numbers, then numbered by hire date as HR would have.
    drafts: list[dict] = []
    for team, _ in teams:
        years_lower = rng.uniform(5, 14)
        name, email = names.person()
        hire = _hire_date(rng, years_lower, years_lower + 0.9)
        drafts.append({
            "name": name, "email": email, "phone": _phone(rng, phones), "unit_code": team.code,
            "position_code": "team_lead", "hire_date": hire,
            "grade_code": _weighted(rng, [("senior", 60), ("expert", 40)]), "status": Employee.Status.ACTIVE,
            "roles": ((Role.TEAM_LEAD.value, team.code),),
        })
    placed = rng.choices([team for team, _ in teams], weights=[weight for _, weight in teams], k=managers)
    for team in placed:
        lower, upper, _ = rng.choices(TENURE_BANDS, weights=[band[2] for band in TENURE_BANDS])[0]
        hire = _hire_date(rng, lower, upper)
        name, email = names.person()
        drafts.append({
            "name": name, "email": email, "phone": _phone(rng, phones), "unit_code": team.code,
            "position_code": _weighted(rng, POSITION_WEIGHTS), "hire_date": hire,
            "grade_code": _grade(rng, completed_years(hire, DEMO_TODAY)),
            "status": Employee.Status.LEFT if rng.random() < LEFT_SHARE else Employee.Status.ACTIVE,
            "roles": ((Role.ACCOUNT_MANAGER.value, team.code),),
        })
    for draft in drafts:
        draft["tiebreak"] = rng.random()
    drafts.sort(key=lambda d: (d["hire_date"], d["tiebreak"]))
    people: list[PersonPlan] = []
    for number, draft in enumerate(drafts, start=1):
        draft.pop("tiebreak")
        people.append(PersonPlan(employee_no=f"GD{number:05d}", **draft))

    # The internal lecturer: the longest-serving active senior or expert account manager.
    candidates = [p for p in people if p.position_code != "team_lead" and p.status == Employee.Status.ACTIVE
                  and p.grade_code in {"senior", "expert"}]
    lecturer = candidates[0] if candidates else next(
        (p for p in people if p.position_code != "team_lead" and p.status == Employee.Status.ACTIVE), None)
    if lecturer is not None:
        index = people.index(lecturer)
        lecturer = replace(lecturer, roles=lecturer.roles + ((Role.LECTURER.value, "GD-PX"),))
        people[index] = lecturer

    logins = []
    name, email = names.person()
    logins.append(LoginPlan("admin", name, email, ((Role.TRAINING_ADMIN.value, PROVINCE[0]),)))
    for city_code, _, _, username, _ in CITIES:
        name, email = names.person()
        logins.append(LoginPlan(username, name, email, ((Role.TRAINING_ADMIN.value, city_code),)))
    name, email = names.person()
    logins.append(LoginPlan("consultant", name, email, ((Role.CONSULTANT.value, PROVINCE[0]),)))
    name, email = names.person()
    logins.append(LoginPlan("analyst", name, email, ((Role.ANALYST.value, PROVINCE[0]),)))

    unit_names = {unit.code: unit.name for unit in units}
    showcase = [ShowcaseLogin(Role.TRAINING_ADMIN.value, "admin", logins[0].name, PROVINCE[1])]
    showcase += [
        ShowcaseLogin(Role.TRAINING_ADMIN.value, login.username, login.name, unit_names[login.roles[0][1]])
        for login in logins[1:1 + len(CITIES)]
    ]
    showcase += [ShowcaseLogin(Role.CONSULTANT.value, "consultant", logins[-2].name, PROVINCE[1]),
                 ShowcaseLogin(Role.ANALYST.value, "analyst", logins[-1].name, PROVINCE[1])]
    if lecturer is not None:
        showcase.append(ShowcaseLogin(Role.LECTURER.value, lecturer.employee_no, lecturer.name,
                                      unit_names[lecturer.unit_code]))
    # A team lead and two of his account managers: logins that see one another.
    by_team: dict[str, list[PersonPlan]] = {}
    for person in people:
        if person.status == Employee.Status.ACTIVE and person is not lecturer:
            by_team.setdefault(person.unit_code, []).append(person)
    for team, _ in teams:
        members = by_team.get(team.code, [])
        leads = [p for p in members if p.position_code == "team_lead"]
        sales = [p for p in members if p.position_code != "team_lead"]
        if leads and len(sales) >= min(2, managers):
            lead = leads[0]
            showcase.append(ShowcaseLogin(Role.TEAM_LEAD.value, lead.employee_no, lead.name, team.name))
            showcase += [ShowcaseLogin(Role.ACCOUNT_MANAGER.value, p.employee_no, p.name, team.name)
                         for p in sales[:2]]
            break
    return DemoPlan(seed=seed, managers=managers, units=units, people=people, logins=logins,
                    showcase=showcase)


def _password_hash(seed: int) -> str:
    # One hash for every demo login (Argon2 per user is slow). Its salt comes from the seed
    # so that a seed's data is identical run to run; the password is printed anyway.
    salt = hashlib.sha256(f"casspath-demo:{seed}".encode()).hexdigest()[:22]
    return make_password(settings.CASSPATH["DEMO_PASSWORD"], salt=salt)


def _conflicts(plan: DemoPlan) -> list[str]:
    found = list(OrgUnit.objects.filter(code__in=plan.unit_codes()).values_list("code", flat=True)[:5])
    found += [no for no, in pairs(Employee.objects, "employee_no", [p.employee_no for p in plan.people],
                                   "employee_no")[:5]]
    found += [name for name, in pairs(User.objects, "username", plan.usernames(), "username")[:5]]
    return found


def _create_units(plan: DemoPlan) -> tuple[dict[str, OrgUnit], int]:
    existing = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=plan.unit_codes())}
    for planned in plan.units:
        found = existing.get(planned.code)
        if found is not None and found.kind != planned.kind:
            raise DemoError(f"单位编码 {planned.code} 已被「{found.name}」（{found.get_kind_display()}）占用",
                            f"unit code {planned.code} is taken by {found.name} ({found.kind})")
    created = 0
    # Level by level, so that each level's parents have ids and paths.
    for kinds in ([OrgUnit.Kind.PROVINCE], [OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.CITY],
                  [OrgUnit.Kind.DISTRICT], [OrgUnit.Kind.TEAM]):
        new = [OrgUnit(code=u.code, name=u.name, kind=u.kind, parent=existing.get(u.parent_code or ""))
               for u in plan.units if u.kind in kinds and u.code not in existing]
        for unit in new:
            unit.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        OrgUnit.objects.bulk_create(new)
        for unit in new:
            unit.path, unit.depth = path_for(unit, unit.parent)
            existing[unit.code] = unit
        OrgUnit.objects.bulk_update(new, ["path", "depth"], batch_size=1000)
        created += len(new)
    return existing, created


@lru_cache(maxsize=2)
def _plan(managers: int, seed: int) -> DemoPlan:
    # conflicts, build, describe and logins of one run share one plan.
    return plan_demo(managers, seed)


class OrgDemo(DemoPart):
    def conflicts(self, run: DemoRun) -> list[str]:
        return _conflicts(_plan(run.managers, run.seed))

    def build(self, run: DemoRun) -> dict[str, int]:
        """Value lists, the org tree, the logins, the employees and their roles."""
        plan = _plan(run.managers, run.seed)
        ensure_value_lists(Stage, Grade)
        ensure_positions(Position)
        grades = {grade.code: grade for grade in Grade.objects.all()}
        positions = {position.code: position for position in Position.objects.all()}
        units, units_created = _create_units(plan)
        password = _password_hash(run.seed)

        existing_users = dict(pairs(User.objects, "username", plan.usernames(), "username", "id"))
        new_users = [
            User(username=login.username, first_name=login.name, email=login.email, password=password,
                 date_joined=DEMO_JOINED)
            for login in plan.logins if login.username not in existing_users
        ] + [
            User(username=p.employee_no, first_name=p.name, email=p.email, password=password,
                 date_joined=DEMO_JOINED, is_active=p.status == Employee.Status.ACTIVE)
            for p in plan.people if p.employee_no not in existing_users
        ]
        for user in new_users:
            user.full_clean(validate_unique=False, validate_constraints=False)
        User.objects.bulk_create(new_users, batch_size=1000)
        user_ids = dict(pairs(User.objects, "username", plan.usernames(), "username", "id"))

        existing_employees = {no for no, in pairs(Employee.objects, "employee_no",
                                                   [p.employee_no for p in plan.people], "employee_no")}
        new_employees = [
            Employee(employee_no=p.employee_no, name=p.name, phone=p.phone, email=p.email,
                     org_unit=units[p.unit_code], position=positions[p.position_code],
                     hire_date=p.hire_date, grade=grades[p.grade_code], status=p.status,
                     user_id=user_ids[p.employee_no])
            for p in plan.people if p.employee_no not in existing_employees
        ]
        for employee in new_employees:
            employee.full_clean(exclude=["org_unit", "position", "grade", "user"], validate_unique=False,
                                validate_constraints=False)
        Employee.objects.bulk_create(new_employees, batch_size=1000)

        wanted = [(login.username, role, code) for login in plan.logins for role, code in login.roles]
        wanted += [(p.employee_no, role, code) for p in plan.people for role, code in p.roles]
        have = set(pairs(RoleAssignment.objects, "user_id", user_ids.values(), "user_id", "role",
                         "org_unit_id"))
        new_roles = [RoleAssignment(user_id=user_ids[username], role=role, org_unit=units[code])
                     for username, role, code in wanted
                     if (user_ids[username], role, units[code].pk) not in have]
        RoleAssignment.objects.bulk_create(new_roles, batch_size=1000)
        # Later parts hang their data on the province; the orchestrator audits against it.
        run.shared["province"] = units[PROVINCE[0]]
        return {"units": units_created, "users": len(new_users), "employees": len(new_employees),
                "roles": len(new_roles)}

    def describe(self, run: DemoRun) -> list[str]:
        plan = _plan(run.managers, run.seed)
        active = sum(1 for p in plan.people if p.status == Employee.Status.ACTIVE)
        teams = sum(u.kind == OrgUnit.Kind.TEAM for u in plan.units)
        return [f"units {len(plan.units)} ({teams} teams), employees {len(plan.people)} "
                f"({active} active, {len(plan.people) - active} left), "
                f"logins {len(plan.logins) + len(plan.people)}"]

    def logins(self, run: DemoRun) -> list[ShowcaseLogin]:
        return _plan(run.managers, run.seed).showcase


part = OrgDemo()
