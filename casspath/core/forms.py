"""What the apps' forms share: Bootstrap classes, and `run_action`, the one way a view runs
an action for a form and puts its refusal on that form."""

from collections.abc import Callable
from enum import Enum
from typing import Final, Literal, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from casspath.core.errors import BilingualError

T = TypeVar("T")


def add_bootstrap_class(widget: forms.Widget) -> None:
    """Give a widget its Bootstrap class, once (classes, never inline styles: CSP)."""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        css = "form-check-input"  # a group of boxes: the class goes on each box
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if css not in widget.attrs.get("class", "").split():
        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


# The largest id a row may have (a 64-bit integer): a posted id past it is no row's, and
# SQLite cannot even compare it (OverflowError in an `__in` query).
MAX_ROW_ID: Final = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField of rows by id that refuses an id past MAX_ROW_ID as any
    unknown choice, before it reaches a query (Django's own check would be a server error
    on SQLite)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # Django's check names what is not an id
            if abs(number) > MAX_ROW_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


class Styled(forms.BaseForm):
    """A form whose widgets wear their Bootstrap classes, and whose fields with errors are
    marked invalid. Fields added in a subclass's __init__ are styled when rendered."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def __getitem__(self, name):
        add_bootstrap_class(self.fields[name].widget)
        return super().__getitem__(name)


class _Refused(Enum):
    """What `run_action` returns when the action refused (its error is then on the form).
    An enum's one member, so that a type checker narrows `result is not REFUSED`."""

    REFUSED = "REFUSED"

    def __repr__(self) -> str:
        return "REFUSED"

    def __bool__(self) -> bool:
        return False


REFUSED: Final = _Refused.REFUSED


def add_action_error(form: forms.Form, exc: Exception) -> None:
    """Put an action's refusal on the form: a ValidationError on the fields it names (the
    rest, and fields the form does not have, above the form), a BilingualError in both
    languages, a PermissionDenied as a bilingual refusal."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    elif isinstance(exc, BilingualError):
        form.add_error(None, exc.both())
    elif isinstance(exc, PermissionDenied):
        form.add_error(None, "您无权执行此操作 / You may not do this.")
    else:
        raise TypeError(f"not an action's refusal: {exc!r}")


def run_action(form: forms.Form, action: Callable[..., T], *args, **kwargs) -> T | Literal[_Refused.REFUSED]:
    """Run `action(*args, **kwargs)` for a valid form: its result, or REFUSED when it refused
    (ValidationError, BilingualError, PermissionDenied), the reason then on the form to show
    again. REFUSED is falsy, but so may a result be: compare with `is REFUSED`."""
    try:
        return action(*args, **kwargs)
    except (ValidationError, BilingualError, PermissionDenied) as exc:
        add_action_error(form, exc)
        return REFUSED
