from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(
        label=_("Dry run first (show what would change, write nothing)"), required=False, initial=True
    )
    deactivate_missing = forms.BooleanField(
        label=_("Mark active employees of the file's units who are missing from it as left"), required=False
    )

    def __init__(self, *args, importer=None, **kwargs):
        super().__init__(*args, **kwargs)
        option_names = {option.name for option in getattr(importer, "options", ())}
        if "deactivate_missing" not in option_names:
            del self.fields["deactivate_missing"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
        return upload
