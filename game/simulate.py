"""One recorded game between strategies, and its transcript: what `simulate` prints."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.engine.engine import Engine
from game.engine.records import TurnRecord, format_date, opening_record, turn_record
from game.match import advance, prepare
from game.scenario.compiled import CompiledScenario
from game.strategies.base import Strategy


@dataclass(frozen=True)
class RecordedGame:
    """A finished game: its turn records (turn 0 is the opening) and its result."""

    seed: int
    records: list[TurnRecord]
    outcome: str
    turns_played: int
    scores: dict[str, float]

    def to_json(
        self, scenario_path: str, as_actor: str, names: Mapping[str, str]
    ) -> dict[str, Any]:
        """The game as JSON data that `json.dumps` always writes as valid JSON: plain types, and
        null where a number is not finite (the loader makes that impossible; this holds anyway)."""
        return json_safe(
            {
                "scenario": scenario_path,
                "seed": self.seed,
                "as": as_actor,
                "strategies": dict(names),
                "turns": [record.to_json() for record in self.records],
                "result": {
                    "outcome": self.outcome,
                    "turns_played": self.turns_played,
                    "scores": self.scores,
                },
            }
        )


def json_safe(value: Any) -> Any:
    """`value` with numpy scalars made plain, tuples made lists, and NaN or infinity made None,
    since JSON has no way to write them (Python's `json` writes `NaN`, which parsers refuse)."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


def run_game(
    scenario: CompiledScenario, strategies: Sequence[Strategy], seed: int, game_id: int = 0
) -> RecordedGame:
    """Play one game (game id `game_id` of the seed) to its end, recording every turn."""
    engine = Engine(scenario)
    prepare(engine, strategies)
    state = engine.new_games(seed, game_ids=[game_id])
    records = [opening_record(scenario, state)]
    while not state.over[0]:
        before = state
        state, report, _ = advance(engine, state, strategies)
        records.append(turn_record(scenario, before, state, report))
    final = records[-1]
    return RecordedGame(
        seed=seed,
        records=records,
        outcome=final.outcome or "",
        turns_played=final.turn,
        scores=final.scores,
    )


def _gauges_line(scenario: CompiledScenario, record: TurnRecord) -> list[str]:
    lines = []
    for pair, value in record.values["tension"].items():
        delta = record.changes["tension"][pair]
        band = scenario.band_of(value)
        lines.append(f"    tension {pair}: {value:5.1f} ({band}, {delta:+.1f})")
    for actor, values in record.values["actors"].items():
        change = record.changes["actors"][actor]
        name = scenario.actor_name(scenario.actor_index(actor))
        parts = [
            f"{key} {values[key]:.0f} ({change[key]:+.0f})"
            for key in ("pressure", "credibility", "standing")
        ]
        parts.append(f"diplomats abroad {values['diplomats_abroad']}")
        lines.append(f"    {name}: " + ", ".join(parts))
    return lines


def transcript(
    scenario: CompiledScenario, game: RecordedGame, names: Mapping[str, str], seed: int
) -> str:
    """The game as text a person can follow, turn by turn."""
    sides = ", ".join(
        f"{scenario.actor_name(scenario.actor_index(a))}: {n}" for a, n in names.items()
    )
    width = max(len(scenario.actor_name(a)) for a in range(scenario.n_actors))
    lines = [f"{scenario.title}  (seed {seed}; {sides})", ""]
    for record in game.records:
        when = format_date_iso(record.date)
        heading = f"{when} - opening moves" if record.turn == 0 else f"Turn {record.turn}, {when}"
        lines.append(heading)
        for move in record.moves:
            name = scenario.actor_name(scenario.actor_index(move.actor))
            lines.append(f"  {name:<{width}}  {move.kind:<9}  {move.label}")
        for move in record.moves:
            lines.append(f"  > {move.headline}")
        for event in record.events:
            lines.append(f"  > {event.headline} ({format_date_iso(event.date)})")
        lines.extend(_gauges_line(scenario, record))
        lines.append("")
    outcome = next(o for o in scenario.outcomes if o.id == game.outcome)
    lines.append(f"Outcome after {game.turns_played} turns: {outcome.title}. {outcome.text}")
    scores = ", ".join(
        f"{scenario.actor_name(scenario.actor_index(a))} {s:.1f}" for a, s in game.scores.items()
    )
    lines.append(f"Scores: {scores}")
    return "\n".join(lines)


def format_date_iso(iso: str) -> str:
    import datetime

    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"


__all__ = ["RecordedGame", "format_date", "json_safe", "run_game", "transcript"]
