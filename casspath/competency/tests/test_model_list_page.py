from django.test import Client
from django.urls import reverse

from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_start_new_version

from .conftest import login


def test_it_lists_versions_with_status_and_owner(world, model, model_data):
    do_start_new_version(model, acting_user=world.province_admin)
    model_data["family"] = "other"
    model_data["name"] = "另一个模型"
    do_load_model_data(model_data, org_unit=world.city_a, acting_user=world.province_admin)
    response = login(world.manager).get(reverse("competency:model_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "小模型" in body and "另一个模型" in body
    assert reverse("competency:model_detail", args=[model.pk]) in body
    assert "v2" in body and "v1" in body
    assert "广东公司" in body and "广州分公司" in body


def test_it_uses_a_fixed_number_of_queries(world, model, model_data, django_assert_max_num_queries):
    for n in range(5):
        model_data["family"] = f"family-{n}"
        do_load_model_data(model_data, org_unit=world.province, acting_user=world.province_admin)
    client = login(world.province_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("competency:model_list"))
    assert response.content.decode().count("family-") >= 5


def test_it_shows_an_outsider_nothing(world, model):
    response = login(world.outsider).get(reverse("competency:model_list"))
    assert response.status_code == 200
    assert "小模型" not in response.content.decode()


def test_it_sends_anonymous_users_to_login(world, model):
    response = Client().get(reverse("competency:model_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
