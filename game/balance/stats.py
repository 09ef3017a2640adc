"""Confidence intervals and percentiles: every rate the balance lab reports carries one.

Rates use the Wilson score interval, which stays inside [0, 1] and behaves at 0 and 1 (where the
textbook normal interval collapses to a point). Means use the normal approximation, which is
sound for the hundreds of games a profile plays. Results pooled over profiles weight every
profile equally, so a profile with fewer games (lookahead) neither dominates nor vanishes; their
intervals use the effective sample size of that stratified mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Z95 = 1.959963984540054
"""The two-sided 95% quantile of the standard normal distribution."""


def wilson(successes: float, trials: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion; (0, 1) when there are no trials.

    `successes` may be fractional (an estimate times an effective sample size).
    """
    if trials <= 0:
        return 0.0, 1.0
    p = min(max(successes / trials, 0.0), 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    lo = 0.0 if p == 0.0 else max(0.0, centre - half)
    hi = 1.0 if p == 1.0 else min(1.0, centre + half)
    return lo, hi


def mean_interval(mean: float, std: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Mean ± z standard errors; the interval is the point itself for fewer than two samples."""
    if n < 2:
        return mean, mean
    half = z * std / math.sqrt(n)
    return mean - half, mean + half


def moments(total: float, squares: float, n: int) -> tuple[float, float]:
    """(mean, sample standard deviation) from a sum and a sum of squares."""
    if n == 0:
        return math.nan, math.nan
    mean = total / n
    if n < 2:
        return mean, 0.0
    variance = max(squares - n * mean * mean, 0.0) / (n - 1)
    return mean, math.sqrt(variance)


def pooled_rate(shares: Sequence[float], counts: Sequence[int]) -> tuple[float, float, float]:
    """(rate, lo, hi): the equally weighted mean of per-profile rates with a Wilson interval.

    The interval uses the effective sample size 1 / sum(w_k^2 / n_k) of a stratified mean with
    weights w_k = 1/K, which is the total number of games when every profile played as many.
    """
    shares_a = np.asarray(shares, dtype=float)
    counts_a = np.asarray(counts, dtype=float)
    k = len(shares_a)
    if k == 0:
        return math.nan, 0.0, 1.0
    rate = float(shares_a.mean())
    effective = 1.0 / float(np.sum((1.0 / k) ** 2 / counts_a))
    lo, hi = wilson(rate * effective, effective)
    return rate, lo, hi


def pooled_mean(
    means: Sequence[float], stds: Sequence[float], counts: Sequence[int]
) -> tuple[float, float, float]:
    """(mean, lo, hi): the equally weighted mean of per-profile means, normal interval."""
    means_a = np.asarray(means, dtype=float)
    k = len(means_a)
    if k == 0:
        return math.nan, math.nan, math.nan
    mean = float(means_a.mean())
    variance = float(np.sum(np.asarray(stds, float) ** 2 / np.asarray(counts, float))) / k**2
    half = Z95 * math.sqrt(variance)
    return mean, mean - half, mean + half


def histogram_percentiles(counts: np.ndarray, edges: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles (0-100) of values binned into `counts` over bins [edges[i], edges[i+1]).

    Values are spread evenly inside a bin (linear interpolation), so the error is at most one
    bin width. `counts` may have leading axes; NaN where a histogram is empty.
    """
    counts = np.asarray(counts, dtype=np.float64)
    cumulative = np.cumsum(counts, axis=-1)
    total = cumulative[..., -1:]
    result = np.full((*counts.shape[:-1], len(qs)), np.nan)
    flat_cum = cumulative.reshape(-1, counts.shape[-1])
    flat_counts = counts.reshape(-1, counts.shape[-1])
    flat_total = total.reshape(-1)
    flat_result = result.reshape(-1, len(qs))
    for row in range(flat_cum.shape[0]):
        if flat_total[row] <= 0:
            continue
        for col, q in enumerate(qs):
            target = q / 100.0 * flat_total[row]
            b = int(np.searchsorted(flat_cum[row], target, side="left"))
            b = min(b, counts.shape[-1] - 1)
            before = flat_cum[row, b] - flat_counts[row, b]
            inside = flat_counts[row, b]
            frac = 0.0 if inside <= 0 else (target - before) / inside
            flat_result[row, col] = edges[b] + frac * (edges[b + 1] - edges[b])
    return result


def sampled_mean(
    values: Sequence[float], variances: Sequence[float], fraction: float
) -> tuple[float, float]:
    """(mean, variance of that mean) of n units' means, the units a `fraction` of all there are
    and each mean itself an estimate with the given variance (its squared standard error).

    The two-stage estimate: v = (1 - f) s_b^2 / n + f mean(se^2) / n, with s_b^2 the sample
    variance of the units' means. With every unit (f = 1) only the games' own noise is left; with
    a small share of the units, the spread between them dominates. It is never taken below the
    games' own noise, which a small sample can understate, nor with one unit above it.
    """
    values_a = np.asarray(values, dtype=float)
    n = len(values_a)
    if n == 0:
        return math.nan, math.nan
    mean = float(values_a.mean())
    within = float(np.mean(np.asarray(variances, dtype=float))) / n
    if n < 2:
        return mean, within
    between = float(values_a.var(ddof=1)) / n
    return mean, max((1.0 - fraction) * between + fraction * within, within)


def sampled_rate(
    shares: Sequence[float], counts: Sequence[int], fraction: float
) -> tuple[float, float, float]:
    """(rate, lo, hi): the mean of n units' rates (a `fraction` of all units), with a Wilson
    interval whose sample size is the effective one of the two-stage estimate (sampled_mean):
    never more than the games behind it, as pooled_rate counts them."""
    shares_a = np.asarray(shares, dtype=float)
    counts_a = np.asarray(counts, dtype=float)
    if len(shares_a) == 0:
        return math.nan, 0.0, 1.0
    rate, variance = sampled_mean(shares_a, shares_a * (1 - shares_a) / counts_a, fraction)
    k = len(shares_a)
    effective = 1.0 / float(np.sum((1.0 / k) ** 2 / counts_a))
    if variance > 0 and 0.0 < rate < 1.0:
        effective = min(effective, rate * (1 - rate) / variance)
    lo, hi = wilson(rate * effective, effective)
    return rate, lo, hi
