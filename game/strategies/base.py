"""What every strategy shares: the situation it sees, and how a built-in one chooses.

Each built-in strategy is a small class that names itself, describes itself, and says which
compiled choice it is (`code`, with up to four parameters); the choice itself is made by
`game.engine.choose`, the same code whether the strategy plays a real game, a lookahead rollout
or the forecast. A strategy decides a kind (retaliate, restrain, wait) per game, then turns it
into a legal variant: a retaliation is the legal retaliate variant whose severity is closest to
the severity the actor suffered in the latest turn (a proportional answer; the first listed wins
a tie), and restraint or waiting is the first legal variant of that kind as the scenario lists
them. If the wanted kind has no legal variant, the actor waits, else restrains, else retaliates
(retaliate falls back to wait, then restrain; restrain to wait, then retaliate).

Strategies written in Python (for tests, or a person's moves) subclass `Strategy` and override
`choose`; they play through the turn-by-turn path, and a lookahead models them as generous
tit-for-tat, as it models a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from game.engine import batch as kernels
from game.engine import rng
from game.engine.choose import GENEROUS_FORGIVENESS, GENEROUS_TIT_FOR_TAT
from game.engine.engine import Engine, Profile
from game.engine.state import State
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT

PARAMETERS = 4
"""Parameters per strategy in a compiled profile."""


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
        """(B,) whether another actor retaliated against this one in the latest (or the
        previous) turn; an act aimed at someone else is no blow to answer."""
        masks = self.state.last_mask if latest else self.state.prev_mask
        aimed_here = np.delete((masks >> self.actor) & 1, self.actor, axis=1).astype(bool)
        return ((self.others_kinds(latest) == RETALIATE) & aimed_here).any(axis=1)

    def trait(self, index: int) -> np.ndarray:
        return self.state.personality[:, self.actor, index]


def pick_variants(situation: Situation, wanted: np.ndarray) -> np.ndarray:
    """(B,) legal variants carrying out the wanted kinds (B,), by the module's rule."""
    engine = situation.engine
    t = engine.tables
    out = np.zeros(situation.batch, dtype=np.int64)
    kernels.pick_batch(
        t.lay,
        t.ints,
        t.floats,
        situation.state.data,
        situation.actor,
        np.ascontiguousarray(np.broadcast_to(wanted, (situation.batch,)), dtype=np.int64),
        np.ascontiguousarray(situation.legal, dtype=np.bool_),
        out,
    )
    return out


def constant_kind(situation: Situation, kind: int) -> np.ndarray:
    return pick_variants(situation, np.full(situation.batch, kind))


class Strategy:
    """A named way to play: one small class, self-describing, run over the whole batch."""

    name: ClassVar[str]
    description: ClassVar[str]
    stochastic: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...]] = ()
    """What the strategy looks at, e.g. ('others_last', 'personality.forgiveness')."""
    code: ClassVar[int | None] = None
    """Its compiled choice in `game.engine.choose`; None for a strategy written in Python."""
    targets: ClassVar[str] = (
        "Aims a move whose target is open at whoever hit it hardest in the latest turn, else at "
        "the actor it holds the most grievance against, else at an adversary before an ally."
    )
    """How it picks the target of a move whose target the scenario leaves open ('choose')."""

    def params(self) -> dict[str, Any]:
        """The parameters that set this instance apart from the default."""
        return {}

    def kernel_params(self) -> tuple[float, ...]:
        """The parameters its compiled choice reads, in order."""
        return ()

    def prepare(self, engine: Engine, actor: int, others: Mapping[int, Strategy]) -> None:
        """Told who the other actors' strategies are before a game (a lookahead models them
        in its rollouts)."""
        strategies: list[Strategy | None] = [None] * engine.scenario.n_actors
        for other, strategy in others.items():
            strategies[other] = strategy
        strategies[actor] = self
        self._profile = profile_of(strategies)

    def choose(self, situation: Situation) -> np.ndarray:
        """(B,) variant indices; each must be legal in its game."""
        return self.choose_with_values(situation)[0]

    def choose_with_values(self, situation: Situation) -> tuple[np.ndarray, np.ndarray]:
        profile = getattr(self, "_profile", None)
        n = situation.engine.scenario.n_actors
        if profile is None or profile.codes.shape[0] != n:
            strategies: list[Strategy | None] = [None] * n
            strategies[situation.actor] = self
            profile = profile_of(strategies)
        return situation.engine.choose(situation.state, situation.actor, profile, situation.legal)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.params().items())
        return f"{self.name}({params})" if params else self.name


def profile_of(strategies: Sequence[Strategy | None]) -> Profile:
    """The compiled profile of one strategy per actor. An actor without a compiled strategy (a
    person, or a strategy written in Python) is modelled as generous tit-for-tat, except where
    no strategy is known at all, which is modelled as the lookahead's own continuation."""
    from game.engine.choose import CONTINUATION_HORIZON, WAIT_AND_SEE

    codes = np.zeros(len(strategies), dtype=np.int64)
    params = np.zeros((len(strategies), PARAMETERS))
    for actor, strategy in enumerate(strategies):
        if strategy is None:
            codes[actor], params[actor, 0] = WAIT_AND_SEE, CONTINUATION_HORIZON
        elif strategy.code is None:
            codes[actor], params[actor, 0] = GENEROUS_TIT_FOR_TAT, GENEROUS_FORGIVENESS
        else:
            codes[actor] = strategy.code
            values = strategy.kernel_params()
            params[actor, : len(values)] = values
    return Profile(codes, params)


def compiled_profile(strategies: Sequence[Strategy]) -> Profile | None:
    """The profile if every strategy is compiled (the whole game can then run compiled)."""
    if any(strategy.code is None for strategy in strategies):
        return None
    return profile_of(strategies)


__all__ = ["RESTRAIN", "RETALIATE", "WAIT", "Situation", "Strategy", "pick_variants"]
