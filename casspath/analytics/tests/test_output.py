"""Period output and per-head figures against plain-Python loops and scipy.stats."""

import statistics

import numpy as np
import pytest
from scipy import stats

from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.output import monthly_trend, output_per_head, per_head, period_output


def loop_period_output(monthly, employed):
    result = []
    for row, mask in zip(monthly.tolist(), employed.tolist(), strict=True):
        months = [0.0 if np.isnan(v) else v for v, e in zip(row, mask, strict=True) if e]
        result.append(sum(months) / len(months) if months else float("nan"))
    return np.array(result)


@pytest.fixture
def world():
    rng = np.random.default_rng(7)
    monthly = np.round(rng.lognormal(6, 1.5, (60, 5)), 2)
    monthly[rng.random((60, 5)) < 0.3] = np.nan  # employed months without any record
    employed = rng.random((60, 5)) < 0.85
    employed[0] = False  # never employed in the period
    return monthly, employed


def test_it_averages_over_employed_months_with_unrecorded_ones_as_zero(world):
    monthly, employed = world
    np.testing.assert_allclose(period_output(monthly, employed), loop_period_output(monthly, employed),
                               rtol=1e-12, equal_nan=True)


def test_it_ignores_values_in_months_not_employed():
    monthly = np.array([[100.0, 999.0, 50.0]])
    employed = np.array([[True, False, True]])
    assert period_output(monthly, employed)[0] == pytest.approx(75.0, abs=1e-12)


def test_it_counts_a_month_employed_without_records_as_zero():
    assert period_output(np.array([[300.0, np.nan]]), np.array([[True, True]]))[0] == pytest.approx(150.0)


def test_it_gives_nan_for_a_manager_never_employed(world):
    monthly, employed = world
    assert np.isnan(period_output(monthly, employed)[0])


def test_it_computes_per_head_like_scipy_and_statistics(world):
    monthly, employed = world
    period = period_output(monthly, employed)
    present = period[~np.isnan(period)]
    result = per_head(period, trim=0.1)
    assert result.headcount == present.size == 59
    assert result.mean == pytest.approx(statistics.fmean(present.tolist()), rel=1e-12)
    assert result.median == pytest.approx(statistics.median(present.tolist()), rel=1e-12)
    assert result.trimmed_mean == pytest.approx(stats.trim_mean(present, 0.1), rel=1e-12)


@pytest.mark.parametrize("trim", [0.0, 0.05, 0.2, 0.25, 0.49])
def test_it_trims_like_scipy_at_any_share(trim):
    values = np.random.default_rng(3).exponential(1000, 37)
    assert per_head(values, trim).trimmed_mean == pytest.approx(stats.trim_mean(values, trim), rel=1e-12)


def test_it_refuses_a_trim_of_half_or_more():
    with pytest.raises(AnalyticsInputError, match="trim"):
        per_head(np.ones(4), trim=0.5)


def test_it_gives_nan_per_head_for_nobody():
    result = per_head(np.array([np.nan, np.nan]))
    assert result.headcount == 0
    assert np.isnan(result.mean) and np.isnan(result.median) and np.isnan(result.trimmed_mean)


def test_it_gives_one_persons_output_as_every_figure():
    result = per_head(np.array([1234.5]))
    assert (result.headcount, result.mean, result.median, result.trimmed_mean) == (1, 1234.5, 1234.5, 1234.5)


def test_it_separates_big_deals():
    total = np.array([[100.0, 60_000.0], [200.0, 0.0]])
    big = np.array([[0.0, 60_000.0], [0.0, 0.0]])
    employed = np.ones((2, 2), dtype=bool)
    result = output_per_head(total, big, employed)
    assert result.headcount == 2
    assert result.all.mean == pytest.approx((30_050.0 + 100.0) / 2)
    assert result.excluding_big_deals.mean == pytest.approx((50.0 + 100.0) / 2)


def test_it_trends_per_head_over_those_employed_each_month(world):
    monthly, employed = world
    trend = monthly_trend(monthly, employed)
    for m in range(monthly.shape[1]):
        values = [0.0 if np.isnan(v) else v for v, e in zip(monthly[:, m], employed[:, m], strict=True) if e]
        assert trend.headcount[m] == len(values)
        assert trend.per_head[m] == pytest.approx(statistics.fmean(values), rel=1e-12)


def test_it_gives_nan_for_a_month_nobody_was_employed():
    trend = monthly_trend(np.array([[5.0, 1.0]]), np.array([[True, False]]))
    assert trend.headcount.tolist() == [1, 0]
    assert trend.per_head[0] == 5.0 and np.isnan(trend.per_head[1])


@pytest.mark.parametrize(("monthly", "employed"), [
    (np.ones((2, 3)), np.ones((2, 2), dtype=bool)),
    (np.ones(3), np.ones(3, dtype=bool)),
    (np.array([[np.inf]]), np.array([[True]])),
])
def test_it_refuses_arrays_it_cannot_read(monthly, employed):
    with pytest.raises(AnalyticsInputError):
        period_output(monthly, employed)
