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
