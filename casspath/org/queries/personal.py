"""Personal data (phone, e-mail) as a viewer may see it: in full within his
VIEW_PERSONAL_DATA scope, masked elsewhere."""



from casspath.org import scopes
from casspath.org.models import Employee
from casspath.org.scopes import Perm


def mask_phone(phone: str) -> str:
    """138****8000: the middle of a mobile number hidden; short numbers hidden more."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) >= 7:
        return f"{phone[:2]}****{phone[-2:]}"
    return "****"


def mask_email(email: str) -> str:
    """w***@example.com: the mailbox hidden, the domain kept (it says only the company)."""
    email = (email or "").strip()
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def can_see_personal_data(user, employee: Employee) -> bool:
    return scopes.employee_in_scope(user, Perm.VIEW_PERSONAL_DATA, employee)


def shown_phone(user, employee: Employee) -> str:
    return employee.phone if can_see_personal_data(user, employee) else mask_phone(employee.phone)


def shown_email(user, employee: Employee) -> str:
    return employee.email if can_see_personal_data(user, employee) else mask_email(employee.email)
