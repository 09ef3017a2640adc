"""What really happened, as the end screen sets it beside the player's game: the real moves, the
real ending, and the score the real moves earn with the player's luck.

A scenario can be compared when its `history` lists the real moves and the real ending. The
real moves' score comes from `game.history.replay.real_scores`, which plays them on the engine
under the player's seed (the same shocks, the same chances for events); it takes tens of
milliseconds, more on a loaded machine or a long scenario, so it runs on a worker thread and the
end screen shows it when it has arrived.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from game.history.replay import real_scores
from game.scenario.compiled import KINDS_BY_NUMBER, CompiledOutcome, CompiledScenario


def comparable(scenario: CompiledScenario) -> bool:
    """Whether the scenario says what really happened move by move and how it ended."""
    history = scenario.model.history
    return history is not None and bool(history.moves) and history.outcome is not None


def real_ending(scenario: CompiledScenario) -> CompiledOutcome | None:
    """The ending history reached (`history.outcome`), if the scenario names one."""
    history = scenario.model.history
    if history is None or history.outcome is None:
        return None
    return next((o for o in scenario.outcomes if o.id == history.outcome), None)


@dataclass(frozen=True)
class RealMove:
    """One move of `history.moves`, in the words the screens use."""

    turn: int
    date: datetime.date
    actor: int
    label: str
    kind: str  # "retaliate", "restrain" or "wait"
    target: int | None  # the actor it was aimed at, where the file names one


def real_moves(scenario: CompiledScenario) -> list[RealMove]:
    """The real moves in the file's order, each with its turn's date and its variant's label."""
    history = scenario.model.history
    if history is None:
        return []
    found = []
    for move in history.moves:
        actor = scenario.actor_index(move.actor)
        variant = scenario.variant(actor, scenario.variant_index(actor, move.variant))
        target = None if move.target is None else scenario.actor_index(move.target)
        date = scenario.date_of_turn(move.turn)
        kind = KINDS_BY_NUMBER[variant.kind]
        found.append(RealMove(move.turn, date, actor, variant.label, kind, target))
    return found


class RealScores:
    """Each actor's score when the real moves are played under the player's seed, worked out
    on a worker thread; `scores` is None until it has arrived."""

    def __init__(
        self,
        scenario: CompiledScenario,
        seed: int,
        compute: Callable[[CompiledScenario, int], dict[str, float]] = real_scores,
    ) -> None:
        self.scores: dict[str, float] | None = None
        self.error: Exception | None = None
        self.seconds: float | None = None
        """How long the replay took (for measuring; the screen never waits for it)."""
        self._thread = threading.Thread(
            target=self._run, args=(compute, scenario, seed), name="real-moves", daemon=True
        )
        self._thread.start()

    def _run(self, compute, scenario: CompiledScenario, seed: int) -> None:
        began = time.perf_counter()
        try:
            self.scores = compute(scenario, seed)
        except Exception as error:  # handed to the frame thread, which raises it
            self.error = error
        self.seconds = time.perf_counter() - began

    @property
    def ready(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


__all__ = ["RealMove", "RealScores", "comparable", "real_ending", "real_moves"]
