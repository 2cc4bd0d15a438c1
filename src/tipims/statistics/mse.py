"""Multiple systems estimation: how many victims no institution has found.

From a capture-history table (which lists — institutions — recorded each victim, 2 to 8 lists) a
Poisson log-linear model is fitted to the observed cells; the fitted count of the unobserved cell
(seen by no list) is exp(intercept), and the population estimate is the observed total plus it.

Model choice follows the published methods:
- ``main``: main effects only (independence of the lists);
- ``bhs-aic``: stepwise AIC from main effects, adding one pairwise interaction at a time, stopping when
  none lowers AIC or a parameter of the enlarged model has a Wald p-value of 0.05 or more (Bales,
  Hesketh & Silverman 2015, the UK Home Office estimate);
- ``csv-pvalue``: the same stepwise search with the stricter threshold p < 0.02 that Chan, Silverman &
  Vincent (2021) recommend for sparse tables;
- ``bic``: the lowest BIC over all hierarchical models with pairwise interactions (exhaustive up to
  five lists, stepwise BIC beyond).
Every candidate is checked for existence and identifiability first (Fienberg & Rinaldo 2012): a
model whose maximum likelihood estimate does not exist is never chosen, and a table where no model
gives one is reported plainly.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

METHODS = ("main", "bhs-aic", "csv-pvalue", "bic")
Pair = tuple[int, int]


class EstimationError(ValueError):
    """The table cannot give an estimate; the message says why, for the user."""


@dataclass(frozen=True)
class CaptureTable:
    lists: tuple[str, ...]
    patterns: np.ndarray  # (cells, lists) of 0/1, every observable pattern (not all zeros)
    counts: np.ndarray  # (cells,)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    @classmethod
    def from_counts(cls, lists: Sequence[str], counts: Mapping[str, int]) -> CaptureTable:
        """``counts`` maps patterns like "101" (one digit per list) to counts; missing patterns count 0."""
        k = len(lists)
        if not 2 <= k <= 8:
            raise EstimationError(f"a capture-history table needs 2 to 8 lists, not {k}")
        patterns = [p for p in itertools.product((0, 1), repeat=k) if any(p)]
        values = []
        for pattern in patterns:
            count = counts.get("".join(map(str, pattern)), 0)
            if count < 0 or count != int(count):
                raise EstimationError(
                    f"the count of pattern {''.join(map(str, pattern))} must be a whole number ≥ 0"
                )
            values.append(int(count))
        if sum(values) == 0:
            raise EstimationError("the table is empty: no one was recorded by any list")
        return cls(tuple(lists), np.array(patterns, dtype=float), np.array(values, dtype=float))


@dataclass
class Fit:
    interactions: tuple[Pair, ...]
    params: np.ndarray
    loglik: float
    aic: float
    bic: float
    pvalues: np.ndarray
    unseen: float


@dataclass
class Estimate:
    method: str
    lists: tuple[str, ...]
    observed: int
    total: float
    unseen: float
    model: str
    interactions: tuple[tuple[str, str], ...]
    interval: tuple[float, float] | None = None
    bootstrap_interval: tuple[float, float] | None = None
    confidence: float = 0.95
    warnings: list[str] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": round(self.total, 4),
            "unseen": round(self.unseen, 4),
            "model": self.model,
            "confidence": self.confidence,
            "profile_likelihood_interval": [round(x, 2) for x in self.interval] if self.interval else None,
            "bca_bootstrap_interval": [round(x, 2) for x in self.bootstrap_interval]
            if self.bootstrap_interval
            else None,
            "warnings": self.warnings,
        }


def design(table: CaptureTable, interactions: Sequence[Pair]) -> np.ndarray:
    p = table.patterns
    columns = (
        [np.ones(len(p))]
        + [p[:, i] for i in range(p.shape[1])]
        + [p[:, i] * p[:, j] for i, j in interactions]
    )
    return np.column_stack(columns)


def is_identifiable(x: np.ndarray) -> bool:
    """Every parameter, the intercept included, is determined by the observed cells."""
    return np.linalg.matrix_rank(x) == x.shape[1]


def mle_exists(x: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg & Rinaldo: the MLE exists iff the sufficient statistics X'y lie in the relative
    interior of the marginal cone, i.e. some strictly positive table z has X'z = X'y. Linear program:
    maximise t subject to X'z = X'y, z ≥ t, t ≤ 1; the MLE exists iff the optimum t is positive."""
    cells = len(y)
    c = np.zeros(cells + 1)
    c[-1] = -1.0  # maximise t
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    b_eq = x.T @ y
    a_ub = np.hstack([-np.eye(cells), np.ones((cells, 1))])  # t - z_i ≤ 0
    bounds = [(0, None)] * cells + [(None, 1.0)]
    result = optimize.linprog(
        c, A_ub=a_ub, b_ub=np.zeros(cells), A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
    )
    return bool(result.status == 0 and -result.fun > 1e-9)


def _poisson_fit(
    x: np.ndarray, y: np.ndarray, offset: np.ndarray | None = None
) -> tuple[np.ndarray, float, np.ndarray]:
    """Poisson log-linear fit by Newton's method; returns parameters, log-likelihood and standard errors."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    return np.asarray(result.params), float(result.llf), np.asarray(result.bse)


def fit_model(table: CaptureTable, interactions: Sequence[Pair]) -> Fit | None:
    """The fitted model, or None when its estimate does not exist or is not identifiable."""
    x = design(table, interactions)
    if not is_identifiable(x) or not mle_exists(x, table.counts):
        return None
    params, loglik, se = _poisson_fit(x, table.counts)
    k = x.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = params / se
    pvalues = 2 * stats.norm.sf(np.abs(z))
    unseen = float(math.exp(params[0]))
    return Fit(
        tuple(interactions),
        params,
        loglik,
        2 * k - 2 * loglik,
        k * math.log(len(table.counts)) - 2 * loglik,
        pvalues,
        unseen,
    )


def _pairs(table: CaptureTable) -> list[Pair]:
    return list(itertools.combinations(range(len(table.lists)), 2))


def _stepwise(table: CaptureTable, accept) -> Fit:
    current = fit_model(table, ())
    if current is None:
        raise EstimationError(
            "the estimate does not exist even for the independence model: some pattern of lists leaves no "
            "information about the unseen (check for lists that record no one or record everyone)"
        )
    while True:
        options = []
        for pair in _pairs(table):
            if pair in current.interactions:
                continue
            candidate = fit_model(table, (*current.interactions, pair))
            if candidate is not None:
                options.append(candidate)
        chosen = accept(current, options)
        if chosen is None:
            return current
        current = chosen


def _aic_with_threshold(threshold: float):
    """Add the interaction that lowers AIC most; stop when none does, or when the enlarged model has a
    parameter (other than the intercept) whose Wald p-value is not below ``threshold`` (0.05 for
    Bales, Hesketh & Silverman; 0.02 for Chan, Silverman & Vincent), as SparseMSE's stepwise search does."""

    def accept(current: Fit, options: list[Fit]) -> Fit | None:
        best = min(options, key=lambda f: f.aic, default=None)
        if best is None or best.aic >= current.aic or np.nanmax(best.pvalues[1:]) >= threshold:
            return None
        return best

    return accept


def _bic_search(table: CaptureTable) -> Fit:
    pairs = _pairs(table)
    fits: list[Fit] = []
    if len(table.lists) <= 5:
        for size in range(len(pairs) + 1):
            for subset in itertools.combinations(pairs, size):
                fitted = fit_model(table, subset)
                if fitted is not None:
                    fits.append(fitted)
        if not fits:
            raise EstimationError("no model with pairwise interactions gives an estimate for this table")
        return min(fits, key=lambda f: f.bic)

    def accept(current: Fit, options: list[Fit]) -> Fit | None:
        best = min(options, key=lambda f: f.bic, default=None)
        return best if best is not None and best.bic < current.bic else None

    return _stepwise(table, accept)


def choose_model(table: CaptureTable, method: str, *, pthreshold: float = 0.02) -> Fit:
    if method == "main":
        fitted = fit_model(table, ())
        if fitted is None:
            raise EstimationError(
                "the estimate does not exist for the main-effects model: the lists do not overlap enough"
            )
        return fitted
    if method == "bhs-aic":
        return _stepwise(table, _aic_with_threshold(0.05))
    if method == "csv-pvalue":
        return _stepwise(table, _aic_with_threshold(pthreshold))
    if method == "bic":
        return _bic_search(table)
    raise EstimationError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def profile_interval(
    table: CaptureTable, fitted: Fit, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Profile-likelihood interval for the total: fix the intercept (the log of the unseen count),
    refit the rest, and keep the values whose deviance rises by less than the chi-square quantile."""
    x = design(table, fitted.interactions)
    rest = x[:, 1:]
    limit = stats.chi2.ppf(confidence, 1) / 2
    theta_hat = fitted.params[0]

    def drop(theta: float) -> float:
        offset = np.full(len(table.counts), theta)
        _, loglik, _ = _poisson_fit(rest, table.counts, offset=offset)
        return fitted.loglik - loglik - limit

    def bound(direction: int) -> float | None:
        step = 0.5
        inner = theta_hat
        for _ in range(60):
            outer = inner + direction * step
            if drop(outer) > 0:
                return optimize.brentq(drop, min(inner, outer), max(inner, outer), xtol=1e-8)
            inner, step = outer, step * 1.6
        return None

    lower, upper = bound(-1), bound(+1)
    if lower is None or upper is None:
        return None
    return table.observed + math.exp(lower), table.observed + math.exp(upper)


def _refit_unseen(table: CaptureTable, counts: np.ndarray, interactions: tuple[Pair, ...]) -> float:
    x = design(table, interactions)
    if not mle_exists(x, counts):
        return math.nan
    params, _, _ = _poisson_fit(x, counts)
    return float(counts.sum() + math.exp(params[0]))


def bca_interval(
    table: CaptureTable, fitted: Fit, *, resamples: int = 500, confidence: float = 0.95, seed: int = 2004
) -> tuple[float, float] | None:
    """BCa bootstrap interval: resample the observed people (multinomially over their patterns),
    refit the chosen model, and correct for bias and skewness (acceleration from a jackknife that
    leaves out one person of each pattern in turn)."""
    rng = np.random.default_rng(seed)
    n = table.observed
    probabilities = table.counts / n
    point = table.observed + fitted.unseen
    replicates = np.array(
        [
            _refit_unseen(table, rng.multinomial(n, probabilities).astype(float), fitted.interactions)
            for _ in range(resamples)
        ]
    )
    replicates = replicates[np.isfinite(replicates)]
    if len(replicates) < resamples * 0.8:
        return None
    proportion = np.clip(
        np.mean(replicates < point), 1 / (2 * len(replicates)), 1 - 1 / (2 * len(replicates))
    )
    z0 = stats.norm.ppf(proportion)
    leave_one_out = []
    weights = []
    for cell, count in enumerate(table.counts):
        if count == 0:
            continue
        reduced = table.counts.copy()
        reduced[cell] -= 1
        value = _refit_unseen(table, reduced, fitted.interactions)
        if not math.isfinite(value):
            return None
        leave_one_out.append(value)
        weights.append(count)
    values, weights = np.array(leave_one_out), np.array(weights)
    mean = np.average(values, weights=weights)
    diffs = mean - values
    denominator = 6 * (np.sum(weights * diffs**2) ** 1.5)
    acceleration = np.sum(weights * diffs**3) / denominator if denominator > 0 else 0.0
    alpha = (1 - confidence) / 2
    quantiles = []
    for z_alpha in (stats.norm.ppf(alpha), stats.norm.ppf(1 - alpha)):
        adjusted = stats.norm.cdf(z0 + (z0 + z_alpha) / (1 - acceleration * (z0 + z_alpha)))
        quantiles.append(float(np.quantile(replicates, adjusted)))
    return quantiles[0], quantiles[1]


def describe(table: CaptureTable, interactions: Sequence[Pair]) -> str:
    terms = [*table.lists, *(f"{table.lists[i]}:{table.lists[j]}" for i, j in interactions)]
    return " + ".join(terms)


def estimate(
    table: CaptureTable,
    method: str,
    *,
    confidence: float = 0.95,
    resamples: int = 500,
    pthreshold: float = 0.02,
) -> Estimate:
    fitted = choose_model(table, method, pthreshold=pthreshold)
    result = Estimate(
        method=method,
        lists=table.lists,
        observed=table.observed,
        total=table.observed + fitted.unseen,
        unseen=fitted.unseen,
        model=describe(table, fitted.interactions),
        interactions=tuple((table.lists[i], table.lists[j]) for i, j in fitted.interactions),
        confidence=confidence,
    )
    result.interval = profile_interval(table, fitted, confidence)
    if result.interval is None:
        result.warnings.append(
            "the profile-likelihood interval is unbounded: the data say little about the unseen"
        )
    if resamples:
        result.bootstrap_interval = bca_interval(table, fitted, resamples=resamples, confidence=confidence)
        if result.bootstrap_interval is None:
            result.warnings.append(
                "the bootstrap interval could not be computed: many resamples have no estimate"
            )
    if result.unseen > 10 * table.observed:
        result.warnings.append(
            "the unseen count is more than ten times the observed: treat the estimate with great caution"
        )
    if table.observed < 50:
        result.warnings.append("fewer than 50 people observed: the estimate is very uncertain")
    return result
