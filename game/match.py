"""Play games between strategies on the batch engine: the loop the CLI, the balance lab and the
lookahead's rollouts share."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State
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


def play_out(
    engine: Engine,
    state: State,
    strategies: Sequence[Strategy],
    max_steps: int | None = None,
    on_step: Callable[[State, StepReport, np.ndarray], None] | None = None,
) -> State:
    """Advance until every game is over (or max_steps turns have passed)."""
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
) -> State:
    """Play B complete games from the start; game k depends only on (seed, k)."""
    prepare(engine, strategies)
    return play_out(engine, engine.new_games(seed, batch, game_ids), strategies)
