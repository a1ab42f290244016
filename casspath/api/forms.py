from datetime import timedelta
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("180", _("In 180 days")),
    ("365", _("In one year")),
]


def expiry_choices() -> list[tuple[str, "StrOrPromise"]]:
    """The lifetimes offered, none longer than settings.API_TOKEN_MAX_AGE, which is always one."""
    longest = settings.API_TOKEN_MAX_AGE.days
    choices: list[tuple[str, StrOrPromise]] = [
        (value, label) for value, label in EXPIRY_CHOICES if int(value) <= longest
    ]
    if str(longest) not in {value for value, _label in choices}:
        choices.append((str(longest), _("In %(days)s days") % {"days": longest}))
    return choices


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What uses the token, e.g. “HR system nightly roster sync”."),
    )
    expires_in = forms.ChoiceField(label=_("Expires"), choices=expiry_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_in"].initial = str(settings.API_TOKEN_MAX_AGE.days)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def expires_at(self):
        return timezone.now() + timedelta(days=int(self.cleaned_data["expires_in"]))
