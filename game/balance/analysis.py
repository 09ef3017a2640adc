"""Everything the lab concludes from a tournament, as one value: `analyse(tournament)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

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
from game.balance.pooled import Pooled, pool
from game.balance.summary import ProfileSummary, summarise_all
from game.balance.targets import TargetResult, judge, load_targets
from game.balance.tournament import Tournament
from game.balance.verdict import Verdict, balance_verdict, equilibrium_kind_share

if TYPE_CHECKING:
    from game.history.figures import HistoryFigures


@dataclass(frozen=True)
class Analysis:
    tournament: Tournament
    profiles: list[ProfileSummary]
    pooled: Pooled
    tables: PayoffTables
    dominated: list[Dominance]
    dominant: list[DominantCandidate]
    best_responses: list[BestResponse]
    equilibria: Equilibria
    equilibrium_kinds: list[np.ndarray]  # per equilibrium, (3,) share of each kind of move
    verdict: Verdict
    targets: list[TargetResult]
    history: HistoryFigures | None = None
    """The real moves replayed once per game of a profile (seeds 1 to --games), when the
    scenario declares the `history_outcome_share` target."""

    @property
    def targets_met(self) -> bool:
        return all(t.met for t in self.targets)


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
    """Summaries, the meta-game, the verdict and the scenario's targets, judged."""
    sc = tournament.scenario
    targets = load_targets(sc)
    summaries = summarise_all(tournament)
    pooled = pool(summaries)
    tables = payoff_tables(tournament, summaries)
    dominant = dominant_candidates(tables)
    equilibria = nash_equilibria(tables)
    n_strategies = [len(s) for s in tables.strategies]
    verdict = balance_verdict(sc, summaries, equilibria.found, n_strategies)
    history = None
    if targets is not None and targets.history_outcome_share is not None:
        from game.history.figures import figures
        from game.history.replay import replay, seeds_for

        history = figures(replay(sc, seeds_for(tournament.games)))
    return Analysis(
        tournament=tournament,
        profiles=summaries,
        pooled=pooled,
        tables=tables,
        dominated=dominated_strategies(tables),
        dominant=dominant,
        best_responses=best_responses(tables),
        equilibria=equilibria,
        equilibrium_kinds=[
            equilibrium_kind_share(e, summaries, n_strategies) for e in equilibria.found
        ],
        verdict=verdict,
        targets=judge(sc, targets, pooled, dominant, verdict=verdict, history=history),
        history=history,
    )
