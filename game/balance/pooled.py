"""Figures over the whole tournament, every profile weighted equally.

Equal weights keep the answer a property of the strategy space rather than of how many games
each profile happened to play (lookahead profiles play fewer). A sampled run estimates the same
figures, over every profile of the space, from its line-ups (`pool_sampled`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.balance.stats import Z95, pooled_mean, pooled_rate, sampled_mean, wilson
from game.balance.summary import ProfileSummary

if TYPE_CHECKING:
    from game.balance.lineups import LineupTables

Interval = tuple[float, float]


@dataclass(frozen=True)
class Pooled:
    outcome_share: np.ndarray  # (K,)
    outcome_interval: np.ndarray  # (K, 2)
    win_share: np.ndarray  # (N,)
    win_interval: np.ndarray  # (N, 2)
    mean_turns: float
    turns_interval: Interval
    variant_games: np.ndarray  # (N, V) games, over all profiles, in which a variant was played
    variant_share: np.ndarray  # (N, V) equally weighted share of games using each variant
    variant_interval: np.ndarray  # (N, V, 2)


def pool(summaries: list[ProfileSummary]) -> Pooled:
    counts = [s.games for s in summaries]

    def rates(per_profile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = per_profile.reshape(per_profile.shape[0], -1)
        values, intervals = [], []
        for column in range(flat.shape[1]):
            rate, lo, hi = pooled_rate(flat[:, column], counts)
            values.append(rate)
            intervals.append((lo, hi))
        shape = per_profile.shape[1:]
        return np.array(values).reshape(shape), np.array(intervals).reshape(*shape, 2)

    outcome_share, outcome_interval = rates(np.array([s.outcome_share for s in summaries]))
    win_share, win_interval = rates(np.array([s.win_share for s in summaries]))
    used = np.array([s.variant_games / s.games for s in summaries])
    variant_share, variant_interval = rates(used)
    mean, lo, hi = pooled_mean(
        [s.mean_turns for s in summaries], [s.turns_std for s in summaries], counts
    )
    return Pooled(
        outcome_share=outcome_share,
        outcome_interval=outcome_interval,
        win_share=win_share,
        win_interval=win_interval,
        mean_turns=mean,
        turns_interval=(lo, hi),
        variant_games=np.sum([s.variant_games for s in summaries], axis=0),
        variant_share=variant_share,
        variant_interval=variant_interval,
    )


def _over_lineups(
    tables: LineupTables,
    summaries: list[ProfileSummary],
    figure: Callable[[ProfileSummary], float],
    noise: Callable[[ProfileSummary], float],
) -> tuple[float, float]:
    """(estimate, its variance) of a figure's mean over every profile, from a sampled run.

    Each actor's line-up, with every strategy of the actor played against it, is a block whose
    mean estimates the mean over every profile; per actor, the blocks' mean and its two-stage
    variance (stats.sampled_mean), then the actors' estimates averaged (their line-ups are drawn
    independently). `noise` is a profile's squared standard error of the figure.
    """
    estimates, variances = [], []
    for actor in range(tables.n_actors):
        cells = tables.cells[actor]
        s = cells.shape[0]
        blocks, within = [], []
        for column in cells.T:
            blocks.append(float(np.mean([figure(summaries[k]) for k in column])))
            within.append(sum(noise(summaries[k]) for k in column) / s**2)
        mean, variance = sampled_mean(blocks, within, tables.fraction)
        estimates.append(mean)
        variances.append(variance)
    n = len(estimates)
    return float(np.mean(estimates)), float(np.sum(variances)) / n**2


def pool_sampled(tables: LineupTables, summaries: list[ProfileSummary]) -> Pooled:
    """The overall figures of a sampled run, every profile of the whole space weighted equally
    (estimated from the line-ups), with intervals that count the spread between line-ups; the
    variants' counts and shares are over the games played."""
    played = pool(summaries)
    games_cap = 1.0 / float(
        np.sum((1.0 / len(summaries)) ** 2 / np.array([s.games for s in summaries]))
    )

    def rate(share: Callable[[ProfileSummary], float]) -> tuple[float, float, float]:
        estimate, variance = _over_lineups(
            tables, summaries, share, lambda p: share(p) * (1 - share(p)) / p.games
        )
        effective = games_cap
        if variance > 0 and 0.0 < estimate < 1.0:
            effective = min(effective, estimate * (1 - estimate) / variance)
        lo, hi = wilson(estimate * effective, effective)
        return estimate, lo, hi

    k_outcomes = len(summaries[0].outcome_share)
    outcomes = [rate(lambda p, k=k: float(p.outcome_share[k])) for k in range(k_outcomes)]
    wins = [rate(lambda p, a=a: float(p.win_share[a])) for a in range(tables.n_actors)]
    turns, variance = _over_lineups(
        tables, summaries, lambda p: p.mean_turns, lambda p: p.turns_std**2 / p.games
    )
    half = Z95 * math.sqrt(variance)
    return Pooled(
        outcome_share=np.array([r[0] for r in outcomes]),
        outcome_interval=np.array([(r[1], r[2]) for r in outcomes]),
        win_share=np.array([r[0] for r in wins]),
        win_interval=np.array([(r[1], r[2]) for r in wins]),
        mean_turns=turns,
        turns_interval=(turns - half, turns + half),
        variant_games=played.variant_games,
        variant_share=played.variant_share,
        variant_interval=played.variant_interval,
    )
