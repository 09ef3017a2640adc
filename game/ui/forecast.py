"""What the engine expects if the player makes a given move: Monte Carlo rollouts on the batch
engine, computed on a worker thread so the frame loop never waits for them.

Two parts: `compute_forecast` plays the rollouts (the loop of `branch` and `advance` calls), and
`summarise` turns their end states into what the screen shows (the chance of each ending, the
change in each gauge and in the score with its spread, and what was assumed). The rollout loop
can be replaced without touching the summary.

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

from game.engine.engine import Engine, IllegalMove
from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.scenario.wording import possessive
from game.strategies.base import Strategy, profile_of
from game.strategies.lookahead import Lookahead
from game.strategies.reciprocity import GenerousTitForTat
from game.strategies.registry import make_strategy

ROLLOUTS = 512
HORIZON = 6
PERCENTILES = (5, 25, 50, 75, 95)
SPREAD = (5, 95)
"""Percentiles the spread of a change is given by: nine futures in ten fall between them."""
_FORECAST_SALT = 0xF0CA_57ED_0000_0002
FRAME_WAIT = 0.02
"""Seconds a forecast waits at most for the frame that asked for it to be shown."""
GAUGES = (("pressure", PRESSURE, -1), ("credibility", CREDIBILITY, 1), ("standing", STANDING, 1))
"""(name, index in State.gauges, sign of a good change)."""


@dataclass(frozen=True)
class Change:
    """A quantity's change over the forecast: its mean and the 5th to 95th percentile."""

    mean: float
    low: float
    high: float
    good: int  # +1 when a rise is good for the player, -1 when a fall is


@dataclass(frozen=True)
class Forecast:
    """What the rollouts say about one move: tension turn by turn, how the game may end within
    the horizon, and how the player's gauges and score may change."""

    turns: np.ndarray  # (H+1,) turn numbers, the current turn first; H is clipped to the end
    tension: np.ndarray  # (len(PERCENTILES), H+1) tension percentiles
    outcomes: dict[str, float]  # outcome id -> share of rollouts ending so within the horizon
    running: float  # share still going at the horizon
    changes: dict[str, Change]  # "score", "tension", "pressure", "credibility", "standing"
    assumption: str  # what the rollouts assume about every side, in one sentence
    rollouts: int

    @property
    def score_change(self) -> float:
        return self.changes["score"].mean

    @property
    def ended(self) -> float:
        return 1.0 - self.running


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


def assumption_text(engine: Engine, strategy_names: dict[int, str], actor: int) -> str:
    """The forecast's model of play, said plainly: the player is never assumed to play on as
    they might, and a side the forecast cannot afford to simulate in full is named as such."""
    from game.ui.labels import strategy_label

    sc = engine.scenario
    parts = []
    for other in range(sc.n_actors):
        if other == actor:
            continue
        name = strategy_names.get(other)
        who = sc.actor_name(other)
        if name is None:
            parts.append(f"{who} (a person) is modelled as generous tit-for-tat")
        elif isinstance(make_strategy(name), Lookahead):
            parts.append(f"{possessive(who)} lookahead AI is modelled as generous tit-for-tat")
        else:
            parts.append(f"{who} plays {strategy_label(name).lower()}, as in this game")
    return (
        "Assumes " + "; ".join(parts) + ", and that after this move you play generous "
        "tit-for-tat (you may do better)."
    )


def horizon_for(state: State, max_turns: int, horizon: int = HORIZON) -> int:
    """The forecast's horizon, clipped so that it never looks past the game's last turn."""
    return max(1, min(horizon, max_turns - int(state.turn[0])))


def compute_forecast(
    engine: Engine,
    state: State,
    actor: int,
    variant: int,
    strategy_names: dict[int, str],
    rollouts: int = ROLLOUTS,
    horizon: int = HORIZON,
    target: int = -1,
) -> Forecast:
    """Forecast the actor's `variant` from game 0 of `state` (which must be running), aimed at
    `target` if the player picks one (-1: where the rules aim it)."""
    horizon = horizon_for(state, engine.scenario.max_turns, horizon)
    if target >= 0:
        state = aimed(engine, state, actor, variant, target)
    models = rollout_models(strategy_names, engine.scenario.n_actors, actor)
    sim, paths = engine.rollouts(
        state, 0, actor, variant, horizon, profile_of(models), rollouts, _FORECAST_SALT
    )
    assumption = assumption_text(engine, strategy_names, actor)
    return summarise(engine, state, sim, paths, actor, assumption)


def aimed(engine: Engine, state: State, actor: int, variant: int, target: int) -> State:
    """Game 0 with the actor's move this turn aimed at `target`: written in the row's aim slot,
    as `Engine.step` writes it, which the first turn of each rollout reads. Raises IllegalMove
    for a target the move cannot take."""
    if not engine.legal_targets(state, 0, actor, variant)[target]:
        reason = engine.why_not_target(state, 0, actor, variant, target)
        raise IllegalMove(f"{engine.scenario.variant(actor, variant).label}: {reason}")
    data = state.data[:1].copy()
    data[0, engine.tables.lay.aim + actor] = target
    return State(state.lay, state.key, data, state.game_ids[:1], state.streams[:1])


def summarise(
    engine: Engine,
    start: State,
    ends: State,
    tension_paths: np.ndarray,
    actor: int,
    assumption: str,
) -> Forecast:
    """What the screen shows, from the rollouts' end states.

    `start` is the game now (batch of one), `ends` the K rollouts at the horizon (games that
    ended stay as they ended), `tension_paths` (K, H+1) the actor's tension from now to the
    horizon in each rollout.
    """
    sc = engine.scenario
    k = ends.batch
    outcome = np.asarray(ends.outcome)
    shares = {o.id: float(np.count_nonzero(outcome == o.index)) / k for o in sc.outcomes}
    changes = {"score": _change(engine.scores(ends)[:, actor] - engine.scores(start)[0, actor], 1)}
    changes["tension"] = _change(tension_paths[:, -1] - tension_paths[:, 0], -1)
    for name, index, good in GAUGES:
        delta = ends.gauges[:, actor, index] - start.gauges[0, actor, index]
        changes[name] = _change(delta, good)
    turn = int(start.turn[0])
    return Forecast(
        turns=np.arange(turn, turn + tension_paths.shape[1]),
        tension=np.percentile(tension_paths, PERCENTILES, axis=0),
        outcomes=shares,
        running=float(np.count_nonzero(outcome < 0)) / k,
        changes=changes,
        assumption=assumption,
        rollouts=k,
    )


def _change(values: np.ndarray, good: int) -> Change:
    low, high = np.percentile(values, SPREAD)
    return Change(float(values.mean()), float(low), float(high), good)


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
        self._between_frames = threading.Event()
        self._between_frames.set()  # no frame loop yet: work may start at once
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

    def frame_started(self) -> None:
        """A frame is being made: work asked for now waits until it is shown (or a moment).

        A forecast asked for by a key press would otherwise start in the middle of the frame
        that handles the key, the busiest of all, and take the interpreter from it whenever
        the frame waits on drawing; between frames the frame thread sleeps."""
        self._between_frames.clear()

    def frame_shown(self) -> None:
        """The frame is on screen: waiting work may run until the next one starts."""
        self._between_frames.set()

    def close(self) -> None:
        self._between_frames.set()
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
            self._between_frames.wait(FRAME_WAIT)
            try:
                result: Forecast | Exception = job()
            except Exception as error:  # surfaced to the caller by `request`
                result = error
            with self._lock:
                self._running = None
                self._cache[key] = result
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
