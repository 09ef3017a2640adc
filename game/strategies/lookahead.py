"""The default opponent: it tries every legal move in Monte Carlo rollouts and keeps the best.

For each game and each legal variant, K copies of the game are played H turns ahead by the
compiled rules: the candidate first, then the actor's own continuation (wait-and-see: it keeps
options open while a scheduled event is near, then reciprocates) against models of the other
actors (their real strategies, with any other lookahead replaced by generous tit-for-tat, so
rollouts never nest; a person or a strategy written in Python is modelled as generous
tit-for-tat too). A candidate's value is the actor's mean score at the horizon, as if the game
ended there. The rollouts run inside the compiled code (`game.engine.choose`), with no Python in
the loop.

Rollouts draw from their own random streams, keyed by (game, turn, candidate, copy) under a
salted key, so the AI cannot foresee the real game's shocks.

Personality: hawkishness tilts values (up to `tilt` points toward retaliation for a hawk,
toward restraint for a dove), and volatility adds to the chance of an erratic choice, except
at noise 0 (the hard difficulty), where the AI never errs on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from game.engine import choose
from game.strategies.base import Situation, Strategy


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
    code = choose.LOOKAHEAD

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

    def params(self) -> dict[str, object]:
        return {"difficulty": self.difficulty} if self.difficulty != "normal" else {}

    def kernel_params(self) -> tuple[float, ...]:
        return (float(self.rollouts), float(self.horizon), self.noise, self.tilt)

    def values(self, situation: Situation) -> np.ndarray:
        """(B, V) expected score at the horizon for each variant; -inf where illegal."""
        return self.choose_with_values(situation)[1]
