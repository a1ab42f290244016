"""The frame of every page (templates/base.html): its links and assets, worked out once per
process by the navigation context processor (site/context_processors.py)."""

from django.templatetags.static import static
from django.urls import reverse


def test_it_links_every_page_of_a_logged_in_user_to_the_site_and_its_assets(client, world):
    client.force_login(world.city_admin_a)
    body = client.get(reverse("org:employee_detail", args=["E0001"])).content.decode()
    for url in (reverse("home"), reverse("password_change"), reverse("api_tokens:list"),
                reverse("logout"), reverse("set_language")):
        assert f'"{url}"' in body, url
    for asset in ("favicon.svg", "vendor/bootstrap/bootstrap.min.css", "casspath.css",
                  "vendor/htmx/htmx.min.js", "vendor/bootstrap/bootstrap.bundle.min.js", "casspath.js"):
        assert f'"{static(asset)}"' in body, asset


def test_it_gives_the_login_page_its_assets_and_language_switch_but_no_menu(client, world):
    body = client.get(reverse("login")).content.decode()
    assert f'"{static("casspath.css")}"' in body and f'action="{reverse("set_language")}"' in body
    assert reverse("api_tokens:list") not in body and reverse("logout") not in body
