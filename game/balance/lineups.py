"""Each actor's scores against its line-ups, and what the lab reads from them per actor.

For actor i, a *line-up* is one strategy for each other actor (game.balance.plan), and
`LineupTables.mean[i][s, l]` is i's mean score playing strategy s against its l-th line-up. In a
full run the line-ups are every combination, in the order of `PayoffTables.own_axis`, so both
give the same columns; in a sampled run they are the sampled ones. game.balance.metagame's
dominance and best replies read only `own_axis` and `opposing`, so they work on either.

Every per-actor figure compares the actor's strategies on its own line-ups, the same for each
strategy (a paired comparison), and averages over them: each strategy's mean score, win share and
outcome shares with 95% intervals (game.balance.stats.sampled_mean: in a sampled run the spread
between line-ups counts, in a full run only the games' noise), how often it is the best reply,
and the best reply to each strategy of each other actor with the rest averaged out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.balance.metagame import TIE
from game.balance.stats import Z95, sampled_mean, sampled_rate
from game.balance.summary import ProfileSummary
from game.scenario.model import KINDS

if TYPE_CHECKING:
    from game.balance.tournament import Tournament

Interval = tuple[float, float]


@dataclass(frozen=True)
class LineupTables:
    """Per actor, (S, L) arrays over its own strategies and its line-ups."""

    actors: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]  # per actor
    lineups: tuple[tuple[tuple[int, ...], ...], ...]  # per actor, the others' strategy indices
    mean: tuple[np.ndarray, ...]  # per actor (S, L): mean score
    error: tuple[np.ndarray, ...]  # per actor (S, L): its standard error
    cells: tuple[np.ndarray, ...]  # per actor (S, L): index of the profile's summary
    fraction: float  # line-ups per actor / every possible line-up (1 in a full run)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    def own_axis(self, actor: int) -> tuple[np.ndarray, np.ndarray]:
        return self.mean[actor], self.error[actor]

    def opposing(self, actor: int) -> list[tuple[str, ...]]:
        """The line-ups' strategy names, in the order of own_axis's columns."""
        names = self.strategies[actor]
        return [tuple(names[s] for s in lineup) for lineup in self.lineups[actor]]


def lineup_tables(tournament: Tournament, summaries: Sequence[ProfileSummary]) -> LineupTables:
    plan = tournament.plan
    where = {profile: k for k, profile in enumerate(plan.profiles)}
    means, errors, cells = [], [], []
    for actor in range(plan.n_actors):
        index = np.array(
            [
                [where[plan.profile(actor, s, lineup)] for lineup in plan.lineups[actor]]
                for s in range(plan.n_strategies)
            ],
            dtype=np.int64,
        ).reshape(plan.n_strategies, len(plan.lineups[actor]))
        cells.append(index)
        means.append(np.array([[summaries[k].mean_score[actor] for k in row] for row in index]))
        errors.append(
            np.array(
                [
                    [summaries[k].score_std[actor] / np.sqrt(summaries[k].games) for k in row]
                    for row in index
                ]
            )
        )
    lineups = len(plan.lineups[0])
    return LineupTables(
        actors=tournament.scenario.actor_ids,
        strategies=(tournament.strategies,) * plan.n_actors,
        lineups=plan.lineups,
        mean=tuple(means),
        error=tuple(errors),
        cells=tuple(cells),
        fraction=min(1.0, lineups / plan.possible_lineups),
    )


@dataclass(frozen=True)
class StrategySummary:
    """One actor's figures with one strategy, averaged over its line-ups."""

    actor: str
    strategy: str
    lineups: int
    games: int
    mean_score: float
    score_interval: Interval
    win_share: float
    win_interval: Interval
    outcome_share: np.ndarray  # (K,)
    outcome_interval: np.ndarray  # (K, 2)
    best_reply_share: float  # of its line-ups where it is the best reply (a tie shares one)


def best_reply_weights(values: np.ndarray) -> np.ndarray:
    """(S, L): 1 where a strategy is the best reply to a line-up, shared equally by a tie."""
    top = values.max(axis=0, keepdims=True)
    best = (values >= top - TIE).astype(float)
    return best / best.sum(axis=0, keepdims=True)


def strategy_summaries(
    tables: LineupTables, summaries: Sequence[ProfileSummary]
) -> list[StrategySummary]:
    """Per actor (in order), per strategy (in order)."""
    result = []
    for actor, actor_id in enumerate(tables.actors):
        mean, error = tables.own_axis(actor)
        weights = best_reply_weights(mean)
        for s, name in enumerate(tables.strategies[actor]):
            played = [summaries[k] for k in tables.cells[actor][s]]
            counts = [p.games for p in played]
            score, variance = sampled_mean(mean[s], error[s] ** 2, tables.fraction)
            half = Z95 * float(np.sqrt(variance))
            win = sampled_rate([p.win_share[actor] for p in played], counts, tables.fraction)
            outcomes = np.array([p.outcome_share for p in played])
            rates = [
                sampled_rate(outcomes[:, k], counts, tables.fraction)
                for k in range(outcomes.shape[1])
            ]
            result.append(
                StrategySummary(
                    actor=actor_id,
                    strategy=name,
                    lineups=len(played),
                    games=int(sum(counts)),
                    mean_score=score,
                    score_interval=(score - half, score + half),
                    win_share=win[0],
                    win_interval=(win[1], win[2]),
                    outcome_share=np.array([r[0] for r in rates]),
                    outcome_interval=np.array([(r[1], r[2]) for r in rates]),
                    best_reply_share=float(weights[s].mean()),
                )
            )
    return result


@dataclass(frozen=True)
class MarginalReply:
    """`actor`'s best strategy when `other` plays `other_strategy`, over the actor's line-ups in
    which it does (the rest of the line-up averaged out)."""

    actor: str
    other: str
    other_strategy: str
    best: tuple[str, ...]  # several when exactly tied
    payoff: float
    margin: float  # over the next best (0 when tied)
    significant: bool  # the margin is beyond noise
    lineups: int  # line-ups behind the comparison


def marginal_replies(tables: LineupTables) -> list[MarginalReply]:
    """Per actor, per other actor, per strategy of the other actor (in order); a strategy of the
    other actor that none of the actor's line-ups has is left out."""
    result = []
    n = tables.n_actors
    for actor, actor_id in enumerate(tables.actors):
        mean, error = tables.own_axis(actor)
        names = tables.strategies[actor]
        for other in range(n):
            if other == actor:
                continue
            position = other if other < actor else other - 1
            column = np.array([lineup[position] for lineup in tables.lineups[actor]])
            per_cell = max(1, len(tables.strategies[other]) ** (n - 2))
            for t, other_name in enumerate(tables.strategies[other]):
                chosen = np.nonzero(column == t)[0]
                if chosen.size == 0:
                    continue
                values = mean[:, chosen].mean(axis=1)
                top = float(values.max())
                tied = tuple(names[s] for s in range(len(names)) if values[s] >= top - TIE)
                first = int(np.argmax(values))
                margin, significant = 0.0, False
                if len(tied) == 1 and len(names) > 1:
                    second = int(
                        np.argmax(np.where(np.arange(len(names)) == first, -np.inf, values))
                    )
                    margin = top - float(values[second])
                    differences = mean[first, chosen] - mean[second, chosen]
                    noise = error[first, chosen] ** 2 + error[second, chosen] ** 2
                    fraction = min(1.0, chosen.size / per_cell)
                    _, variance = sampled_mean(differences, noise, fraction)
                    significant = margin > Z95 * float(np.sqrt(variance))
                result.append(
                    MarginalReply(
                        actor=actor_id,
                        other=tables.actors[other],
                        other_strategy=other_name,
                        best=tied,
                        payoff=top,
                        margin=margin,
                        significant=significant,
                        lineups=int(chosen.size),
                    )
                )
    return result


def best_reply_kinds(tables: LineupTables, summaries: Sequence[ProfileSummary]) -> np.ndarray:
    """(3,) share of each kind among the moves each actor makes when it plays its best reply
    to one of its line-ups, over every actor and line-up (a tie shares its weight)."""
    kinds = np.zeros(len(KINDS))
    for actor in range(tables.n_actors):
        weights = best_reply_weights(tables.mean[actor])
        for s, lineup in zip(*np.nonzero(weights), strict=True):
            summary = summaries[tables.cells[actor][s, lineup]]
            kinds += weights[s, lineup] * summary.kind_moves[actor] / summary.games
    total = kinds.sum()
    return kinds / total if total > 0 else kinds
