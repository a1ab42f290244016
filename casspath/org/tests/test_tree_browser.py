"""The org tree as a training admin uses it in Chromium, at desktop and phone widths: open a
unit with the keyboard (its children fetched once), show more, close it, follow a link; find a
unit by name and see it revealed in its place."""

import pytest
from playwright.sync_api import expect

from casspath.org import queries
from casspath.org.models import OrgUnit
from casspath.testing import build_world, click_menu, log_in_page, make_employee, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_it_opens_the_tree_level_by_level(transactional_db, live_server, request, device, monkeypatch):
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 3)  # the live server runs in this process
    page = request.getfixturevalue(device)
    world = build_world()
    for n in range(2, 6):
        team = make_unit(f"GZ-TH-{n:02d}", f"商客{n}班", OrgUnit.Kind.TEAM, world.district_a)
        make_employee(f"X{n:03d}", f"员工{n}", team)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url) if "/children/" in req.url else None)

    log_in_page(page, live_server, world.city_admin_a)
    click_menu(page, "组织架构", group="org")
    page.wait_for_url("**/org/")
    page.wait_for_selector(".tree")
    district = page.locator(f"#tree-{world.district_a.pk}")
    toggle = district.locator(":scope > .tree-row > .tree-toggle")
    children = page.locator(f"#tree-children-{world.district_a.pk}")
    assert toggle.get_attribute("aria-expanded") == "false" and children.is_hidden()

    # Open with the keyboard: the first page of teams arrives, then "show more" the rest.
    toggle.focus()
    page.keyboard.press("Enter")
    children.locator("text=政企一班").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert children.locator(":scope > li[id^=tree-]").count() == 3
    children.locator(".tree-more button").click()
    children.locator("text=商客5班").wait_for()
    assert children.locator(":scope > li[id^=tree-]").count() == 5
    assert children.locator(".tree-more").count() == 0
    # The first unit added takes the focus (htmx focuses it once the swap has settled).
    expect(children.locator(".tree-label > a >> text=商客4班")).to_be_focused()

    # Close and open again: hidden, then shown without fetching a second time.
    toggle.focus()
    page.keyboard.press("Enter")
    assert children.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press(" ")
    assert children.is_visible()
    assert len([url for url in fetched if "offset" not in url]) == 1
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # A team's figure lists its people; its name opens its page.
    team = page.locator(f"#tree-{world.team_a.pk}")
    team.locator(".badge").click()
    page.wait_for_url("**/employees/?unit=GZ-TH-01&status=active")
    assert "王经理" in page.inner_text("main")
    page.go_back()
    page.locator(f"#tree-{world.district_a.pk} .tree-label a >> text=天河区").click()
    page.wait_for_url("**/units/GZ-TH/")
    assert "政企一班" in page.inner_text("main")
    assert not problems, problems


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_it_finds_a_unit_and_reveals_it(transactional_db, live_server, request, device):
    page = request.getfixturevalue(device)
    world = build_world()
    log_in_page(page, live_server, world.province_admin)
    page.goto(f"{live_server.url}/org/")
    assert page.locator(f"#tree-{world.team_a.pk}").count() == 0  # two levels down: not on the page
    page.fill("#tree-search", "政企")
    results = page.locator("#tree-search-results")
    results.locator("text=政企一班").wait_for()
    assert "广州分公司 / 天河区 /" in results.inner_text()  # below his scope root, the province
    results.locator("a >> text=政企一班").click()
    page.wait_for_url("**open=GZ-TH-01**")
    revealed = page.locator(f"#tree-{world.team_a.pk}.tree-revealed")
    assert revealed.is_visible()
    expect(revealed.locator(".tree-label > a:first-child")).to_be_focused()
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The other city stays closed, and opens on demand.
    city_b = page.locator(f"#tree-{world.city_b.pk}")
    city_b.locator(":scope > .tree-row > .tree-toggle").click()
    page.locator(f"#tree-children-{world.city_b.pk} >> text=南山区").wait_for()


def test_it_reveals_a_unit_far_down_a_long_list_and_shows_those_before(
        transactional_db, live_server, page, monkeypatch):
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 3)
    world = build_world()
    for n in range(2, 9):
        make_unit(f"GZ-TH-{n:02d}", f"商客{n}班", OrgUnit.Kind.TEAM, world.district_a)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/org/?q=商客8")
    page.click("#tree-search-results a >> text=商客8班")
    page.wait_for_url("**open=GZ-TH-08**")
    children = page.locator(f"#tree-children-{world.district_a.pk}")
    names = children.locator(":scope > li[id^=tree-] > .tree-row .tree-label > a:first-child")
    assert names.all_inner_texts() == ["商客7班", "商客8班"]
    children.locator(".tree-more button >> nth=0").click()
    expect(children.locator(".tree-label > a >> text=商客4班")).to_be_focused()
    assert names.all_inner_texts() == ["商客4班", "商客5班", "商客6班", "商客7班", "商客8班"]
    children.locator(".tree-more button").click()
    children.locator("text=政企一班").wait_for()
    assert names.all_inner_texts()[:3] == ["政企一班", "商客2班", "商客3班"]
    assert len(names.all_inner_texts()) == 8 and children.locator(".tree-more").count() == 0
