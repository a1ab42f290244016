"""The Q&A card form: a customer's question, the plain answer, and what the card hangs on."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casspath.cass.models import ResourceStatus
from casspath.core import validators
from casspath.core.errors import InvalidValue

TAG_SEPARATORS = "；;，,、\n"


def split_tags(value: str) -> list[str]:
    for sep in TAG_SEPARATORS:
        value = value.replace(sep, ",")
    tags: list[str] = []
    for part in value.split(","):
        tag = part.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class CardForm(forms.Form):
    code = forms.CharField(label=_("Card code"), max_length=30)
    question = forms.CharField(
        label=_("Customer's question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    answer = forms.CharField(
        label=_("Answer"),
        max_length=2000,
        help_text=_("The plain answer a manager can say back; best within one SMS."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "data-sms-count": "sms-count"}),
    )
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    level = forms.TypedChoiceField(
        label=_("Level taught"), choices=[(n, n) for n in range(1, 6)], coerce=int, initial=1
    )
    work_items = forms.MultipleChoiceField(
        label=_("Work items"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    product_code = forms.CharField(label=_("Product code"), max_length=30, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas or ；")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=1
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ResourceStatus.choices, initial=ResourceStatus.PUBLISHED
    )

    def __init__(self, *args, dimensions: dict[str, str], work_items: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(c, f"{c} {n}") for c, n in dimensions.items()]
        cast(forms.ChoiceField, self.fields["dimension"]).choices = choices
        cast(forms.ChoiceField, self.fields["work_items"]).choices = work_items
        for name, field in self.fields.items():
            if name in ("question", "answer", "work_items"):
                continue
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_code(self):
        try:
            return validators.code(self.cleaned_data["code"], 30)
        except InvalidValue as invalid:
            raise forms.ValidationError(invalid.both()) from None

    def clean_tags(self):
        tags = split_tags(self.cleaned_data.get("tags") or "")
        if any(len(tag) > 30 for tag in tags):
            raise forms.ValidationError(_("A tag is at most 30 characters."))
        return tags

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "question": data["question"].strip(),
            "answer": data["answer"].strip(),
            "product_code": data["product_code"].strip(),
            "tags": data["tags"],
            "duration_minutes": data["duration_minutes"],
            "status": data["status"],
        }

    def chosen_dimension(self) -> tuple[str, int] | None:
        code = self.cleaned_data.get("dimension")
        return (code, self.cleaned_data["level"]) if code else None
