"""Forms of the diagnosis pages. They parse and validate; the diagnosis is queued by
`actions.do_queue_diagnosis`."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casspath.core.errors import BilingualError
from casspath.org.forms import BootstrapMixin, UnitPickerField
from casspath.org.scopes import Perm
from casspath.performance.diagnosis import DiagnosisError, parse_period


class MonthInput(forms.TextInput):
    """The browser's month picker (YYYY-MM); a text box where it has none."""

    input_type = "month"


class DiagnosisForm(BootstrapMixin, forms.Form):
    """The unit and period of a new diagnosis; `cleaned_data["period"]` once valid."""

    unit = UnitPickerField(label=_("Org unit (with subunits)"), perm=Perm.SEE_REPORTS)
    first = forms.CharField(label=_("From month"), max_length=10, widget=MonthInput)
    last = forms.CharField(label=_("To month"), max_length=10, widget=MonthInput)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UnitPickerField, self.fields["unit"]).bind(user)  # declared above
        self.fields["unit"].widget.attrs.update({"id": "f-unit"})
        for name in ("first", "last"):
            self.fields[name].widget.attrs.update({"placeholder": "2026-01", "pattern": r"\d{4}-\d{1,2}"})
        self._style()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit, first, last = data.get("unit"), data.get("first"), data.get("last")
        if unit is not None and first and last:
            try:
                data["period"] = parse_period(unit, first, last)
            except DiagnosisError as bad:
                raise ValidationError(bad.both()) from None
        return data


def _id_errors(which: str) -> dict[str, str]:
    """A hand-edited address (?a=abc, ?b=-1, b missing): which one is wrong, in both languages."""
    message = BilingualError(
        f"诊断 {which} 须为诊断编号（正整数）。",
        f"Diagnosis {which} must be a diagnosis number (a positive whole number).").both()
    return {"required": message, "invalid": message, "min_value": message}


class CompareForm(forms.Form):
    """Two stored diagnoses by id (each then loaded through access.py)."""

    a = forms.IntegerField(min_value=1, error_messages=_id_errors("A"))
    b = forms.IntegerField(min_value=1, error_messages=_id_errors("B"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise ValidationError(BilingualError(
                "请选择两个不同的诊断进行对比。", "Choose two different diagnoses to compare.").both())
        return data
