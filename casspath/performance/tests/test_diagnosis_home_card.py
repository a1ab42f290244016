"""The home page's diagnosis card and the menu entry: for those who may see reports, with
their scope's latest diagnoses; nothing for a manager or a lecturer."""

from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.testing import log_in


def test_it_shows_the_latest_diagnoses_in_scope_and_the_menu_entry(client, world, diagnosable):
    snapshot = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                           acting_user=world.city_admin_a)
    text = log_in(client, world.analyst_a).get("/").content.decode()
    assert 'id="diagnoses"' in text and f'href="/performance/diagnoses/{snapshot.pk}/"' in text
    assert 'href="/performance/diagnoses/"' in text
    other = log_in(client, world.city_admin_b).get("/").content.decode()
    assert 'id="diagnoses"' in other and f"/performance/diagnoses/{snapshot.pk}/" not in other


def test_it_shows_neither_to_a_manager_nor_a_lecturer(client, world, diagnosable):
    for user in (world.manager, world.lecturer_a):
        text = log_in(client, user).get("/").content.decode()
        assert 'id="diagnoses"' not in text and 'href="/performance/diagnoses/"' not in text
