"""Which profiles a balance run plays: every one, or every strategy against sampled line-ups.

A *line-up*, for one actor, is a strategy for each of the other actors. Every per-actor figure of
the lab (its payoff per strategy, its best replies, dominance) compares the actor's strategies on
the same line-ups, so a run plays, for each actor, each of its strategies against each of its
line-ups. With N actors and S strategies:

- a run plays **every profile** (each actor's line-ups are all S^(N-1) combinations) when there
  are no more profiles than a sample would play, N x L x S;
- otherwise it plays a **sample**: L line-ups per actor (default LINEUPS), drawn in rounds of S in
  which each other actor plays each of its strategies exactly once (a random permutation per
  actor and round), with no line-up drawn twice for the same actor; a profile that several
  actors' line-ups share is played once.

The sample depends only on the run's seed, the strategy names, N and L, never on timing or on
where the games run, and a sampled profile plays the same games as it would in a full run.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.balance.defaults import LINEUPS

ROUND_ATTEMPTS = 100
"""Draws of a round before a line-up drawn twice is accepted (only a tiny space gets there)."""

Lineup = tuple[int, ...]
"""The other actors' strategies, as indices into the run's strategies, in actor order."""


@dataclass(frozen=True)
class Plan:
    """The profiles a run plays, and each actor's line-ups."""

    n_actors: int
    n_strategies: int
    sampled: bool
    lineups: tuple[tuple[Lineup, ...], ...]  # per actor
    profiles: tuple[tuple[int, ...], ...]  # distinct, in product order (first actor slowest)

    @property
    def possible(self) -> int:
        """Profiles in the whole space: S^N."""
        return self.n_strategies**self.n_actors

    @property
    def possible_lineups(self) -> int:
        """Line-ups per actor in the whole space: S^(N-1)."""
        return self.n_strategies ** (self.n_actors - 1)

    def profile(self, actor: int, strategy: int, lineup: Lineup) -> tuple[int, ...]:
        """The profile in which `actor` plays `strategy` against `lineup`."""
        return (*lineup[:actor], strategy, *lineup[actor:])


def sample_size(n_actors: int, n_strategies: int, lineups: int) -> int:
    """Profiles a sample of `lineups` line-ups per actor plays at most."""
    return n_actors * lineups * n_strategies


def samples(n_actors: int, n_strategies: int, lineups: int | None = None) -> bool:
    """Whether a run samples: when every profile would be more than the sample plays."""
    lineups = LINEUPS if lineups is None else lineups
    return n_strategies**n_actors > sample_size(n_actors, n_strategies, lineups)


def _generator(seed: int, strategies: Sequence[str], n_actors: int, lineups: int):
    digest = hashlib.sha256(("lineups\x00" + "\x00".join(strategies)).encode()).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([seed, n_actors, lineups, *words]))
    )


def _sampled_lineups(
    generator: np.random.Generator, n_others: int, n_strategies: int, lineups: int
) -> tuple[Lineup, ...]:
    chosen: list[Lineup] = []
    seen: set[Lineup] = set()
    for _ in range(math.ceil(lineups / n_strategies)):
        size = min(n_strategies, lineups - len(chosen))
        for _attempt in range(ROUND_ATTEMPTS):
            columns = [generator.permutation(n_strategies) for _ in range(n_others)]
            drawn = [tuple(int(column[k]) for column in columns) for k in range(n_strategies)]
            drawn = drawn[:size]
            if len(set(drawn)) == size and seen.isdisjoint(drawn):
                break
        chosen += drawn
        seen.update(drawn)
    return tuple(chosen)


def make_plan(
    n_actors: int,
    strategies: Sequence[str],
    seed: int,
    lineups: int | None = None,
) -> Plan:
    """Every profile, or a sample of `lineups` line-ups per actor (default LINEUPS)."""
    lineups = LINEUPS if lineups is None else lineups
    if lineups < 1:
        raise ValueError("an actor needs at least one line-up")
    s = len(strategies)
    if not samples(n_actors, s, lineups):
        every = tuple(itertools.product(range(s), repeat=n_actors - 1))
        return Plan(
            n_actors=n_actors,
            n_strategies=s,
            sampled=False,
            lineups=(every,) * n_actors,
            profiles=tuple(itertools.product(range(s), repeat=n_actors)),
        )
    generator = _generator(seed, strategies, n_actors, lineups)
    per_actor = tuple(
        _sampled_lineups(generator, n_actors - 1, s, lineups) for _ in range(n_actors)
    )
    plan = Plan(n_actors, s, True, per_actor, ())
    played = {
        plan.profile(actor, strategy, lineup)
        for actor in range(n_actors)
        for lineup in per_actor[actor]
        for strategy in range(s)
    }
    # Product order: the first actor's strategy varies slowest, as in a full run.
    return Plan(n_actors, s, True, per_actor, tuple(sorted(played)))
