"""Exact binomial intervals against published values and against a direct binomial sum."""

from __future__ import annotations

import math

import pytest

from arandu.domain.binomial import beta_quantile, clopper_pearson, regularized_incomplete_beta, rule_of_three


def _percent(value: float) -> float:
    return round(100 * value, 1)


@pytest.mark.parametrize(
    ("errors", "trials", "low", "high"),
    [(5, 43, 3.9, 25.1), (1, 31, 0.1, 16.7), (0, 43, 0.0, 8.2), (43, 43, 91.8, 100.0)],
)
def test_clopper_pearson_matches_the_known_intervals(errors: int, trials: int, low: float, high: float) -> None:
    lower, upper = clopper_pearson(errors, trials)
    assert (_percent(lower), _percent(upper)) == (low, high)


def test_rule_of_three_for_zero_of_43_is_seven_percent() -> None:
    assert _percent(rule_of_three(43)) == 7.0


def test_zero_errors_upper_bound_has_the_closed_form() -> None:
    # With no error, the exact upper bound solves (1 - p)^n = alpha / 2.
    assert clopper_pearson(0, 43)[1] == pytest.approx(1 - 0.025 ** (1 / 43), abs=1e-10)


def _binomial_tail_at_least(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@pytest.mark.parametrize(("k", "n"), [(1, 10), (7, 20), (30, 100), (250, 1000)])
def test_interval_bounds_put_exactly_the_tail_mass_outside(k: int, n: int) -> None:
    lower, upper = clopper_pearson(k, n)
    assert _binomial_tail_at_least(k, n, lower) == pytest.approx(0.025, abs=1e-9)
    assert 1 - _binomial_tail_at_least(k + 1, n, upper) == pytest.approx(0.025, abs=1e-9)


def test_incomplete_beta_is_the_uniform_cdf_for_one_one_and_its_quantile_inverts_it() -> None:
    assert regularized_incomplete_beta(0.3, 1, 1) == pytest.approx(0.3)
    x = beta_quantile(0.9, 3.5, 12.0)
    assert regularized_incomplete_beta(x, 3.5, 12.0) == pytest.approx(0.9, abs=1e-12)


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (0, 0)])
def test_impossible_counts_are_refused(k: int, n: int) -> None:
    with pytest.raises(ValueError):
        clopper_pearson(k, n)
