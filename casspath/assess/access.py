"""The only way a view or endpoint loads the employee whose evidence it shows.

Evidence is read by whoever may see the employee (VIEW_EMPLOYEES: a manager himself, a
team lead his team, training admins, consultants and analysts their scope); the same 404
for an absent number and one out of sight. Importing it is the ratings importer's scope
(IMPORT_DATA)."""

from casspath.org.access import access_employee_by_no
from casspath.org.models import Employee
from casspath.org.scopes import Perm


def access_employee_for_evidence(user, employee_no: str) -> Employee:
    return access_employee_by_no(user, employee_no, Perm.VIEW_EMPLOYEES)
