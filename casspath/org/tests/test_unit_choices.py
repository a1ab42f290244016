"""The unit pickers' search (org:unit_choices): what a training admin typing in a unit box is
offered. Only units of his scope for the picker's permission, at most 20, each with its path
so that two teams of one name read apart."""

import re

from django.urls import reverse

from casspath.org.models import OrgUnit, Role, RoleAssignment
from casspath.testing import make_unit

URL = reverse("org:unit_choices")


def offered(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def labels(response) -> dict[str, str]:
    return dict(re.findall(r'data-code="([^"]+)" data-label="([^"]+)"', response.content.decode()))


def test_it_offers_the_units_of_the_scope_whose_name_or_code_matches(client, world):
    client.force_login(world.city_admin_a)
    assert offered(client.get(URL, {"perm": "import_data", "q": "政企"})) == ["GZ-TH-01"]
    assert offered(client.get(URL, {"perm": "import_data", "q": "gz-th"})) == ["GZ-TH", "GZ-TH-01"]
    assert offered(client.get(URL, {"perm": "view_employees", "q": "天河"})) == ["GZ-TH"]
    client.force_login(world.province_admin)
    assert offered(client.get(URL, {"perm": "import_data", "q": "政企"})) == ["GZ-TH-01", "SZ-NS-01"]


def test_it_never_offers_another_citys_unit(client, world):
    client.force_login(world.city_admin_a)
    for q in ("SZ-NS-01", "sz", "深圳", "南山", "政企二班", ""):
        codes = offered(client.get(URL, {"perm": "import_data", "q": q}))
        assert not any(code.startswith("SZ") for code in codes), (q, codes)
        body = client.get(URL, {"perm": "import_data", "q": q}).content.decode()
        assert "深圳分公司" not in body and "南山区" not in body


def test_it_asks_the_scope_of_the_pickers_permission(client, world):
    consultant = world.consultant_a  # sees the city's employees, imports nothing, issues no logins
    client.force_login(consultant)
    assert offered(client.get(URL, {"perm": "view_employees", "q": "政企"})) == ["GZ-TH-01"]
    assert client.get(URL, {"perm": "import_data", "q": "政企"}).status_code == 403
    assert client.get(URL, {"perm": "issue_logins", "q": "政企"}).status_code == 403
    RoleAssignment.objects.create(user=consultant, role=Role.TRAINING_ADMIN, org_unit=world.team_a)
    consultant = type(consultant).objects.get(pk=consultant.pk)  # roles are read once per user object
    client.force_login(consultant)
    assert offered(client.get(URL, {"perm": "import_data", "q": ""})) == ["GZ-TH-01"]
    assert offered(client.get(URL, {"perm": "view_employees", "q": ""})) == ["GZ", "GZ-TH", "GZ-TH-01"]


def test_it_refuses_an_unknown_permission_the_outsider_and_anonymous(client, world):
    client.force_login(world.city_admin_a)
    # edit_models is a picker's since the CASS map's create page (its owner unit); review_cases is not.
    response = client.get(URL, {"perm": "review_cases", "q": "政企"})
    assert response.status_code == 400 and "perm" in response.content.decode()
    assert client.get(URL, {"perm": "edit_models", "q": "政企"}).status_code == 200
    assert client.get(URL, {"q": "政企"}).status_code == 400
    client.force_login(world.outsider)
    assert client.get(URL, {"perm": "view_employees", "q": "政企"}).status_code == 403
    client.logout()
    response = client.get(URL, {"perm": "view_employees", "q": "政企"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_each_unit_with_the_path_that_tells_it_apart(client, world):
    tianhe, yuexiu = world.district_a, make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    make_unit("GZ-TH-02", "商客二班", OrgUnit.Kind.TEAM, tianhe)
    make_unit("GZ-YX-02", "商客二班", OrgUnit.Kind.TEAM, yuexiu)
    client.force_login(world.city_admin_a)
    shown = labels(client.get(URL, {"perm": "import_data", "q": "商客二班"}))
    assert shown == {"GZ-TH-02": "天河区 / 商客二班 · GZ-TH-02", "GZ-YX-02": "越秀区 / 商客二班 · GZ-YX-02"}
    client.force_login(world.province_admin)
    shown = labels(client.get(URL, {"perm": "import_data", "q": "商客二班"}))
    assert shown["GZ-TH-02"] == "广州分公司 / 天河区 / 商客二班 · GZ-TH-02"


def test_it_offers_at_most_twenty_and_says_there_are_more(client, world):
    for n in range(25):
        make_unit(f"GZ-TH-T{n:02d}", f"营销{n}班", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    response = client.get(URL, {"perm": "import_data", "q": "营销"})
    assert len(offered(response)) == 20
    assert "仅显示前 20 个" in response.content.decode()
    response = client.get(URL, {"perm": "import_data", "q": "营销2"})
    assert len(offered(response)) == 6 and "仅显示前" not in response.content.decode()
    response = client.get(URL, {"perm": "import_data", "q": "无此单位"})
    assert "没有与“无此单位”匹配的单位" in response.content.decode()


def test_it_leaves_out_a_units_own_subtree_for_its_new_parent(client, world):
    client.force_login(world.city_admin_a)
    codes = offered(client.get(URL, {"perm": "import_data", "q": "", "not_under": "GZ-TH"}))
    assert codes == ["GZ"]
    # not his: ignored
    codes = offered(client.get(URL, {"perm": "import_data", "q": "", "not_under": "SZ-NS"}))
    assert codes == ["GZ", "GZ-TH", "GZ-TH-01"]


def test_it_runs_two_queries_whatever_the_number_of_units(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    client.get(URL, {"perm": "import_data", "q": "班"})
    with django_assert_max_num_queries(8) as few:
        client.get(URL, {"perm": "import_data", "q": "班"})
    for n in range(30):
        make_unit(f"SZ-NS-T{n:02d}", f"营销{n}班", OrgUnit.Kind.TEAM, world.team_b.parent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(offered(client.get(URL, {"perm": "import_data", "q": "班"}))) == 20


def test_it_offers_the_closest_first_as_the_trees_search_does(client, world):
    # A name that holds the text deep in the tree, one that begins with it, and a code that is
    # the text: the code first, then the names that begin with it, then the others.
    make_unit("GZ-TH-02", "天河营销班", OrgUnit.Kind.TEAM, world.district_a)
    make_unit("GZ-TH-03", "老天河班", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    assert offered(client.get(URL, {"perm": "import_data", "q": "天河"})) == ["GZ-TH", "GZ-TH-02", "GZ-TH-03"]
    assert offered(client.get(URL, {"perm": "import_data", "q": "gz-th-0"}))[:1] == ["GZ-TH-01"]
