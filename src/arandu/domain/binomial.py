"""Exact binomial confidence intervals (Clopper-Pearson) and the rule of three, stdlib only."""

from __future__ import annotations

import math

_TINY = 1e-300
_EPSILON = 1e-15
_MAX_TERMS = 1000
_BISECTIONS = 200


def regularized_incomplete_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b): the beta distribution's CDF at `x`, for a, b > 0."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The continued fraction converges fast only left of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(x, a, b) / a
    return 1.0 - front * _continued_fraction(1.0 - x, b, a) / b


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The incomplete beta's continued fraction, evaluated with the modified Lentz method."""
    c = 1.0
    d = _nonzero(1.0 - (a + b) * x / (a + 1.0))
    d = 1.0 / d
    fraction = d
    for m in range(1, _MAX_TERMS):
        even = m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m))
        d = 1.0 / _nonzero(1.0 + even * d)
        c = _nonzero(1.0 + even / c)
        fraction *= d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))
        d = 1.0 / _nonzero(1.0 + odd * d)
        c = _nonzero(1.0 + odd / c)
        step = d * c
        fraction *= step
        if abs(step - 1.0) < _EPSILON:
            break
    return fraction


def _nonzero(value: float) -> float:
    return value if abs(value) >= _TINY else _TINY


def beta_quantile(probability: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = probability, by bisection (the CDF is monotone on [0, 1])."""
    low, high = 0.0, 1.0
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2.0
        if regularized_incomplete_beta(middle, a, b) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-14:
            break
    return (low + high) / 2.0


def clopper_pearson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact two-sided interval for a binomial proportion: `successes` out of `trials`.

    Never narrower than the nominal coverage: each tail holds at most (1 - confidence) / 2.
    """
    if trials <= 0:
        raise ValueError("an interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials is impossible")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    tail = (1.0 - confidence) / 2.0
    lower = 0.0 if successes == 0 else beta_quantile(tail, successes, trials - successes + 1)
    upper = 1.0 if successes == trials else beta_quantile(1.0 - tail, successes + 1, trials - successes)
    return lower, upper


def rule_of_three(trials: int) -> float:
    """The approximate 95% upper bound 3/n on a rate when none of `trials` showed it."""
    if trials <= 0:
        raise ValueError("the rule of three needs at least one trial")
    return min(1.0, 3.0 / trials)
