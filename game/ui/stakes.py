"""What is at stake, in words and numbers the screens show: where the endings lie on the tension
scale, how many turns an ending still needs, what each gauge means, and who won.

Everything here is read from the compiled scenario, the turn records and the engine; nothing is
a rule of its own. Which comparisons in an ending's condition are tension thresholds is
`compile.tension_thresholds`' answer, and how long a condition has held is the engine's count
(`Engine.outcome_progress`); the rest of a condition is told in the bar's tooltip.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.scenario.compile import tension_thresholds
from game.scenario.compiled import CompiledOutcome, CompiledScenario
from game.scenario.wording import condition_in_words, possessive

if TYPE_CHECKING:
    from game.engine.engine import OutcomeProgress

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
    "pairs": (
        "Tension between each pair of capitals, 0 to 100, and what each side holds against "
        "the other. A move moves only the tension of the pairs it reaches. The marks on a bar "
        "are where an ending turns on that pair's tension; the small triangle under it is "
        "where it settles once the exchange is over (its resting tension)."
    ),
    "missions": (
        "Missions, yours in their country and theirs in yours: diplomats, local staff, "
        "consulates and properties. Measures draw them down, and a measure with nothing left "
        "to act on cannot be aimed there."
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
            what = "your act" if actor == viewer else f"{possessive(name)} act"
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
class Mark:
    """One tension threshold of an ending, where the tension bar draws it: the rules' own
    reading of the condition (`compile.tension_thresholds`), and the pair whose tension it
    compares, or None for a scenario-wide reading (`tension`, `mean_tension`) that every
    pair's bar shows."""

    outcome: CompiledOutcome
    op: str  # "<", "<=", ">" or ">="
    value: float
    pair: tuple[int, int] | None

    @property
    def above(self) -> bool:
        """The ending lies above the mark (tension must rise to it)."""
        return self.op in (">", ">=")

    def short(self) -> str:
        """The words by the mark ("Rupture at 85"); the side it is drawn on says which way."""
        return f"{self.outcome.title} at {self.value:g}"

    def words(self) -> str:
        """The mark in full, for tooltips: "Rupture: tension at or above 85"."""
        sign = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}[self.op]
        return f"{self.outcome.title}: tension {sign} {self.value:g}"


def bar_marks(scenario: CompiledScenario) -> list[Mark]:
    """Every tension threshold of every ending, for the tension bars. Which comparisons are
    thresholds, and their values, is `tension_thresholds`' answer; this only notes which
    pair's tension each one reads."""
    pairs = {
        f"tension_{a}_{b}": (min(i, j), max(i, j))
        for i, a in enumerate(scenario.actor_ids)
        for j, b in enumerate(scenario.actor_ids)
        if i != j
    }
    found = []
    for outcome in scenario.outcomes:
        if outcome.when is None:
            continue
        try:
            tree = ast.parse(outcome.when.source.strip(), mode="eval")
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
                continue
            names = [n.id for n in (node.left, *node.comparators) if isinstance(n, ast.Name)]
            for op, value in tension_thresholds(ast.unparse(node)):
                pair = next((pairs[n] for n in names if n in pairs), None)
                found.append(Mark(outcome, op, value, pair))
    return found


def only_tension(outcome: CompiledOutcome) -> bool:
    """Whether an ending's condition asks for nothing but its tension thresholds (one, or
    several joined by `and`): else the briefing says there is more to it."""
    if outcome.when is None:
        return False
    try:
        tree = ast.parse(outcome.when.source.strip(), mode="eval").body
    except SyntaxError:
        return False
    parts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    return all(
        isinstance(part, ast.Compare) and tension_thresholds(ast.unparse(part)) for part in parts
    )


def progress_text(progress: OutcomeProgress) -> str:
    """An ending under way, in the words of the rules' own count: "Normalisation in 2 turns if
    this holds (1 of 3 so far)"."""
    left = progress.turns_left or 0
    turns = "turn" if left == 1 else "turns"
    return (
        f"{progress.title} in {left} {turns} if this holds "
        f"({progress.streak} of {progress.needed} so far)"
    )


def progress_lines(progress: list[OutcomeProgress]) -> list[str]:
    """The endings whose conditions hold now and still need more turns, in scenario order."""
    return [progress_text(p) for p in progress if p.holds and (p.turns_left or 0) > 0]


def endings_tip(scenario: CompiledScenario, progress: list[OutcomeProgress]) -> str:
    """Every ending with a condition, what it asks and how far the rules have counted it."""
    by_id = {p.id: p for p in progress}
    lines = ["How the crisis can end:"]
    for outcome in scenario.outcomes:
        if outcome.index == scenario.turn_limit_outcome and outcome.when is None:
            lines.append(f"{outcome.title}: the last turn, {scenario.max_turns}, is played.")
            continue
        if outcome.when is None:
            continue
        needed = outcome.for_turns
        rows = f", {needed} turns in a row" if needed > 1 else ""
        state = ""
        found = by_id.get(outcome.id)
        if found is not None:
            state = (
                f" Holds now ({found.streak} of {found.needed})."
                if found.holds
                else " Not met now."
            )
        condition = condition_in_words(outcome.when.source, scenario)
        lines.append(f"{outcome.title}: {condition}{rows}.{state}")
    return "\n".join(lines)


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
    """Who won and by how much, from the final scores: "You win by 2.5 points (88.4 to 85.9).",
    or "Winner: EU and NATO allies, by 2.5 points (...)." when the winner is a side named in
    the third person, a wording that needs no guess whether its name is singular or plural."""
    order = np.argsort(-scores, kind="stable")
    best, second = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
    # The margin as the figures read: 88.4 to 85.9 is a lead of 2.5, whatever the hundredths.
    margin = round(float(scores[best]), 1) - round(float(scores[second]), 1)
    if margin < 0.05:
        return f"A draw: {scores[best]:.1f} points each."
    by = f"by {margin:.1f} points ({scores[best]:.1f} to {scores[second]:.1f})."
    if best == player and humans and len(humans) == 1:
        return f"You win {by}"
    return f"Winner: {scenario.actor_name(best)}, {by}"
