"""Replay the real moves of a scenario's `history` on the engine, one game per seed.

The scenario says what really happened: each side's moves, turn by turn. Played on the engine
under many seeds, those moves show how often the model's luck (shocks, random events) leads
where history went. The end screen plays them under the player's own seed, so that the player's
score can be set beside the score of the real moves with the same luck.

Each actor, on each turn (docs/scenario-format.md, "History: replaying what really happened"):

1. plays its move listed for this turn, if it is legal now;
2. otherwise plays the earliest-listed move it holds: a listed move that was not legal on its
   own turn (an event that enables it has not fired yet in this seed) waits, and is played at
   the first later turn where it is legal and the actor has no legal move of that turn's own;
3. otherwise plays its quiet move: the first legal wait variant, else the first legal restrain
   variant, else the first legal variant.

Seed s is the game the UI starts with seed s (game id 0), so a replay and a player's game with
the same seed draw the same shocks and the same events' chances.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.engine.engine import Engine
from game.engine.real_moves import NEVER, NO_TARGET
from game.scenario.compiled import CompiledScenario

FIRST_SEED = 1
"""`history --seeds N` replays seeds 1 to N, as `simulate` and `balance` start from seed 1."""
CHUNK = 4096
"""Games per batch: a bound on memory however many seeds are asked for."""


__all__ = [
    "CHUNK",
    "FIRST_SEED",
    "NEVER",
    "NO_TARGET",
    "Cancelled",
    "NoHistory",
    "RealMove",
    "Replays",
    "real_moves",
    "real_scores",
    "replay",
    "replayable",
    "seeds_for",
]


class NoHistory(ValueError):
    """The scenario lists no real moves to replay."""


@dataclass(frozen=True)
class RealMove:
    """One listed move of `history.moves`, with ids resolved to the engine's numbers."""

    index: int  # its place in history.moves
    turn: int
    actor: int
    variant: int
    target: int  # an actor, or NO_TARGET when the file names none


@dataclass(frozen=True, eq=False)
class Replays:
    """The real moves played once per seed: what each game did and how it ended."""

    scenario: CompiledScenario
    seeds: np.ndarray  # (B,) the seed of each game
    moves: tuple[RealMove, ...]
    outcome: np.ndarray  # (B,) index into scenario.outcomes
    turns: np.ndarray  # (B,) turns played
    scores: np.ndarray  # (B, N) final scores
    fired: np.ndarray  # (B, E) the turn each event first greeted (it fired after the turn
    # before, as `turn:` in a scenario counts), NEVER if it did not fire
    played: np.ndarray  # (B, M) the turn each real move was played, NEVER if it was not

    @property
    def count(self) -> int:
        return int(self.seeds.shape[0])


def real_moves(scenario: CompiledScenario) -> tuple[RealMove, ...]:
    """The scenario's real moves as the engine numbers them (the loader checked every id)."""
    history = scenario.model.history
    if history is None:
        return ()
    moves = []
    for i, move in enumerate(history.moves):
        actor = scenario.actor_index(move.actor)
        target = NO_TARGET if move.target is None else scenario.actor_index(move.target)
        moves.append(
            RealMove(i, move.turn, actor, scenario.variant_index(actor, move.variant), target)
        )
    return tuple(moves)


def replayable(scenario: CompiledScenario) -> bool:
    """Whether the scenario lists real moves, so that `real_scores` has something to play."""
    return bool(real_moves(scenario))


def seeds_for(count: int) -> np.ndarray:
    """The seeds a replay of `count` seeds plays: FIRST_SEED onward."""
    return np.arange(FIRST_SEED, FIRST_SEED + count, dtype=np.int64)


class Cancelled(Exception):
    """A replay was told to stop before it finished (its caller is stopping)."""


def replay(
    scenario: CompiledScenario,
    seeds: Sequence[int] | np.ndarray,
    engine: Engine | None = None,
    chunk: int = CHUNK,
    stop: threading.Event | None = None,
) -> Replays:
    """Play the real moves once under each seed, B games at a time; raises NoHistory when the
    scenario lists no real moves. A replay running beside other work checks `stop` between
    batches and raises Cancelled once it is set, so that stopping never waits for it."""
    moves = real_moves(scenario)
    if not moves:
        raise NoHistory(f"{scenario.path}: history lists no real moves to replay")
    engine = engine or Engine(scenario)
    seeds = np.asarray(seeds, dtype=np.int64)
    listed = np.array([(m.turn, m.actor, m.variant, m.target) for m in moves], dtype=np.int64)
    parts = []
    for start in range(0, seeds.shape[0], max(chunk, 1)):
        if stop is not None and stop.is_set():
            raise Cancelled
        parts.append(_replay_batch(engine, listed, seeds[start : start + chunk]))
    n, e = scenario.n_actors, len(scenario.events)

    def joined(index: int, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        arrays = [part[index] for part in parts]
        return np.concatenate(arrays) if arrays else np.zeros((0, *shape), dtype=dtype)

    return Replays(
        scenario=scenario,
        seeds=seeds,
        moves=moves,
        outcome=joined(0, (), np.int64),
        turns=joined(1, (), np.int64),
        scores=joined(2, (n,), np.float64),
        fired=joined(3, (e,), np.int64),
        played=joined(4, (len(moves),), np.int64),
    )


def real_scores(
    scenario: CompiledScenario, seed: int, engine: Engine | None = None
) -> dict[str, float]:
    """Each actor's score when the real moves are played under `seed`: the game the UI starts
    with that seed, so the end screen can set the player's score beside the real moves' score
    with the same luck. Raises NoHistory when the scenario lists no real moves."""
    played = replay(scenario, [seed], engine)
    return {a: float(played.scores[0, i]) for i, a in enumerate(scenario.actor_ids)}


def _replay_batch(engine: Engine, listed: np.ndarray, seeds: np.ndarray) -> tuple[np.ndarray, ...]:
    """One batch of seeds; `listed` is the real moves as `Engine.play_real_moves` takes them."""
    state, fired, played = engine.play_real_moves(engine.first_games(seeds), listed)
    outcome = state.outcome.astype(np.int64)
    return outcome, state.turn.astype(np.int64), engine.scores(state), fired, played
