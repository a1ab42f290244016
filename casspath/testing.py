"""The shared test world: a small org tree and named users (one who owns, one who may,
one who may not), built with the product's own models."""

from dataclasses import dataclass
from datetime import date

from casspath.core.models import User
from casspath.org.defaults import ensure_positions, ensure_value_lists
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment, Stage
from casspath.org.tree import path_for

PASSWORD = "correct-horse-battery"


def make_unit(code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)
    unit.path, unit.depth = path_for(unit, parent)
    unit.save(update_fields=["path", "depth"])
    return unit


def make_user(username: str, *, role: str | None = None, unit: OrgUnit | None = None,
              name: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=name)
    if role:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


def make_employee(no: str, name: str, unit: OrgUnit, *, user: User | None = None,
                  hire_date: date = date(2022, 3, 1), phone: str = "13800138000",
                  position: Position | None = None, grade: Grade | None = None) -> Employee:
    return Employee.objects.create(
        employee_no=no, name=name, org_unit=unit, user=user, hire_date=hire_date, phone=phone,
        position=position or Position.objects.get(code="account_manager"), grade=grade,
    )


@dataclass
class World:
    province: OrgUnit
    city_a: OrgUnit
    city_b: OrgUnit
    district_a: OrgUnit
    team_a: OrgUnit
    team_b: OrgUnit
    province_admin: User
    city_admin_a: User
    city_admin_b: User
    team_lead: User
    manager: User
    outsider: User
    manager_employee: Employee
    colleague: Employee
    city_b_employee: Employee


def seed_value_lists() -> None:
    """The migrations' default value lists, again after a flush (TransactionTestCase)."""
    ensure_value_lists(Stage, Grade)
    ensure_positions(Position)


def build_world() -> World:
    seed_value_lists()
    province = make_unit("GD", "广东公司", OrgUnit.Kind.PROVINCE)
    city_a = make_unit("GZ", "广州分公司", OrgUnit.Kind.CITY, province)
    city_b = make_unit("SZ", "深圳分公司", OrgUnit.Kind.CITY, province)
    district_a = make_unit("GZ-TH", "天河区", OrgUnit.Kind.DISTRICT, city_a)
    team_a = make_unit("GZ-TH-01", "政企一班", OrgUnit.Kind.TEAM, district_a)
    district_b = make_unit("SZ-NS", "南山区", OrgUnit.Kind.DISTRICT, city_b)
    team_b = make_unit("SZ-NS-01", "政企二班", OrgUnit.Kind.TEAM, district_b)
    province_admin = make_user("padmin", role=Role.TRAINING_ADMIN, unit=province, name="省管理员")
    city_admin_a = make_user("gzadmin", role=Role.TRAINING_ADMIN, unit=city_a, name="广州管理员")
    city_admin_b = make_user("szadmin", role=Role.TRAINING_ADMIN, unit=city_b, name="深圳管理员")
    team_lead = make_user("T0001", role=Role.TEAM_LEAD, unit=team_a, name="李班长")
    manager = make_user("E0001", role=Role.ACCOUNT_MANAGER, unit=team_a, name="王经理")
    outsider = make_user("outsider", name="外人")
    make_employee("T0001", "李班长", team_a, user=team_lead,
                  position=Position.objects.get(code="team_lead"))
    manager_employee = make_employee("E0001", "王经理", team_a, user=manager, phone="13912345678")
    colleague = make_employee("E0002", "赵同事", team_a, phone="13700001111")
    city_b_employee = make_employee("E0100", "深圳员工", team_b, phone="13600002222")
    return World(province, city_a, city_b, district_a, team_a, team_b, province_admin,
                 city_admin_a, city_admin_b, team_lead, manager, outsider, manager_employee,
                 colleague, city_b_employee)
