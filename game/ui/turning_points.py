"""The turning points of a finished game: the turns where tension, as the player felt it, moved
most, told with what both sides did, the news, and the engine's own account of why.

Everything is read from the game's turn records (values, moves, events and causes); nothing is
computed here that the engine has not reported. Tension "as the player felt it" is the mean over
the pairs that include the player, as the crisis room's gauge shows it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine.records import TurnRecord
from game.scenario.compiled import CompiledScenario
from game.ui.relations import felt_by, parts_felt_by
from game.ui.stakes import why_it_moved

COUNT = 3
"""At most this many turning points: enough to tell the story, few enough to read at a glance."""
LEAST = 1.0
"""A turn where tension moved less than this (on the 0-100 scale) is no turning point."""


@dataclass(frozen=True)
class TurningPoint:
    """One turn of the game that changed its course."""

    record: TurnRecord
    before: float  # the player's tension before the turn
    after: float  # and after it
    band_before: str
    band_after: str
    why: tuple[str, ...]  # the largest parts of the change, in words, largest first

    @property
    def turn(self) -> int:
        return self.record.turn

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def band_changed(self) -> bool:
        return self.band_before != self.band_after


def player_tension(scenario: CompiledScenario, record: TurnRecord, viewer: int) -> float:
    """The tension the player feels after a turn: the mean over the pairs that include them."""
    return felt_by(scenario, record.values["tension"], viewer)


def tension_parts(scenario: CompiledScenario, record: TurnRecord, viewer: int) -> dict[str, float]:
    """The engine's parts of the player's tension change this turn (the mean over their pairs,
    as the tension itself is)."""
    return parts_felt_by(scenario, record.causes.get("tension", {}), viewer)


def turning_points(
    scenario: CompiledScenario,
    records: Sequence[TurnRecord],
    viewer: int,
    count: int = COUNT,
    least: float = LEAST,
) -> list[TurningPoint]:
    """The `count` turns where the player's tension moved most (at least `least`), in the
    order they were played. A turn that crossed into another band wins a tie."""
    found = []
    for before, record in itertools.pairwise(records):
        old = player_tension(scenario, before, viewer)
        new = player_tension(scenario, record, viewer)
        if abs(new - old) < least:
            continue
        lines = why_it_moved(scenario, tension_parts(scenario, record, viewer), viewer)
        why = tuple(lines.splitlines()[1:3])
        bands = (scenario.band_of(old), scenario.band_of(new))
        found.append(TurningPoint(record, old, new, *bands, why))
    found.sort(key=lambda p: (-round(abs(p.change), 6), not p.band_changed, p.turn))
    return sorted(found[:count], key=lambda p: p.turn)


__all__ = ["COUNT", "LEAST", "TurningPoint", "player_tension", "tension_parts", "turning_points"]
