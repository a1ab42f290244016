"""The forms of the case library's pages: a case (text and tags), a move with its comment,
a comment, an attachment. Bootstrap classes through core.forms; tags are the case's map's."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.forms import ModelIdsField, add_bootstrap_class
from casspath.knowledge.models import CustomerSize, CustomerType

TEXT_FIELDS = ("title", "knowledge_point", "story", "background", "challenge", "actions", "result", "tools")
MOVES = ("submit", "request_changes", "publish", "retire")


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            add_bootstrap_class(field.widget)


def _area(rows: int, placeholder=""):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


class CaseForm(_Styled):
    title = forms.CharField(label=pgettext_lazy("case", "Title"), max_length=200)
    knowledge_point = forms.CharField(
        label=pgettext_lazy("case", "Knowledge point"),
        max_length=200,
        help_text=_("The one thing a reader learns from the case, in a sentence."),
    )
    story = forms.CharField(
        label=pgettext_lazy("case", "Story"),
        widget=_area(8),
        help_text=_("Tell it as a short story: who, where, what happened, what was said."),
    )
    background = forms.CharField(label=pgettext_lazy("case", "Background"), required=False, widget=_area(3))
    challenge = forms.CharField(label=pgettext_lazy("case", "Challenge"), required=False, widget=_area(3))
    actions = forms.CharField(label=pgettext_lazy("case", "What was done"), required=False, widget=_area(4))
    result = forms.CharField(label=pgettext_lazy("case", "Result"), required=False, widget=_area(3))
    tools = forms.CharField(label=pgettext_lazy("case", "Tools used"), required=False, widget=_area(2))
    steps: ModelIdsField = ModelIdsField(
        label=pgettext_lazy("case", "Process steps"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dimension_codes = forms.MultipleChoiceField(
        label=pgettext_lazy("case", "Dimensions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    products: ModelIdsField = ModelIdsField(
        label=pgettext_lazy("case", "Products"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries: ModelIdsField = ModelIdsField(
        label=pgettext_lazy("case", "Industries"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customer_type = forms.ChoiceField(label=pgettext_lazy("case", "Customer type"), required=False)
    customer_size = forms.ChoiceField(label=pgettext_lazy("case", "Customer size"), required=False)

    def __init__(self, tags: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].queryset = tags["steps"]  # type: ignore[attr-defined]
        self.fields["steps"].label_from_instance = lambda s: f"{s.code} {s.name}"  # type: ignore[attr-defined]
        self.fields["dimension_codes"].choices = [  # type: ignore[attr-defined]
            (code, f"{code} {name}") for code, name in tags["dimensions"].items()
        ]
        self.fields["products"].queryset = tags["products"]  # type: ignore[attr-defined]
        self.fields["industries"].queryset = tags["industries"]  # type: ignore[attr-defined]
        self.fields["customer_type"].choices = [("", "—"), *CustomerType.choices]  # type: ignore[attr-defined]
        self.fields["customer_size"].choices = [("", "—"), *CustomerSize.choices]  # type: ignore[attr-defined]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in TEXT_FIELDS}
        values.update(
            dimension_codes=list(data["dimension_codes"]),
            customer_type=data["customer_type"],
            customer_size=data["customer_size"],
        )
        return values


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(m, m) for m in MOVES])
    comment = forms.CharField(required=False, max_length=4000)


class CommentForm(_Styled):
    text = forms.CharField(label=pgettext_lazy("case", "Comment"), max_length=4000, widget=_area(3))


class AttachmentForm(_Styled):
    file = forms.FileField(
        label=_("Attachment (PDF, Word, Excel, PowerPoint or an image)"),
        allow_empty_file=True,  # the content check names an empty file in both languages
    )
