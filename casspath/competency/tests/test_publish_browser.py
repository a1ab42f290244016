"""Publishing as a training admin would in Chromium, at desktop and phone widths: open the
draft, "Publish…", read the warnings, tick "publish anyway", confirm."""

import copy

import pytest

from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.models import CompetencyModel, Requirement
from casspath.core.actors import SystemActor
from casspath.testing import build_world, log_in_page

from .conftest import SMALL_MODEL

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_it_publishes_a_draft_with_unbalanced_weights_after_confirming(
        transactional_db, live_server, request, device):
    page = request.getfixturevalue(device)
    world = build_world()
    model = do_load_model_data(copy.deepcopy(SMALL_MODEL), org_unit=world.province,
                               acting_user=SystemActor.cli())
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name="小模型二版", name_en="", description="",
                         acting_user=world.province_admin)
    cell = Requirement.objects.filter(model=draft, stage__code="growth").first()
    assert cell is not None, "the model has requirements at its growth stage"
    Requirement.objects.filter(pk=cell.pk).update(weight=cell.weight - 10)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    log_in_page(page, live_server, world.province_admin)
    page.goto(f"{live_server.url}/competency/models/{draft.pk}/")
    page.click("text=发布…")
    page.wait_for_selector("#publish-weights")
    assert "小模型二版" in page.inner_text("#publish-diff")
    page.click("text=发布 v2 并归档 v1")  # without "publish anyway": refused, nothing changes
    page.wait_for_selector(".alert-danger")
    assert "权重合计不是 100%" in page.inner_text(".alert-danger")
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.DRAFT
    page.check("input[name=accept_weights]")
    page.click("text=发布 v2 并归档 v1")
    page.wait_for_selector(".alert-success")
    draft.refresh_from_db()
    model.refresh_from_db()
    assert (draft.status, model.status) == (CompetencyModel.Status.PUBLISHED, CompetencyModel.Status.ARCHIVED)
    assert violations == []
