"""The end screen's score breakdown: each objective's value and its weighted points.

The engine reports only totals (`Engine.scores`), so the parts are evaluated here with the
scenario's own compiled objectives on the final state, the same way the engine sums them.
Running (every-turn) objectives cannot be re-evaluated after the fact; their sum is shown as
one line, the difference between the total and the end-of-game parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State
from game.engine.views import ActorView


@dataclass(frozen=True)
class ScoreLine:
    name: str
    value: float
    weight: float
    points: float


def score_breakdown(engine: Engine, state: State, actor: int) -> tuple[list[ScoreLine], float]:
    """(lines, total) for one actor of game 0."""
    scenario = engine.scenario
    total = float(engine.scores(state)[0, actor])
    view = ActorView(scenario, state, actor, engine.latest_kinds(state), state.turn)
    lines = []
    for objective in scenario.objectives[actor]:
        if objective.every_turn:
            continue
        value = float(np.broadcast_to(objective.value(view), (state.batch,))[0])
        lines.append(ScoreLine(objective.name, value, objective.weight, value * objective.weight))
    running = total - sum(line.points for line in lines)
    if abs(running) > 1e-6:
        lines.append(ScoreLine("Running objectives", running, 1.0, running))
    return lines, total
