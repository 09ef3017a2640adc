"""Events fire after the turns their schedule and their condition name, and no others.

The rules look only at the events that may fire after a given turn (a table made when the
scenario is laid out, from each event's scheduled turn and its condition's window of turns), so
these cases sit on the edges of those windows.
"""

from __future__ import annotations

from helpers import PRISONERS_DILEMMA

from game.engine.engine import Engine
from game.match import advance, prepare
from game.scenario.load import load_scenario_text
from game.strategies.registry import make_strategy

EVENTS = {
    # id: (lines of the event, turns after which it fires)
    "scheduled": ("turn: 4", [3]),
    "window": ('when: "turn >= 3 and turn <= 4"\n    repeat: true', [3, 4]),
    "once_past": ('when: "turn > 5"', [6]),
    "no_window": ('when: "turn == 2 or turn == 7"\n    repeat: true', [2, 7]),
    "never": ('when: "turn >= 4 and turn <= 3"', []),
    "last_turn_of_its_window": ('when: "turn >= 8 and turn < 9"', [8]),
    "every_turn_from_ten": ('when: "turn >= 10"\n    repeat: true', [10, 11, 12]),
}


def _scenario_text() -> str:
    text = PRISONERS_DILEMMA.read_text(encoding="utf-8") + "\nevents:\n"
    for name, (lines, _) in EVENTS.items():
        text += f"  - id: {name}\n    {lines}\n    headline: {name}\n    text: {name}.\n"
    return text


def test_events_fire_after_the_turns_their_schedule_and_condition_name() -> None:
    engine = Engine(load_scenario_text(_scenario_text()))
    strategies = [make_strategy("always_restrain"), make_strategy("always_restrain")]
    prepare(engine, strategies)
    state = engine.new_games(0)
    fired_after: dict[str, list[int]] = {name: [] for name in EVENTS}
    for turn in range(1, 13):
        state, report, _ = advance(engine, state, strategies)
        assert int(state.turn[0]) == turn
        for event in engine.scenario.events:
            if report.fired[0, event.index]:
                fired_after[event.id].append(turn)
    assert fired_after == {name: turns for name, (_, turns) in EVENTS.items()}
