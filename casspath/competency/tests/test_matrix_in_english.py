"""The requirement matrix names its stage and grade columns in the page's language."""

from django.urls import reverse

from .conftest import login


def _matrix_page(world, model, language):
    client = login(world.manager)
    client.cookies["django_language"] = language
    return client.get(reverse("competency:model_detail", args=[model.pk])).content.decode()


def test_it_names_stages_and_grades_in_english_on_an_english_page(world, model):
    body = _matrix_page(world, model, "en")
    assert '<th scope="col">Growth' in body and '<th scope="col">Senior' in body
    assert "成长期" not in body and "资深" not in body


def test_it_names_stages_and_grades_in_chinese_on_a_chinese_page(world, model):
    body = _matrix_page(world, model, "zh-hans")
    assert '<th scope="col">成长期' in body and '<th scope="col">高级' in body
