"""Strategies that ignore the other side: the baselines every scenario is measured against."""

from __future__ import annotations

import numpy as np

from game.strategies.base import RESTRAIN, RETALIATE, WAIT, Situation, Strategy, constant_kind


class AlwaysRetaliate(Strategy):
    name = "always_retaliate"
    description = "Retaliates every turn, in proportion to the latest blow."

    def choose(self, situation: Situation) -> np.ndarray:
        return constant_kind(situation, RETALIATE)


class AlwaysRestrain(Strategy):
    name = "always_restrain"
    description = "Restrains every turn."

    def choose(self, situation: Situation) -> np.ndarray:
        return constant_kind(situation, RESTRAIN)


class AlwaysWait(Strategy):
    name = "always_wait"
    description = "Waits every turn (restrains where the scenario has no wait)."

    def choose(self, situation: Situation) -> np.ndarray:
        return constant_kind(situation, WAIT)


class RandomKind(Strategy):
    """Retaliates with probability p; otherwise restrains or waits with equal chance.

    Where the scenario lacks a kind, its share goes to the other non-retaliating kind. The
    variant within the kind is drawn uniformly among the legal ones.
    """

    name = "random"
    description = "Retaliates with probability p, otherwise restrains or waits at random."
    stochastic = True

    def __init__(self, p: float = 0.5) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be between 0 and 1, got {p}")
        self.p = p

    def params(self) -> dict[str, float]:
        return {} if self.p == 0.5 else {"p": self.p}

    def choose(self, situation: Situation) -> np.ndarray:
        sc = situation.engine.scenario
        actor, legal = situation.actor, situation.legal
        draws = situation.uniforms(3)
        ranges = [sc.kind_range(actor, k) for k in (RETALIATE, RESTRAIN, WAIT)]
        has = [legal[:, r.start : r.stop].any(axis=1) for r in ranges]
        # The kinds are numbered 0, 1, 2 in the order RETALIATE, RESTRAIN, WAIT; small integer
        # arrays keep this quick for a batch of a million games.
        restrains = draws[:, 1] < 0.5
        restrains |= has[RESTRAIN] & ~has[WAIT]
        restrains &= has[RESTRAIN] | ~has[WAIT]
        wanted = np.subtract(WAIT, restrains, dtype=np.int8)
        wanted *= draws[:, 0] >= self.p
        missing = ~(has[RETALIATE] | (wanted != RETALIATE))
        missing |= ~has[RESTRAIN] & (wanted == RESTRAIN)
        missing |= ~has[WAIT] & (wanted == WAIT)
        if missing.any():
            # The first kind that has a legal variant, in the order retaliate, restrain, wait.
            fallback = np.where(has[RETALIATE], RETALIATE, np.where(has[RESTRAIN], RESTRAIN, WAIT))
            fallback[~(has[RETALIATE] | has[RESTRAIN] | has[WAIT])] = -1
            wanted[missing] = fallback[missing]
        # Uniform among the legal variants of the wanted kind: the m-th of c, m = floor(u * c).
        count = np.zeros(situation.batch, dtype=np.int16)
        for kind, columns in enumerate(ranges):
            count += legal[:, columns.start : columns.stop].sum(axis=1, dtype=np.int16) * (
                wanted == kind
            )
        # The m-th legal variant is the one where the running count of legal variants of the
        # wanted kind reaches m + 1.
        reach = (draws[:, 2] * count).astype(np.int16)
        reach += 1
        choice = np.zeros(situation.batch, dtype=np.int16)
        for kind, columns in enumerate(ranges):
            seen = np.zeros(situation.batch, dtype=np.int16)
            goal = reach * (wanted == kind)
            for v in columns:
                seen += legal[:, v]
                choice += np.int16(v) * ((seen == goal) & legal[:, v])
        return choice.astype(np.int64)
