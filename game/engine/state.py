"""The state of B games: one row of numbers per game, with named views for people and tests.

The compiled rules read and write `data`, a (B, row) float64 array laid out by
`game.engine.layout`; each game also has an id and a random stream. Everything else reads the
named views below, shaped with a leading batch axis: `tension[b, i, j]` is symmetric;
`diplomats[b, i, j]` counts actor i's diplomats stationed with actor j (and `staff`,
`consulates`, `properties` likewise); `grievance[b, i, j]` is actor i's unanswered grievance
against j; `hit[b, i, j]` the severity of j's act against i in the latest turn; `resting[b, i, j]`
the tension the pair settles toward; `last_mask[b, i]` the targets of i's latest move, a bit each.
Float parts are views of `data`; counts and flags come as arrays of their natural type.

A state is a value: the engine never changes one in place, it returns a new one. That makes
rollouts, undo and replays trivial and safe.
"""

from __future__ import annotations

import numpy as np

from game.engine.layout import Layout

PRESSURE, CREDIBILITY, STANDING = 0, 1, 2

_FIELDS: dict[str, tuple[str, np.dtype]] = {
    # name: (shape code, dtype) where the shape code says how the part is laid out
    "turn": ("1", np.dtype(np.int32)),
    "tension": ("nn", np.dtype(np.float64)),
    "gauges": ("n3", np.dtype(np.float64)),
    "diplomats": ("nn", np.dtype(np.float64)),
    "staff": ("nn", np.dtype(np.float64)),
    "consulates": ("nn", np.dtype(np.float64)),
    "properties": ("nn", np.dtype(np.float64)),
    "grievance": ("nn", np.dtype(np.float64)),
    "resting": ("nn", np.dtype(np.float64)),
    "hit": ("nn", np.dtype(np.float64)),
    "personality": ("n4", np.dtype(np.float64)),
    "leader": ("n", np.dtype(np.int16)),
    "enabled": ("nv", np.dtype(np.bool_)),
    "uses": ("nv", np.dtype(np.int16)),
    "last_variant": ("n", np.dtype(np.int16)),
    "prev_variant": ("n", np.dtype(np.int16)),
    "last_mask": ("n", np.dtype(np.int64)),
    "prev_mask": ("n", np.dtype(np.int64)),
    "aim": ("n", np.dtype(np.int16)),
    "received": ("n", np.dtype(np.float64)),
    "wronged": ("n", np.dtype(np.bool_)),
    "fired": ("e", np.dtype(np.int32)),
    "streak": ("k", np.dtype(np.int32)),
    "score_accum": ("n", np.dtype(np.float64)),
    "final_score": ("n", np.dtype(np.float64)),
    "over": ("1", np.dtype(np.bool_)),
    "outcome": ("1", np.dtype(np.int16)),
}
FIELD_NAMES = ("game_ids", "streams", *_FIELDS)


class State:
    """B games of one scenario."""

    __slots__ = ("data", "game_ids", "key", "lay", "streams")

    def __init__(
        self,
        lay: Layout,
        key: np.uint64,
        data: np.ndarray,
        game_ids: np.ndarray,
        streams: np.ndarray,
    ) -> None:
        self.lay = lay
        self.key = np.uint64(key)
        self.data = data
        self.game_ids = game_ids
        self.streams = streams

    @property
    def batch(self) -> int:
        return int(self.data.shape[0])

    @property
    def n_actors(self) -> int:
        return self.lay.n

    def _shape(self, code: str) -> tuple[int, ...]:
        lay = self.lay
        sizes = {"n": lay.n, "v": lay.v, "e": lay.e, "k": lay.k, "3": 3, "4": 4, "1": 1}
        if code == "1":
            return ()
        return tuple(sizes[c] for c in code)

    def part(self, name: str) -> np.ndarray:
        """A named part of every game, as a view of `data` (float64)."""
        code, _ = _FIELDS[name]
        shape = self._shape(code)
        start = getattr(self.lay, name)
        size = int(np.prod(shape, dtype=np.int64))
        view = self.data[:, start : start + size]
        return view.reshape((self.batch, *shape)) if shape else view[:, 0]

    def __getattr__(self, name: str) -> np.ndarray:
        if name not in _FIELDS:
            raise AttributeError(name)
        _, dtype = _FIELDS[name]
        values = self.part(name)
        return values if dtype == np.float64 else values.astype(dtype)

    def replace(self, **changes: np.ndarray) -> State:
        """A copy with some parts set to new values (for tests and hypothetical situations)."""
        unknown = changes.keys() - _FIELDS.keys() - {"game_ids", "streams"}
        if unknown:
            raise TypeError(f"State has no field {sorted(unknown)[0]!r}")
        new = State(self.lay, self.key, self.data.copy(), self.game_ids, self.streams)
        for name, value in changes.items():
            if name in ("game_ids", "streams"):
                setattr(new, name, np.asarray(value, dtype=np.uint64))
            else:
                new.part(name)[...] = np.asarray(value, dtype=np.float64)
        return new

    def take(self, indices: np.ndarray) -> State:
        """The games at these indices (repeats allowed)."""
        indices = np.asarray(indices, dtype=np.int64)
        return State(
            self.lay,
            self.key,
            np.ascontiguousarray(self.data[indices]),
            self.game_ids[indices],
            self.streams[indices],
        )

    def game(self, index: int) -> State:
        """One game as a batch of one."""
        return self.take(np.array([index]))

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in FIELD_NAMES}
