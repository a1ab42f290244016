from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casspath.competency.models import LEVELS, CompetencyModel, Dimension, LevelTitle, Module
from casspath.core.forms import Styled
from casspath.core.validators import validate_code

LEVEL_CHOICES = [("", "—")] + [(str(level), f"L{level}") for level in LEVELS]


class ModelInfoForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=150, required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class LevelTitlesForm(Styled, forms.Form):
    """The five level titles in one form: title_N, title_en_N, description_N."""

    def __init__(self, *args, titles: dict[int, LevelTitle], **kwargs):
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            row = titles.get(level)
            self.fields[f"title_{level}"] = forms.CharField(
                label=_("Title"), max_length=20, initial=row.title if row else "")
            self.fields[f"title_en_{level}"] = forms.CharField(
                label=_("English title"), max_length=40, required=False, initial=row.title_en if row else "")
            self.fields[f"description_{level}"] = forms.CharField(
                label=_("Description"), required=False, initial=row.description if row else "",
                widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self):
        return [(level, self[f"title_{level}"], self[f"title_en_{level}"], self[f"description_{level}"])
                for level in LEVELS]

    def levels(self) -> list[dict]:
        data = self.cleaned_data
        return [{"level": level, "title": data[f"title_{level}"], "title_en": data[f"title_en_{level}"],
                 "description": data[f"description_{level}"]} for level in LEVELS]


class ModuleForm(Styled, forms.Form):
    code = forms.CharField(label=_("Module code"), max_length=10, validators=[validate_code],
                           help_text=_("Short and unique in the model, e.g. M6."))
    name = forms.CharField(label=_("Name"), max_length=40)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            # A module's code names it in the files users exchange: it is kept.
            del self.fields["code"]


class DimensionForm(Styled, forms.Form):
    code = forms.CharField(label=_("Dimension code"), max_length=10, validators=[validate_code],
                           help_text=_("Unique in the model and kept by later versions, e.g. D19."))
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    name = forms.CharField(label=_("Name"), max_length=40)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Dimension.Category.choices)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, model: CompetencyModel, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        module = cast(forms.ModelChoiceField, self.fields["module"])  # declared above
        module.queryset = Module.objects.filter(model=model).order_by("order", "code")
        if not adding:
            del self.fields["code"]


class IndicatorsForm(Styled, forms.Form):
    """The behavioural indicators of one dimension, one textarea per level, one per line."""

    def __init__(self, *args, titles: dict[int, LevelTitle], initial_lines: dict[int, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            title = titles.get(level)
            label = f"L{level} {title.title}" if title else f"L{level}"
            self.fields[f"level_{level}"] = forms.CharField(
                label=label, required=False, initial="\n".join(initial_lines.get(level, [])),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("One indicator per line."))

    def by_level(self) -> dict[int, str]:
        return {level: self.cleaned_data[f"level_{level}"] for level in LEVELS}


class RequirementColumnForm(Styled, forms.Form):
    """The required level and weight of every dimension for one stage or grade."""

    def __init__(self, *args, dimensions: list[Dimension], cells: dict[str, tuple[int, Decimal]], **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dim in dimensions:
            cell = cells.get(dim.code)
            self.fields[f"level_{dim.code}"] = forms.ChoiceField(
                label=_("Required level"), choices=LEVEL_CHOICES, required=False,
                initial=str(cell[0]) if cell else "")
            self.fields[f"weight_{dim.code}"] = forms.DecimalField(
                label=_("Weight %"), required=False, min_value=0, max_value=100, max_digits=5,
                decimal_places=2, initial=cell[1] if cell else None)

    def rows(self):
        return [(dim, self[f"level_{dim.code}"], self[f"weight_{dim.code}"]) for dim in self.dimensions]

    def clean(self):
        data = super().clean()
        assert data is not None  # BaseForm.clean returns cleaned_data
        for dim in self.dimensions:
            level, weight = data.get(f"level_{dim.code}"), data.get(f"weight_{dim.code}")
            if level and weight is None and f"weight_{dim.code}" not in self.errors:
                self.add_error(f"weight_{dim.code}", f"{dim.code}：有要求等级时须填写权重 / "
                                                     f"{dim.code}: a required level needs a weight")
            if not level and weight is not None:
                self.add_error(f"level_{dim.code}", f"{dim.code}：有权重时须选择要求等级 / "
                                                    f"{dim.code}: a weight needs a required level")
        return data

    def cells(self) -> dict[str, tuple[int, Decimal] | None]:
        result: dict[str, tuple[int, Decimal] | None] = {}
        for dim in self.dimensions:
            level = self.cleaned_data[f"level_{dim.code}"]
            weight = self.cleaned_data[f"weight_{dim.code}"]
            result[dim.code] = (int(level), weight) if level else None
        return result

    def weight_sum(self) -> Decimal:
        return sum((w for _, w in filter(None, self.cells().values())), Decimal(0))


class PublishForm(Styled, forms.Form):
    """The publish page's confirmation: `confirm` says the publisher saw the page (a bare
    POST, as from the old one-click button, is refused); `accept_weights` is his explicit
    "publish anyway" when some weights do not add up to 100 %."""

    confirm = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_weights = forms.BooleanField(
        label=_("Publish anyway: these weights are intended"), required=False)

    def clean_confirm(self):
        if self.cleaned_data.get("confirm") != "yes":
            raise forms.ValidationError(
                "请在发布页面查看检查结果和变更后确认发布 / "
                "Review the checks and the changes on the publish page, then confirm there.")
        return "yes"
