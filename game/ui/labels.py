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
