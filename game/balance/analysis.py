"""Everything the lab concludes from a tournament, as one value: `analyse(tournament)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.balance.lineups import (
    LineupTables,
    MarginalReply,
    StrategySummary,
    best_reply_kinds,
    lineup_tables,
    marginal_replies,
    strategy_summaries,
)
from game.balance.metagame import (
    BestResponse,
    Dominance,
    DominantCandidate,
    Equilibria,
    PayoffTables,
    best_responses,
    dominant_candidates,
    dominated_strategies,
    nash_equilibria,
)
from game.balance.pooled import Pooled, pool, pool_sampled
from game.balance.summary import ProfileSummary, summarise_all
from game.balance.targets import TargetResult, judge, load_targets
from game.balance.tournament import Tournament
from game.balance.verdict import Verdict, balance_verdict, equilibrium_kind_share

if TYPE_CHECKING:
    from game.history.figures import HistoryFigures


NO_EQUILIBRIA = (
    "none searched: a sampled run does not play every profile, which equilibria need; "
    "best-reply play stands in for equilibrium play"
)


@dataclass(frozen=True)
class Analysis:
    tournament: Tournament
    profiles: list[ProfileSummary]  # the profiles played, in the plan's order
    pooled: Pooled
    tables: PayoffTables | None  # every profile's payoffs; None in a sampled run
    lineups: LineupTables
    strategies: list[StrategySummary]  # per actor, per strategy, over its line-ups
    marginal_replies: list[MarginalReply]
    dominated: list[Dominance]
    dominant: list[DominantCandidate]
    best_responses: list[BestResponse]
    equilibria: Equilibria
    equilibrium_kinds: list[np.ndarray]  # per equilibrium, (3,) share of each kind of move
    best_reply_kinds: np.ndarray | None  # sampled runs: (3,) shares of moves in best replies
    verdict: Verdict
    targets: list[TargetResult]
    history: HistoryFigures | None = None
    """The real moves replayed once per game of a profile (seeds 1 to --games), when the
    scenario declares the `history_outcome_share` target."""

    @property
    def targets_met(self) -> bool:
        return all(t.met for t in self.targets)

    @property
    def sampled(self) -> bool:
        return self.tournament.plan.sampled


def payoff_tables(tournament: Tournament, summaries: list[ProfileSummary]) -> PayoffTables:
    """Mean scores as an N-dimensional table per actor (profiles are in product order)."""
    sc = tournament.scenario
    s = len(tournament.strategies)
    shape = (sc.n_actors,) + (s,) * sc.n_actors
    mean = np.array([p.mean_score for p in summaries]).T.reshape(shape)
    error = np.array([p.score_std / np.sqrt(p.games) for p in summaries]).T.reshape(shape)
    strategies = (tournament.strategies,) * sc.n_actors
    return PayoffTables(sc.actor_ids, strategies, mean, error)


def analyse(tournament: Tournament) -> Analysis:
    """Summaries, the meta-game, the verdict and the scenario's targets, judged.

    Dominance, best replies and the per-actor figures are read from each actor's line-ups
    (every combination of the others' strategies in a full run, the sampled ones otherwise);
    equilibria need every profile, so a sampled run has none and its verdict reads best-reply
    play instead (see docs/balance.md)."""
    sc = tournament.scenario
    targets = load_targets(sc)
    summaries = summarise_all(tournament)
    lineups = lineup_tables(tournament, summaries)
    n_strategies = [len(s) for s in lineups.strategies]
    tables: PayoffTables | None = None
    reply_kinds = None
    if tournament.plan.sampled:
        pooled = pool_sampled(lineups, summaries)
        equilibria = Equilibria([], NO_EQUILIBRIA)
        reply_kinds = best_reply_kinds(lineups, summaries)
    else:
        pooled = pool(summaries)
        tables = payoff_tables(tournament, summaries)
        equilibria = nash_equilibria(tables)
    dominant = dominant_candidates(lineups)
    verdict = balance_verdict(sc, summaries, equilibria.found, n_strategies, reply_kinds)
    history = tournament.history  # replayed beside the games, when a target needs it
    return Analysis(
        tournament=tournament,
        profiles=summaries,
        pooled=pooled,
        tables=tables,
        lineups=lineups,
        strategies=strategy_summaries(lineups, summaries),
        marginal_replies=marginal_replies(lineups),
        dominated=dominated_strategies(lineups),
        dominant=dominant,
        best_responses=best_responses(lineups),
        equilibria=equilibria,
        equilibrium_kinds=[
            equilibrium_kind_share(e, summaries, n_strategies) for e in equilibria.found
        ],
        best_reply_kinds=reply_kinds,
        verdict=verdict,
        targets=judge(sc, targets, pooled, dominant, verdict=verdict, history=history),
        history=history,
    )
