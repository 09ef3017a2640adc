"""Turn records: what one turn of one game looked like, in plain data.

The news feed, the transcript, replays and `simulate --json` all read these. A record holds the
moves, the events that fired, the rendered headlines, and every variable after the turn with its
change, so a reader never has to know the engine's arrays.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from game.engine import rng
from game.engine.engine import Engine, StepReport
from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.scenario.compiled import KINDS_BY_NUMBER, NO_MOVE, CompiledScenario


@dataclass(frozen=True)
class MoveRecord:
    actor: str
    kind: str
    variant: str
    label: str
    severity: float
    expelled: int
    headline: str
    targets: list[str] = field(default_factory=list)
    """The actors the move reached."""


@dataclass(frozen=True)
class EventRecord:
    id: str
    headline: str
    text: str
    date: str = ""
    """ISO date: the event's own date where the scenario dates it, else the date of the turn
    whose news it makes."""


@dataclass(frozen=True)
class TurnRecord:
    turn: int
    date: str
    moves: list[MoveRecord]
    events: list[EventRecord]
    headlines: list[str]
    values: dict[str, Any]
    changes: dict[str, Any]
    outcome: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    causes: dict[str, Any] = field(default_factory=dict)
    """Why each number moved this turn, as the engine reports it: `tension` by pair and
    `actors` by actor and gauge, each a mapping of part to amount (an actor's id for its act,
    then reaction, fatigue, escalation, shock, events, bounds); the parts add up to the change
    in `changes`. Empty for turn 0."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def snapshot(scenario: CompiledScenario, state: State, game: int = 0) -> dict[str, Any]:
    """Every variable of one game, keyed by names a person can read."""
    ids = scenario.actor_ids
    actors: dict[str, Any] = {}
    for i, actor in enumerate(ids):
        actors[actor] = {
            "leader": scenario.leader_names[int(state.leader[game, i])],
            "pressure": float(state.gauges[game, i, PRESSURE]),
            "credibility": float(state.gauges[game, i, CREDIBILITY]),
            "standing": float(state.gauges[game, i, STANDING]),
            "diplomats_abroad": int(state.diplomats[game, i].sum()),
            "diplomats_hosted": int(state.diplomats[game, :, i].sum()),
            "grievance": float(state.grievance[game, i].sum()),
        }
    n = len(ids)
    tension = {f"{ids[i]}/{ids[j]}": float(state.tension[game, i, j]) for i, j in _pairs(n)}
    resting = {f"{ids[i]}/{ids[j]}": float(state.resting[game, i, j]) for i, j in _pairs(n)}
    missions: dict[str, Any] = {}
    for i in range(n):
        for j in range(n):
            if i != j:
                missions[f"{ids[i]}/{ids[j]}"] = {
                    "diplomats": int(state.diplomats[game, i, j]),
                    "staff": int(state.staff[game, i, j]),
                    "consulates": int(state.consulates[game, i, j]),
                    "properties": int(state.properties[game, i, j]),
                    "grievance": float(state.grievance[game, i, j]),
                }
    return {"tension": tension, "resting_tension": resting, "actors": actors, "pairs": missions}


def _pairs(n: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def _difference(before: Any, after: Any) -> Any:
    if isinstance(after, dict):
        return {k: _difference(before[k], v) for k, v in after.items()}
    if isinstance(after, str):
        return after if after != before else None
    return after - before


def render_headline(
    scenario: CompiledScenario,
    state: State,
    game: int,
    actor: int,
    variant: int,
    expelled: int,
    turn: int,
    targets: list[int] | None = None,
) -> str:
    """A variant's headline with this game's names and numbers; `turn` 0 is the opening.

    `state` is the game before the move; `targets` the actors it reached (by default every
    other actor). A variant with several templates lets the game's own stream pick one, so a
    repeated move reads fresh and a replay reads the same.
    """
    spec = scenario.variant(actor, variant)
    model = scenario.model
    if targets is None:
        targets = [a for a in range(scenario.n_actors) if a != actor]
    date = scenario.opening_date if turn == 0 else scenario.date_of_turn(turn)
    names = " and ".join(model.actors[o].name for o in targets) or "nobody"
    capitals = " and ".join(model.actors[o].capital for o in targets) or "nobody"
    fields = {
        "actor": model.actors[actor].name,
        "capital": model.actors[actor].capital,
        "leader": scenario.leader_names[int(state.leader[game, actor])],
        "target": names,
        "target_capital": capitals,
        "other": names,
        "other_capital": capitals,
        "n": str(expelled),
        "date": f"{date.day} {date:%B %Y}",
        "turn": str(turn),
    }
    choice = 0
    if len(spec.headlines) > 1:
        stream = state.streams[game : game + 1]
        draw = rng.uniforms(stream, np.array([turn]), rng.CHANNEL_HEADLINES, [actor])[0, 0]
        choice = int(draw * len(spec.headlines))
    return spec.headlines[choice].format(**fields)


def format_date(scenario: CompiledScenario, turn: int) -> str:
    date = scenario.date_of_turn(turn)
    return f"{date.day} {date:%B %Y}"


def _move(
    scenario: CompiledScenario,
    before: State,
    game: int,
    actor: int,
    variant: int,
    expelled: int,
    turn: int,
    targets: list[int],
) -> MoveRecord:
    spec = scenario.variant(actor, variant)
    return MoveRecord(
        actor=scenario.actor_ids[actor],
        kind=KINDS_BY_NUMBER[spec.kind],
        variant=spec.id,
        label=spec.label,
        severity=spec.severity,
        expelled=expelled,
        headline=render_headline(scenario, before, game, actor, variant, expelled, turn, targets),
        targets=[scenario.actor_ids[t] for t in targets],
    )


def turn_record(
    scenario: CompiledScenario,
    before: State,
    after: State,
    report: StepReport,
    game: int = 0,
) -> TurnRecord:
    """The record of the turn that took `before` to `after` in one game."""
    moves = []
    for actor in range(scenario.n_actors):
        if report.kinds[game, actor] == NO_MOVE:
            continue
        variant = int(after.last_variant[game, actor])
        expelled = int(report.expelled[game, actor])
        turn = int(before.turn[game]) + 1
        targets = _reached(after, game, actor)
        moves.append(_move(scenario, before, game, actor, variant, expelled, turn, targets))
    news_date = scenario.date_of_turn(int(after.turn[game]) + 1)
    events = [
        EventRecord(
            e.id, e.headline, e.text, (scenario.model.events[e.index].date or news_date).isoformat()
        )
        for e in scenario.events
        if report.fired[game, e.index]
    ]
    events.sort(key=lambda event: event.date)  # the news in the order it happened
    values = snapshot(scenario, after, game)
    changes = _difference(snapshot(scenario, before, game), values)
    turn = int(after.turn[game])
    ended = bool(after.over[game])
    scores = {}
    if ended:
        scores = {
            a: float(s) for a, s in zip(scenario.actor_ids, after.final_score[game], strict=True)
        }
    return TurnRecord(
        causes=causes_of(scenario, report, game),
        turn=turn,
        date=scenario.date_of_turn(max(turn, 1)).isoformat(),
        moves=moves,
        events=events,
        headlines=[m.headline for m in moves] + [e.headline for e in events],
        values=values,
        changes=changes,
        outcome=scenario.outcomes[int(after.outcome[game])].id if ended else None,
        scores=scores,
    )


def causes_of(scenario: CompiledScenario, report: StepReport, game: int) -> dict[str, Any]:
    """The engine's parts of each change in one game, keyed by names a person can read; parts
    that are zero are left out."""
    if report.causes is None:
        return {}
    from game.engine.rules import CAUSE_PARTS

    ids = scenario.actor_ids
    names = [*ids, *CAUSE_PARTS]
    lines = report.causes[game]

    def parts(line: int) -> dict[str, float]:
        # What rounding leaves (a millionth of a millionth) is no part of the story.
        return {name: float(x) for name, x in zip(names, lines[line], strict=True) if abs(x) > 1e-9}

    n = len(ids)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    tension = {f"{ids[i]}/{ids[j]}": parts(p) for p, (i, j) in enumerate(pairs)}
    gauges = ("pressure", "credibility", "standing")
    actors = {
        actor: {gauge: parts(len(pairs) + a * 3 + g) for g, gauge in enumerate(gauges)}
        for a, actor in enumerate(ids)
    }
    return {"tension": tension, "actors": actors}


def _reached(state: State, game: int, actor: int) -> list[int]:
    """The actors an actor's latest move reached, as the engine recorded them."""
    mask = int(state.last_mask[game, actor])
    return [b for b in range(state.n_actors) if (mask >> b) & 1]


def opening_record(scenario: CompiledScenario, opened: State) -> TurnRecord:
    """Turn 0: the moves made before the first turn, as the news feed opens with them.

    Changes are measured from the scenario's start values, which do not depend on the seed.
    """
    engine = Engine(scenario)
    blank = engine.blank_games(seed=0)
    report = engine.opening_report(opened)
    moves = []
    for actor, variant, _ in scenario.opening:
        expelled = int(report.expelled[0, actor])
        targets = _reached(opened, 0, actor)
        moves.append(_move(scenario, blank, 0, actor, variant, expelled, 0, targets))
    values = snapshot(scenario, opened, 0)
    return TurnRecord(
        turn=0,
        date=scenario.opening_date.isoformat(),
        moves=moves,
        events=[],
        headlines=[m.headline for m in moves],
        values=values,
        changes=_difference(snapshot(scenario, blank, 0), values),
    )
