"""The skill ↔ performance link (the article's "black box" of correlation coefficients).

Inputs over N managers and D dimensions:
- `levels`: float (N, D), each manager's current level per dimension (the evidence rule's
  result, 1–5 or 0–100), NaN where he was not rated on it;
- `output`: float (N,), his period output (excluding big deals, CONTRACTS.md); NaN for one
  not counted;
- `codes`: the D dimension codes, in the columns' order;
- `tenure`: float (N,) years of tenure, NaN unknown (optional).
Each dimension uses the managers with both a level and an output (n_d of them): a
dimension nobody was rated on has n_d = 0 and NaN figures.

Formulas (n pairs, ranks averaged over ties):
- Spearman's rho = Pearson's r of the ranks; Pearson's r = Σ(a − ā)(b − b̄) / √(Σ(a − ā)² Σ(b − b̄)²),
  NaN when either side is constant or n < 2.
- p of rho (two-sided, scipy.stats.spearmanr's test): t = rho √((n − 2) / (1 − rho²)) on
  n − 2 degrees of freedom; NaN for n < 3; 0 when |rho| = 1.
- 95 % CI of rho: tanh(atanh(rho) ± z_{0.975} · √(1.06 / (n − 3))) (Fisher z with the
  Bonett–Wright standard error); NaN for n < 4.
- q: Benjamini–Hochberg over the dimensions with a p: q_(i) = min_{j ≥ i} m p_(j) / j,
  capped at 1, for the m p-values sorted ascending.
- partial rho controlling tenure (rank-based, on the managers with level, output and tenure):
  (r_xy − r_xz r_yz) / √((1 − r_xz²)(1 − r_yz²)) with Spearman's r of level x, output y and
  tenure z; its p by t = r √((n − 3) / (1 − r²)) on n − 3 degrees of freedom (NaN for n < 4).
- regression (`output_regression`): OLS of log(1 + max(y, 0)) on an intercept, the
  dimensions and tenure, over the managers rated on every dimension kept, with HC3
  heteroscedasticity-robust standard errors (MacKinnon–White: residuals scaled by
  1 / (1 − h_ii)²) and normal-based p-values and CIs. A dimension nobody in the sample was
  rated on, or one constant over it, is dropped (listed with the reason) rather than fitted.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError

BONETT_WRIGHT = 1.06


def average_ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1…n, tied values sharing the mean of the ranks they span."""
    return _ranks_in_order(values, np.argsort(values, kind="stable"))


def _ranks_in_order(values: NDArray[np.float64], order: NDArray[np.intp]) -> NDArray[np.float64]:
    """Average ranks of `values` given `order`, the indices that sort them (O(n) past the sort)."""
    n = values.size
    ordered = values[order]
    starts_group = np.empty(n, dtype=np.bool_)
    starts_group[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    starts = np.flatnonzero(starts_group)
    ends = np.append(starts[1:], n)
    mean_rank = (starts + ends + 1) / 2.0  # mean of the 1-based ranks starts+1 … ends
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = mean_rank[np.cumsum(starts_group) - 1]
    return ranks


class _Sorted:
    """One column sorted once, so that the ranks within any subset of its rows cost O(n):
    each dimension pairs output with a different set of rated managers."""

    def __init__(self, values: NDArray[np.float64]):
        self.values = values
        self.order = np.argsort(values, kind="stable")  # NaN sort last; subsets exclude them

    def ranks(self, subset: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Average ranks within values[subset], in the order of np.flatnonzero(subset)."""
        order = self.order[subset[self.order]]  # the subset's rows, ascending by value
        position = np.cumsum(subset) - 1  # row -> its index among the subset's rows
        return _ranks_in_order(self.values[np.flatnonzero(subset)], position[order])


def pearson(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Pearson's r; NaN for fewer than 2 pairs or a constant side."""
    # Constancy tested on the values: a - mean of a constant side leaves floating dust, not 0.
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return np.nan
    da = a - a.mean()
    db = b - b.mean()
    # Sums of products rather than np.dot: BLAS threads only contend on a shared machine.
    r = (da * db).sum() / np.sqrt((da * da).sum() * (db * db).sum())
    return float(np.clip(r, -1.0, 1.0))


def correlation_p(r: float, n: int, controls: int = 0) -> float:
    """Two-sided p of r by t = r √(df / (1 − r²)), df = n − 2 − controls."""
    df = n - 2 - controls
    if df < 1 or np.isnan(r):
        return np.nan
    if abs(r) >= 1.0:
        return 0.0
    from scipy import stats  # here, not at the top: it costs ~2 s of every process's start

    t = r * np.sqrt(df / (1.0 - r * r))
    return float(2.0 * stats.t.sf(abs(t), df))


def fisher_ci(r: float, n: int, confidence: float = 0.95, controls: int = 0) -> tuple[float, float]:
    """tanh(atanh(r) ± z · √(1.06 / (n − 3 − controls))); NaN for n − 3 − controls < 1."""
    df = n - 3 - controls
    if df < 1 or np.isnan(r):
        return np.nan, np.nan
    from scipy import stats  # as in correlation_p

    z = stats.norm.ppf(0.5 + confidence / 2.0)
    half = z * np.sqrt(BONETT_WRIGHT / df)
    with np.errstate(divide="ignore", invalid="ignore"):  # |r| = 1: the interval is the point
        centre = np.arctanh(np.clip(r, -1.0, 1.0))
        return float(np.tanh(centre - half)), float(np.tanh(centre + half))


def benjamini_hochberg(p: ArrayLike) -> NDArray[np.float64]:
    """q per p (NaN stays NaN and does not count in m)."""
    values = np.asarray(p, dtype=np.float64)
    q = np.full(values.shape, np.nan)
    present = np.flatnonzero(~np.isnan(values))
    m = present.size
    if m == 0:
        return q
    order = present[np.argsort(values[present], kind="stable")]
    scaled = values[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return q


@dataclass(frozen=True)
class Correlation:
    """One dimension's link with output (partial_* NaN when no tenure was given)."""

    dimension: str
    n: int
    rho: float
    ci_low: float
    ci_high: float
    p: float
    q: float
    pearson_r: float
    partial_n: int
    partial_rho: float
    partial_p: float


Floats = NDArray[np.float64]


def _inputs(levels: ArrayLike, output: ArrayLike, codes: Sequence[str],
            tenure: ArrayLike | None) -> tuple[Floats, Floats, Floats | None]:
    x = np.asarray(levels, dtype=np.float64)
    y = np.asarray(output, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.size:
        raise AnalyticsInputError(
            f"levels {x.shape} must be managers x dimensions and output {y.shape} one per manager")
    if x.shape[1] != len(codes):
        raise AnalyticsInputError(f"{x.shape[1]} dimension columns for {len(codes)} codes")
    if np.isinf(x).any() or np.isinf(y).any():
        raise AnalyticsInputError("levels or output hold an infinite value")
    z = None
    if tenure is not None:
        z = np.asarray(tenure, dtype=np.float64)
        if z.shape != y.shape:
            raise AnalyticsInputError(f"tenure {z.shape} must be one value per manager {y.shape}")
    return x, y, z


def skill_correlations(levels: ArrayLike, output: ArrayLike, codes: Sequence[str],
                       tenure: ArrayLike | None = None, confidence: float = 0.95) -> list[Correlation]:
    """One Correlation per dimension, in the order of `codes`, with q over all of them."""
    x, y, z = _inputs(levels, output, codes, tenure)
    has_output = ~np.isnan(y)
    sorted_output = _Sorted(y)
    sorted_tenure = None if z is None else _Sorted(z)
    rows = []
    for d, code in enumerate(codes):
        pairs = has_output & ~np.isnan(x[:, d])
        n = int(pairs.sum())
        sorted_level = _Sorted(x[:, d])
        rho = pearson(sorted_level.ranks(pairs), sorted_output.ranks(pairs))
        low, high = fisher_ci(rho, n, confidence)
        partial_n, partial_rho = 0, np.nan
        if sorted_tenure is not None:
            full = pairs & ~np.isnan(sorted_tenure.values)
            partial_n = int(full.sum())
            rx, ry, rz = (column.ranks(full) for column in (sorted_level, sorted_output, sorted_tenure))
            partial_rho = _partial(pearson(rx, ry), pearson(rx, rz), pearson(ry, rz))
        rows.append((code, n, rho, low, high, correlation_p(rho, n), pearson(x[pairs, d], y[pairs]),
                     partial_n, partial_rho, correlation_p(partial_rho, partial_n, controls=1)))
    q = benjamini_hochberg([row[5] for row in rows])
    return [Correlation(dimension=code, n=n, rho=rho, ci_low=low, ci_high=high, p=p, q=float(qv),
                        pearson_r=r, partial_n=pn, partial_rho=pr, partial_p=pp)
            for (code, n, rho, low, high, p, r, pn, pr, pp), qv in zip(rows, q, strict=True)]


def _partial(r_xy: float, r_xz: float, r_yz: float) -> float:
    """(r_xy − r_xz r_yz) / √((1 − r_xz²)(1 − r_yz²)); NaN when a control explains a side fully."""
    denominator = (1.0 - r_xz * r_xz) * (1.0 - r_yz * r_yz)
    if np.isnan(denominator) or denominator <= 0:
        return np.nan
    return float(np.clip((r_xy - r_xz * r_yz) / np.sqrt(denominator), -1.0, 1.0))


@dataclass(frozen=True)
class Term:
    """One regressor: coefficient on log(1 + output), its HC3 standard error, p and CI."""

    name: str
    coef: float
    se: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Regression:
    n: int
    r_squared: float
    terms: list[Term]  # "const", the dimensions kept, then "tenure" if given
    dropped: list[tuple[str, str]]  # (dimension code, "unrated" | "constant")
    cov_type: str = "HC3"


def output_regression(levels: ArrayLike, output: ArrayLike, codes: Sequence[str],
                      tenure: ArrayLike | None = None, confidence: float = 0.95) -> Regression:
    """OLS of log(1 + max(output, 0)) on the dimensions (+ tenure) with HC3 errors. Too few
    complete rows for the parameters (n ≤ k), or the same output for all, gives every
    figure NaN, not an error."""
    # statsmodels is slow to import, and its `api` seconds slower (time series and all): only
    # this function needs it, and only OLS.
    from statsmodels.regression.linear_model import OLS

    x, y, z = _inputs(levels, output, codes, tenure)
    rows = ~np.isnan(y) if z is None else ~np.isnan(y) & ~np.isnan(z)
    dropped = [(code, "unrated") for d, code in enumerate(codes) if np.isnan(x[rows, d]).all()]
    kept = [d for d, code in enumerate(codes) if (code, "unrated") not in dropped]
    rows &= ~np.isnan(x[:, kept]).any(axis=1)
    for d in list(kept):
        column = x[rows, d]
        if column.size and np.ptp(column) == 0:
            dropped.append((codes[d], "constant"))
            kept.remove(d)
    columns = [x[rows][:, kept]] + ([] if z is None else [z[rows, None]])
    design = np.column_stack([np.ones(int(rows.sum()))] + columns)
    names = ["const"] + [codes[d] for d in kept] + ([] if z is None else ["tenure"])
    n, k = design.shape
    response = np.log1p(np.maximum(y[rows], 0.0))
    if n <= k or np.ptp(response) == 0:  # too few rows, or an output with nothing to explain
        nan_terms = [Term(name, np.nan, np.nan, np.nan, np.nan, np.nan) for name in names]
        return Regression(n, np.nan, nan_terms, dropped)
    fit = OLS(response, design).fit(cov_type="HC3")
    ci = fit.conf_int(alpha=1.0 - confidence)
    terms = [Term(name, float(fit.params[i]), float(fit.bse[i]), float(fit.pvalues[i]),
                  float(ci[i, 0]), float(ci[i, 1])) for i, name in enumerate(names)]
    return Regression(n, float(fit.rsquared), terms, dropped)
