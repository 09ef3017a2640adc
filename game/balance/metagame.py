"""The meta-game: strategies as moves, mean scores as payoffs.

The tournament's mean scores form an empirical normal-form game with one payoff table per actor
(`PayoffTables`). This module finds dominated strategies (with their margin and whether it is
beyond noise), best responses, and Nash equilibria:

- two actors: pure equilibria by checking every cell; for mixed ones, repeated and strictly
  dominated strategies are removed first (no equilibrium is lost), then nashpy's support
  enumeration runs when each side has at most `SUPPORT_ENUMERATION_MAX` strategies left, which
  finds them all in a non-degenerate game, and Lemke-Howson from every starting label otherwise,
  with a bound on its pivots so that a degenerate game cannot make it cycle for ever;
- three or more: pure equilibria by checking every cell, plus one mixed profile by fictitious
  play (each actor best-responds to the others' empirical mixture), reported with its regret
  (the most any actor could gain by deviating), since fictitious play need not converge.

Everything works on plain arrays, so hand-made tables (the prisoner's dilemma, matching pennies)
test it directly.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from game.balance.stats import Z95

SUPPORT_ENUMERATION_MAX = 6
FICTITIOUS_PLAY_ROUNDS = 4000
TIE = 1e-9
"""Payoff differences below this are ties (identical games give exactly equal means)."""


@dataclass(frozen=True)
class PayoffTables:
    """mean[i][s_0, ..., s_{N-1}]: actor i's mean score when actor k plays strategy s_k.

    `error` holds the standard error of each mean (0 for exact, hand-made tables).
    """

    actors: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]  # per actor
    mean: np.ndarray  # (N, S_0, ..., S_{N-1})
    error: np.ndarray  # same shape

    @staticmethod
    def exact(
        actors: Sequence[str], strategies: Sequence[Sequence[str]], mean: np.ndarray
    ) -> PayoffTables:
        mean = np.asarray(mean, dtype=np.float64)
        return PayoffTables(
            tuple(actors), tuple(tuple(s) for s in strategies), mean, np.zeros_like(mean)
        )

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    def own_axis(self, actor: int) -> tuple[np.ndarray, np.ndarray]:
        """Actor's means and errors with its own strategy first and the others' flattened:
        shape (S_actor, prod of the others)."""
        mean = np.moveaxis(self.mean[actor], actor, 0)
        error = np.moveaxis(self.error[actor], actor, 0)
        return mean.reshape(mean.shape[0], -1), error.reshape(error.shape[0], -1)

    def opposing(self, actor: int) -> list[tuple[str, ...]]:
        """Names of the others' strategy combinations, in the order of own_axis's columns."""
        others = [s for k, s in enumerate(self.strategies) if k != actor]
        return list(itertools.product(*others))


class OwnAxis(Protocol):
    """What dominance and best replies read: per actor, its strategies (rows) against the
    others' combinations (columns). PayoffTables has every combination; a sampled run's
    game.balance.lineups.LineupTables has the sampled ones."""

    @property
    def actors(self) -> tuple[str, ...]: ...

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]: ...

    @property
    def n_actors(self) -> int: ...

    def own_axis(self, actor: int) -> tuple[np.ndarray, np.ndarray]: ...

    def opposing(self, actor: int) -> list[tuple[str, ...]]: ...


@dataclass(frozen=True)
class Dominance:
    """`dominated` does no better than `by` against anything the others play."""

    actor: str
    dominated: str
    by: str
    strict: bool  # better against every opposing combination (else: never worse, once better)
    margin: float  # the smallest payoff advantage of `by`
    margin_interval: tuple[float, float]
    significant: bool  # strict: every advantage beyond noise; weak: at least one


@dataclass(frozen=True)
class BestResponse:
    actor: str
    against: tuple[str, ...]  # the other actors' strategies, in actor order
    best: tuple[str, ...]  # the best strategies (several when exactly tied)
    payoff: float
    margin: float  # over the next-best strategy (0 when tied)
    significant: bool  # the margin is beyond noise


@dataclass(frozen=True)
class DominantCandidate:
    """The strategy closest to dominating all of an actor's others, for the balance target."""

    actor: str
    strategy: str
    margin: float  # the smallest advantage over any other strategy against anything
    interval: tuple[float, float]


@dataclass(frozen=True)
class Equilibrium:
    """A mixed strategy per actor; pure when each has one strategy with probability 1."""

    mixture: tuple[np.ndarray, ...]  # per actor, over its strategies
    payoff: np.ndarray  # (N,) expected payoff
    regret: float  # the most any actor gains by deviating (0 for an exact equilibrium)
    method: str

    @property
    def pure(self) -> bool:
        return all(np.isclose(m.max(), 1.0) for m in self.mixture)


def _differences(tables: OwnAxis, actor: int, better: int, worse: int):
    mean, error = tables.own_axis(actor)
    d = mean[better] - mean[worse]
    se = np.sqrt(error[better] ** 2 + error[worse] ** 2)
    return d, se


def dominated_strategies(tables: OwnAxis) -> list[Dominance]:
    """Each dominated strategy with its strongest dominator (strict first, then by margin)."""
    found = []
    for actor in range(tables.n_actors):
        names = tables.strategies[actor]
        for worse in range(len(names)):
            best: Dominance | None = None
            for better in range(len(names)):
                if better == worse:
                    continue
                d, se = _differences(tables, actor, better, worse)
                if d.min() < -TIE or d.max() <= TIE:
                    continue
                strict = bool(d.min() > TIE)
                lower, upper = d - Z95 * se, d + Z95 * se
                significant = bool(lower.min() > 0) if strict else bool(lower.max() > 0)
                candidate = Dominance(
                    actor=tables.actors[actor],
                    dominated=names[worse],
                    by=names[better],
                    strict=strict,
                    margin=float(d.min()),
                    margin_interval=(float(lower.min()), float(upper.min())),
                    significant=significant,
                )
                if best is None or (candidate.strict, candidate.margin) > (
                    best.strict,
                    best.margin,
                ):
                    best = candidate
            if best is not None:
                found.append(best)
    return found


def dominant_candidates(tables: OwnAxis) -> list[DominantCandidate]:
    """Per actor, the strategy whose worst-case advantage over all its others is largest.

    A strategy dominates when that margin is positive; its interval runs from the smallest
    lower bound to the smallest upper bound of the advantages' 95% intervals.
    """
    result = []
    for actor in range(tables.n_actors):
        names = tables.strategies[actor]
        if len(names) < 2:
            continue
        best: DominantCandidate | None = None
        for t in range(len(names)):
            lows, mids, highs = [], [], []
            for s in range(len(names)):
                if s == t:
                    continue
                d, se = _differences(tables, actor, t, s)
                lows.append((d - Z95 * se).min())
                mids.append(d.min())
                highs.append((d + Z95 * se).min())
            candidate = DominantCandidate(
                tables.actors[actor],
                names[t],
                float(min(mids)),
                (float(min(lows)), float(min(highs))),
            )
            if best is None or candidate.margin > best.margin:
                best = candidate
        assert best is not None
        result.append(best)
    return result


def best_responses(tables: OwnAxis) -> list[BestResponse]:
    result = []
    for actor in range(tables.n_actors):
        mean, error = tables.own_axis(actor)
        names = tables.strategies[actor]
        for column, against in enumerate(tables.opposing(actor)):
            values = mean[:, column]
            top = float(values.max())
            tied = [names[s] for s in range(len(names)) if values[s] >= top - TIE]
            first = int(np.argmax(values))
            rest = np.delete(values, first)
            margin = 0.0 if len(tied) > 1 or rest.size == 0 else float(top - rest.max())
            significant = False
            if margin > 0:
                second = int(np.argmax(np.where(np.arange(len(values)) == first, -np.inf, values)))
                se = math.sqrt(error[first, column] ** 2 + error[second, column] ** 2)
                significant = margin > Z95 * se
            result.append(
                BestResponse(tables.actors[actor], against, tuple(tied), top, margin, significant)
            )
    return result


def expected_payoffs(tables: PayoffTables, mixture: Sequence[np.ndarray]) -> np.ndarray:
    """(N,) expected payoff of each actor when everyone plays its mixture."""
    result = []
    for actor in range(tables.n_actors):
        value = tables.mean[actor]
        for m in mixture:
            value = np.tensordot(m, value, axes=(0, 0))
        result.append(float(value))
    return np.array(result)


def deviation_payoffs(tables: PayoffTables, mixture: Sequence[np.ndarray], actor: int):
    """(S_actor,) the actor's expected payoff for each pure strategy against the others' mix."""
    value = np.moveaxis(tables.mean[actor], actor, 0)
    others = [m for k, m in enumerate(mixture) if k != actor]
    for m in others:
        value = np.tensordot(value, m, axes=(1, 0))
    return value


def regret(tables: PayoffTables, mixture: Sequence[np.ndarray]) -> float:
    """The most any actor could gain by switching to a pure strategy (0 at an equilibrium)."""
    expected = expected_payoffs(tables, mixture)
    gains = [
        deviation_payoffs(tables, mixture, actor).max() - expected[actor]
        for actor in range(tables.n_actors)
    ]
    return float(max(0.0, *gains))


def _tolerance(tables: PayoffTables) -> float:
    return 1e-7 * (1.0 + float(np.abs(tables.mean).max(initial=0.0)))


def pure_equilibria(tables: PayoffTables, method: str = "every cell checked") -> list[Equilibrium]:
    """Cells where no actor gains by switching strategy alone."""
    shape = tables.mean.shape[1:]
    best = [tables.mean[a].max(axis=a, keepdims=True) for a in range(tables.n_actors)]
    stable = np.ones(shape, dtype=bool)
    for actor in range(tables.n_actors):
        stable &= tables.mean[actor] >= best[actor] - TIE
    result = []
    for cell in zip(*np.nonzero(stable), strict=True):
        mixture = tuple(np.eye(shape[a])[cell[a]] for a in range(tables.n_actors))
        payoff = np.array([tables.mean[(a, *cell)] for a in range(tables.n_actors)])
        result.append(Equilibrium(mixture, payoff, 0.0, method))
    return result


def _same(a: Equilibrium, b: Equilibrium, atol: float = 1e-6) -> bool:
    return all(np.allclose(x, y, atol=atol) for x, y in zip(a.mixture, b.mixture, strict=True))


def _survivors(own: np.ndarray, other: np.ndarray) -> list[int]:
    """The strategies (rows of `own`) that no other row strictly dominates and that do not
    repeat an earlier row for both players."""
    keep = []
    for i in range(own.shape[0]):
        dominated = any(np.all(own[j] > own[i]) for j in range(own.shape[0]) if j != i)
        repeated = any(
            np.array_equal(own[j], own[i]) and np.array_equal(other[j], other[i]) for j in range(i)
        )
        if not (dominated or repeated):
            keep.append(i)
    return keep


def _reduced(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns left after removing repeated and strictly dominated strategies.

    Neither removal loses an equilibrium (a repeated strategy's weight can go to its twin), and
    both remove the degeneracy that makes pivoting algorithms stall.
    """
    rows, cols = np.arange(a.shape[0]), np.arange(a.shape[1])
    while True:
        sub_a, sub_b = a[np.ix_(rows, cols)], b[np.ix_(rows, cols)]
        keep_rows, keep_cols = _survivors(sub_a, sub_b), _survivors(sub_b.T, sub_a.T)
        if len(keep_rows) == len(rows) and len(keep_cols) == len(cols):
            return rows, cols
        rows, cols = rows[keep_rows], cols[keep_cols]


LEMKE_HOWSON_MAX_PIVOTS = 2000
"""A start that has not finished by then is cycling (it can, in a degenerate game) and is
dropped; the others still report their equilibria."""


def _lemke_howson(a: np.ndarray, b: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray] | None:
    """nashpy's Lemke-Howson from one dropped label, with a bound on the number of pivots."""
    from nashpy.linalg import create_col_tableau, create_row_tableau

    col_tableau = create_col_tableau(a, True)
    row_tableau = create_row_tableau(b, True)
    if label in row_tableau.non_basic_variables:
        order = itertools.cycle((row_tableau, col_tableau))
    else:
        order = itertools.cycle((col_tableau, row_tableau))
    full = col_tableau.labels
    entering = label
    for _ in range(LEMKE_HOWSON_MAX_PIVOTS):
        entering = next(order).pivot_and_drop_label(entering)
        if col_tableau.non_basic_variables.union(row_tableau.non_basic_variables) == full:
            x = row_tableau.to_strategy(col_tableau.non_basic_variables)
            y = col_tableau.to_strategy(row_tableau.non_basic_variables)
            return x, y
    return None


def _two_actor_mixed(tables: PayoffTables) -> tuple[list[Equilibrium], str]:
    import nashpy

    full_a, full_b = tables.mean[0], tables.mean[1]
    rows, cols = _reduced(full_a, full_b)
    a, b = full_a[np.ix_(rows, cols)], full_b[np.ix_(rows, cols)]
    small = max(a.shape) <= SUPPORT_ENUMERATION_MAX
    removed = " after removing repeated and strictly dominated strategies"
    method = (
        f"nashpy support enumeration{removed}"
        if small
        else f"nashpy Lemke-Howson from every starting label{removed} (may miss some equilibria)"
    )
    found: list[Equilibrium] = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if small:
            candidates = list(nashpy.Game(a, b).support_enumeration())
        else:
            starts = (_lemke_howson(a, b, label) for label in range(sum(a.shape)))
            candidates = [c for c in starts if c is not None]
        for x, y in candidates:
            x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
            if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
                continue
            if x.shape != (len(rows),) or y.shape != (len(cols),):
                continue
            if x.min() < -1e-9 or y.min() < -1e-9:
                continue
            x, y = np.clip(x, 0, None), np.clip(y, 0, None)
            if not (np.isclose(x.sum(), 1) and np.isclose(y.sum(), 1)):
                continue
            full_x, full_y = np.zeros(full_a.shape[0]), np.zeros(full_a.shape[1])
            full_x[rows], full_y[cols] = x / x.sum(), y / y.sum()
            mixture = (full_x, full_y)
            gap = regret(tables, mixture)
            if gap > _tolerance(tables):
                continue
            equilibrium = Equilibrium(mixture, expected_payoffs(tables, mixture), gap, method)
            if not any(_same(equilibrium, known) for known in found):
                found.append(equilibrium)
    return found, method


def fictitious_play(tables: PayoffTables, rounds: int = FICTITIOUS_PLAY_ROUNDS) -> Equilibrium:
    """The empirical mixture after `rounds` of simultaneous fictitious play from uniform play.

    Deterministic (ties go to the first strategy). The result is an equilibrium only when its
    regret is ~0; the caller reports the regret either way.
    """
    counts = [np.zeros(len(s)) for s in tables.strategies]
    for round_ in range(rounds):
        if round_ == 0:
            mixture = [np.full(len(s), 1.0 / len(s)) for s in tables.strategies]
        else:
            mixture = [c / c.sum() for c in counts]
        for actor in range(tables.n_actors):
            counts[actor][int(np.argmax(deviation_payoffs(tables, mixture, actor)))] += 1
    mixture = tuple(c / c.sum() for c in counts)
    method = f"fictitious play, {rounds} rounds"
    return Equilibrium(mixture, expected_payoffs(tables, mixture), regret(tables, mixture), method)


@dataclass(frozen=True)
class Equilibria:
    found: list[Equilibrium]
    method: str


def nash_equilibria(tables: PayoffTables) -> Equilibria:
    """Pure equilibria first, then mixed ones (see the module docstring for the methods)."""
    pure = pure_equilibria(tables)
    if tables.n_actors == 2:
        mixed, method = _two_actor_mixed(tables)
        method = f"pure: every cell checked; mixed: {method}"
    else:
        mixed = [fictitious_play(tables)]
        method = f"pure: every cell checked; mixed: {mixed[0].method} (approximate)"
    found = list(pure)
    # Fictitious play only approaches its limit, so a result within 1% of a known one is it.
    atol = 1e-6 if tables.n_actors == 2 else 1e-2
    for candidate in mixed:
        if not any(_same(candidate, known, atol) for known in found):
            found.append(candidate)
    return Equilibria(found, method)
