"""What is at stake, in words and numbers the screens show: where the endings lie on the tension
scale, how many turns an ending still needs, what each gauge means, and who won.

Everything here is read from the compiled scenario and the engine's state; nothing is a rule of
its own. A condition the tension bar cannot draw (one that reads more than tension) is simply
not drawn, and its countdown is still shown from the engine's `streak`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from game.scenario.compiled import CompiledOutcome, CompiledScenario

GAUGE_HELP = {
    "tension": (
        "Tension between the two capitals, 0 to 100. Lower is better for both sides. "
        "Retaliation raises it, restraint and time lower it; events can jolt it either way. "
        "The marks on the bar are where the crisis ends."
    ),
    "pressure": (
        "Domestic pressure to answer, 0 to 100. Lower is better. Unanswered grievances and "
        "waiting raise it; answering in kind relieves it."
    ),
    "credibility": (
        "Whether threats and promises are believed, 0 to 100. Higher is better. Answering a "
        "blow raises it; backing down under pressure costs it."
    ),
    "standing": (
        "Standing with the rest of the world, 0 to 100. Higher is better. Restraint earns it; "
        "harsh moves and escalation spend it."
    ),
    "diplomats": (
        "Your diplomats still posted with the other side. More is better: every expulsion "
        "costs you people on the ground, and some objectives count them."
    ),
    "grievance": (
        "Unanswered blows this side holds against the other. It feeds domestic pressure until "
        "answered or forgiven, and fades slowly while nothing happens."
    ),
    "score": (
        "Your score so far, objective by objective, as the scenario counts it. The side with "
        "the higher score at the end wins."
    ),
}


_PART_WORDS = {
    "reaction": "reaction to grievance",
    "fatigue": "fatigue: the drift back to normal",
    "escalation": "both sides retaliated",
    "shock": "chance",
    "events": "events",
    "bounds": "the end of the scale",
}


def why_it_moved(scenario: CompiledScenario, parts: dict[str, float], viewer: int) -> str:
    """The engine's parts of one change this turn, largest first, in a player's words: "+6.0
    Washington's act", "-2.3 fatigue" (the UI only words them; the engine computed them)."""
    shown = [(value, key) for key, value in parts.items() if abs(value) >= 0.05]
    if not shown:
        return "This turn: no change."
    lines = ["This turn:"]
    for value, key in sorted(shown, key=lambda item: -abs(item[0])):
        if key in scenario.actor_ids:
            actor = scenario.actor_index(key)
            name = scenario.actor_name(actor)
            possessive = f"{name}'" if name.endswith("s") else f"{name}'s"
            what = "your act" if actor == viewer else f"{possessive} act"
        else:
            what = _PART_WORDS.get(key, key)
        lines.append(f"{value:+.1f}  {what}")
    return "\n".join(lines)


def gauge_tip(scenario: CompiledScenario, record: object, key: str, actor: int, viewer: int) -> str:
    """A gauge's tooltip: what it is and which way is good, then why it moved this turn."""
    words = GAUGE_HELP[key]
    causes = getattr(record, "causes", {}).get("actors", {})
    parts = causes.get(scenario.actor_ids[actor], {}).get(key)
    if parts is None:
        return words
    return words + "\n\n" + why_it_moved(scenario, parts, viewer)


@dataclass(frozen=True)
class Threshold:
    """An ending drawn on the tension bar: tension at or beyond `value` for `for_turns` turns."""

    outcome: CompiledOutcome
    value: float
    above: bool  # True: the ending comes at tension >= value; False: at tension <= value

    def label(self) -> str:
        sign = "at or above" if self.above else "at or below"
        turns = f" for {self.outcome.for_turns} turns" if self.outcome.for_turns > 1 else ""
        return f"{self.outcome.title}: tension {sign} {self.value:g}{turns}"


def thresholds(scenario: CompiledScenario) -> list[Threshold]:
    """The endings whose condition is a plain comparison of tension with a number."""
    found = []
    for outcome in scenario.outcomes:
        if outcome.when is None:
            continue
        parsed = _tension_comparison(outcome.when.source)
        if parsed is not None:
            found.append(Threshold(outcome, *parsed))
    return found


def _tension_comparison(source: str) -> tuple[float, bool] | None:
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(tree, ast.Compare) and len(tree.ops) == 1):
        return None
    left, op, right = tree.left, tree.ops[0], tree.comparators[0]
    if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        left, right = right, left
        op = {ast.GtE: ast.LtE(), ast.Gt: ast.Lt(), ast.LtE: ast.GtE(), ast.Lt: ast.Gt()}.get(
            type(op), op
        )
    if not (isinstance(left, ast.Name) and left.id == "tension"):
        return None
    if not (isinstance(right, ast.Constant) and isinstance(right.value, int | float)):
        return None
    if isinstance(op, ast.GtE | ast.Gt):
        return float(right.value), True
    if isinstance(op, ast.LtE | ast.Lt):
        return float(right.value), False
    return None


@dataclass(frozen=True)
class Countdown:
    """An ending whose condition holds now and needs more turns in a row."""

    outcome: CompiledOutcome
    held: int

    @property
    def left(self) -> int:
        return max(0, self.outcome.for_turns - self.held)

    def text(self) -> str:
        turns = "turn" if self.left == 1 else "turns"
        return f"{self.outcome.title} in {self.left} {turns} if this holds ({self.held} so far)"


def countdowns(scenario: CompiledScenario, streak: np.ndarray) -> list[Countdown]:
    """Endings under way, from one game's `streak` row (turns each condition has held)."""
    found = []
    for outcome in scenario.outcomes:
        held = int(streak[outcome.index]) if outcome.index < len(streak) else 0
        if outcome.when is not None and 0 < held < outcome.for_turns:
            found.append(Countdown(outcome, held))
    return found


def band_label(scenario: CompiledScenario, name: str, over: bool) -> str:
    """A tension band's name as the gauge shows it. A band named after an ending is called the
    brink of it while the game goes on, so the bar never announces an ending that has not come."""
    if over:
        return name
    for outcome in scenario.outcomes:
        if name.lower() in (outcome.id.lower(), outcome.title.lower()):
            return f"brink of {name}"
    return name


def result_line(scenario: CompiledScenario, scores: np.ndarray, player: int, humans) -> str:
    """Who won and by how much, from the final scores."""
    order = np.argsort(-scores, kind="stable")
    best, second = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
    margin = float(scores[best] - scores[second])
    if margin < 0.05:
        return f"A draw: {scores[best]:.1f} points each."

    def name(actor: int) -> str:
        if actor == player and humans and len(humans) == 1:
            return "You"
        return scenario.actor_name(actor)

    verb = "win" if name(best) == "You" else "wins"
    return (
        f"{name(best)} {verb} by {margin:.1f} points ({scores[best]:.1f} to {scores[second]:.1f})."
    )
