"""The logged-in user's own records: his employee record, his roles, his login lock-out."""


from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casspath.core import request_cache
from casspath.core.actors import SystemActor
from casspath.org import scopes
from casspath.org.models import Employee, RoleAssignment


def my_employee(user) -> Employee | None:
    """The employee record of the logged-in user, if he is one; read once per request (the
    home page's cards and the competency models' scope each ask)."""
    if isinstance(user, SystemActor) or user.pk is None:
        return None
    return request_cache.cached(
        _my_employee_key(user.pk),
        lambda: (Employee.objects.filter(user_id=user.pk)
                 .select_related("org_unit", "position", "grade").first()),
    )


def applying_unit_ids(user) -> list[int]:
    """The units whose company-wide content applies to `user` (a competency model, a CASS
    map): those at or above the units of his roles and his own employee unit, as the request
    has already read them. A province's model applies to its teams."""
    paths = [unit.path for unit in scopes.bound_units(user)]
    employee = my_employee(user)
    if employee is not None:
        paths.append(employee.org_unit.path)
    # The path "/1/7/42/" lists a unit's ancestors and itself.
    return sorted({int(part) for path in paths for part in path.strip("/").split("/") if part})


def _my_employee_key(user_id: int) -> str:
    return f"org.my_employee:{user_id}"


@receiver([post_save, post_delete], sender=Employee, dispatch_uid="org.queries.forget_my_employee")
def _forget_my_employee(instance: Employee, **_kwargs) -> None:
    if instance.user_id is not None:
        request_cache.forget(_my_employee_key(instance.user_id))


def role_bindings_of(user) -> QuerySet[RoleAssignment]:
    """The user's own roles with their units, by role then unit code."""
    return (RoleAssignment.objects.filter(user_id=user.pk).select_related("org_unit")
            .order_by("role", "org_unit__code"))


def login_locked_out(user) -> bool:
    """Whether the login is locked out now (django-axes) for its username from some address:
    the failures of a username and address pair reached the limit within the cool-off."""
    from axes.models import AccessAttempt  # axes reads its settings on import
    from django.utils import timezone

    if user is None:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.LOGIN_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


def last_failed_login_at(username: str, ip_address: str | None):
    """When the username last failed to log in from the address (django-axes), or None: the
    lock-out page counts the cool-off from it."""
    from axes.models import AccessAttempt  # axes reads its settings on import

    return AccessAttempt.objects.filter(username=username, ip_address=ip_address).values_list(
        "attempt_time", flat=True).first()
