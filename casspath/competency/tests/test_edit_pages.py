"""Every edit page: works for the province admin on a draft of a province model; refused
for a city admin (403), a manager (403), an outsider (404) and anonymous users (login)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from casspath.competency.actions.edits import do_add_module, do_update_model_info
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.models import CompetencyModel, Dimension, LevelTitle, Module, Requirement
from casspath.core.models import AuditEvent
from casspath.org.models import Stage

from .conftest import login


@pytest.fixture
def draft(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    # A draft identical to the version in use cannot be published: give it a change.
    do_update_model_info(draft, name=draft.name, name_en=draft.name_en, description="第二版说明",
                         acting_user=world.province_admin)
    return draft


def levels_post():
    data: dict[str, str] = {}
    for n in range(1, 6):
        data |= {f"title_{n}": f"第{n}级", f"title_en_{n}": f"Level {n}", f"description_{n}": ""}
    return data


def requirements_post():
    return {
        "level_D01": "3",
        "weight_D01": "50",
        "level_D02": "2",
        "weight_D02": "30",
        "level_D03": "1",
        "weight_D03": "20",
    }


def module_pk(draft, code="M2"):
    return Module.objects.get(model=draft, code=code).pk


def check_info(draft):
    draft.refresh_from_db()
    assert draft.name == "新名字"


def check_levels(draft):
    assert LevelTitle.objects.get(model=draft, level=3).title == "第3级"


def check_module_added(draft):
    assert Module.objects.filter(model=draft, code="M3", name="新模块").exists()


def check_module_renamed(draft):
    assert Module.objects.get(model=draft, code="M2").name == "改名"


def check_module_moved(draft):
    assert list(Module.objects.filter(model=draft).values_list("code", flat=True)) == ["M2", "M1"]


def check_module_removed(draft):
    assert not Module.objects.filter(model=draft, code="M3").exists()


def check_dimension_added(draft):
    assert Dimension.objects.get(model=draft, code="D04").module.code == "M2"


def check_dimension_edited(draft):
    dim = Dimension.objects.get(model=draft, code="D02")
    assert (dim.name, dim.category, dim.module.code) == ("行业知识", "knowledge", "M2")


def check_indicators(draft):
    assert Dimension.objects.get(model=draft, code="D01").behaviours.get(level=1).indicator_list() == [
        "甲",
        "乙",
    ]


def check_dimension_removed(draft):
    assert not Dimension.objects.filter(model=draft, code="D03").exists()


def check_requirements(draft):
    req = Requirement.objects.get(model=draft, stage__code="growth", dimension__code="D01")
    assert (req.level, req.weight) == (3, Decimal("50.00"))


def check_published(draft):
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.PUBLISHED


def check_discarded(draft):
    assert not CompetencyModel.objects.filter(pk=draft.pk).exists()


def prepare_module_remove(world, draft):
    return do_add_module(draft, code="M3", name="空模块", acting_user=world.province_admin).pk


# name, extra url args (callable on draft), POST data, check, prepare (returns a url arg)
PAGES = [
    ("competency:model_edit", lambda d: [], {"name": "新名字", "name_en": "", "description": ""}, check_info),
    ("competency:levels_edit", lambda d: [], levels_post(), check_levels),
    (
        "competency:module_add",
        lambda d: [],
        {"code": "M3", "name": "新模块", "name_en": ""},
        check_module_added,
    ),
    (
        "competency:module_edit",
        lambda d: [module_pk(d)],
        {"name": "改名", "name_en": ""},
        check_module_renamed,
    ),
    ("competency:module_move", lambda d: [module_pk(d), "up"], {}, check_module_moved),
    (
        "competency:dimension_add",
        lambda d: [],
        {
            "code": "D04",
            "module": "",
            "name": "新维度",
            "name_en": "",
            "category": "skill",
            "description": "",
        },
        check_dimension_added,
    ),
    (
        "competency:dimension_edit",
        lambda d: ["D02"],
        {"module": "", "name": "行业知识", "name_en": "", "category": "knowledge", "description": ""},
        check_dimension_edited,
    ),
    (
        "competency:dimension_indicators",
        lambda d: ["D01"],
        {"level_1": "甲\n乙", "level_2": "x", "level_3": "x", "level_4": "x", "level_5": "x"},
        check_indicators,
    ),
    ("competency:dimension_remove", lambda d: ["D03"], {}, check_dimension_removed),
    ("competency:requirements_edit", lambda d: ["stage", "growth"], requirements_post(), check_requirements),
    ("competency:model_publish", lambda d: [], {"confirm": "yes", "accept_weights": "on"}, check_published),
    ("competency:model_discard", lambda d: [], {}, check_discarded),
]
IDS = [name.split(":")[1] for name, *_ in PAGES]


def fill(data, draft):
    if "module" in data:
        data = {**data, "module": str(module_pk(draft))}
    return data


@pytest.mark.parametrize(("name", "args", "data", "check"), PAGES, ids=IDS)
def test_it_lets_the_province_admin_edit_a_draft(world, draft, name, args, data, check):
    client = login(world.province_admin)
    target = reverse(name, args=[draft.pk, *args(draft)])
    if data:
        assert client.get(target).status_code == 200
    response = client.post(target, fill(data, draft))
    assert response.status_code == 302, response.content.decode()[:2000]
    check(draft)


def test_it_removes_an_empty_module(world, draft):
    pk = prepare_module_remove(world, draft)
    response = login(world.province_admin).post(reverse("competency:module_remove", args=[draft.pk, pk]))
    assert response.status_code == 302
    check_module_removed(draft)


@pytest.mark.parametrize(("name", "args", "data", "check"), PAGES, ids=IDS)
@pytest.mark.parametrize(("who", "status"), [("city_admin_a", 403), ("manager", 403), ("outsider", 404)])
def test_it_refuses_users_who_may_not_edit(world, draft, name, args, data, check, who, status):
    client = login(getattr(world, who))
    target = reverse(name, args=[draft.pk, *args(draft)])
    assert client.post(target, fill(data, draft)).status_code == status
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.DRAFT
    assert not AuditEvent.objects.filter(actor=getattr(world, who)).exists()


@pytest.mark.parametrize(("name", "args", "data", "check"), PAGES, ids=IDS)
def test_it_sends_anonymous_users_to_login(world, draft, name, args, data, check):
    response = Client().post(reverse(name, args=[draft.pk, *args(draft)]), fill(data, draft))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("name", "args", "data", "check"),
    [p for p in PAGES if p[0] not in ("competency:model_publish",)],
    ids=[i for i in IDS if i != "model_publish"],
)
def test_it_refuses_to_edit_a_published_model(world, model, name, args, data, check):
    client = login(world.province_admin)
    target = reverse(name, args=[model.pk, *args(model)])
    response = client.post(target, fill(data, model))
    assert response.status_code == 302
    assert response["Location"] == reverse("competency:model_detail", args=[model.pk])
    model.refresh_from_db()
    assert model.status == CompetencyModel.Status.PUBLISHED
    assert Dimension.objects.filter(model=model).count() == 3
    assert model.name == "小模型"
    page = client.get(response["Location"]).content.decode()
    assert "只能修改草稿" in page or "cannot be edited" in page


def test_it_starts_a_new_version_from_the_page(world, model):
    client = login(world.province_admin)
    response = client.post(reverse("competency:model_new_version", args=[model.pk]))
    draft = CompetencyModel.objects.get(family="small", version=2)
    assert response["Location"] == reverse("competency:model_detail", args=[draft.pk])
    assert draft.status == CompetencyModel.Status.DRAFT
    body = client.get(response["Location"]).content.decode()
    assert reverse("competency:model_publish", args=[draft.pk]) in body
    assert reverse("competency:dimension_indicators", args=[draft.pk, "D01"]) in body


@pytest.mark.parametrize(("who", "status"), [("city_admin_a", 403), ("manager", 403), ("outsider", 404)])
def test_it_refuses_new_versions_to_users_who_may_not_edit(world, model, who, status):
    response = login(getattr(world, who)).post(reverse("competency:model_new_version", args=[model.pk]))
    assert response.status_code == status
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_shows_field_errors_next_to_fields(world, draft):
    client = login(world.province_admin)
    response = client.post(
        reverse("competency:module_add", args=[draft.pk]), {"code": "M1", "name": "", "name_en": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in body
    assert "模块编码 M1 在本模型中已存在" in body or "invalid-feedback" in body
    response = client.post(
        reverse("competency:module_add", args=[draft.pk]), {"code": "M1", "name": "重复", "name_en": ""}
    )
    assert (
        "模块编码 M1 在本模型中已存在 / module code M1 already exists in this model"
        in response.content.decode()
    )


def test_it_names_a_weight_without_a_level(world, draft):
    data = requirements_post() | {"level_D02": "", "weight_D02": "30", "weight_D01": ""}
    response = login(world.province_admin).post(
        reverse("competency:requirements_edit", args=[draft.pk, "stage", "growth"]), data
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "D02: a weight needs a required level" in body
    assert "D01: a required level needs a weight" in body
    assert Requirement.objects.get(model=draft, stage__code="growth", dimension__code="D01").level == 2


def test_it_warns_when_saved_weights_do_not_add_up(world, draft):
    data = requirements_post() | {"weight_D03": "10"}
    client = login(world.province_admin)
    response = client.post(
        reverse("competency:requirements_edit", args=[draft.pk, "stage", "growth"]), data, follow=True
    )
    assert "90" in response.content.decode() and "table-warning" in response.content.decode()


def test_it_shows_why_a_draft_cannot_be_published(world, draft):
    Dimension.objects.get(model=draft, code="D01").behaviours.filter(level=5).delete()
    response = login(world.province_admin).post(reverse("competency:model_publish", args=[draft.pk]))
    assert response.status_code == 400
    assert "dimensions[D01].levels" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.DRAFT


def test_it_404s_an_unknown_stage_or_dimension(world, draft):
    client = login(world.province_admin)
    assert (
        client.get(reverse("competency:requirements_edit", args=[draft.pk, "stage", "nope"])).status_code
        == 404
    )
    assert (
        client.get(reverse("competency:requirements_edit", args=[draft.pk, "team", "growth"])).status_code
        == 404
    )
    assert client.get(reverse("competency:dimension_edit", args=[draft.pk, "D99"])).status_code == 404
    assert Stage.objects.filter(code="growth").exists()


def test_it_refuses_a_module_of_another_model_under_this_models_address(world, model, draft):
    # The published version's module, addressed through the draft: the ids must not mix.
    foreign = Module.objects.get(model=model, code="M2")
    client = login(world.province_admin)
    url = reverse("competency:module_edit", args=[draft.pk, foreign.pk])
    response = client.post(url, {"name": "改名", "name_en": ""})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "改名"


def test_it_says_why_an_unchanged_draft_is_not_published(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    client = login(world.province_admin)
    response = client.post(reverse("competency:model_publish", args=[draft.pk]), {"confirm": "yes"})
    assert response.status_code == 400
    assert "没有任何差别" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.DRAFT
