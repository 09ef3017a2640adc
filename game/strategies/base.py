"""What every strategy shares: the situation it sees, and the rule for picking a variant.

A strategy decides a kind (retaliate, restrain, wait) per game, then `pick_variants` turns the
kinds into legal variants. The rule, which every built-in strategy follows unless it says
otherwise: a retaliation is the legal retaliate variant whose severity is closest to the
severity the actor suffered in the latest turn (a proportional answer; the first listed wins a
tie), and restraint or waiting is the first legal variant of that kind as the scenario lists
them. If the wanted kind has no legal variant, the actor waits, else restrains, else retaliates
(retaliate falls back to wait, then restrain; restrain to wait, then retaliate).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from game.engine import rng
from game.engine.engine import Engine
from game.engine.state import State
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT

# _FALLBACK_RANK[wanted][kind]: how much a kind is preferred when `wanted` is the goal.
_FALLBACK_RANK = np.array(
    [
        [0, 2, 1],  # retaliate, then wait, then restrain
        [2, 0, 1],  # restrain, then wait, then retaliate
        [2, 1, 0],  # wait, then restrain, then retaliate
    ]
)


@dataclass(frozen=True, eq=False)
class Situation:
    """What a strategy sees when it chooses for one actor in B games."""

    engine: Engine
    state: State
    actor: int
    legal: np.ndarray  # (B, V) bool, this actor's legal variants

    @property
    def batch(self) -> int:
        return self.state.batch

    def uniforms(self, count: int = 1) -> np.ndarray:
        """(B, count) numbers in [0, 1) for this actor and turn, from the game's own stream."""
        channel = rng.CHANNEL_STRATEGY + self.actor
        return rng.uniforms(self.state.streams, self.state.turn + 1, channel, count)

    def others_kinds(self, latest: bool = True) -> np.ndarray:
        """(B, N-1) kinds the other actors played in the latest (or the previous) turn."""
        variants = self.state.last_variant if latest else self.state.prev_variant
        return np.delete(self.engine.kinds_of(variants), self.actor, axis=1)

    def others_retaliated(self, latest: bool = True) -> np.ndarray:
        """(B,) whether any other actor retaliated in the latest (or the previous) turn."""
        return (self.others_kinds(latest) == RETALIATE).any(axis=1)

    def trait(self, index: int) -> np.ndarray:
        return self.state.personality[:, self.actor, index]


def pick_variants(situation: Situation, wanted: np.ndarray) -> np.ndarray:
    """(B,) legal variants carrying out the wanted kinds (B,), by the module's rule."""
    sc = situation.engine.scenario
    actor = situation.actor
    kinds = sc.kind_table[actor].astype(np.int64)
    valid = kinds >= 0
    rank = _FALLBACK_RANK[wanted][:, np.where(valid, kinds, 0)]
    gap = np.abs(sc.severity[actor][None, :] - situation.state.received[:, actor, None])
    within = np.where(kinds[None, :] == RETALIATE, gap, 0.0)
    order = np.arange(kinds.shape[0])[None, :]
    cost = rank * 1e6 + within * 1e3 + order
    cost = np.where(situation.legal & valid[None, :], cost, np.inf)
    return np.argmin(cost, axis=1)


def constant_kind(situation: Situation, kind: int) -> np.ndarray:
    return pick_variants(situation, np.full(situation.batch, kind))


class Strategy(ABC):
    """A named way to play: one small class, self-describing, vectorized over the batch."""

    name: ClassVar[str]
    description: ClassVar[str]
    stochastic: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...]] = ()
    """What the strategy looks at, e.g. ('others_last', 'personality.forgiveness')."""

    def params(self) -> dict[str, Any]:
        """The parameters that set this instance apart from the default."""
        return {}

    def prepare(self, engine: Engine, actor: int, others: Mapping[int, Strategy]) -> None:  # noqa: B027
        """Told who the other actors' strategies are before a game; most need not know."""

    @abstractmethod
    def choose(self, situation: Situation) -> np.ndarray:
        """(B,) variant indices; each must be legal in its game."""

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.params().items())
        return f"{self.name}({params})" if params else self.name


__all__ = ["RESTRAIN", "RETALIATE", "WAIT", "Situation", "Strategy", "pick_variants"]
