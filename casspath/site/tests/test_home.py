import json
from datetime import date

from django.urls import reverse

from casspath.org.models import Grade, OrgUnit, Role, RoleAssignment
from casspath.testing import make_employee, make_unit, make_user

URL = reverse("home")


def chart(response, name):
    body = response.content.decode()
    start = body.index(f'<script id="{name}" type="application/json">') + len(
        f'<script id="{name}" type="application/json">')
    return json.loads(body[start:body.index("</script>", start)])


def test_it_shows_a_training_admin_his_scope_by_stage_grade_position_and_unit(client, world):
    senior = Grade.objects.get(code="senior")
    make_employee("E0003", "老员工", world.team_a, hire_date=date(2010, 5, 1), grade=senior)
    client.force_login(world.province_admin)
    response = client.get(URL)
    assert response.status_code == 200
    roster = response.context["roster"]
    assert roster["active"] == 5 and roster["left"] == 0 and roster["units"] == 7
    assert sum(count for _label, count in roster["by_stage"]) == 5
    assert dict(roster["by_grade"])["高级"] == 1
    assert dict(roster["by_position"]) == {"客户经理": 4, "班组长": 1}
    assert [(unit.code, n) for unit, n in roster["by_unit"]] == [("GZ", 4), ("SZ", 1)]
    assert chart(response, "unit-chart")["yAxis"]["data"] == ["深圳分公司", "广州分公司"]
    assert sum(chart(response, "tenure-chart")["series"][0]["data"]) == 5


def test_it_shows_a_city_admin_his_districts_only(client, world):
    make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    client.force_login(world.city_admin_a)
    roster = client.get(URL).context["roster"]
    assert roster["active"] == 3
    assert [(unit.code, n) for unit, n in roster["by_unit"]] == [("GZ-TH", 3)]
    assert "深圳" not in client.get(URL).content.decode()


def test_it_shows_an_analyst_and_a_consultant_their_scope(client, world):
    RoleAssignment.objects.create(user=world.outsider, role=Role.ANALYST, org_unit=world.city_b)
    client.force_login(world.outsider)
    assert client.get(URL).context["roster"]["active"] == 1


def test_it_shows_a_team_lead_his_team(client, world):
    client.force_login(world.team_lead)
    response = client.get(URL)
    team = response.context["team"]
    assert [row.employee.employee_no for row in team["rows"]] == ["E0001", "E0002", "T0001"]
    assert response.context["roster"]["active"] == 3
    assert "深圳员工" not in response.content.decode()


def test_it_shows_an_account_manager_himself_only(client, world):
    world.manager_employee.grade = Grade.objects.get(code="junior")
    world.manager_employee.save(update_fields=["grade"])
    client.force_login(world.manager)
    response = client.get(URL)
    me = response.context["me"]
    assert me["employee"] == world.manager_employee
    assert me["stage"] in {"成长期", "发展期", "成熟期"} and me["tenure_years"] >= 0
    assert "roster" not in response.context and "team" not in response.context
    assert "赵同事" not in response.content.decode()


def test_it_shows_the_outsider_no_figures(client, world):
    client.force_login(world.outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert "me" not in response.context and "roster" not in response.context


def test_it_sends_anonymous_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_reads_the_roster_in_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for n in range(30):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).context["roster"]["active"] == 34


def test_it_shows_an_account_manager_his_effective_requirements(client, world):
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.competency.queries import effective_requirements
    from casspath.core.actors import SystemActor

    model = do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    client.force_login(world.manager)
    context = client.get(URL).context
    me, requirements = context["me"], context["requirements"]
    assert requirements["model"] == model
    expected = effective_requirements(model, me["stage_code"], None)
    assert expected and [(r.code, r.level) for r in requirements["requirements"]] == [
        (r.code, r.level) for r in expected]
    assert expected[0].name in client.get(URL).content.decode()


def test_it_says_why_a_managers_weights_add_up_past_a_hundred_with_each_ones_share(client, world):
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor
    from casspath.org.models import Grade

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    client.force_login(world.manager)
    # A stage alone: its weights add up to 100 %, said as they are.
    card = client.get(URL).context["requirements"]
    assert card["total_weight"] == 100 and not card["weights_past_hundred"]
    assert 'id="weights-past-hundred"' not in client.get(URL).content.decode()
    # A stage and a grade: the larger weight of each dimension (CONTRACTS.md) adds up past 100.
    world.manager_employee.grade = Grade.objects.get(code="senior")
    world.manager_employee.save(update_fields=["grade"])
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    card = response.context["requirements"]
    assert card["weights_past_hundred"] and card["total_weight"] > 100
    assert card["total_weight"] == sum(r.weight for r in card["requirements"])
    assert abs(sum(share for _r, share in card["rows"]) - 100) < 1
    body = response.content.decode()
    assert 'id="weights-past-hundred"' in body and "the larger of your stage's and your grade's" in body
    assert "Share %" in body
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "两者中较大的一个" in chinese and "占比 %" in chinese


def test_it_lists_the_admins_recent_imports(client, world):
    from casspath.imports.models import ImportRun

    run = ImportRun.objects.create(kind="roster", created_by=world.city_admin_a, actor_label="gzadmin",
                                   filename="花名册.xlsx", stored_name="x", sha256="0" * 64,
                                   scope=[{"id": world.city_a.pk}])
    ImportRun.objects.create(kind="roster", created_by=world.city_admin_b, actor_label="szadmin",
                             filename="深圳.xlsx", stored_name="y", sha256="1" * 64,
                             scope=[{"id": world.city_b.pk}])
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert response.context["imports"]["runs"] == [run]
    body = response.content.decode()
    assert "花名册.xlsx" in body and reverse("imports:run", args=[run.pk]) in body and "深圳.xlsx" not in body
    assert 'id="no-recent-imports"' not in body
    client.force_login(world.team_lead)
    assert "imports" not in client.get(URL).context


def test_it_shows_a_manager_the_model_of_his_own_city_before_the_provinces(client, world):
    import json as json_module

    from casspath.competency.actions.loading import (
        DEFAULT_MODEL_PATH,
        do_load_default_model,
        do_load_model_data,
    )
    from casspath.core.actors import SystemActor

    province_model = do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    data = json_module.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    data["family"], data["name"] = "gzmodel", "广州模型"
    city_model = do_load_model_data(data, org_unit=world.city_a, acting_user=SystemActor.cli(), publish=True)
    client.force_login(world.manager)  # in a team of city A
    assert client.get(URL).context["requirements"]["model"] == city_model
    elsewhere = make_user("E0900", role=Role.ACCOUNT_MANAGER, unit=world.team_b)
    make_employee("E0900", "李经理", world.team_b, user=elsewhere)
    client.force_login(elsewhere)  # city B has no model of its own
    assert client.get(URL).context["requirements"]["model"] == province_model


def test_it_says_none_yet_on_the_recent_imports_card_of_an_admin_without_imports(client, world):
    client.force_login(world.city_admin_a)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="no-recent-imports">暂无。<' in body
    assert client.get(URL, HTTP_ACCEPT_LANGUAGE="en").context["imports"]["runs"] == []


def test_it_names_stages_grades_positions_and_roles_in_sentence_case_in_english(client, world):
    client.force_login(world.province_admin)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    roster = response.context["roster"]
    labels = [label for key in ("by_stage", "by_grade", "by_position") for label, _n in roster[key]]
    assert labels and all(label[0].isupper() for label in labels), labels
    assert "Account manager" in labels
    badges = response.content.decode().split('badge text-bg-secondary me-1">')[1:]
    assert badges and all(badge[0].isupper() for badge in badges)
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").context["roster"]
    assert "客户经理" in dict(chinese["by_position"])  # Chinese names untouched
