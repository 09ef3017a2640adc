"""Play games between strategies on the batch engine: the loop the CLI, the balance lab and the
lookahead's rollouts share."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State, take_games
from game.engine.step import StepReport
from game.strategies.base import Situation, Strategy


def prepare(engine: Engine, strategies: Sequence[Strategy]) -> None:
    """Tell each strategy which strategies the other actors play."""
    for actor, strategy in enumerate(strategies):
        others = {a: s for a, s in enumerate(strategies) if a != actor}
        strategy.prepare(engine, actor, others)


def choose_moves(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy | None],
    legal: np.ndarray,
    fixed: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """(B, N) moves: each actor's strategy chooses, unless its moves are given in `fixed`."""
    actions = np.zeros((state.batch, engine.scenario.n_actors), dtype=np.int64, order="F")
    for actor, strategy in enumerate(strategies):
        if fixed is not None and actor in fixed:
            actions[:, actor] = fixed[actor]
        elif strategy is not None:
            actions[:, actor] = strategy.choose(Situation(engine, state, actor, legal[:, actor]))
        else:
            raise ValueError(f"no strategy and no move for actor {actor}")
    return actions


def advance(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy | None],
    fixed: dict[int, np.ndarray] | None = None,
) -> tuple[State, StepReport, np.ndarray]:
    """One turn of every running game; returns (state, report, actions)."""
    legal = engine.legal(state)
    actions = choose_moves(engine, state, strategies, legal, fixed)
    state, report = engine.step(state, actions, legal=legal)
    return state, report, actions


MIN_GAMES_PER_THREAD = 8_192
CHUNK = 65_536
"""The most games `play_batch` steps together: past this, memory grows with no gain in speed."""


def play_out(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy],
    max_steps: int | None = None,
    on_step: Callable[[State, StepReport, np.ndarray], None] | None = None,
) -> State:
    """Advance until every game is over (or max_steps turns have passed).

    Without `on_step`, each game is recorded the turn it ends and then set aside, so late turns
    pay little for games already over; the result is the same either way, since games never
    interact.
    """
    steps = 0
    if on_step is not None:
        while not state.over.all() and (max_steps is None or steps < max_steps):
            state, report, actions = advance(engine, state, strategies)
            on_step(state, report, actions)
            steps += 1
        return state
    final = FinalStates(state, state.batch)
    _play_out_into(engine, state, strategies, final, 0, max_steps)
    return final.state()


def _play_out_into(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy],
    final: FinalStates,
    first_row: int,
    max_steps: int | None = None,
) -> None:
    """`play_out` writing each game's final state into rows first_row.. of `final`."""
    steps = 0
    rows = np.arange(first_row, first_row + state.batch)
    final.start(first_row, state)
    alive = ~state.over
    final.record(rows[~alive], state, np.flatnonzero(~alive))
    while alive.any() and (max_steps is None or steps < max_steps):
        state, _, _ = advance(engine, state, strategies)
        steps += 1
        ended = state.over & alive
        if ended.any():
            final.record(rows[ended], state, np.flatnonzero(ended))
            alive &= ~ended
            # Games already recorded play on as ballast: cheaper than freezing them every
            # turn. Copying the live games out costs about a fiftieth of a turn, so the
            # ballast is dropped once it makes up a tenth of the batch.
            state = state.replace(over=np.zeros_like(state.over))
            if alive.mean() < 0.9:
                keep = np.flatnonzero(alive)
                state, rows, alive = state.take(keep), rows[keep], alive[keep]
    final.record(rows[alive], state, np.flatnonzero(alive))


_UNCHANGING = frozenset({"game_ids", "streams"})
"""State arrays no turn changes: `FinalStates` writes them once, when the games start."""


class FinalStates:
    """The states of B games as each one ended, written in place as they end (threads may
    write disjoint rows at once)."""

    def __init__(self, like: State, batch: int) -> None:
        self._key = like.key
        self._arrays = {
            name: np.empty((batch, *array.shape[1:]), dtype=array.dtype, order="F")
            for name, array in like.arrays().items()
        }

    def start(self, first_row: int, state: State) -> None:
        """Note what no turn changes for the games of `state`, at rows first_row.. onwards."""
        for name in _UNCHANGING:
            self._arrays[name][first_row : first_row + state.batch] = getattr(state, name)

    def record(self, rows: np.ndarray, state: State, games: np.ndarray) -> None:
        """Keep games `games` of `state` as the final states of rows `rows`."""
        if len(games):
            for name, target in self._arrays.items():
                if name not in _UNCHANGING:
                    target[rows] = take_games(getattr(state, name), games)

    def state(self) -> State:
        return State(key=self._key, **self._arrays)


def play_batch(
    engine: Engine,
    strategies: Sequence[Strategy],
    seed: int,
    batch: int = 1,
    game_ids: np.ndarray | None = None,
    chunk: int = CHUNK,
    threads: int | None = None,
) -> State:
    """Play B complete games from the start; game k depends only on (seed, k).

    Large batches are played chunk by chunk; that changes the speed, never the games.
    """
    prepare(engine, strategies)
    ids = np.arange(batch, dtype=np.uint64) if game_ids is None else np.asarray(game_ids)
    # Threads only pay once each has thousands of games to step.
    workers = max(1, threads or min(os.cpu_count() or 1, len(ids) // MIN_GAMES_PER_THREAD))
    chunk = max(1, min(chunk, -(-len(ids) // workers)))
    starts = range(0, max(len(ids), 1), chunk)

    final = FinalStates(engine.new_games(seed, batch=0), len(ids))

    def play_chunk(start: int) -> None:
        games = engine.new_games(seed, game_ids=ids[start : start + chunk])
        _play_out_into(engine, games, strategies, final, start)

    if min(workers, len(starts)) == 1:
        for start in starts:
            play_chunk(start)
    else:
        # numpy releases the GIL inside its loops, so chunks on threads use every core.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(play_chunk, starts))
    return final.state()
