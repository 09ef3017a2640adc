"""From a profile's tally to the figures a designer reads, each rate with its 95% interval."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.balance.stats import histogram_percentiles, mean_interval, moments, wilson
from game.balance.tally import TENSION_EDGES, Tally, actor_pairs
from game.balance.tournament import Profile, Tournament
from game.scenario.compiled import CompiledScenario
from game.scenario.model import KINDS

PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)

Interval = tuple[float, float]


@dataclass(frozen=True)
class ProfileSummary:
    """What one profile's games showed. Arrays are indexed like the scenario (actors, outcomes,
    variants in engine order); shares of moves are of that actor's decisions."""

    profile: Profile
    games: int
    outcome_share: np.ndarray  # (K,)
    outcome_interval: np.ndarray  # (K, 2) Wilson 95%
    mean_score: np.ndarray  # (N,)
    score_std: np.ndarray  # (N,) sample standard deviation
    score_interval: np.ndarray  # (N, 2)
    win_share: np.ndarray  # (N,) games where the actor's score beat every other actor's
    win_interval: np.ndarray  # (N, 2)
    mean_turns: float
    turns_std: float
    turns_interval: Interval
    lengths: np.ndarray  # (T + 1,) games lasting each number of turns
    kind_share: np.ndarray  # (N, 3) share of decisions of each kind
    kind_moves: np.ndarray  # (N, 3) decisions of each kind
    variant_share: np.ndarray  # (N, V) share of decisions taking each variant
    variant_games: np.ndarray  # (N, V) games in which each variant was played
    tension_percentiles: np.ndarray  # (T + 1, P, 5) by turn; NaN once no game is running
    running: np.ndarray  # (T + 1,) games still running at each turn (turn 0: all)
    lookahead_decisions: int
    seconds: float

    @property
    def strategies(self) -> tuple[str, ...]:
        return self.profile.strategies


def summarise(scenario: CompiledScenario, profile: Profile, tally: Tally) -> ProfileSummary:
    n = tally.games
    outcome_interval = np.array([wilson(c, n) for c in tally.outcomes])
    means, stds = [], []
    for actor in range(scenario.n_actors):
        mean, std = moments(tally.score_sum[actor], tally.score_squares[actor], n)
        means.append(mean)
        stds.append(std)
    score_interval = np.array([mean_interval(m, s, n) for m, s in zip(means, stds, strict=True)])
    turns = np.arange(tally.lengths.shape[0], dtype=np.float64)
    mean_turns, turns_std = moments(
        float(np.dot(tally.lengths, turns)), float(np.dot(tally.lengths, turns**2)), n
    )
    kind_moves = np.zeros((scenario.n_actors, len(KINDS)), dtype=np.int64)
    for actor in range(scenario.n_actors):
        for variant in scenario.variants[actor]:
            kind_moves[actor, variant.kind] += tally.moves[actor, variant.index]
    decisions = np.maximum(tally.moves.sum(axis=1, keepdims=True), 1)
    # Games alive at turn t are those lasting at least t turns; tension rows count the same.
    running = tally.tension[:, 0, :].sum(axis=1) if tally.tension.shape[1] else np.zeros(0)
    return ProfileSummary(
        profile=profile,
        games=n,
        outcome_share=tally.outcomes / n,
        outcome_interval=outcome_interval,
        mean_score=np.array(means),
        score_std=np.array(stds),
        score_interval=score_interval,
        win_share=tally.wins / n,
        win_interval=np.array([wilson(w, n) for w in tally.wins]),
        mean_turns=mean_turns,
        turns_std=turns_std,
        turns_interval=mean_interval(mean_turns, turns_std, n),
        lengths=tally.lengths,
        kind_share=kind_moves / decisions,
        kind_moves=kind_moves,
        variant_share=tally.moves / decisions,
        variant_games=tally.games_using,
        tension_percentiles=histogram_percentiles(tally.tension, TENSION_EDGES, PERCENTILES),
        running=running,
        lookahead_decisions=tally.lookahead_decisions,
        seconds=tally.seconds,
    )


def summarise_all(tournament: Tournament) -> list[ProfileSummary]:
    return [
        summarise(tournament.scenario, profile, tally)
        for profile, tally in zip(tournament.profiles, tournament.tallies, strict=True)
    ]


def pair_labels(scenario: CompiledScenario) -> list[str]:
    """'rus-usa' for each pair the tension percentiles follow."""
    ids = scenario.actor_ids
    return [f"{ids[i]}-{ids[j]}" for i, j in actor_pairs(scenario.n_actors)]
