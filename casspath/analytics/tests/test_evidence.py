"""The current-level rule against hand computation and a per-group loop."""

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.evidence import (
    SOURCE_WEIGHTS,
    LevelsInBlocks,
    current_levels,
    current_levels_of_sums,
    current_levels_weighted,
    level_of_score,
)

TODAY = date(2026, 6, 30).toordinal()


def _one(levels, ages, sources, **kw):
    n = len(levels)
    return current_levels([0] * n, [0] * n, levels, [TODAY - a for a in ages], sources,
                          shape=(1, 1), as_of=TODAY, **kw)


def test_it_maps_scores_to_levels():
    assert level_of_score([0, 50, 100, 75]).tolist() == [1.0, 3.0, 5.0, 4.0]
    with pytest.raises(AnalyticsInputError):
        level_of_score([101])


def test_it_weighs_a_year_old_record_half_and_computes_every_figure_by_hand():
    # A survey today at 4, a supervisor's rating a year ago at 2.
    r = _one([4.0, 2.0], [0, 365], ["survey", "supervisor"])
    w = [1.0, 0.5]
    level = (4 * 1 + 2 * 0.5) / 1.5
    assert r.level[0, 0] == pytest.approx(level)
    assert r.weight[0, 0] == pytest.approx(1.5)
    assert r.effective_records[0, 0] == pytest.approx(1.5**2 / (1 + 0.25))
    assert r.confidence[0, 0] == pytest.approx(1.5 / 2.5)
    spread = math.sqrt(sum(wi * (li - level) ** 2 for wi, li in zip(w, [4, 2], strict=True)) / 1.5)
    assert r.spread[0, 0] == pytest.approx(spread)
    assert r.count[0, 0] == 2 and r.newest[0, 0] == TODAY


def test_it_weighs_self_ratings_less_than_surveys():
    r = _one([5.0, 3.0], [10, 10], ["self", "survey"])
    s_self, s_survey = SOURCE_WEIGHTS["self"], SOURCE_WEIGHTS["survey"]
    assert s_self < s_survey
    assert r.level[0, 0] == pytest.approx((5 * s_self + 3 * s_survey) / (s_self + s_survey))


def test_it_leaves_out_records_after_the_day_asked_and_weightless_sources():
    r = _one([5.0, 1.0, 3.0], [-1, 0, 0], ["survey", "self", "survey"], source_weights={**SOURCE_WEIGHTS,
                                                                                          "self": 0.0})
    assert r.level[0, 0] == 3.0 and r.count[0, 0] == 1 and r.confidence[0, 0] == pytest.approx(0.5)


def test_it_gives_nan_and_zero_confidence_without_evidence():
    r = current_levels([], [], [], [], [], shape=(2, 3), as_of=TODAY)
    assert np.isnan(r.level).all() and (r.confidence == 0).all() and (r.newest == 0).all()
    assert r.level.shape == (2, 3)


def test_it_matches_a_loop_over_groups_for_a_whole_unit():
    rng = np.random.default_rng(7)
    n, shape = 2000, (50, 18)
    e, d = rng.integers(0, 50, n), rng.integers(0, 18, n)
    x = rng.integers(1, 6, n).astype(float)
    t = TODAY - rng.integers(-30, 900, n)
    src = rng.choice(list(SOURCE_WEIGHTS), n)
    r = current_levels(e, d, x, t, src, shape=shape, as_of=TODAY, half_life_days=200)
    for i in range(shape[0]):
        for j in range(shape[1]):
            pick = (e == i) & (d == j) & (t <= TODAY)
            w = np.array([SOURCE_WEIGHTS[s] for s in src[pick]]) * 0.5 ** ((TODAY - t[pick]) / 200)
            if not pick.any():
                assert np.isnan(r.level[i, j])
                continue
            assert r.level[i, j] == pytest.approx((w * x[pick]).sum() / w.sum())
            assert r.effective_records[i, j] == pytest.approx(w.sum() ** 2 / (w**2).sum())
            assert r.newest[i, j] == t[pick].max()


@pytest.mark.parametrize("bad", [
    dict(level=[6.0]), dict(source=["boss"]), dict(employee=[3]), dict(level=[float("nan")]),
])
def test_it_refuses_input_no_formula_can_read(bad):
    args: dict[str, list] = dict(employee=[0], dimension=[0], level=[3.0], day=[TODAY], source=["survey"])
    args.update(bad)
    with pytest.raises(AnalyticsInputError):
        current_levels(args["employee"], args["dimension"], args["level"], args["day"], args["source"],
                       shape=(1, 1), as_of=TODAY)


def test_it_gives_the_same_figures_from_each_group_s_sums_as_from_its_records():
    rng = np.random.default_rng(3)
    n, shape = 3000, (40, 18)
    e, d = rng.integers(0, 40, n), rng.integers(0, 18, n)
    x = rng.integers(1, 6, n).astype(float)
    t = TODAY - rng.integers(-30, 900, n)
    src = rng.choice(list(SOURCE_WEIGHTS), n)
    direct = current_levels(e, d, x, t, src, shape=shape, as_of=TODAY, half_life_days=300)
    # The sums a database would return: one entry a group with a counted record.
    w = np.array([SOURCE_WEIGHTS[s] for s in src]) * 2.0 ** (-(TODAY - t) / 300)
    keep = t <= TODAY
    groups = sorted({(i, j) for i, j in zip(e[keep], d[keep], strict=True)})
    sums = []
    for i, j in groups:
        pick = keep & (e == i) & (d == j)
        wi, xi = w[pick], x[pick]
        sums.append((i, j, wi.sum(), (wi * xi).sum(), (wi * wi).sum(), (wi * xi * xi).sum(), pick.sum(),
                     t[pick].max()))
    summed = current_levels_of_sums(*zip(*sums, strict=True), shape=shape)
    for name in ("level", "confidence", "weight", "effective_records"):
        np.testing.assert_allclose(getattr(summed, name), getattr(direct, name), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(summed.spread, direct.spread, atol=1e-6, equal_nan=True)
    np.testing.assert_array_equal(summed.count, direct.count)
    np.testing.assert_array_equal(summed.newest, direct.newest)


@pytest.mark.parametrize("bad", [
    dict(row=[0, 0], column=[0, 0]), dict(weight=[-1.0]), dict(row=[2]), dict(weighted_level=[float("nan")]),
])
def test_it_refuses_sums_no_formula_can_read(bad):
    args: dict[str, Any] = dict(row=[0], column=[0], weight=[1.0], weighted_level=[3.0],
                                 weight_squared=[1.0], weighted_level_squared=[9.0], count=[1],
                                 newest=[TODAY])
    args.update(bad)
    size = len(args["row"])
    args = {key: (value * size if len(value) == 1 else value) for key, value in args.items()}
    with pytest.raises(AnalyticsInputError):
        current_levels_of_sums(**args, shape=(1, 1))


def _records(n: int, rows: int, seed: int):
    rng = np.random.default_rng(seed)
    e = np.sort(rng.integers(0, rows, n))  # by employee, as a reader packs them
    d = rng.integers(0, 18, n)
    x = 1 + rng.integers(0, 17, n) / 4  # 1, 1.25, …, 5
    t = TODAY - rng.integers(-30, 900, n)
    s = rng.choice([1.0, 0.7, 0.4, 0.0], n)
    return e, d, x, t, s


def test_it_gives_the_same_figures_to_the_last_bit_from_blocks_of_whole_employees():
    e, d, x, t, s = _records(5000, 60, 5)
    whole = current_levels_weighted(e, d, x, t, s, shape=(60, 18), as_of=TODAY, half_life_days=200)
    blocks = LevelsInBlocks((60, 18), as_of=TODAY, half_life_days=200)
    cuts = np.searchsorted(e, [0, 7, 8, 30, 59, 60])  # rows 0–6, 7, 8–29, 30–58, 59
    for low, high in zip(cuts[:-1], cuts[1:], strict=True):
        blocks.add(e[low:high], d[low:high], x[low:high], t[low:high], s[low:high])
    blocks.add([], [], [], [], [])
    parts = blocks.result()
    for name in ("level", "confidence", "weight", "effective_records", "spread", "count", "newest"):
        np.testing.assert_array_equal(getattr(parts, name), getattr(whole, name), err_msg=name)


def test_it_refuses_an_employee_whose_records_come_in_two_blocks():
    e, d, x, t, s = _records(100, 5, 6)
    blocks = LevelsInBlocks((5, 18), as_of=TODAY)
    cut = int(np.searchsorted(e, 2)) + 1  # row 2's records cut in two
    blocks.add(e[:cut], d[:cut], x[:cut], t[:cut], s[:cut])
    with pytest.raises(AnalyticsInputError, match="two blocks"):
        blocks.add(e[cut:], d[cut:], x[cut:], t[cut:], s[cut:])
