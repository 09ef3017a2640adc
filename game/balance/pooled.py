"""Figures over the whole tournament, every profile weighted equally.

Equal weights keep the answer a property of the strategy space rather than of how many games
each profile happened to play (lookahead profiles play fewer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.balance.stats import pooled_mean, pooled_rate
from game.balance.summary import ProfileSummary

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
