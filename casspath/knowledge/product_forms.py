"""The forms of the product map's edit pages: a product with its tariff plans and activation
steps, a step's screenshot, a solution with its bundle and comparison rows. Plans, steps and
comparison rows are typed one a line (columns separated by |), so a phone can edit them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.forms import ModelIdsField, Styled
from casspath.core.validators import InvalidValue
from casspath.knowledge.actions.products import Comparison, Tariff, parse_price
from casspath.knowledge.models import CustomerSize, CustomerType, InformatizationLevel

_BAR = re.compile(r"\s*[|｜]\s*")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace("\r\n", "\n").split("\n") if line.strip()]


def tariff_lines(tariffs) -> str:
    return "\n".join(
        " | ".join(
            [
                t.name,
                "面议" if t.monthly_price is None else f"{t.monthly_price:.2f}".rstrip("0").rstrip("."),
                t.includes,
            ]
        )
        for t in tariffs
    )


def comparison_lines(rows) -> str:
    return "\n".join(" | ".join([r.aspect, r.ours, r.theirs]) for r in rows)


class ProductForm(Styled, forms.Form):
    code = forms.CharField(label=pgettext_lazy("product map", "Product code"), max_length=30)
    name = forms.CharField(label=pgettext_lazy("product map", "Name"), max_length=200)
    category = forms.CharField(label=pgettext_lazy("product map", "Category"), max_length=100, required=False)
    family = forms.CharField(label=pgettext_lazy("product map", "Family"), max_length=100, required=False)
    explanation = forms.CharField(
        label=pgettext_lazy("product map", "Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    selling_points = forms.CharField(
        label=pgettext_lazy("product map", "Selling points"),
        required=False,
        help_text=_("One point a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tariff = forms.CharField(
        label=pgettext_lazy("product map", "Tariff"),
        required=False,
        help_text=_("What applies to every plan: discounts, contract terms, one-off fees."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tariff_plans = forms.CharField(
        label=pgettext_lazy("product map", "Tariff plans"),
        required=False,
        help_text=_("One plan a line: name | monthly price in yuan (or 面议) | what it includes."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    how_it_works = forms.CharField(
        label=pgettext_lazy("product map", "How it works"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    promotion = forms.CharField(
        label=pgettext_lazy("product map", "Promotion strategy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    informatization_level = forms.TypedChoiceField(
        label=pgettext_lazy("product map", "Informatization level"),
        choices=InformatizationLevel.choices,
        coerce=int,
    )
    industries: ModelIdsField = ModelIdsField(
        label=pgettext_lazy("product map", "Target industries"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customer_sizes = forms.MultipleChoiceField(
        label=pgettext_lazy("product map", "Customer sizes"),
        choices=CustomerSize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customer_types = forms.MultipleChoiceField(
        label=pgettext_lazy("product map", "Customer types"),
        choices=CustomerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activation = forms.CharField(
        label=pgettext_lazy("product map", "Activation process"),
        required=False,
        help_text=_("One step a line, in order. Screenshots are added to each step after saving."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    active = forms.BooleanField(label=pgettext_lazy("product map", "On sale"), required=False, initial=True)

    FIELDS = (
        "code",
        "name",
        "category",
        "family",
        "explanation",
        "selling_points",
        "tariff",
        "how_it_works",
        "promotion",
        "informatization_level",
        "customer_sizes",
        "customer_types",
        "active",
    )

    def __init__(self, industries, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = industries  # type: ignore[attr-defined]

    def clean_tariff_plans(self) -> list[Tariff]:
        plans = []
        for number, line in enumerate(_lines(self.cleaned_data["tariff_plans"]), start=1):
            parts = _BAR.split(line, maxsplit=2) + ["", ""]
            try:
                price = parse_price(parts[1])
            except InvalidValue as invalid:
                raise forms.ValidationError(
                    f"第 {number} 行：{invalid.message_zh} / line {number}: {invalid.message_en}"
                ) from None
            plans.append(Tariff(parts[0], price, parts[2]))
        return plans

    def clean_activation(self) -> list[str]:
        return _lines(self.cleaned_data["activation"])

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class StepImageForm(Styled, forms.Form):
    image = forms.FileField(label=pgettext_lazy("product map", "Screenshot"))


class IndustryForm(Styled, forms.Form):
    code = forms.CharField(label=pgettext_lazy("product map", "Industry code"), max_length=20)
    name = forms.CharField(label=pgettext_lazy("product map", "Name"), max_length=100)
    order = forms.IntegerField(
        label=pgettext_lazy("product map", "Order"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Its place in the matrix and the filters; blank: last."),
    )

    def values(self) -> dict:
        values = {"code": self.cleaned_data["code"].strip(), "name": self.cleaned_data["name"].strip()}
        if self.cleaned_data.get("order"):
            values["order"] = self.cleaned_data["order"]
        return values


class SolutionForm(Styled, forms.Form):
    code = forms.CharField(label=pgettext_lazy("solution", "Solution code"), max_length=30)
    name = forms.CharField(label=pgettext_lazy("solution", "Name"), max_length=200)
    industry: forms.ModelChoiceField = forms.ModelChoiceField(
        label=pgettext_lazy("solution", "Industry"), queryset=None, required=False
    )
    product_codes = forms.CharField(
        label=pgettext_lazy("solution", "Products"),
        max_length=500,
        help_text=_("Product codes in the bundle's order, separated by spaces, e.g. P01 P05 P13."),
    )
    value_proposition = forms.CharField(
        label=pgettext_lazy("solution", "Value proposition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    competitor = forms.CharField(
        label=pgettext_lazy("solution", "Competitor's bundle"), max_length=200, required=False
    )
    comparisons = forms.CharField(
        label=pgettext_lazy("solution", "Comparison"),
        required=False,
        help_text=_("One aspect a line: aspect | ours | theirs."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    active = forms.BooleanField(label=pgettext_lazy("solution", "Offered"), required=False, initial=True)

    def __init__(self, industries, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = industries  # type: ignore[attr-defined]

    def clean_product_codes(self) -> list[str]:
        return [
            c.strip().upper()
            for c in re.split(r"[\s,，;；、]+", self.cleaned_data["product_codes"])
            if c.strip()
        ]

    def clean_comparisons(self) -> list[Comparison]:
        rows = []
        for number, line in enumerate(_lines(self.cleaned_data["comparisons"]), start=1):
            parts = _BAR.split(line, maxsplit=2)
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    f"第 {number} 行应写成 方面 | 我方 | 友商 / line {number} must be: aspect | ours | theirs"
                )
            rows.append(Comparison(*parts))
        return rows

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("code", "name", "value_proposition", "competitor", "active")
        }
