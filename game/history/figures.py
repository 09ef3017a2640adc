"""What replays of the real moves show: shares with 95% intervals, events, and held moves.

The figures answer three questions about a scenario's model, each against what really
happened: how often the real moves reach the real ending; whether the events fire, and when,
compared with their real dates; and whether the real moves could be played when they were
made (a move enabled only by an event that has not fired yet is held, or never played).
Rates carry Wilson intervals, as every rate of the balance lab does.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.balance.stats import wilson
from game.history.replay import FIRST_SEED, NEVER, NO_TARGET, Replays
from game.scenario.compiled import CompiledScenario

NEAR = 1
"""An event fires "near" its real turn within this many turns either side."""


@dataclass(frozen=True)
class OutcomeFigure:
    id: str
    title: str
    games: int  # replays that ended so
    share: float
    interval: tuple[float, float]


@dataclass(frozen=True)
class EventFigure:
    id: str
    headline: str
    fired: float  # share of replays in which it fired
    fired_interval: tuple[float, float]
    median_turn: int | None  # the turn it greeted, over the replays where it fired
    median_date: datetime.date | None
    real_turn: int | None  # the turn its real date greets, if it has one
    real_date: datetime.date | None
    near: float | None  # share of replays in which it first fired within NEAR turns of it
    near_interval: tuple[float, float] | None


@dataclass(frozen=True)
class MoveFigure:
    index: int  # place in history.moves
    turn: int
    date: datetime.date
    actor: str
    variant: str
    target: str | None
    on_time: int  # replays that played it on its turn
    late: int  # played on a later turn (it was held)
    median_delay: int | None  # turns late, over the replays that played it late
    never: int  # held until the game ended
    ended_before: int  # the game had ended before its turn

    @property
    def held(self) -> bool:
        """Whether any replay could not play it on its turn."""
        return self.late + self.never + self.ended_before > 0


@dataclass(frozen=True)
class HistoryFigures:
    scenario: CompiledScenario
    seeds: int
    outcome: str  # the real outcome's id
    share: float  # of replays ending in it
    interval: tuple[float, float]
    outcomes: tuple[OutcomeFigure, ...]
    events: tuple[EventFigure, ...]
    moves: tuple[MoveFigure, ...]
    mean_scores: dict[str, float]

    @property
    def first_seed(self) -> int:
        return FIRST_SEED


def turn_of_date(scenario: CompiledScenario, date: datetime.date) -> int:
    """The turn an event dated `date` greets, as the loader schedules `date:` events: the first
    turn dated on or after it (turn 1 for a date at or before the start)."""
    meta = scenario.model.metadata
    days = (date - meta.start_date).days
    return max(1, -(-days // meta.days_per_turn) + 1)


def _lower_median(values: np.ndarray) -> int | None:
    """The middle value (the lower of the two middle ones): always a turn that happened."""
    if values.size == 0:
        return None
    return int(np.sort(values)[(values.size - 1) // 2])


def _rate(successes: int, trials: int) -> tuple[float, tuple[float, float]]:
    share = successes / trials if trials else math.nan
    return share, wilson(successes, trials)


def figures(replays: Replays) -> HistoryFigures:
    """The report of `python main.py history`, from replays of the real moves."""
    sc = replays.scenario
    history = sc.model.history
    assert history is not None and history.outcome is not None
    b = replays.count
    counts = np.bincount(replays.outcome, minlength=len(sc.outcomes))
    outcomes = []
    for k, outcome in enumerate(sc.outcomes):
        share, interval = _rate(int(counts[k]), b)
        outcomes.append(OutcomeFigure(outcome.id, outcome.title, int(counts[k]), share, interval))
    real = next(o for o in outcomes if o.id == history.outcome)

    events = []
    for e, event in enumerate(sc.events):
        turns = replays.fired[:, e]
        fired = turns[turns != NEVER]
        share, interval = _rate(int(fired.size), b)
        median = _lower_median(fired)
        real_date = history.events.get(event.id)
        if real_date is None and sc.model.events[e].date is not None:
            real_date = sc.model.events[e].date
        real_turn = None if real_date is None else turn_of_date(sc, real_date)
        near = near_interval = None
        if real_turn is not None:
            hits = int(np.sum((turns != NEVER) & (np.abs(turns - real_turn) <= NEAR)))
            near, near_interval = _rate(hits, b)
        events.append(
            EventFigure(
                id=event.id,
                headline=event.headline,
                fired=share,
                fired_interval=interval,
                median_turn=median,
                median_date=None if median is None else sc.date_of_turn(median),
                real_turn=real_turn,
                real_date=real_date,
                near=near,
                near_interval=near_interval,
            )
        )

    moves = []
    for move in replays.moves:
        when = replays.played[:, move.index]
        reached = replays.turns >= move.turn
        late = when > move.turn
        moves.append(
            MoveFigure(
                index=move.index,
                turn=move.turn,
                date=sc.date_of_turn(move.turn),
                actor=sc.actor_ids[move.actor],
                variant=sc.variant(move.actor, move.variant).id,
                target=None if move.target == NO_TARGET else sc.actor_ids[move.target],
                on_time=int(np.sum(when == move.turn)),
                late=int(np.sum(late)),
                median_delay=_lower_median(when[late] - move.turn),
                never=int(np.sum(reached & (when == NEVER))),
                ended_before=int(np.sum(~reached)),
            )
        )
    return HistoryFigures(
        scenario=sc,
        seeds=b,
        outcome=real.id,
        share=real.share,
        interval=real.interval,
        outcomes=tuple(outcomes),
        events=tuple(events),
        moves=tuple(moves),
        mean_scores={
            a: float(replays.scores[:, i].mean()) if b else math.nan
            for i, a in enumerate(sc.actor_ids)
        },
    )


def _num(value: float | None, digits: int = 6) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _pair(pair: tuple[float, float] | None) -> list[float | None] | None:
    return None if pair is None else [_num(pair[0]), _num(pair[1])]


def _date(date: datetime.date | None) -> str | None:
    return None if date is None else date.isoformat()


def document(report: HistoryFigures) -> dict[str, Any]:
    """The figures as one JSON document (docs/scenario-format.md lists its fields). Nothing in
    it depends on the machine or the time, so the same seeds give the same document."""
    sc = report.scenario
    return {
        "scenario": sc.model.metadata.id,
        "scenario_sha256": sc.sha256,
        "seeds": report.seeds,
        "first_seed": report.first_seed,
        "outcome": report.outcome,
        "share": _num(report.share),
        "interval": _pair(report.interval),
        "outcomes": {o.id: _num(o.share) for o in report.outcomes},
        "outcome_intervals": {o.id: _pair(o.interval) for o in report.outcomes},
        "mean_scores": {a: _num(s) for a, s in report.mean_scores.items()},
        "events": [
            {
                "id": e.id,
                "fired": _num(e.fired),
                "fired_interval": _pair(e.fired_interval),
                "median_turn": e.median_turn,
                "median_date": _date(e.median_date),
                "real_turn": e.real_turn,
                "real_date": _date(e.real_date),
                "near_real_turn": _num(e.near),
                "near_interval": _pair(e.near_interval),
            }
            for e in report.events
        ],
        "moves": [
            {
                "turn": m.turn,
                "date": _date(m.date),
                "actor": m.actor,
                "variant": m.variant,
                "target": m.target,
                "on_time": m.on_time,
                "late": m.late,
                "median_delay": m.median_delay,
                "never_played": m.never,
                "ended_before": m.ended_before,
            }
            for m in report.moves
        ],
    }
