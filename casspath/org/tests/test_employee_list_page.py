from datetime import date

from django.urls import reverse

from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment
from casspath.testing import make_employee, make_unit

URL = reverse("org:employee_list")


def nos(response):
    return [row.employee.employee_no for row in response.context["rows"]]


def test_it_lists_a_city_admin_his_city_only(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert nos(response) == ["E0001", "E0002", "T0001"]
    assert "E0100" not in response.content.decode()


def test_it_shows_an_account_manager_only_himself(client, world):
    client.force_login(world.manager)
    response = client.get(URL)
    assert nos(response) == ["E0001"]
    assert "赵同事" not in response.content.decode()


def test_it_refuses_the_outsider(client, world):
    client.force_login(world.outsider)
    assert client.get(URL).status_code == 403


def test_it_sends_anonymous_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_masks_phones_unless_the_viewer_may_read_them(client, world):
    consultant = world.outsider
    RoleAssignment.objects.create(user=consultant, role=Role.CONSULTANT, org_unit=world.city_a)
    client.force_login(consultant)
    body = client.get(URL).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    client.force_login(world.city_admin_a)
    body = client.get(URL).content.decode()
    assert "13912345678" in body


def test_it_searches_name_number_and_phone(client, world):
    client.force_login(world.province_admin)
    assert nos(client.get(URL, {"q": "赵"})) == ["E0002"]
    assert nos(client.get(URL, {"q": "e010"})) == ["E0100"]
    assert nos(client.get(URL, {"q": "1360000"})) == ["E0100"]
    assert nos(client.get(URL, {"q": "136 0000-2222"})) == ["E0100"]


def test_it_finds_names_containing_three_characters_and_beginning_with_fewer(client, world):
    for number, name in (("G0001", "陈伟"), ("G0002", "陈伟明"), ("G0003", "李陈伟"), ("G0004", "欧阳陈伟明"),
                         ("G0005", "Tom Chen")):
        make_employee(number, name, world.team_a)
    client.force_login(world.city_admin_a)
    assert nos(client.get(URL, {"q": "陈伟"})) == ["G0001", "G0002"]  # surname + given name, from the start
    assert nos(client.get(URL, {"q": "陈伟明"})) == ["G0002", "G0004"]  # anywhere in the name
    assert nos(client.get(URL, {"q": "伟明"})) == []
    assert nos(client.get(URL, {"q": "chen"})) == ["G0005"]  # any case
    assert nos(client.get(URL, {"q": "to"})) == ["G0005"]
    assert nos(client.get(URL, {"q": '"陈伟'})) == []  # quotes and wildcards are plain characters
    assert nos(client.get(URL, {"q": "陈%"})) == []
    assert nos(client.get(URL, {"q": "陈_明"})) == []


def test_it_finds_employee_numbers_and_phones_from_their_start(client, world):
    client.force_login(world.province_admin)
    assert nos(client.get(URL, {"q": "e01"})) == ["E0100"]
    assert nos(client.get(URL, {"q": "E000"})) == ["E0001", "E0002"]
    assert nos(client.get(URL, {"q": "0100"})) == []  # not from the middle of a number
    assert nos(client.get(URL, {"q": "0000222"})) == []
    assert nos(client.get(URL, {"q": "+86 1360000"})) == ["E0100"]
    assert nos(client.get(URL, {"q": "１３６００００"})) == ["E0100"]  # full-width digits
    assert nos(client.get(URL, {"q": "136"})) == ["E0100"]
    assert nos(client.get(URL, {"q": "13"})) == []  # every mobile number begins with 1: too few digits


def test_it_does_not_let_a_masked_viewer_probe_phone_digits(client, world):
    RoleAssignment.objects.create(user=world.outsider, role=Role.ANALYST, org_unit=world.province)
    client.force_login(world.outsider)
    assert nos(client.get(URL, {"q": "1360000"})) == []
    assert nos(client.get(URL, {"q": "13600002222"})) == []
    assert nos(client.get(URL, {"q": "深圳"})) == ["E0100"]


def test_it_searches_phones_only_where_the_viewer_reads_them(client, world):
    """A team lead reads his team's phones, not those of the city he may also see as an analyst."""
    RoleAssignment.objects.create(user=world.team_lead, role=Role.ANALYST, org_unit=world.province)
    client.force_login(world.team_lead)
    assert nos(client.get(URL, {"q": "1370000"})) == ["E0002"]  # his team: phone readable
    assert nos(client.get(URL, {"q": "1360000"})) == []  # another city: masked, not searchable
    assert nos(client.get(URL, {"q": "E0100"})) == ["E0100"]  # found by number all the same


def test_it_filters_by_unit_subtree_stage_position_grade_and_status(client, world):
    senior = Grade.objects.get(code="senior")
    make_employee("E0003", "老员工", world.team_a, hire_date=date(2010, 5, 1), grade=senior)
    Employee.objects.filter(employee_no="E0002").update(status=Employee.Status.LEFT)
    client.force_login(world.province_admin)
    assert nos(client.get(URL, {"unit": "GZ"})) == ["E0001", "E0002", "E0003", "T0001"]
    assert nos(client.get(URL, {"unit": "SZ-NS"})) == ["E0100"]
    assert nos(client.get(URL, {"stage": "maturity"})) == ["E0003"]
    assert nos(client.get(URL, {"stage": "成熟期"})) == ["E0003"]
    assert nos(client.get(URL, {"position": "team_lead"})) == ["T0001"]
    assert nos(client.get(URL, {"grade": "senior"})) == ["E0003"]
    assert nos(client.get(URL, {"status": "left"})) == ["E0002"]
    assert nos(client.get(URL, {"unit": "GZ", "status": "active", "position": "account_manager"})) == [
        "E0001", "E0003"]


def test_it_shows_the_stage_column(client, world):
    make_employee("E0003", "老员工", world.team_a, hire_date=date(2010, 5, 1))
    client.force_login(world.city_admin_a)
    rows = {row.employee.employee_no: row.stage_name for row in client.get(URL).context["rows"]}
    assert rows["E0003"] == "成熟期"


def test_it_refuses_a_unit_filter_outside_the_scope(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(URL, {"unit": "SZ"})
    assert response.status_code == 200
    assert [e.field for e in response.context["filter_errors"]] == ["unit"]
    assert "不在您的范围内" in response.content.decode()
    assert "E0100" not in response.content.decode()


def test_it_pages_by_employee_number_keeping_the_filters(client, world):
    for n in range(60):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_a)
    client.force_login(world.city_admin_a)
    response = client.get(URL, {"unit": "GZ-TH-01", "status": "active"})
    assert response.context["count"].value == 63 and response.context["count"].exact
    assert nos(response)[:2] == ["E0001", "E0002"] and len(nos(response)) == 50
    body = response.content.decode()
    assert "?unit=GZ-TH-01&amp;status=active&amp;after=G0047" in body and "rel=\"prev\"" not in body
    second = client.get(URL, {"unit": "GZ-TH-01", "status": "active", "after": "G0047"})
    assert nos(second) == [f"G{n:04d}" for n in range(48, 60)] + ["T0001"]
    assert "rel=\"next\"" not in second.content.decode()
    assert "?unit=GZ-TH-01&amp;status=active&amp;before=G0048" in second.content.decode()
    back = client.get(URL, {"unit": "GZ-TH-01", "status": "active", "before": "G0048"})
    assert nos(back) == nos(response)
    assert nos(client.get(URL, {"after": "Z" * 500})) == nos(client.get(URL))  # no key: the first page
    past = client.get(URL, {"after": "Z9999"})  # past the end (the list changed since): back to the first
    assert nos(past) == [] and 'href="?">第一页' in past.content.decode()


def test_it_says_under_the_box_that_one_or_two_characters_match_the_start_of_names(client, world):
    make_employee("G0002", "陈伟明", world.team_a)
    client.force_login(world.city_admin_a)
    hint = 'id="f-q-hint"'
    page = client.get(URL, {"q": "伟明"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert hint in page and "一两个字只按名字开头匹配" in page and "输入三个字或以上" in page
    english = client.get(URL, {"q": "伟明"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "only the start of a name is matched" in english
    # Not for three characters (found anywhere), digits (a phone or number), or no search.
    for q in ("陈伟明", "138", "12", ""):
        assert hint not in client.get(URL, {"q": q}).content.decode(), q


def test_it_counts_exactly_up_to_a_cap_and_says_more_past_it(client, world, monkeypatch):
    monkeypatch.setattr("casspath.core.paging.COUNT_CAP", 3)
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert (response.context["count"].value, response.context["count"].exact) == (3, True)
    assert "3 名员工" in response.content.decode()
    make_employee("G0001", "新员工", world.team_a)
    response = client.get(URL)
    assert (response.context["count"].value, response.context["count"].exact) == (3, False)
    assert len(response.context["rows"]) == 4
    assert "超过 3 名员工" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "More than 3 employees" in client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_it_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    position = Position.objects.get(code="account_manager")
    grade = Grade.objects.get(code="junior")
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(14) as few:
        client.get(URL, {"unit": "GD"})
    for n in range(40):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_b, position=position, grade=grade)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"unit": "GD"})
    assert len(response.context["rows"]) == 44


def test_it_picks_the_unit_filter_by_search_instead_of_listing_every_unit(client, world):
    for n in range(40):
        make_unit(f"GZ-TH-T{n:02d}", f"营销{n}班", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    page = client.get(URL).content.decode()
    assert 'id="f-unit"' in page and 'role="combobox"' in page and "营销" not in page
    filtered = client.get(URL, {"unit": "GZ-TH-01"})
    assert nos(filtered) == ["E0001", "E0002", "T0001"]
    assert "天河区 / 政企一班 · GZ-TH-01" in filtered.content.decode()
    # a name only one unit has
    assert nos(client.get(URL, {"unit": "政企一班"})) == ["E0001", "E0002", "T0001"]


def test_it_asks_which_unit_when_the_filter_names_two(client, world):
    make_unit("GZ-TH-02", "政企一班", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    response = client.get(URL, {"unit": "政企一班"})
    assert [e.field for e in response.context["filter_errors"]] == ["unit"]
    assert "GZ-TH-01, GZ-TH-02" in response.content.decode()


def test_it_names_the_status_choices_in_the_pages_language(client, world):
    client.force_login(world.city_admin_a)
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="active">Active</option>' in english and "在职</option>" not in english
    chinese = client.get(URL).content.decode()
    assert '<option value="active">在职</option>' in chinese
