"""Play one chunk of a profile's games and count what happened, without keeping the states.

A chunk is games [start, stop) of one profile, started with the profile's derived seed, so its
games are the same whichever process or machine plays it. Its `Tally` holds only counts and
sums; tallies of one profile add up in a fixed order (see `merge`), so floating-point sums do not
depend on how the work was spread.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State
from game.match import prepare
from game.strategies.base import profile_of
from game.strategies.lookahead import Lookahead
from game.strategies.registry import make_strategy

TENSION_BIN = 0.5
"""Width of the tension histogram bins; percentiles by turn are exact to within this."""
TENSION_EDGES = np.linspace(0.0, 100.0, round(100.0 / TENSION_BIN) + 1)
N_TENSION_BINS = TENSION_EDGES.shape[0] - 1


@dataclass
class Tally:
    """Counts and sums over a set of games of one profile.

    Shapes: N actors, V variants (padded), K outcomes, T = max_turns, P = actor pairs (i < j).
    """

    games: int
    outcomes: np.ndarray  # (K,) games ending in each outcome
    score_sum: np.ndarray  # (N,) sum of final scores
    score_squares: np.ndarray  # (N,) sum of squared final scores
    wins: np.ndarray  # (N,) games where the actor's score beats every other actor's
    lengths: np.ndarray  # (T + 1,) games lasting each number of turns
    moves: np.ndarray  # (N, V) decisions taking each variant
    games_using: np.ndarray  # (N, V) games in which each variant was played at least once
    tension: np.ndarray  # (T + 1, P, bins) tension of running games after each turn (0: start)
    lookahead_decisions: int  # decisions made by lookahead strategies (for the benchmark)
    seconds: float  # time spent playing (timing only: never part of the results)

    def merge(self, other: Tally) -> Tally:
        """The tally of both sets of games; callers merge in a fixed order."""
        fields = {}
        for field in dataclasses.fields(self):
            fields[field.name] = getattr(self, field.name) + getattr(other, field.name)
        return Tally(**fields)

    @property
    def game_turns(self) -> int:
        return int(np.dot(self.lengths, np.arange(self.lengths.shape[0])))


def actor_pairs(n_actors: int) -> list[tuple[int, int]]:
    """The pairs (i, j), i < j, whose tension the lab follows."""
    return [(i, j) for i in range(n_actors) for j in range(i + 1, n_actors)]


def _tension_bins(values: np.ndarray) -> np.ndarray:
    return np.clip((values / TENSION_BIN).astype(np.int64), 0, N_TENSION_BINS - 1)


def _ended(state: State, uses_at_start: np.ndarray, n_outcomes: int, t_max: int) -> Tally:
    """The tally of finished games (all of `state`), tension and timing aside.

    The parts are read as the float64 views the engine keeps them in (whole numbers where they
    count something): a chunk's games are many and its tally runs beside other chunks' games,
    so no part is converted whole when a count or a sum of it will do."""
    n, v = state.n_actors, state.lay.v
    # The engine counts every play of every variant in `uses`; the opening moves are excluded.
    played = state.part("uses").reshape(state.batch, n * v) - uses_at_start
    scores = np.ascontiguousarray(state.part("final_score"))
    wins = np.zeros(n, dtype=np.int64)
    for actor in range(n):
        others = np.delete(scores, actor, axis=1)
        wins[actor] = int(np.count_nonzero(scores[:, actor] > others.max(axis=1)))
    return Tally(
        games=state.batch,
        outcomes=np.bincount(state.part("outcome").astype(np.int64), minlength=n_outcomes),
        score_sum=scores.sum(axis=0),
        score_squares=(scores * scores).sum(axis=0),
        wins=wins,
        lengths=np.bincount(state.part("turn").astype(np.int64), minlength=t_max + 1),
        moves=played.sum(axis=0).astype(np.int64).reshape(n, v),
        games_using=np.count_nonzero(played > 0, axis=0).astype(np.int64).reshape(n, v),
        tension=np.zeros(0, dtype=np.int64),
        lookahead_decisions=0,
        seconds=0.0,
    )


def play_chunk(
    engine: Engine, strategy_names: Sequence[str], seed: int, start: int, stop: int
) -> Tally:
    """Play games start..stop-1 of a profile to the end and tally them.

    Each game plays from its opening to its end inside the compiled rules, which count each
    pair's tension after every turn as they go; the rest of the tally is read from the final
    states, so nothing but counts leaves the chunk.
    """
    began = time.perf_counter()
    sc = engine.scenario
    k, t_max = len(sc.outcomes), sc.max_turns
    pairs = actor_pairs(sc.n_actors)
    strategies = [make_strategy(name) for name in strategy_names]
    n_lookahead = sum(isinstance(s, Lookahead) for s in strategies)
    prepare(engine, strategies)
    state = engine.new_games(seed=seed, game_ids=np.arange(start, stop, dtype=np.uint64))
    uses_at_start = state.part("uses").reshape(state.batch, -1).copy()
    tension = np.zeros((t_max + 1, len(pairs), N_TENSION_BINS), dtype=np.int64)
    profile = profile_of(strategies)
    # The games are this chunk's own: they are played to their end where they are.
    final = state
    engine.play_in_place(final.data, final, profile, tension_counts=tension, bin_width=TENSION_BIN)
    if not final.part("over").all():
        raise RuntimeError(f"games still running after max_turns ({t_max}) turns")
    total = _ended(final, uses_at_start, k, t_max)
    total.tension = tension
    total.lookahead_decisions = n_lookahead * int(total.lengths @ np.arange(t_max + 1))
    total.seconds = time.perf_counter() - began
    return total
