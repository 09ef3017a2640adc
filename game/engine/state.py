"""The state of B games, as arrays with a leading batch axis.

Arrays keep the batch axis first but are laid out batch-contiguous (Fortran order), which makes
per-actor slices and reductions over actors fast; `take` and the engine preserve that layout.

A state is a value: the engine never changes one in place, it returns a new one (arrays that did
not change are shared). That makes rollouts, undo and replays trivial and safe.

Shapes: B games, N actors, V variants per actor (padded), E events, K outcomes.
Pairwise arrays are N x N: `tension[b, i, j]` is symmetric; `diplomats[b, i, j]` counts actor i's
diplomats stationed with actor j; `grievance[b, i, j]` is actor i's unanswered grievance
against j.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

PRESSURE, CREDIBILITY, STANDING = 0, 1, 2


@dataclass(frozen=True, eq=False)
class State:
    key: np.uint64
    game_ids: np.ndarray  # (B,) uint64
    streams: np.ndarray  # (B,) uint64, per-game random stream bases
    turn: np.ndarray  # (B,) int32, turns played so far (0 before the first)
    tension: np.ndarray  # (B, N, N) float64, 0-100, symmetric, zero diagonal
    gauges: np.ndarray  # (B, N, 3) float64, 0-100: pressure, credibility, standing
    diplomats: np.ndarray  # (B, N, N) float64 whole numbers >= 0
    grievance: np.ndarray  # (B, N, N) float64 >= 0
    personality: np.ndarray  # (B, N, 4) float64, 0-1, in TRAITS order
    leader: np.ndarray  # (B, N) int16, index into CompiledScenario.leader_names
    enabled: np.ndarray  # (B, N, V) bool, switched by events
    uses: np.ndarray  # (B, N, V) int16 (games last at most 1,000 turns)
    last_variant: np.ndarray  # (B, N) int16, NO_MOVE before any move
    prev_variant: np.ndarray  # (B, N) int16, the move before last
    received: np.ndarray  # (B, N) float64, severity suffered in the latest turn
    wronged: np.ndarray  # (B, N) bool, whether the actor ever suffered a hostile act
    fired: np.ndarray  # (B, E) int32, how often each event has fired
    streak: np.ndarray  # (B, K) int32, turns in a row each outcome's condition held
    score_accum: np.ndarray  # (B, N) float64, running per-turn objectives
    final_score: np.ndarray  # (B, N) float64, set when a game ends
    over: np.ndarray  # (B,) bool
    outcome: np.ndarray  # (B,) int16, outcome index, -1 while running

    @property
    def batch(self) -> int:
        return int(self.turn.shape[0])

    @property
    def n_actors(self) -> int:
        return int(self.gauges.shape[1])

    def replace(self, **changes: np.ndarray) -> State:
        # What dataclasses.replace does, without re-running __init__: the engine calls this
        # several times a turn.
        unknown = changes.keys() - _FIELD_NAMES
        if unknown:
            raise TypeError(f"State has no field {sorted(unknown)[0]!r}")
        new = object.__new__(State)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def take(self, indices: np.ndarray) -> State:
        """The games at these indices (repeats allowed), e.g. to branch rollouts from a state."""
        arrays = {name: take_games(array, indices) for name, array in self.arrays().items()}
        return State(key=self.key, **arrays)

    def some_games(self, indices: np.ndarray) -> State:
        """The games at these indices, for reading only: each array is copied out the first
        time it is read. Scoring a few games that ended reads a handful of the arrays."""
        return _SomeGames(self, indices)  # type: ignore[return-value]

    def game(self, index: int) -> State:
        """One game as a batch of one."""
        return self.take(np.array([index]))

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "key"}


def take_games(array: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """The rows of one batch array at these indices, batch-contiguous like the engine's."""
    # Taking along the last axis of the transposed (C-ordered) view keeps batch-contiguity
    # and is about twice as fast as fancy indexing on the first axis.
    if not array.flags.f_contiguous:
        array = np.asfortranarray(array)
    return array.T.take(indices, axis=-1).T


class _SomeGames:
    """A read-only stand-in for `State.take(indices)` that takes arrays as they are read."""

    def __init__(self, state: State, indices: np.ndarray) -> None:
        self._state, self._indices = state, indices
        self.key = state.key

    @property
    def batch(self) -> int:
        return len(self._indices)

    @property
    def n_actors(self) -> int:
        return self._state.n_actors

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_") or name not in _ARRAY_NAMES:
            raise AttributeError(name)
        array = take_games(getattr(self._state, name), self._indices)
        setattr(self, name, array)
        return array


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(State))
_ARRAY_NAMES = _FIELD_NAMES - {"key"}
