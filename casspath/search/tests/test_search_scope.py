"""Scope: a hit the user may not see is never returned (the search joins the kind's
visible filter, from its app's access.py)."""

from casspath.search.queries import search


def codes(user, query, **kwargs):
    return [hit.code for hit in search(user, query, **kwargs)]


def test_it_shows_a_case_in_review_to_its_author_and_reviewer_only(world, library):
    assert codes(world.manager, "视频会议") == ["C004"]  # his own
    assert codes(world.province_admin, "视频会议") == ["C004"]  # a reviewer of the map
    assert codes(world.manager_b, "视频会议") == []  # another manager
    assert codes(world.team_lead, "视频会议") == []


def test_it_shows_published_cases_to_every_reader_of_the_map(world, library):
    assert codes(world.manager_b, "云电脑", kinds=["case"]) == ["C002"]


def test_it_shows_nothing_to_a_user_with_no_map(world, library):
    assert codes(world.outsider, "云电脑") == []
    assert codes(world.outsider, "视频会议") == []


def test_it_counts_only_visible_hits_in_a_page(world, library):
    # The in-review case would be the best hit of 客户经理 for nobody else: a page of one
    # is the best visible hit, not a hole.
    assert len(search(world.manager_b, "客户经理", limit=1)) == 1
    assert "C004" not in codes(world.manager_b, "客户经理", limit=100)


def test_it_finds_the_few_visible_hits_behind_many_hidden_better_ones(
    world, library, django_capture_on_commit_callbacks
):
    from casspath.cass.actions.maps import do_create_map
    from casspath.knowledge.models import Case, CaseStatus

    with django_capture_on_commit_callbacks(execute=True):
        city_map = do_create_map(
            org_unit=world.city_a,
            model_family="default",
            name="广州 CASS 地图",
            acting_user=world.city_admin_a,
        )
        Case.objects.bulk_create(
            [
                Case(
                    cass_map=city_map,
                    code=f"G{n:03d}",
                    title=f"停车场改造{n}",
                    knowledge_point="停车场",
                    story="停车场停车场。",
                    status=CaseStatus.PUBLISHED,
                )
                for n in range(80)
            ]
        )
        Case.objects.create(
            cass_map=library["map"],
            code="C090",
            title="写字楼的访客登记",
            knowledge_point="门禁",
            story="访客总在停车场等。",
            status=CaseStatus.PUBLISHED,
        )
    from casspath.search import index

    index.rebuild()
    assert codes(world.manager_b, "停车场") == ["C090"]  # city A's 80 better hits are not his
    assert len(codes(world.manager, "停车场", limit=100)) == 81
    assert codes(world.manager, "停车场", limit=10, offset=80) == ["C090"]
