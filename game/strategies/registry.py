"""The strategies by the names used on the command line and in scenario files."""

from __future__ import annotations

from game.strategies.base import Strategy
from game.strategies.fixed import AlwaysRestrain, AlwaysRetaliate, AlwaysWait, RandomKind
from game.strategies.lookahead import Lookahead
from game.strategies.reciprocity import (
    GenerousTitForTat,
    GrimTrigger,
    TitForTat,
    TitForTwoTats,
    WaitAndSee,
)

STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (
        AlwaysRetaliate,
        AlwaysRestrain,
        AlwaysWait,
        TitForTat,
        GenerousTitForTat,
        TitForTwoTats,
        GrimTrigger,
        RandomKind,
        WaitAndSee,
        Lookahead,
    )
}
STRATEGY_NAMES: tuple[str, ...] = tuple(STRATEGIES)


class UnknownStrategy(ValueError):
    """A strategy name nobody defined; the message lists the valid ones."""


def make_strategy(name: str) -> Strategy:
    """A strategy with default parameters, by name.

    'lookahead:hard' picks a difficulty, 'random:0.2' a retaliation probability.
    """
    base, _, arg = name.partition(":")
    cls = STRATEGIES.get(base)
    if cls is None:
        raise UnknownStrategy(f"unknown strategy '{name}'; choose from {', '.join(STRATEGY_NAMES)}")
    if not arg:
        return cls()
    try:
        if cls is Lookahead:
            return Lookahead(difficulty=arg)
        if cls is RandomKind:
            return RandomKind(p=float(arg))
        if cls is GenerousTitForTat:
            return GenerousTitForTat(forgiveness=float(arg))
        if cls is WaitAndSee:
            return WaitAndSee(horizon=int(arg))
    except ValueError as error:
        raise UnknownStrategy(f"bad parameter in '{name}': {error}") from None
    raise UnknownStrategy(f"strategy '{base}' takes no parameter (got '{name}')")
