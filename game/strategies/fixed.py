"""Strategies that ignore the other side: the baselines every scenario is measured against."""

from __future__ import annotations

import functools

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
        ranges = tuple(sc.kind_range(actor, k) for k in (RETALIATE, RESTRAIN, WAIT))
        retaliates, restrains = draws[:, 0] < self.p, draws[:, 1] < 0.5
        n_variants = legal.shape[1]
        if n_variants > _MAX_TABLE_VARIANTS:
            wanted = _wanted_kinds(legal, ranges, retaliates, restrains)
            count = _kind_counts(legal, ranges, wanted)
            return _mth_legal(legal, ranges, wanted, _index_below(draws[:, 2], count))
        # Everything but the last draw depends on which variants are legal and two coin
        # flips, so it is looked up in a table made by the functions below.
        counts, picks = _choice_tables(ranges, n_variants)
        situation_code = np.zeros(situation.batch, dtype=np.int32)
        for v in range(n_variants):
            situation_code += legal[:, v] * np.int32(4 << v)
        situation_code += retaliates * np.int32(2)
        situation_code += restrains
        m = _index_below(draws[:, 2], counts.take(situation_code))
        return picks.take(situation_code * n_variants + m)


_MAX_TABLE_VARIANTS = 10
"""Up to this many variants per actor, the random strategy's choice is a table lookup
(2**V * 4 rows); past it, the functions below run on the batch directly."""

Ranges = tuple[range, range, range]


def _wanted_kinds(
    legal: np.ndarray, ranges: Ranges, retaliates: np.ndarray, restrains: np.ndarray
) -> np.ndarray:
    """(B,) int8 kind each game goes for: retaliate on the first coin, else restrain or wait on
    the second; a kind with no legal variant gives way as the class says; -1 if none is legal."""
    has = [legal[:, r.start : r.stop].any(axis=1) for r in ranges]
    restrains = restrains | (has[RESTRAIN] & ~has[WAIT])
    restrains &= has[RESTRAIN] | ~has[WAIT]
    # The kinds are numbered 0, 1, 2 in the order RETALIATE, RESTRAIN, WAIT.
    wanted = np.subtract(WAIT, restrains, dtype=np.int8)
    wanted *= ~retaliates
    missing = ~(has[RETALIATE] | (wanted != RETALIATE))
    missing |= ~has[RESTRAIN] & (wanted == RESTRAIN)
    missing |= ~has[WAIT] & (wanted == WAIT)
    if missing.any():
        # The first kind that has a legal variant, in the order retaliate, restrain, wait.
        fallback = np.where(has[RETALIATE], RETALIATE, np.where(has[RESTRAIN], RESTRAIN, WAIT))
        fallback[~(has[RETALIATE] | has[RESTRAIN] | has[WAIT])] = -1
        wanted[missing] = fallback[missing]
    return wanted


def _kind_counts(legal: np.ndarray, ranges: Ranges, wanted: np.ndarray) -> np.ndarray:
    """(B,) int16 number of legal variants of the wanted kind."""
    count = np.zeros(legal.shape[0], dtype=np.int16)
    for kind, columns in enumerate(ranges):
        count += legal[:, columns.start : columns.stop].sum(axis=1, dtype=np.int16) * (
            wanted == kind
        )
    return count


def _index_below(uniform: np.ndarray, count: np.ndarray) -> np.ndarray:
    """m = floor(u * c): uniform among 0..c-1 (0 where c is 0)."""
    return (uniform * count).astype(np.int16)


def _mth_legal(legal: np.ndarray, ranges: Ranges, wanted: np.ndarray, m: np.ndarray) -> np.ndarray:
    """(B,) the m-th legal variant of the wanted kind (0 if there is none): the one where the
    running count of legal variants of that kind reaches m + 1."""
    reach = m + np.int16(1)
    choice = np.zeros(legal.shape[0], dtype=np.int16)
    for kind, columns in enumerate(ranges):
        seen = np.zeros(legal.shape[0], dtype=np.int16)
        goal = reach * (wanted == kind)
        for v in columns:
            seen += legal[:, v]
            choice += np.int16(v) * ((seen == goal) & legal[:, v])
    return choice.astype(np.int64)


@functools.lru_cache(maxsize=64)
def _choice_tables(ranges: Ranges, n_variants: int) -> tuple[np.ndarray, np.ndarray]:
    """(counts, picks) for every situation code (legal variants as bits, then the two coins):
    counts[code] is how many legal variants the wanted kind has, and picks[code * V + m] the
    m-th of them. Made by running the batch functions on every situation at once."""
    legal_bits = np.arange(2**n_variants)[:, None] >> np.arange(n_variants)
    legal = np.repeat((legal_bits & 1).astype(bool), 4, axis=0)
    coins = np.tile(np.arange(4), 2**n_variants)
    retaliates, restrains = (coins & 2).astype(bool), (coins & 1).astype(bool)
    wanted = _wanted_kinds(legal, ranges, retaliates, restrains)
    counts = _kind_counts(legal, ranges, wanted)
    picks = np.stack(
        [
            _mth_legal(legal, ranges, wanted, np.full(len(legal), m, dtype=np.int16))
            for m in range(n_variants)
        ],
        axis=1,
    )
    return counts, picks.reshape(-1)
