"""Forms of the org pages. They parse and validate; writes go through `org/actions/`."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.forms import add_bootstrap_class
from casspath.imports.columns import mobile_phone, past_date
from casspath.imports.errors import Invalid
from casspath.org import scopes
from casspath.org.models import Employee, Grade, OrgUnit, Position
from casspath.org.scopes import Perm

UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
UNIT_CODE_ERROR = (
    "单位编码只能包含字母、数字、点、下划线和连字符，最长 40 个字符",
    "unit code may hold letters, digits, dots, underscores and dashes only, at most 40 characters",
)


def both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def clean_phone(value: str) -> str:
    """The roster import's rule: a mobile number, normalised to its 11 digits."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return mobile_phone(value)
    except Invalid as bad:
        raise ValidationError(both(bad.message_zh, bad.message_en), code="phone") from None


def clean_hire_date(value: date) -> date:
    """The roster import's rule: not after today, not before 1900."""
    try:
        return past_date(timezone.localdate())(value.isoformat())
    except Invalid as bad:
        raise ValidationError(both(bad.message_zh, bad.message_en), code="hire_date") from None


class BootstrapMixin:
    """Bootstrap classes on every widget (no inline styles: CSP)."""

    def _style(self) -> None:
        for field in self.fields.values():
            add_bootstrap_class(field.widget)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EmployeeForm(BootstrapMixin, forms.Form):
    """Edit an employee; the unit must be one the user may import into."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("Email"), required=False)
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none(),
                                      to_field_name="code")
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.all(),
                                      to_field_name="code", required=False)
    hire_date = forms.DateField(label=_("Hire date"), widget=DateInput())
    grade = forms.ModelChoiceField(label=_("Grade"), queryset=Grade.objects.all(), to_field_name="code",
                                   required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Employee.Status.choices)

    def __init__(self, user, *args, employee: Employee | None = None, **kwargs):
        if employee is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": employee.name, "phone": employee.phone, "email": employee.email,
                "org_unit": employee.org_unit, "position": employee.position,
                "hire_date": employee.hire_date, "grade": employee.grade, "status": employee.status,
            }
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = scopes.units_for(user, Perm.IMPORT_DATA).order_by("path")
        self.fields["org_unit"].label_from_instance = _indented
        self._style()

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_hire_date(self) -> date:
        return clean_hire_date(self.cleaned_data["hire_date"])

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.fields}


class UnitForm(BootstrapMixin, forms.Form):
    """Create a unit (with its code) or edit one (code fixed: it is the natural key)."""

    code = forms.CharField(label=_("Unit code"), max_length=40)
    name = forms.CharField(label=_("Unit name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none(),
                                    to_field_name="code", required=False)

    def __init__(self, user, *args, unit: OrgUnit | None = None, **kwargs):
        self.unit = unit
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {"code": unit.code, "name": unit.name, "kind": unit.kind,
                                 "parent": unit.parent}
        super().__init__(*args, **kwargs)
        parents = scopes.units_for(user, Perm.IMPORT_DATA).order_by("path")
        if unit is not None:
            # Not under itself: that would make a cycle.
            parents = parents.exclude(path__startswith=unit.path)
            del self.fields["code"]
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = _indented
        # Only an unrestricted user may make a root; keeping a root as it is stays allowed.
        self.fields["parent"].required = not scopes.is_unrestricted(user) and not (
            unit is not None and unit.parent_id is None)
        self._style()

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not UNIT_CODE_RE.match(code):
            raise ValidationError(both(*UNIT_CODE_ERROR), code="code")
        if OrgUnit.objects.filter(code=code).exists():
            raise ValidationError(both(f"单位编码“{code}”已存在", f"unit code '{code}' already exists"),
                                  code="duplicate")
        return code

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("name", "kind", "parent")}


class IssueLoginsForm(BootstrapMixin, forms.Form):
    reissue = forms.BooleanField(
        label=_("Also reset the passwords of employees who already have a login"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _indented(unit: OrgUnit) -> str:
    return f"{'· ' * unit.depth}{unit.name} ({unit.code})"
