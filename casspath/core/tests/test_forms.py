"""run_action: the one way a view runs an action for a form and shows its refusal there."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, run_action


class NameForm(forms.Form):
    name = forms.CharField()


def _form() -> NameForm:
    form = NameForm({"name": "王宁"})
    assert form.is_valid()
    return form


def _raise(exc):
    raise exc


def test_it_returns_what_the_action_returns():
    form = _form()
    assert run_action(form, lambda a, *, b: (a, b), 1, b=2) == (1, 2)
    assert run_action(form, lambda: None) is None
    assert form.errors == {}


def test_it_puts_a_validation_error_on_the_fields_it_names_and_the_rest_above_the_form():
    form = _form()
    refusal = ValidationError({"name": "名称重复 / duplicate name", "title": "too long"})
    assert run_action(form, _raise, refusal) is REFUSED
    assert form.errors["name"] == ["名称重复 / duplicate name"]
    assert form.non_field_errors() == ["too long"]
    form = _form()
    assert run_action(form, _raise, ValidationError("整体有误 / wrong as a whole")) is REFUSED
    assert form.non_field_errors() == ["整体有误 / wrong as a whole"]


def test_it_shows_a_bilingual_error_in_both_languages():
    form = _form()
    assert run_action(form, _raise, BilingualError("不是草稿", "not a draft")) is REFUSED
    assert form.non_field_errors() == ["不是草稿 / not a draft"]


def test_it_shows_a_refused_permission_in_both_languages():
    form = _form()
    assert run_action(form, _raise, PermissionDenied("internal words")) is REFUSED
    assert form.non_field_errors() == ["您无权执行此操作 / You may not do this."]
    assert not REFUSED


def test_it_lets_other_exceptions_through():
    with pytest.raises(KeyError):
        run_action(_form(), _raise, KeyError("a bug, not a refusal"))
