"""What the engine expects if the player makes a given move: Monte Carlo rollouts on the batch
engine, computed on a worker thread so the frame loop never waits for them.

A forecast branches K copies of the current game, each with its own random stream, fixes the
candidate move for the first turn, then lets a continuation policy (generous tit-for-tat) play
for the player against a model of each other side (its real strategy; a lookahead or a person is
modelled as generous tit-for-tat, which keeps the forecast cheap and never nests rollouts).
Every candidate of a turn uses the same streams, so their forecasts differ by the move and not
by luck.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State
from game.strategies.base import Strategy, profile_of
from game.strategies.lookahead import Lookahead
from game.strategies.reciprocity import GenerousTitForTat
from game.strategies.registry import make_strategy

ROLLOUTS = 512
HORIZON = 6
PERCENTILES = (5, 25, 50, 75, 95)
_FORECAST_SALT = 0xF0CA_57ED_0000_0002


@dataclass(frozen=True)
class Forecast:
    """Tension percentiles turn by turn and the expected change in the player's score."""

    turns: np.ndarray  # (H+1,) turn numbers, the current turn first
    tension: np.ndarray  # (len(PERCENTILES), H+1) tension percentiles
    score_change: float  # mean score at the horizon minus the score now
    ended: float  # share of rollouts in which the game ended
    rollouts: int


def rollout_models(
    strategy_names: dict[int, str], n_actors: int, actor: int
) -> list[Strategy | None]:
    """Fresh strategies for a forecast: the others' own strategies where cheap, else a model."""
    models: list[Strategy | None] = []
    for a in range(n_actors):
        name = strategy_names.get(a)
        strategy = make_strategy(name) if name and a != actor else None
        if strategy is None or isinstance(strategy, Lookahead):
            strategy = GenerousTitForTat()
        models.append(strategy)
    return models


def compute_forecast(
    engine: Engine,
    state: State,
    actor: int,
    variant: int,
    strategy_names: dict[int, str],
    rollouts: int = ROLLOUTS,
    horizon: int = HORIZON,
) -> Forecast:
    """Forecast the actor's `variant` from game 0 of `state` (which must be running)."""
    models = rollout_models(strategy_names, engine.scenario.n_actors, actor)
    start_score = engine.scores(state)[0, actor]
    sim, paths = engine.rollouts(
        state, 0, actor, variant, horizon, profile_of(models), rollouts, _FORECAST_SALT
    )
    turn = int(state.turn[0])
    return Forecast(
        turns=np.arange(turn, turn + horizon + 1),
        tension=np.percentile(paths, PERCENTILES, axis=0),
        score_change=float(engine.scores(sim)[:, actor].mean() - start_score),
        ended=float(sim.over.mean()),
        rollouts=rollouts,
    )


class Forecaster:
    """Runs forecast jobs on one daemon thread; the newest request wins, results are cached.

    The frame loop calls `request` every frame it wants a forecast and draws a spinner until it
    returns one. Only the latest request waits to run, so hovering across buttons never queues
    up stale work.
    """

    def __init__(self, cache_size: int = 128) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._cache: OrderedDict[Hashable, Forecast | Exception] = OrderedDict()
        self._pending: tuple[Hashable, Callable[[], Forecast]] | None = None
        self._running: Hashable | None = None
        self._cache_size = cache_size
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="forecast", daemon=True)
        self._thread.start()

    def request(self, key: Hashable, job: Callable[[], Forecast]) -> Forecast | None:
        """The cached forecast for `key`, or None after scheduling `job` to compute it."""
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                if isinstance(found, Exception):
                    raise found
                return found
            if self._running != key:
                self._pending = (key, job)
                self._wake.notify()
        return None

    def wait(self, key: Hashable, job: Callable[[], Forecast], timeout: float = 30.0) -> Forecast:
        """Block until the forecast is ready (for scripts, tests and the benchmark)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            found = self.request(key, job)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError("forecast not ready")
            time.sleep(0.002)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify()

    def _work(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                key, job = self._pending
                self._pending = None
                self._running = key
            try:
                result: Forecast | Exception = job()
            except Exception as error:  # surfaced to the caller by `request`
                result = error
            with self._lock:
                self._running = None
                self._cache[key] = result
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
