"""Forms of the CASS map's pages. They parse and check; writes go through `cass/actions/`."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casspath.cass.models import Check, StudyMode
from casspath.competency.models import LEVELS
from casspath.core.forms import ModelIdsField, Styled
from casspath.org.forms import UnitPickerField
from casspath.org.models import Position, Stage
from casspath.org.scopes import Perm

ONE_TO_FIVE = [(str(n), str(n)) for n in range(1, 6)]
LEVEL_CHOICES = [("", "—")] + [(str(level), f"L{level}") for level in LEVELS]
# Blank skill rows offered below an action's own (more after saving).
SPARE_SKILL_ROWS = 2
MIN_SKILL_ROWS = 3


def both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


class MapInfoForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class MapCreateForm(MapInfoForm):
    """A new map: its owner unit (one of the user's EDIT_MODELS scope) and the competency
    model family whose dimensions its actions will name."""

    org_unit = UnitPickerField(label=_("Owner unit"), perm=Perm.EDIT_MODELS,
                               help_text=_("The map applies to this unit and the units under it."))
    model_family = forms.ChoiceField(label=_("Competency model"))
    field_order = ["org_unit", "model_family", "name", "description"]

    def __init__(self, *args, user, families: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(UnitPickerField, self.fields["org_unit"]).bind(user)  # declared above
        cast(forms.ChoiceField, self.fields["model_family"]).choices = [
            (family, f"{name} ({family})") for family, name in families]
        if not families:
            self.fields["model_family"].help_text = _(
                "No published competency model is visible to you: a map names the dimensions of one, "
                "so publish a model first.")


class WorkItemForm(Styled, forms.Form):
    code = forms.CharField(label=_("Work item code"), max_length=20,
                           help_text=_("Unique in the map and kept by its workbook, e.g. W01."))
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    importance = forms.TypedChoiceField(label=_("Importance (1–5)"), choices=ONE_TO_FIVE, coerce=int)
    frequency = forms.TypedChoiceField(label=_("Frequency (1–5)"), choices=ONE_TO_FIVE, coerce=int,
                                       help_text=_("Rank: importance × frequency, higher first; "
                                                   "ties go to the more important item."))
    stages = ModelIdsField(label=_("Stages"), queryset=Stage.objects.order_by("min_years"),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    positions = ModelIdsField(label=_("Positions"), queryset=Position.objects.all(),
                                               required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            # A work item's code names it in the workbook and in links to it: it is kept.
            del self.fields["code"]

    def values(self) -> dict:
        return {key: self.cleaned_data[key]
                for key in ("code", "name", "description", "importance", "frequency") if key in self.fields}


class KeyActionForm(Styled, forms.Form):
    """A key action with its skills: rows of a dimension code (of the competency model that
    applies to the map) and the level the action needs."""

    code = forms.CharField(label=_("Action code"), max_length=20,
                           help_text=_("Unique in the whole map, e.g. A0101."))
    name = forms.CharField(label=_("Name"), max_length=100)
    standard = forms.CharField(label=_("Completion standard"), widget=forms.Textarea(attrs={"rows": 3}))
    mistakes = forms.CharField(label=_("Common mistakes"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    study_modes = forms.MultipleChoiceField(label=_("Study modes"), choices=StudyMode.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    checks = forms.MultipleChoiceField(label=_("Learning checks"), choices=Check.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, adding: bool, dimensions: dict[str, tuple[str, str]], model_label: str,
                 skills: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["code"]
        self.dimensions = dimensions
        self.model_label = model_label
        skills = skills or {}
        rows = max(len(skills) + SPARE_SKILL_ROWS, MIN_SKILL_ROWS)
        given = sorted(skills.items())
        for n in range(rows):
            code, level = given[n] if n < len(given) else ("", None)
            self.fields[f"skill_code_{n}"] = forms.CharField(
                label=_("Dimension code"), max_length=10, required=False, initial=code,
                widget=forms.TextInput(attrs={"list": "dimension-codes", "autocomplete": "off",
                                              "spellcheck": "false"}))
            self.fields[f"skill_level_{n}"] = forms.ChoiceField(
                label=_("Level needed"), choices=LEVEL_CHOICES, required=False,
                initial=str(level) if level else "")
        self.skill_row_count = rows

    def skill_rows(self):
        return [(self[f"skill_code_{n}"], self[f"skill_level_{n}"]) for n in range(self.skill_row_count)]

    def clean(self):
        data = super().clean()
        assert data is not None  # BaseForm.clean returns cleaned_data
        seen: set[str] = set()
        for n in range(self.skill_row_count):
            code_key, level_key = f"skill_code_{n}", f"skill_level_{n}"
            code = (data.get(code_key) or "").strip().upper()
            level = data.get(level_key)
            data[code_key] = code
            if not code and not level:
                continue
            if not code:
                self.add_error(code_key, both("有要求等级时须填写维度编码", "a level needs a dimension code"))
                continue
            if not self.dimensions:
                self.add_error(code_key, both(
                    f"没有适用于本地图的已发布技能模型，不能关联维度 {code}",
                    f"no published competency model applies to this map, so {code} cannot be linked"))
                continue
            if code not in self.dimensions:
                self.add_error(code_key, both(
                    f"维度编码 {code} 不在适用于本地图的技能模型（{self.model_label}）中",
                    f"the dimension code {code} is not in the competency model that applies to this map "
                    f"({self.model_label})"))
                continue
            if code in seen:
                self.add_error(code_key, both(f"维度 {code} 填了两次", f"{code} is listed twice"))
                continue
            seen.add(code)
            if not level:
                self.add_error(level_key, both(f"{code}：须选择要求等级", f"{code}: choose the level needed"))
        return data

    def skills(self) -> dict[str, int]:
        result = {}
        for n in range(self.skill_row_count):
            code, level = self.cleaned_data[f"skill_code_{n}"], self.cleaned_data[f"skill_level_{n}"]
            if code and level:
                result[code] = int(level)
        return result

    def values(self) -> dict:
        keys = ("code", "name", "standard", "mistakes", "study_modes", "checks")
        return {key: self.cleaned_data[key] for key in keys if key in self.fields}
