from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casspath.core.jobs import Job
from casspath.core.validators import validate_code, validate_text, validate_upper_code

# How long an issued-logins file waits for its one download.
LOGIN_FILE_TTL = timedelta(hours=24)


class OrgUnit(models.Model):
    """A unit of the org tree: province → city → district → team, plus departments; a
    national company (集团公司) holds its provinces."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national company")
        PROVINCE = "province", _("province company")
        CITY = "city", _("city company")
        DISTRICT = "district", _("district company")
        TEAM = "team", _("team")
        DEPARTMENT = "department", _("department")

    # Upper-case, as `org.validators.unit_code` writes every code given (gz-th-01 is GZ-TH-01).
    code = models.CharField(_("unit code"), max_length=40, unique=True, validators=[validate_upper_code])
    name = models.CharField(_("unit name"), max_length=100, validators=[validate_text])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path of zero-padded ids (org/tree.py): a subtree is one prefix query.
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


def local_name(name: str, name_en: str) -> str:
    """A value's name in the active language: its English name on an English page, when it
    has one, in sentence case (the defaults store them in lower case); its Chinese name
    otherwise (and in exports, which read `name`)."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en[:1].upper() + name_en[1:]  # sentence case, as English labels are shown
    return name


class LocalNamed:
    """A value list row (position, stage, grade) shown by its name in the page's language."""

    name: str
    name_en: str

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)

    def __str__(self) -> str:
        return self.local_name


class Position(LocalNamed, models.Model):
    """A job position (岗位): a configurable value list."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    name = models.CharField(_("name"), max_length=40, unique=True, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=60, blank=True, validators=[validate_text])
    order = models.PositiveSmallIntegerField(default=0)
    is_sales = models.BooleanField(
        _("sales position"), default=True,
        help_text=_("Account managers and similar: counted in output per head."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")


class Stage(LocalNamed, models.Model):
    """A growth stage, derived from completed years of tenure: [min_years, max_years)."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[validate_code])
    name = models.CharField(_("name"), max_length=20, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=40, blank=True, validators=[validate_text])
    min_years = models.PositiveSmallIntegerField(_("from year"))
    max_years = models.PositiveSmallIntegerField(_("before year"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["min_years"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")


class Grade(LocalNamed, models.Model):
    """A grade (分层分级), earned by promotion assessment."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[validate_code])
    name = models.CharField(_("name"), max_length=20, unique=True, validators=[validate_text])
    name_en = models.CharField(_("English name"), max_length=40, blank=True, validators=[validate_text])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")


class Employee(models.Model):
    """A person on the roster. The employee number (工号) is the natural key."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LEFT = "left", _("left")

    # Unique: its index finds a number; PostgreSQL's extra LIKE index for it is dropped (org 0015).
    employee_no = models.CharField(
        _("employee number"), max_length=32, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("name"), max_length=60, validators=[validate_text])
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_text])
    email = models.EmailField(_("email"), blank=True)
    # Indexes are few on purpose: every one is maintained on each of the 100,000 rows a
    # roster import may write. The one on (org_unit, status, ...) below serves lookups by unit
    # and holds what the home page's grouped counts read (hire date, grade, position), so that
    # counting a city's people reads its entries of the index alone, never the whole table;
    # position and grade are low-cardinality lists whose rows are rarely deleted.
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("org unit"),
        db_index=False,
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("position"),
        db_index=False,
    )
    hire_date = models.DateField(_("hire date"))
    grade = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("grade"), db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="employee", verbose_name=_("login"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["employee_no"]
        indexes = [
            models.Index(fields=["org_unit", "status", "hire_date", "grade", "position"],
                         name="employee_unit_figures"),
            models.Index(fields=["hire_date"]),
        ]
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


class LoginBatch(Job):
    """One issue of one-time passwords for a unit, run in the background (org/tasks.py).

    The .xlsx holding the passwords belongs to the admin who issued it: it is deleted at its
    first download, or after `LOGIN_FILE_TTL` when nobody downloads it. A batch run from the
    command line writes its file where the operator said instead (`written_by_cli`).
    A job of casspath.core.jobs (status, progress, attempt, heartbeat, error).
    """

    job_task = "casspath.org.tasks.issue_logins"

    # Null for a command-line run by the system actor (named by created_by_label).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="login_batches", verbose_name=_("issued by"),
    )
    created_by_label = models.CharField(_("issued by"), max_length=150, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="login_batches", verbose_name=_("org unit"),
    )
    count = models.PositiveIntegerField(_("logins issued"), default=0)
    reissue = models.BooleanField(_("passwords reset for everyone"), default=False)
    written_by_cli = models.BooleanField(_("passwords written to a file by the command line"), default=False)
    # Relative to settings.PRIVATE_FILES_DIR; emptied when the file is gone.
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    # Not a field: set for display by org.queries.labelled_batches (absent otherwise).
    unit_label: str
    # Not a field: True on the batch do_queue_issue_logins returned instead of queuing a copy.
    reused: bool = False

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("login batch")
        verbose_name_plural = _("login batches")

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.count} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    def requeueable(self) -> bool:
        # A command-line batch writes to a file named there: no worker can run it for him.
        return not self.written_by_cli

    @property
    def expires_at(self):
        return self.created_at + LOGIN_FILE_TTL

    @property
    def is_available(self) -> bool:
        """Whether the file may still be downloaded."""
        return bool(self.file_name) and self.downloaded_at is None and timezone.now() < self.expires_at


class RosterVersion(models.Model):
    """One row: a token that every write to the employees or the org tree replaces, in the
    writer's transaction (org/figures.py). Figures counted over a scope are kept under it, so
    that they are counted again after any change and never while nothing changed."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("roster version")
        verbose_name_plural = _("roster versions")

    def __str__(self) -> str:
        return self.token
