"""Forms of the org pages. They parse and validate; writes go through `org/actions/`."""

from datetime import date
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.errors import InvalidValue
from casspath.core.forms import add_bootstrap_class
from casspath.core.validators import as_validation_error
from casspath.org import queries, scopes
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


class UnitPickerInput(forms.TextInput):
    """A text box for a unit code that searches units as one types (htmx, `org:unit_choices`):
    a list of the units of the user's scope whose name or code matches, each with its path,
    chosen with the keyboard, a click or a tap. Without JavaScript it is a plain text box that
    takes a unit code (or a name only one unit of the scope has)."""

    template_name = "org/widgets/unit_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.perm: Perm = Perm.VIEW_EMPLOYEES
        self.not_under = ""
        self.describe = lambda code: ""  # the chosen unit's path, shown under the box

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        box = attrs.get("id") or f"id_{name}"
        attrs["id"] = box
        params = {"perm": self.perm.value, **({"not_under": self.not_under} if self.not_under else {})}
        described = " ".join(filter(None, [attrs.get("aria-describedby"), f"{box}-chosen"]))
        attrs.update({
            "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
            "aria-controls": f"{box}-options", "aria-describedby": described,
            "hx-get": f"{reverse('org:unit_choices')}?{urlencode(params)}",
            "hx-trigger": "input changed delay:250ms, focus", "hx-target": f"#{box}-options",
            "hx-sync": "this:replace", "data-unit-picker-input": "",
        })
        context["picker"] = {"label": self.describe(value) if value else ""}
        return context


class UnitPickerField(forms.CharField):
    """A unit of the user's scope for `perm`, named by its code (any case) or by a name only
    one unit of that scope has; the unit itself in `cleaned_data`. The posted text is looked
    up in the scope, never taken as an id; actions check the scope again when they write."""

    widget = UnitPickerInput

    def __init__(self, *, perm: Perm, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.perm = perm
        self.user = None
        self.not_under: OrgUnit | None = None
        self.kept: OrgUnit | None = None
        picker = cast(UnitPickerInput, self.widget)
        picker.perm = perm
        picker.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def bind(self, user, *, not_under: OrgUnit | None = None, kept: OrgUnit | None = None) -> None:
        """The user whose scope the field searches and checks, a subtree to leave out of
        the search (a unit's new parent is never under the unit itself), and `kept`: the
        field's current unit, taken as it is even outside the scope (a city admin saves his
        city under its province, which he may not choose); choosing another unit outside
        the scope stays refused."""
        self.user = user
        self.not_under = not_under
        self.kept = kept
        picker = cast(UnitPickerInput, self.widget)
        picker.not_under = not_under.code if not_under is not None else ""
        picker.describe = self._describe

    def _is_kept(self, text) -> bool:
        return self.kept is not None and employee_values.unit_code_key(str(text).strip()) == self.kept.code

    def _describe(self, code) -> str:
        if self.user is None:
            return ""
        unit, _same = queries.unit_for_picker(self.user, self.perm, str(code))
        if unit is not None:
            return unit_label(self.user, self.perm, unit)
        if self.kept is not None and self._is_kept(code):
            # Outside the scope: say why it may stay, though it could not be chosen again.
            return f"{self.kept.name} · {self.kept.code} — " + str(_(
                "the current unit, outside your scope: keep it, or choose one of yours"))
        return ""

    def prepare_value(self, value):
        return value.code if isinstance(value, OrgUnit) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        if self._is_kept(text):
            return self.kept
        unit, same = queries.unit_for_picker(self.user, self.perm, text)
        if unit is not None:
            return unit
        if same:
            codes = ", ".join(u.code for u in same)
            raise ValidationError(both(
                f"有多个单位名为“{text}”：请从列表中选择，或输入单位编码（{codes}）",
                f"several units are named '{text}': choose one from the list, or type its code ({codes})"),
                code="ambiguous")
        raise ValidationError(both(
            f"单位“{text}”不存在或不在您的范围内：请输入单位编码，或输入名称后从列表中选择",
            f"unit '{text}' does not exist or is outside your scope: type a unit code, or a name and "
            "choose from the list"), code="unknown_unit")


def unit_label(user, perm: Perm, unit: OrgUnit) -> str:
    """The unit's path as its picker shows it, and its code."""
    (choice,) = queries.unit_paths(user, perm, [unit])
    return f"{choice.label} · {unit.code}"


class EmployeeForm(BootstrapMixin, forms.Form):
    """Edit an employee; the unit must be one the user may import into."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.CharField(label=_("Email"), max_length=254, required=False,
                            widget=forms.EmailInput())
    org_unit = UnitPickerField(
        label=_("Org unit"), perm=Perm.IMPORT_DATA,
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
        cast(UnitPickerField, self.fields["org_unit"]).bind(user)  # declared above
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
    parent = UnitPickerField(label=_("Parent unit"), perm=Perm.IMPORT_DATA, required=False)

    def __init__(self, user, *args, unit: OrgUnit | None = None, **kwargs):
        self.unit = unit
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {"code": unit.code, "name": unit.name, "kind": unit.kind,
                                 "parent": unit.parent}
        super().__init__(*args, **kwargs)
        if unit is not None:
            del self.fields["code"]
        # Not offered under itself (a cycle, which do_update_unit refuses with its reason).
        # The current parent stays acceptable even outside the user's scope (a city admin's
        # city under its province); the action checks the scope of a new one.
        cast(UnitPickerField, self.fields["parent"]).bind(  # declared above
            user, not_under=unit, kept=unit.parent if unit is not None else None)
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


class UnitFilterForm(BootstrapMixin, forms.Form):
    """The employee list's unit filter, a picker of the units the user may see (the list
    parses its filters itself: `queries.parse_employee_filters`)."""

    unit = UnitPickerField(label=_("Org unit (with subunits)"), perm=Perm.VIEW_EMPLOYEES, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UnitPickerField, self.fields["unit"]).bind(user)  # declared above
        self.fields["unit"].widget.attrs.update({"id": "f-unit", "placeholder": _("All")})
        self._style()


class LoginUnitForm(BootstrapMixin, forms.Form):
    """The unit to issue logins for, picked on the logins page."""

    unit = UnitPickerField(label=_("Unit"), perm=Perm.ISSUE_LOGINS)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UnitPickerField, self.fields["unit"]).bind(user)  # declared above
        self._style()


class IssueLoginsForm(BootstrapMixin, forms.Form):
    reissue = forms.BooleanField(
        label=_("Also reset the passwords of employees who already have a login"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

