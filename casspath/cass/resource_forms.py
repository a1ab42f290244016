"""Forms of the resource library's pages: a resource's metadata and links, its skill rows,
and its media upload. They parse and check; writes go through cass/actions/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casspath.cass.models import Device, KeyAction, ResourceKind, StudyMode, WorkItem
from casspath.core.forms import ModelIdsField, Styled
from casspath.core.validators import validate_code

LEVEL_CHOICES = [("", "—")] + [(str(level), f"L{level}") for level in range(1, 6)]
# Blank skill rows offered below a resource's own.
SPARE_SKILL_ROWS = 2
MIN_SKILL_ROWS = 3


class ResourceForm(Styled, forms.Form):
    """A resource's metadata, its links to work items and key actions of its map, and the
    dimensions it teaches (rows of dimension and level). The duration of a video or audio
    with its file is the file's, so the field is then left out."""

    code = forms.CharField(label=_("Resource code"), max_length=30, validators=[validate_code])
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("The article's text, shown on the resource's page."))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    devices = forms.MultipleChoiceField(label=_("Devices"), choices=Device.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    study_modes = forms.MultipleChoiceField(label=_("Study modes"), choices=StudyMode.choices,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    work_items = ModelIdsField(label=_("Work items"), queryset=WorkItem.objects.none(),
                                                required=False,
                                                widget=forms.CheckboxSelectMultiple)
    key_actions = ModelIdsField(label=_("Key actions"), queryset=KeyAction.objects.none(),
                                                 required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, work_items, key_actions, dimensions: list[tuple[str, str]],
                 skills: dict[str, int], duration_from_file: bool, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:  # a Q&A card or a work guide is made on its own page, with its own row
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (code, label) for code, label in ResourceKind.choices
                if code not in (ResourceKind.QA_CARD, ResourceKind.WORK_GUIDE)]
        self.fields["work_items"].queryset = work_items  # type: ignore[attr-defined]
        self.fields["key_actions"].queryset = key_actions  # type: ignore[attr-defined]
        if duration_from_file:
            del self.fields["duration_minutes"]
        known = dict(dimensions)
        choices = [("", "—")] + list(dimensions)
        choices += [(code, code) for code in skills if code not in known]  # a code the model dropped
        self.skill_rows = max(MIN_SKILL_ROWS, len(skills) + SPARE_SKILL_ROWS)
        initial = sorted(skills.items())
        for i in range(self.skill_rows):
            code, level = initial[i] if i < len(initial) else ("", None)
            # Without a published model to name them, a dimension is typed by its code.
            self.fields[f"skill_{i}_dimension"] = forms.ChoiceField(
                label=_("Dimension"), choices=choices, required=False, initial=code) if dimensions else \
                forms.CharField(label=_("Dimension"), max_length=10, required=False, initial=code,
                                validators=[validate_code])
            self.fields[f"skill_{i}_level"] = forms.ChoiceField(
                label=_("Level"), choices=LEVEL_CHOICES, required=False,
                initial=str(level) if level else "")

    def skill_fields(self):
        return [(self[f"skill_{i}_dimension"], self[f"skill_{i}_level"]) for i in range(self.skill_rows)]

    def link_groups(self) -> list[tuple]:
        """(work item's box, its key actions' boxes, open) a work item, for the page's choice
        grouped by work item: a map of 500 work items and 3,000 actions is 500 rows, each
        opening onto its actions, open where something of it is ticked."""
        item_of = dict(self.fields["key_actions"].queryset.values_list("pk", "work_item_id"))  # type: ignore[attr-defined]
        actions_of: dict[int | None, list] = {}
        for box in self["key_actions"]:
            actions_of.setdefault(item_of.get(box.data["value"].value), []).append(box)
        groups = []
        for box in self["work_items"]:
            actions = actions_of.get(box.data["value"].value, [])
            groups.append((box, actions, box.data["selected"] or any(a.data["selected"] for a in actions)))
        return groups

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("skill_")
                and name not in ("work_items", "key_actions")]

    def clean(self):
        data = super().clean() or {}
        skills: dict[str, int] = {}
        for i in range(self.skill_rows):
            code = (data.get(f"skill_{i}_dimension") or "").strip().upper()
            level = data.get(f"skill_{i}_level")
            if not code and not level:
                continue
            if not code or not level:
                self.add_error(f"skill_{i}_dimension",
                               _("Choose both the dimension and the level it teaches, or neither."))
                continue
            if code in skills:
                self.add_error(f"skill_{i}_dimension", _("This dimension is listed twice."))
                continue
            skills[code] = int(level)
        data["skills"] = skills
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        names = ["code", "kind", "title", "summary", "body", "devices", "study_modes"]
        if "duration_minutes" in self.fields:
            names.append("duration_minutes")
        return {name: data[name] for name in names}


class MediaUploadForm(Styled, forms.Form):
    """A video or audio file and/or a poster image; what they are is read from their content
    (core/filetypes), never from their names, when the action stores them."""

    # Not "media": a form's `media` is its widgets' assets.
    # An empty file reaches the content check, which names it in both languages.
    media_file = forms.FileField(label=_("Video or audio file"), required=False, allow_empty_file=True,
                                 widget=forms.ClearableFileInput(attrs={"accept": "video/*,audio/*"}))
    poster = forms.FileField(label=_("Poster image"), required=False, allow_empty_file=True,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    def clean(self):
        data = super().clean() or {}
        if not data.get("media_file") and not data.get("poster"):
            raise forms.ValidationError(_("Choose a file to upload."))
        return data


class ProgressForm(forms.Form):
    """What the player posts: where it is, and whether it reached the end."""

    position = forms.FloatField(min_value=0, max_value=10 * 3600)
    ended = forms.BooleanField(required=False)
