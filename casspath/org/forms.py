"""Forms of the org pages. They parse and validate; writes go through `org/actions/`."""

from datetime import date
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.errors import InvalidValue
from casspath.core.forms import add_bootstrap_class
from casspath.core.validators import as_validation_error
from casspath.org import scopes
from casspath.org import validators as employee_values
from casspath.org.models import Employee, Grade, OrgUnit, Position
from casspath.org.scopes import Perm


def both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _checked(check, value):
    """`check(value)` (an `org.validators` function), its refusal as the field's error."""
    try:
        return check(value)
    except InvalidValue as invalid:
        raise as_validation_error(invalid) from None


class BootstrapMixin(forms.BaseForm):
    """Bootstrap classes on every widget (no inline styles: CSP)."""

    def _style(self) -> None:
        for field in self.fields.values():
            add_bootstrap_class(field.widget)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, shown indented under its parent."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return _indented(obj)


class EmployeeForm(BootstrapMixin, forms.Form):
    """Edit an employee; the unit must be one the user may import into."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.CharField(label=_("Email"), max_length=254, required=False,
                            widget=forms.EmailInput())
    org_unit = UnitChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), to_field_name="code",
        help_text=_("A move to a unit outside your scope (another city) is made by a training admin "
                    "whose scope holds both units, the province's say: the employee keeps his number "
                    "and his login."))
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
        org_unit = cast(UnitChoiceField, self.fields["org_unit"])  # declared above
        org_unit.queryset = scopes.units_for(user, Perm.IMPORT_DATA).order_by("path")
        self._style()

    def clean_name(self) -> str:
        return _checked(employee_values.name, self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return _checked(employee_values.phone, self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return _checked(employee_values.email, self.cleaned_data["email"])

    def clean_hire_date(self) -> date:
        return _checked(employee_values.hire_date, self.cleaned_data["hire_date"])

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.fields}


class UnitForm(BootstrapMixin, forms.Form):
    """Create a unit (with its code) or edit one (code fixed: it is the natural key)."""

    code = forms.CharField(label=_("Unit code"), max_length=40)
    name = forms.CharField(label=_("Unit name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none(),
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
        cast(UnitChoiceField, self.fields["parent"]).queryset = parents  # declared above
        # Only an unrestricted user may make a root; keeping a root as it is stays allowed.
        self.fields["parent"].required = not scopes.is_unrestricted(user) and not (
            unit is not None and unit.parent_id is None)
        self._style()

    def clean_code(self) -> str:
        code = _checked(employee_values.unit_code, self.cleaned_data["code"])
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
