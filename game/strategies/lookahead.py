"""The default opponent: it tries every legal move in Monte Carlo rollouts and keeps the best.

For each game and each legal variant, K copies of the game are played H turns ahead on the batch
engine: the candidate first, then the actor's own continuation (wait-and-see: it keeps options
open while a scheduled event is near, then reciprocates) against models of the other actors
(their real strategies, with any other lookahead replaced by generous tit-for-tat, so rollouts
never nest). A candidate's value is the actor's mean score
at the horizon, as if the game ended there. All rollouts of all games run as one batch: a
decision for B games is H engine steps on B x V x K games, never a Python loop over rollouts.

Rollouts draw from their own random streams, keyed by (game, turn, candidate, copy) under a
salted key, so the AI cannot foresee the real game's shocks.

Personality: hawkishness tilts values (up to `tilt` points toward retaliation for a hawk,
toward restraint for a dove), and volatility adds to the chance of an erratic choice, except
at noise 0 (the hard difficulty), where the AI never errs on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from game.engine.branch import branch
from game.engine.engine import Engine
from game.scenario.compiled import RESTRAIN, RETALIATE
from game.scenario.variables import TRAITS
from game.strategies.base import Situation, Strategy
from game.strategies.reciprocity import GenerousTitForTat, WaitAndSee

_ROLLOUT_SALT = 0x5EED_1A57_C0DE_0001
_HAWKISHNESS = TRAITS.index("hawkishness")
_VOLATILITY = TRAITS.index("volatility")


@dataclass(frozen=True)
class Difficulty:
    rollouts: int
    horizon: int
    noise: float


DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty(rollouts=8, horizon=3, noise=0.25),
    "normal": Difficulty(rollouts=24, horizon=5, noise=0.05),
    "hard": Difficulty(rollouts=64, horizon=6, noise=0.0),
}


class Lookahead(Strategy):
    name = "lookahead"
    description = "Simulates every legal move K times, H turns ahead, and plays the best."
    stochastic = True
    reads: ClassVar[tuple[str, ...]] = ("everything", "personality.hawkishness", "volatility")

    def __init__(
        self,
        difficulty: str = "normal",
        rollouts: int | None = None,
        horizon: int | None = None,
        noise: float | None = None,
        tilt: float = 3.0,
    ) -> None:
        if difficulty not in DIFFICULTIES:
            raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        base = DIFFICULTIES[difficulty]
        self.difficulty = difficulty
        self.rollouts = base.rollouts if rollouts is None else rollouts
        self.horizon = base.horizon if horizon is None else horizon
        self.noise = base.noise if noise is None else noise
        self.tilt = tilt
        if self.rollouts < 1 or self.horizon < 1 or not 0.0 <= self.noise <= 1.0:
            raise ValueError("rollouts and horizon must be at least 1, noise between 0 and 1")
        self._models: dict[int, Strategy] = {}
        self._continuation: Strategy = WaitAndSee()

    def params(self) -> dict[str, object]:
        return {"difficulty": self.difficulty} if self.difficulty != "normal" else {}

    def prepare(self, engine: Engine, actor: int, others: Mapping[int, Strategy]) -> None:
        self._models = {
            a: (GenerousTitForTat() if isinstance(s, Lookahead) else s) for a, s in others.items()
        }

    def values(self, situation: Situation) -> np.ndarray:
        """(B, V) expected score at the horizon for each variant; -inf where illegal."""
        from game.match import advance

        engine, state, actor = situation.engine, situation.state, situation.actor
        b, v, k = state.batch, engine.scenario.n_variants, self.rollouts
        legal = situation.legal
        fallback = np.argmax(legal, axis=1)
        candidates = np.where(legal, np.arange(v)[None, :], fallback[:, None])

        sources = np.repeat(np.arange(b), v * k)
        copies = np.tile(np.arange(v * k), b)
        roots = branch(state, sources, copies, _ROLLOUT_SALT)
        first = np.repeat(candidates, k, axis=1).reshape(-1)

        strategies: list[Strategy | None] = [
            self._models.get(a, self._continuation) for a in range(engine.scenario.n_actors)
        ]
        strategies[actor] = self._continuation
        sim, _, _ = advance(engine, roots, strategies, fixed={actor: first})
        for _ in range(self.horizon - 1):
            if sim.over.all():
                break
            sim, _, _ = advance(engine, sim, strategies)
        outcome = engine.scores(sim)[:, actor].reshape(b, v, k).mean(axis=2)
        return np.where(legal, outcome, -np.inf)

    def choose(self, situation: Situation) -> np.ndarray:
        values = self.values(situation)
        kinds = situation.engine.scenario.kind_table[situation.actor]
        hawk = situation.trait(_HAWKISHNESS)[:, None] - 0.5
        lean = np.where(kinds == RETALIATE, 1.0, np.where(kinds == RESTRAIN, -1.0, 0.0))
        values = values + 2.0 * self.tilt * hawk * lean[None, :]
        best = np.argmax(values, axis=1)
        noise = np.clip(self.noise + 0.1 * situation.trait(_VOLATILITY), 0.0, 1.0)
        if self.noise == 0.0:
            return best
        draws = situation.uniforms(2 + values.shape[1])
        erratic = draws[:, 0] < noise
        keys = np.where(situation.legal, draws[:, 2:], np.inf)
        return np.where(erratic, np.argmin(keys, axis=1), best)
