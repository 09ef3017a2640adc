"""What a move does regardless of the state, laid out for one lookup per turn.

A variant's kind, severity and constant effects depend only on the variant, so the engine reads
all of them for every actor of every game with a single `np.take` into this table, rather than
one lookup per actor and per field.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.scenario.compiled import EFFECT_FIELDS, NO_MOVE, CompiledScenario


@dataclass(frozen=True, eq=False)
class MoveTable:
    values: np.ndarray
    """(R, N * (V + 1)) float64: row 0 is severity, then one row per effect field in use.
    Column a * (V + 1) + v is actor a's variant v; column a * (V + 1) + V is "no move", all
    zero."""
    kinds: np.ndarray  # (N * (V + 1),) int8, NO_MOVE in the "no move" columns
    field_rows: tuple[int | None, ...]
    """The row of each effect field in EFFECT_FIELDS order, None for a field no variant uses
    (so the engine can skip its arithmetic)."""
    offsets: np.ndarray  # (N, 1) int64: the first column of each actor
    no_move: int  # V: the variant number that selects the "no move" column

    @classmethod
    def of(cls, scenario: CompiledScenario) -> MoveTable:
        n, v = scenario.n_actors, scenario.n_variants
        constants = scenario.effect_constants
        in_use = constants.any(axis=(0, 1))
        for _, _, field, _ in scenario.effect_expressions:
            in_use[field] = True
        field_rows: list[int | None] = []
        rows = [np.hstack([scenario.severity, np.zeros((n, 1))]).reshape(-1)]
        for field in range(len(EFFECT_FIELDS)):
            if not in_use[field]:
                field_rows.append(None)
                continue
            field_rows.append(len(rows))
            rows.append(np.hstack([constants[:, :, field], np.zeros((n, 1))]).reshape(-1))
        kinds = np.hstack([scenario.kind_table, np.full((n, 1), NO_MOVE, dtype=np.int8)])
        return cls(
            values=np.ascontiguousarray(np.stack(rows)),
            kinds=kinds.reshape(-1).astype(np.int8),
            field_rows=tuple(field_rows),
            offsets=(np.arange(n, dtype=np.int64) * (v + 1))[:, None],
            no_move=v,
        )

    def columns(self, actions: np.ndarray, everyone_moves: bool = False) -> np.ndarray:
        """(N, B) table columns of (B, N) actions, where NO_MOVE (or any negative) is no move."""
        if not everyone_moves and actions.min(initial=0) < 0:
            actions = np.where(actions < 0, self.no_move, actions)
        return np.add(actions.T, self.offsets, order="C")

    def look_up(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(B, N, R) values, batch-contiguous, and (B, N) int8 kinds of the moves."""
        values = np.take(self.values, columns, axis=1).transpose(2, 1, 0)
        return values, self.kinds.take(columns).T
