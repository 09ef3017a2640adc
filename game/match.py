"""Play games between strategies: the loop the CLI, the UI, the balance lab and the tests share.

Two paths drive the same compiled rules. Turn by turn (`advance`), each strategy chooses for the
whole batch and the engine steps it: records, the UI and strategies written in Python need this.
Whole games (`play_out` and `play_batch` with built-in strategies) run each game from where it
is to its end inside one compiled call, on one thread per core.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from game.engine.engine import Engine, StepReport
from game.engine.state import State
from game.strategies.base import Situation, Strategy, compiled_profile


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
    actions = np.zeros((state.batch, engine.scenario.n_actors), dtype=np.int64)
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


CHUNK = 16_384
"""Games per task on the thread pool: small enough to balance the threads, large enough that a
task's overhead does not show."""


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """The threads every `play_batch` of this process shares: a pool started for each call
    cost about 0.2 ms a call, 2% of `benchmarks/ipd.py`. Its tasks only play games, so no task
    waits on another and sharing cannot deadlock."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="play_batch")


def play_out(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy],
    max_steps: int | None = None,
    on_step: Callable[[State, StepReport, np.ndarray], None] | None = None,
) -> State:
    """Advance until every game is over (or max_steps turns have passed).

    With built-in strategies and no `on_step`, each game plays to its end inside the compiled
    code; the result is the same either way, since games never interact.
    """
    profile = compiled_profile(strategies) if on_step is None else None
    if profile is not None:
        prepare(engine, strategies)
        return engine.play(state, profile, max_steps)
    steps = 0
    while not state.over.all() and (max_steps is None or steps < max_steps):
        state, report, actions = advance(engine, state, strategies)
        if on_step is not None:
            on_step(state, report, actions)
        steps += 1
    return state


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

    Large batches are played chunk by chunk on a thread pool (the compiled code releases the
    GIL); that changes the speed, never the games.
    """
    prepare(engine, strategies)
    ids = np.arange(batch, dtype=np.uint64) if game_ids is None else np.asarray(game_ids)
    state = engine.new_games(seed, game_ids=ids)
    profile = compiled_profile(strategies)
    if profile is None:
        return play_out(engine, state, strategies)
    data = state.data
    threads = max(1, threads or os.cpu_count() or 1)
    if engine.plays_alike(profile):
        # The batch is one game, played once (see `Engine.play_in_place`): no thread needed.
        threads, chunk = 1, len(ids)
    # A batch smaller than a chunk per thread is shared evenly: 200 games of 200 turns are
    # still worth two threads.
    chunk = max(1, min(chunk, -(-len(ids) // threads)))
    starts = range(0, len(ids), chunk)
    workers = min(threads, len(starts))

    def play_chunk(start: int) -> None:
        # Each thread plays its own rows of the batch where they lie: no copy in or out.
        rows = slice(start, min(start + chunk, len(ids)))
        part = State(state.lay, state.key, data[rows], state.game_ids[rows], state.streams[rows])
        engine.play_in_place(part.data, part, profile)

    if workers == 1:
        for start in starts:
            play_chunk(start)
    else:
        list(_pool(workers).map(play_chunk, starts))
    return state
