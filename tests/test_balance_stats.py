"""Confidence intervals and histogram percentiles of the balance lab, against known values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.balance.stats import histogram_percentiles, mean_interval, pooled_rate, wilson


@pytest.mark.parametrize(
    ("successes", "trials", "lo", "hi"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Symmetric and extreme cases worked by hand.
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_matches_published_intervals(successes, trials, lo, hi):
    got = wilson(successes, trials)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_wilson_without_trials_knows_nothing():
    assert wilson(0, 0) == (0.0, 1.0)


@given(st.integers(1, 10_000), st.data())
def test_wilson_contains_the_estimate_and_stays_in_unit_range(trials, data):
    successes = data.draw(st.integers(0, trials))
    lo, hi = wilson(successes, trials)
    assert 0.0 <= lo <= successes / trials <= hi <= 1.0


def test_more_games_give_a_narrower_interval():
    narrow, wide = wilson(300, 1000), wilson(30, 100)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]


def test_mean_interval_is_normal_approximation():
    lo, hi = mean_interval(10.0, 2.0, 100)
    assert (lo, hi) == pytest.approx((10 - 1.96 * 0.2, 10 + 1.96 * 0.2), abs=1e-3)


def test_pooled_rate_with_equal_games_is_wilson_on_all_games():
    rate, lo, hi = pooled_rate([0.2, 0.4], [100, 100])
    assert rate == pytest.approx(0.3)
    assert (lo, hi) == pytest.approx(wilson(60, 200))


def test_pooled_rate_weights_profiles_equally_and_widens_for_small_ones():
    rate, lo, hi = pooled_rate([0.2, 0.4], [1000, 10])
    assert rate == pytest.approx(0.3)
    assert hi - lo > wilson(0.3 * 1010, 1010)[1] - wilson(0.3 * 1010, 1010)[0]


def test_percentiles_from_a_histogram():
    edges = np.linspace(0.0, 100.0, 201)
    values = np.arange(0.25, 100, 0.5)  # one value in the middle of every bin
    counts = np.histogram(values, edges)[0]
    got = histogram_percentiles(counts, edges, [5, 50, 95])
    assert got == pytest.approx([5.0, 50.0, 95.0], abs=0.5)


def test_percentiles_of_an_empty_histogram_are_nan():
    edges = np.linspace(0.0, 100.0, 201)
    got = histogram_percentiles(np.zeros((2, 200)), edges, [50])
    assert np.isnan(got).all()
