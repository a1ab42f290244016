from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casspath.imports.actions import max_upload_bytes


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(
        label=_("Dry run first (show what would change, write nothing)"), required=False, initial=True
    )

    def __init__(self, *args, importer=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One checkbox per switch the importer declares (its `options`).
        self.option_names = [option.name for option in getattr(importer, "options", ())]
        for option in getattr(importer, "options", ()):
            # An option's help is written in both languages (the CLI prints both): the page
            # shows the one it speaks.
            chinese = (get_language() or "zh-hans").startswith("zh")
            help_text = (option.help_zh if chinese else option.help_en) or option.help_zh or option.help_en
            if getattr(option, "takes_value", False):  # a value (an org code), not a switch
                self.fields[option.name] = forms.CharField(
                    label=option.label, required=False, max_length=100, help_text=help_text)
                continue
            self.fields[option.name] = forms.BooleanField(
                label=option.label, required=False, help_text=help_text
            )

    def option_fields(self):
        return [self[name] for name in self.option_names]

    def options(self) -> dict[str, bool | str]:
        return {name: value.strip() if isinstance(value := self.cleaned_data.get(name), str) else bool(value)
                for name in self.option_names}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
        return upload
