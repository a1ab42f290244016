"""The language switch names each language in its own name, whatever the page's language."""

import re

import pytest

from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _options(response) -> dict[str, str]:
    found = re.search(r'<select id="language-select".*?</select>', response.content.decode(), re.S)
    assert found is not None, "the page has no language switch"
    select = found.group(0)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select)
    return {code: label.strip() for code, label in options}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_names_each_language_in_its_own_name(client, world, language):
    log_in(client, world.city_admin_a)
    client.cookies["django_language"] = language
    options = _options(client.get("/"))
    assert options == {"zh-hans": "简体中文", "en": "English"}


def test_it_switches_to_english_and_back(client, world):
    log_in(client, world.city_admin_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True)
    assert '<html lang="zh-hans">' in response.content.decode()
