"""Names for people: strategies, sides and kinds of move as the screens show them."""

from __future__ import annotations

from game.strategies.registry import STRATEGY_NAMES
from game.ui.session import HUMAN

KIND_LABELS = ("Retaliate", "Restrain", "Wait")
KIND_KEYS = ("R", "S", "W")
DEFAULT_OPPONENT = "lookahead:normal"
FOG_OPPONENTS = frozenset({"lookahead:hard"})
"""Opponents against whom forecasts are hidden: the fog of war of the hardest difficulty."""

OPPONENTS: tuple[str, ...] = (
    "lookahead:easy",
    "lookahead:normal",
    "lookahead:hard",
    *(name for name in STRATEGY_NAMES if name != "lookahead"),
    HUMAN,
)


def kind_label(scenario, kind: int) -> str:
    """A kind of move as the scenario's screen calls it (Defect, Cooperate...), else its name."""
    named = getattr(scenario.model.presentation, ("retaliate", "restrain", "wait")[kind])
    return named or KIND_LABELS[kind]


def shows_gauges(scenario) -> bool:
    """False for scenarios where only the points count: the screens show a scoreboard."""
    return scenario.model.presentation.gauges


def strategy_description(name: str) -> str:
    """One line on what an opponent does, for the setup screen's list."""
    from game.strategies.registry import make_strategy

    if name == HUMAN:
        return "A second person on this machine; the screen is handed over between turns."
    base, _, arg = name.partition(":")
    if base == "lookahead":
        level = {
            "easy": "Tries 8 futures of each move, 3 turns ahead, and errs one time in four.",
            "normal": "Tries 24 futures of each move, 5 turns ahead, and rarely errs.",
            "hard": "Tries 64 futures, 6 turns ahead, never errs, and hides your forecast.",
        }
        return f"Looks ahead before each move. {level.get(arg or 'normal', '')}"
    try:
        return make_strategy(name).description
    except Exception:  # a strategy that cannot be built has nothing to say
        return ""


def strategy_label(name: str) -> str:
    """'lookahead:hard' -> 'Lookahead AI (hard)', 'tit_for_tat' -> 'Tit for tat'."""
    if name == HUMAN:
        return "Second player (hot seat)"
    base, _, arg = name.partition(":")
    if base == "lookahead":
        return f"Lookahead AI ({arg or 'normal'})"
    label = base.replace("_", " ").capitalize()
    return f"{label} ({arg})" if arg else label


def normalise_strategy(name: str) -> str:
    return "lookahead:normal" if name == "lookahead" else name
