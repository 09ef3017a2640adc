"""The balance verdict: is every kind of move (retaliate, restrain, wait) worth playing?

A scenario is balanced when each kind the scenario offers makes up at least `REAL_WEIGHT` of
the moves either in equilibrium play (each equilibrium's expected moves, the equilibria weighted
equally) or in the moves the lookahead AI made across all its games. Either source is evidence
that a thoughtful player uses the kind; a kind with little weight in both is one a designer
should look at. A sampled run finds no equilibria (they need every profile); best-reply play,
the moves each actor makes when it plays its best reply to one of its sampled line-ups, takes
their place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.balance.metagame import Equilibrium
from game.balance.summary import ProfileSummary
from game.balance.tournament import is_lookahead
from game.scenario.compiled import CompiledScenario
from game.scenario.model import KINDS

REAL_WEIGHT = 0.10


@dataclass(frozen=True)
class Verdict:
    balanced: bool
    threshold: float
    kinds: tuple[str, ...]  # the kinds the scenario offers
    equilibrium: dict[str, float] | None  # share of moves of each kind in equilibrium play
    lookahead: dict[str, float] | None  # share of the lookahead AI's moves of each kind
    short_in_equilibrium: tuple[str, ...]
    short_by_lookahead: tuple[str, ...]
    text: str
    best_reply: dict[str, float] | None = None  # sampled runs: shares in best-reply play
    short_in_best_reply: tuple[str, ...] = ()

    @property
    def sources(self) -> str:
        """The evidence the verdict weighs, in words."""
        first = "best-reply play" if self.best_reply is not None else "equilibrium play"
        return f"{first} or by the lookahead AI"


def equilibrium_kind_share(
    equilibrium: Equilibrium, summaries: Sequence[ProfileSummary], n_strategies: Sequence[int]
) -> np.ndarray:
    """(3,) expected share of each kind among all actors' moves when the equilibrium is played."""
    weighted_kinds = np.zeros(len(KINDS))
    weighted_moves = 0.0
    for summary, cell in zip(summaries, np.ndindex(*n_strategies), strict=True):
        weight = float(np.prod([m[s] for m, s in zip(equilibrium.mixture, cell, strict=True)]))
        if weight == 0.0:
            continue
        per_game = summary.kind_moves.sum(axis=0) / summary.games
        weighted_kinds += weight * per_game
        weighted_moves += weight * per_game.sum()
    return weighted_kinds / weighted_moves if weighted_moves > 0 else weighted_kinds


def lookahead_kind_share(summaries: Sequence[ProfileSummary]) -> np.ndarray | None:
    """(3,) share of each kind among the moves of every actor played by lookahead, or None."""
    moves = np.zeros(len(KINDS))
    for summary in summaries:
        for actor, name in enumerate(summary.strategies):
            if is_lookahead(name):
                moves += summary.kind_moves[actor]
    return moves / moves.sum() if moves.sum() > 0 else None


def _percentages(shares: dict[str, float]) -> str:
    return ", ".join(f"{kind} {100 * share:.0f}%" for kind, share in shares.items())


def balance_verdict(
    scenario: CompiledScenario,
    summaries: Sequence[ProfileSummary],
    equilibria: Sequence[Equilibrium],
    n_strategies: Sequence[int],
    best_reply: np.ndarray | None = None,
) -> Verdict:
    """The verdict from equilibrium play, or from `best_reply` play (a sampled run's (3,) kind
    shares, game.balance.lineups.best_reply_kinds) when given, and the lookahead AI's moves."""
    offered = sorted({v.kind for variants in scenario.variants for v in variants})
    kinds = tuple(KINDS[k] for k in offered)

    def shares(values: np.ndarray | None) -> dict[str, float] | None:
        return None if values is None else {KINDS[k]: float(values[k]) for k in offered}

    in_eq = None
    if equilibria:
        per_eq = [equilibrium_kind_share(e, summaries, n_strategies) for e in equilibria]
        in_eq = shares(np.mean(per_eq, axis=0))
    in_br = shares(best_reply)
    first, first_name = (in_br, "best-reply play") if best_reply is not None else (in_eq, "")
    first_name = first_name or "equilibrium play"
    by_ai = shares(lookahead_kind_share(summaries))

    def short(values: dict[str, float] | None) -> tuple[str, ...]:
        if values is None:
            return kinds
        return tuple(k for k in kinds if values[k] < REAL_WEIGHT)

    short_eq, short_ai, short_br = short(in_eq), short(by_ai), short(in_br)
    short_first = short_br if best_reply is not None else short_eq
    balanced = not short_first or (by_ai is not None and not short_ai)
    parts = []
    if first is not None:
        parts.append(f"{first_name}: {_percentages(first)}")
    if by_ai is not None:
        parts.append(f"lookahead AI: {_percentages(by_ai)}")
    nothing = "no best reply" if best_reply is not None else "no equilibrium"
    evidence = "; ".join(parts) or f"{nothing} and no lookahead games"
    if balanced:
        where = " and ".join(
            name
            for name, ok in (
                (f"in {first_name}", not short_first),
                ("by the lookahead AI", by_ai is not None and not short_ai),
            )
            if ok
        )
        text = (
            f"Balanced: every kind gets at least {REAL_WEIGHT:.0%} of the moves {where} "
            f"({evidence})."
        )
    else:
        gaps = [f"{', '.join(short_first)} in {first_name}"]
        if by_ai is not None:
            gaps.append(f"{', '.join(short_ai)} by the lookahead AI")
        text = (
            f"Not balanced: under {REAL_WEIGHT:.0%} of the moves go to {' and to '.join(gaps)} "
            f"({evidence})."
        )
    return Verdict(
        balanced, REAL_WEIGHT, kinds, in_eq, by_ai, short_eq, short_ai, text, in_br, short_br
    )
