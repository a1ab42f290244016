from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """A unit of the org tree: province → city → district → team, plus departments."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province company")
        CITY = "city", _("city company")
        DISTRICT = "district", _("district company")
        TEAM = "team", _("team")
        DEPARTMENT = "department", _("department")

    code = models.CharField(_("unit code"), max_length=40, unique=True)
    name = models.CharField(_("unit name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path of ids, "/1/7/42/": a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Position(models.Model):
    """A job position (岗位): a configurable value list."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_sales = models.BooleanField(
        _("sales position"), default=True,
        help_text=_("Account managers and similar: counted in output per head."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A person on the roster. The employee number (工号) is the natural key."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LEFT = "left", _("left")

    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("org unit"),
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("position"),
    )
    hire_date = models.DateField(_("hire date"))
    grade = models.ForeignKey(
        "competency.Grade", null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("grade"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE, db_index=True,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="employee", verbose_name=_("login"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["employee_no"]
        indexes = [models.Index(fields=["org_unit", "status"]), models.Index(fields=["hire_date"])]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"


class Role(models.TextChoices):
    ACCOUNT_MANAGER = "account_manager", _("account manager")
    TEAM_LEAD = "team_lead", _("team lead")
    LECTURER = "lecturer", _("internal lecturer")
    TRAINING_ADMIN = "training_admin", _("training admin")
    CONSULTANT = "consultant", _("consultant")
    ANALYST = "analyst", _("analyst")


class RoleAssignment(models.Model):
    """A role a user holds, bound to an org unit: its scope is that unit's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("org unit"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit"], name="unique_role_binding"),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.org_unit}"
