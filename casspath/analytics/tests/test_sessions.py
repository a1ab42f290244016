"""The session clock against a hand computation."""

import pytest

from casspath.analytics.sessions import Slot, session_length, timeline


def test_it_runs_the_clock_segment_after_segment():
    # By hand: 3 | 3+5=8 | 8+4=12 | 12+5=17 | 17+2=19.
    assert timeline([3, 5, 4, 5, 2]) == [Slot(0, 3), Slot(3, 8), Slot(8, 12), Slot(12, 17), Slot(17, 19)]
    assert timeline([3, 5])[1].label == "03:00–08:00"
    assert timeline([]) == []


@pytest.mark.parametrize(
    ("minutes", "total", "within", "short", "over"),
    [
        ([3, 5, 4, 5, 2], 19, True, 0, 0),
        ([5, 5, 5], 15, True, 0, 0),  # the lower bound counts
        ([10, 10], 20, True, 0, 0),  # so does the upper one
        ([4, 5, 5], 14, False, 1, 0),
        ([7, 7, 7], 21, False, 0, 1),
        ([], 0, False, 15, 0),
    ],
)
def test_it_says_whether_the_session_lasts_15_to_20_minutes(minutes, total, within, short, over):
    length = session_length(minutes)
    assert (length.total, length.within, length.short_by, length.over_by) == (total, within, short, over)


@pytest.mark.parametrize("bad", [[0], [3, -1], [2.5], [True], ["3"]])
def test_it_refuses_minutes_that_are_not_positive_integers(bad):
    with pytest.raises(ValueError, match="segment"):
        session_length(bad)
