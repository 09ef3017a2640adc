"""Strategies that ignore the other side: the baselines every scenario is measured against."""

from __future__ import annotations

from game.engine import choose
from game.strategies.base import Strategy


class AlwaysRetaliate(Strategy):
    name = "always_retaliate"
    description = "Retaliates every turn, in proportion to the latest blow."
    code = choose.ALWAYS_RETALIATE


class AlwaysRestrain(Strategy):
    name = "always_restrain"
    description = "Restrains every turn."
    code = choose.ALWAYS_RESTRAIN


class AlwaysWait(Strategy):
    name = "always_wait"
    description = "Waits every turn (restrains where the scenario has no wait)."
    code = choose.ALWAYS_WAIT


class RandomKind(Strategy):
    """Retaliates with probability p; otherwise restrains or waits with equal chance.

    Where the scenario lacks a kind, its share goes to the other non-retaliating kind. The
    variant within the kind is drawn uniformly among the legal ones.
    """

    name = "random"
    description = "Retaliates with probability p, otherwise restrains or waits at random."
    stochastic = True
    code = choose.RANDOM

    def __init__(self, p: float = 0.5) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be between 0 and 1, got {p}")
        self.p = p

    def params(self) -> dict[str, float]:
        return {} if self.p == 0.5 else {"p": self.p}

    def kernel_params(self) -> tuple[float, ...]:
        return (self.p,)
