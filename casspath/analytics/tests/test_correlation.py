"""Correlations, intervals, q-values and the regression against scipy.stats, statsmodels
and hand formulas (the code under test computes them with numpy)."""

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from casspath.analytics.correlation import (
    average_ranks,
    benjamini_hochberg,
    fisher_ci,
    output_regression,
    skill_correlations,
)
from casspath.analytics.errors import AnalyticsInputError

CODES = ["D01", "D02", "D03", "D04"]


@pytest.fixture
def world():
    """Levels 1–5 with ties and gaps, output with zeros, tenure, 120 managers."""
    rng = np.random.default_rng(5)
    n = 120
    skill = rng.normal(size=(n, 4))
    tenure = rng.uniform(0, 12, n)
    output = np.maximum(0.0, np.round(800 + 300 * skill[:, 0] + 150 * skill[:, 2] + 40 * tenure
                                      + rng.normal(0, 400, n), 0))
    levels = np.clip(np.round(3 + skill + 0.1 * tenure[:, None] * rng.random((n, 4))), 1, 5)
    levels[rng.random((n, 4)) < 0.15] = np.nan
    return levels, output, tenure


def test_it_ranks_ties_like_scipy():
    values = np.array([3.0, 1.0, 3.0, 2.0, 3.0, 1.0])
    np.testing.assert_array_equal(average_ranks(values), stats.rankdata(values))


def test_it_matches_scipy_spearman_and_pearson_per_dimension(world):
    levels, output, _ = world
    for row, d in zip(skill_correlations(levels, output, CODES), range(4), strict=True):
        pairs = ~np.isnan(levels[:, d])
        reference = stats.spearmanr(levels[pairs, d], output[pairs])
        assert row.dimension == CODES[d] and row.n == pairs.sum()
        assert row.rho == pytest.approx(reference.statistic, abs=1e-12)
        assert row.p == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-300)
        reference_r = stats.pearsonr(levels[pairs, d], output[pairs]).statistic
        assert row.pearson_r == pytest.approx(reference_r, abs=1e-12)


def test_it_gives_the_bonett_wright_interval(world):
    levels, output, _ = world
    for row in skill_correlations(levels, output, CODES):
        half = 1.959963984540054 * math.sqrt(1.06 / (row.n - 3))
        assert row.ci_low == pytest.approx(math.tanh(math.atanh(row.rho) - half), abs=1e-12)
        assert row.ci_high == pytest.approx(math.tanh(math.atanh(row.rho) + half), abs=1e-12)
        assert row.ci_low < row.rho < row.ci_high


def test_it_computes_q_like_statsmodels(world):
    levels, output, _ = world
    rows = skill_correlations(levels, output, CODES)
    expected = multipletests([row.p for row in rows], method="fdr_bh")[1]
    assert [row.q for row in rows] == pytest.approx(expected.tolist(), rel=1e-12)


def test_it_leaves_nan_p_values_out_of_the_q_count():
    p = np.array([0.01, np.nan, 0.04, 0.03])
    q = benjamini_hochberg(p)
    assert np.isnan(q[1])
    expected = multipletests([0.01, 0.04, 0.03], method="fdr_bh")[1]
    np.testing.assert_allclose(q[[0, 2, 3]], expected, rtol=1e-12)
    assert np.isnan(benjamini_hochberg([np.nan])).all()


def test_it_controls_tenure_like_correlating_rank_residuals(world):
    levels, output, tenure = world
    for row, d in zip(skill_correlations(levels, output, CODES, tenure=tenure), range(4), strict=True):
        pairs = ~np.isnan(levels[:, d])
        rx, ry, rz = (stats.rankdata(v[pairs]) for v in (levels[:, d], output, tenure))
        design = sm.add_constant(rz)
        ex = sm.OLS(rx, design).fit().resid
        ey = sm.OLS(ry, design).fit().resid
        r = stats.pearsonr(ex, ey).statistic
        t = r * math.sqrt((row.partial_n - 3) / (1 - r * r))
        assert row.partial_n == pairs.sum()
        assert row.partial_rho == pytest.approx(r, abs=1e-10)
        assert row.partial_p == pytest.approx(2 * stats.t.sf(abs(t), row.partial_n - 3), rel=1e-8)


def test_it_gives_nan_partials_without_tenure(world):
    levels, output, _ = world
    row = skill_correlations(levels, output, CODES)[0]
    assert row.partial_n == 0 and np.isnan(row.partial_rho) and np.isnan(row.partial_p)


def test_it_gives_nan_for_a_constant_dimension_and_one_nobody_was_rated_on(world):
    levels, output, _ = world
    levels = levels.copy()
    levels[:, 1] = 3.0
    levels[:, 2] = np.nan
    rows = skill_correlations(levels, output, CODES)
    for row in rows[1:3]:
        assert np.isnan([row.rho, row.ci_low, row.ci_high, row.p, row.q, row.pearson_r]).all()
    assert rows[2].n == 0
    # q counts the dimensions that have a p: two here.
    assert [rows[0].q, rows[3].q] == pytest.approx(multipletests([rows[0].p, rows[3].p], method="fdr_bh")[1])


def test_it_gives_nan_when_output_is_constant():
    rows = skill_correlations(np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]), np.zeros(5), ["D01"])
    assert np.isnan(rows[0].rho) and np.isnan(rows[0].p)


@pytest.mark.parametrize(("n", "has_p", "has_ci"), [(1, False, False), (2, False, False),
                                                   (3, True, False), (4, True, True)])
def test_it_needs_three_pairs_for_p_and_four_for_an_interval(n, has_p, has_ci):
    levels = np.arange(1.0, n + 1)[:, None]
    output = np.array([10.0, 30.0, 20.0, 40.0][:n])
    row = skill_correlations(levels, output, ["D01"])[0]
    assert row.n == n
    assert np.isnan(row.p) != has_p
    assert np.isnan(row.ci_low) != has_ci and np.isnan(row.ci_high) != has_ci
    if n >= 3:
        assert row.p == pytest.approx(stats.spearmanr(levels[:, 0], output).pvalue, rel=1e-9)


def test_it_gives_a_perfect_correlation_a_point_interval():
    levels = np.arange(1.0, 11.0)[:, None]
    row = skill_correlations(levels, levels[:, 0] * 100, ["D01"])[0]
    assert (row.rho, row.p, row.ci_low, row.ci_high) == (1.0, 0.0, 1.0, 1.0)


def test_it_widens_the_interval_for_other_confidence_levels():
    assert fisher_ci(0.3, 50, 0.99)[0] < fisher_ci(0.3, 50, 0.95)[0]
    half = stats.norm.ppf(0.995) * math.sqrt(1.06 / 47)
    assert fisher_ci(0.3, 50, 0.99) == pytest.approx((math.tanh(math.atanh(0.3) - half),
                                                       math.tanh(math.atanh(0.3) + half)))


def test_it_refuses_levels_and_codes_that_disagree(world):
    levels, output, _ = world
    with pytest.raises(AnalyticsInputError):
        skill_correlations(levels, output, CODES[:3])
    with pytest.raises(AnalyticsInputError):
        skill_correlations(levels, output[:-1], CODES)
    with pytest.raises(AnalyticsInputError):
        skill_correlations(levels, output, CODES, tenure=np.ones(3))


def hand_hc3(x, y):
    """OLS and the HC3 sandwich written out: (X'X)⁻¹ X' diag(e² / (1 − h)²) X (X'X)⁻¹."""
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    e = y - x @ beta
    h = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
    meat = (x * (e * e / (1 - h) ** 2)[:, None]).T @ x
    return beta, np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv))


def test_it_fits_log_output_with_hc3_errors_like_the_sandwich_by_hand(world):
    levels, output, tenure = world
    result = output_regression(levels, output, CODES, tenure=tenure)
    rows = ~np.isnan(levels).any(axis=1)
    x = np.column_stack([np.ones(rows.sum()), levels[rows], tenure[rows]])
    beta, se = hand_hc3(x, np.log1p(output[rows]))
    assert result.n == rows.sum() and result.cov_type == "HC3" and result.dropped == []
    assert [t.name for t in result.terms] == ["const", *CODES, "tenure"]
    np.testing.assert_allclose([t.coef for t in result.terms], beta, rtol=1e-9)
    np.testing.assert_allclose([t.se for t in result.terms], se, rtol=1e-9)
    for term in result.terms:
        assert term.p == pytest.approx(2 * stats.norm.sf(abs(term.coef / term.se)), rel=1e-9)
        assert term.ci_low == pytest.approx(term.coef - 1.959963984540054 * term.se, rel=1e-9)


def test_it_drops_unrated_and_constant_dimensions_from_the_regression(world):
    levels, output, _ = world
    levels = levels.copy()
    levels[:, 1] = np.nan
    levels[:, 3] = 2.0
    result = output_regression(levels, output, CODES)
    assert result.dropped == [("D02", "unrated"), ("D04", "constant")]
    assert [t.name for t in result.terms] == ["const", "D01", "D03"]


def test_it_gives_nan_figures_when_too_few_are_rated_on_everything():
    levels = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, np.nan]])
    result = output_regression(levels, np.array([1.0, 2.0, 3.0]), ["D01", "D02"])
    assert result.n == 2 and np.isnan(result.r_squared)
    assert all(np.isnan(t.coef) and np.isnan(t.se) for t in result.terms)


def test_it_regresses_negative_output_as_zero():
    levels = np.arange(1.0, 9.0)[:, None]
    output = np.array([-50.0, 0, 10, 20, 40, 80, 160, 320])
    result = output_regression(levels, output, ["D01"])
    beta, _ = hand_hc3(np.column_stack([np.ones(8), levels]), np.log1p(np.maximum(output, 0)))
    assert result.terms[1].coef == pytest.approx(beta[1], rel=1e-10)
