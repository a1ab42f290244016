"""The forms of the work guide and process map pages (Bootstrap classes through core.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.cass.models import ResourceStatus
from casspath.core.forms import ModelIdsField, Styled, add_bootstrap_class
from casspath.knowledge.models import GuidePdf


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            add_bootstrap_class(field.widget)


class GuideForm(_Styled):
    title = forms.CharField(label=pgettext_lazy("work guide", "Title"), max_length=200)
    intro = forms.CharField(
        label=pgettext_lazy("work guide", "Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewGuideForm(GuideForm):
    work_item: forms.ModelChoiceField = forms.ModelChoiceField(
        label=pgettext_lazy("work guide", "Work item"), queryset=None, empty_label=None
    )

    field_order = ["work_item", "title", "intro"]

    def __init__(self, work_items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_item"].queryset = work_items  # type: ignore[attr-defined]
        self.fields["work_item"].label_from_instance = lambda i: f"{i.cass_map.name} · {i.code} {i.name}"  # type: ignore[attr-defined]


class StepForm(_Styled):
    title = forms.CharField(label=pgettext_lazy("work guide", "Title"), max_length=200)
    text = forms.CharField(
        label=pgettext_lazy("work guide", "What to do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tips = forms.CharField(
        label=pgettext_lazy("work guide", "Tips"),
        required=False,
        help_text=_("One point a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mistakes = forms.CharField(
        label=pgettext_lazy("work guide", "Mistakes to avoid"),
        required=False,
        help_text=_("One point a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImageForm(_Styled):
    image = forms.FileField(
        label=_("Image (PNG, JPEG, WebP or GIF)"),
        allow_empty_file=True,  # the content check names an empty file in both languages
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    caption = forms.CharField(label=pgettext_lazy("work guide", "Caption"), max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ResourceStatus.choices)


class PdfForm(_Styled):
    page_size = forms.ChoiceField(
        label=pgettext_lazy("work guide", "Page size"),
        choices=GuidePdf.PageSize.choices,
        initial=GuidePdf.PageSize.A5,
    )


class ProcessStepForm(Styled, forms.Form):
    """A phase, step or sub-step of the process map. The dimensions are typed as codes
    ("D05 D06"), checked against the map's competency model by the action."""

    code = forms.CharField(label=pgettext_lazy("process map", "Code"), max_length=20)
    name = forms.CharField(label=pgettext_lazy("process map", "Name"), max_length=200)
    purpose = forms.CharField(
        label=pgettext_lazy("process map", "Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    techniques = forms.CharField(
        label=pgettext_lazy("process map", "Key techniques"),
        required=False,
        help_text=_("One point a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tools = forms.CharField(
        label=pgettext_lazy("process map", "Tools"),
        required=False,
        help_text=_("One point a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dimension_codes = forms.CharField(
        label=pgettext_lazy("process map", "Dimension codes"),
        required=False,
        max_length=200,
        help_text=_("Codes of the map's competency model, separated by spaces, e.g. D05 D06."),
        widget=forms.TextInput(
            attrs={"list": "dimension-codes", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    work_items: ModelIdsField = ModelIdsField(
        label=pgettext_lazy("process map", "Work items"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, work_items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_items"].queryset = work_items  # type: ignore[attr-defined]
        self.fields["work_items"].label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "purpose": data["purpose"],
            "techniques": data["techniques"],
            "tools": data["tools"],
            "dimension_codes": data["dimension_codes"],
        }
