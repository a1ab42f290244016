"""The forms of the product course pages (Bootstrap classes through core.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.forms import Styled
from casspath.knowledge.models import SegmentKind

LINES = _("One point a line.")


def _area(label, rows: int = 3, help_text=LINES, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class NewCourseForm(Styled, forms.Form):
    product: forms.ModelChoiceField = forms.ModelChoiceField(
        label=pgettext_lazy("course", "Product"), queryset=None, empty_label=None
    )
    title = forms.CharField(label=pgettext_lazy("course", "Title"), max_length=200)

    def __init__(self, products, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["product"].label_from_instance = lambda p: f"{p.cass_map.name} · {p.code} {p.name}"  # type: ignore[attr-defined]


class CourseForm(Styled, forms.Form):
    title = forms.CharField(label=pgettext_lazy("course", "Title"), max_length=200)
    definition = _area(pgettext_lazy("course", "What it is"), help_text="")
    functions = _area(pgettext_lazy("course", "What it does"))
    selling_points = _area(pgettext_lazy("course", "Selling points"))
    activation = _area(pgettext_lazy("course", "Activation process"), rows=5)
    marketing = _area(pgettext_lazy("course", "Marketing techniques"), rows=5)
    review_material = _area(pgettext_lazy("course", "Review material"), rows=10, help_text="")


class QuestionForm(Styled, forms.Form):
    stem = _area(pgettext_lazy("course", "Question"), rows=2, help_text="", required=True)
    options = _area(
        pgettext_lazy("course", "Options"), rows=4, help_text=_("One option a line."), required=True
    )
    answer = forms.CharField(
        label=pgettext_lazy("course", "Answer"),
        max_length=200,
        help_text=_("The right option, as written among the options."),
    )
    explanation = _area(pgettext_lazy("course", "Explanation"), rows=2, help_text="")


class ManualForm(Styled, forms.Form):
    objective = _area(pgettext_lazy("course", "Session objective"), rows=2, help_text="")
    preparation = _area(pgettext_lazy("course", "Preparation"))


class SegmentForm(Styled, forms.Form):
    minutes = forms.IntegerField(label=pgettext_lazy("manual segment", "Minutes"), min_value=1, max_value=20)
    kind = forms.ChoiceField(label=pgettext_lazy("manual segment", "Kind"), choices=SegmentKind.choices)
    title = forms.CharField(label=pgettext_lazy("course", "Title"), max_length=200)
    say = _area(pgettext_lazy("manual segment", "What to say"), rows=6, help_text="")
    show = _area(pgettext_lazy("manual segment", "What to show"), rows=2, help_text="")
    question = _area(pgettext_lazy("manual segment", "Question to ask"), rows=2, help_text="")
    expected = _area(pgettext_lazy("manual segment", "Expected answers"))
