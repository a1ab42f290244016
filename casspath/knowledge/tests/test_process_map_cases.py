"""At any step, find the cases: the process map shows each step's published cases, best
first (analytics.cases), never one in review; their count costs no query per case."""

import pytest
from django.urls import reverse

from casspath.knowledge import queries
from casspath.knowledge.actions.cases import (
    do_mark_case_useful,
    do_pick_case,
    do_publish_case,
    do_record_case_read,
    do_submit_case,
)
from casspath.knowledge.models import ProcessStep
from casspath.knowledge.tests.conftest import write_case
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def publish(world, case):
    return do_publish_case(do_submit_case(case, acting_user=world.manager), acting_user=world.consultant_a)


def step_block(html: str, code: str) -> str:
    """The step's part of the page: up to the next phase, step or sub-step."""
    start = html.index(f'id="ps-{code}"')
    return html[start : html.find('id="ps-', start + 1)]


def test_it_shows_the_published_case_under_its_step_and_not_the_one_in_review(
    client, world, process, other_manager
):
    publish(world, write_case(process, world.manager, title="已发布的扫楼案例"))
    do_submit_case(write_case(process, world.manager, title="审核中的扫楼案例"), acting_user=world.manager)
    html = (
        log_in(client, other_manager)
        .get(reverse("knowledge:process_map", args=[process.pk]))
        .content.decode()
    )
    block = step_block(html, "P1-1")
    assert "已发布的扫楼案例" in block and "1 个案例" in block  # the count shows on the closed step
    assert "审核中的扫楼案例" not in html
    assert "已发布的扫楼案例" not in step_block(html, "P1-2")


def test_it_orders_a_step_s_cases_best_first(world, process, other_manager):
    plain = publish(world, write_case(process, world.manager, title="普通"))
    liked = publish(world, write_case(process, world.manager, title="有用"))
    picked = publish(world, write_case(process, world.manager, title="推荐"))
    do_record_case_read(liked, acting_user=other_manager)
    do_mark_case_useful(liked, acting_user=other_manager)  # (1+1)/(1+5) = 0.33 against 0.2
    do_pick_case(picked, True, acting_user=world.consultant_a)  # 0.2 + 0.2 = 0.4
    step = plain.steps.get()
    ids, best = queries.published_cases_by_step(process)
    assert len(ids[step.pk]) == 3 and [c.title for c in best[step.pk]] == ["推荐", "有用", "普通"]


def test_it_reads_the_cases_in_a_fixed_number_of_queries(
    client, world, process, other_manager, django_assert_max_num_queries
):
    log_in(client, other_manager)
    url = reverse("knowledge:process_map", args=[process.pk])
    publish(world, write_case(process, world.manager, title="一"))
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(6):
        publish(
            world, write_case(process, world.manager, title=f"案例{n}", step_code=["P1-1", "P2-1"][n % 2])
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_it_counts_a_step_s_cases_with_its_sub_steps_as_its_all_link_lists_them(
    client, world, process, other_manager
):
    """P1-1 holds one case of its own and three of its sub-step P1-1a: its count and its
    link say four, as the library filtered to P1-1 lists them."""
    publish(world, write_case(process, world.manager, title="扫楼本身"))
    for n in range(3):
        publish(world, write_case(process, world.manager, title=f"名单{n}", step_code="P1-1a"))
    log_in(client, other_manager)
    html = client.get(reverse("knowledge:process_map", args=[process.pk])).content.decode()
    block = step_block(html, "P1-1")
    assert "4 个案例" in block and "全部 4 个案例" in block and "扫楼本身" in block
    step = ProcessStep.objects.get(cass_map=process, code="P1-1")
    library = client.get(reverse("knowledge:cases"), {"map": process.pk, "step": step.pk}).content.decode()
    assert library.count('class="card mb-2 case-item"') == 4
