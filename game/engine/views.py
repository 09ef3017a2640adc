"""The variables scenario expressions read, computed lazily from a batch state.

An expression only pays for the names it uses: each name is computed on first access and cached
for the rest of the view's life (one evaluation point of one step). The names and their meanings
are declared in `game.scenario.variables`; this module is their single implementation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping

import numpy as np

from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT, CompiledScenario
from game.scenario.variables import TRAITS, outcome_variable

_GAUGE_INDEX = {"pressure": PRESSURE, "credibility": CREDIBILITY, "standing": STANDING}
_KIND_NAMES = {"retaliated": RETALIATE, "restrained": RESTRAIN, "waited": WAIT}


Rule = Callable[["_LazyView"], np.ndarray]
"""How one variable is computed from a view (its state, kinds and turn)."""


class _LazyView(Mapping[str, np.ndarray]):
    """Variables computed on first access by rules made once per scenario: building a view,
    several times a turn, costs no more than a small object."""

    def __init__(
        self, rules: dict[str, Rule], state: State, kinds: np.ndarray, turn: np.ndarray
    ) -> None:
        self._rules = rules
        self._cache: dict[str, np.ndarray] = {}
        self.state, self.kinds, self.turn = state, kinds, turn

    def __getitem__(self, name: str) -> np.ndarray:
        value = self._cache.get(name)
        if value is None:
            value = self._cache[name] = self._rules[name](self)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)


class ActorView(_LazyView):
    """One actor's point of view, for availability, scaled effects and scores.

    `kinds` are the kinds of move of the latest turn (B, N); `turn` is what `turn` reads.
    """

    def __init__(
        self,
        scenario: CompiledScenario,
        state: State,
        actor: int,
        kinds: np.ndarray,
        turn: np.ndarray,
    ) -> None:
        super().__init__(_actor_rules(scenario, actor), state, kinds, turn)


class GlobalView(_LazyView):
    """The scenario-wide point of view, for events and outcomes."""

    def __init__(self, scenario: CompiledScenario, state: State, kinds: np.ndarray) -> None:
        super().__init__(_global_rules(scenario), state, kinds, state.turn)


@functools.lru_cache(maxsize=64)
def _actor_rules(scenario: CompiledScenario, i: int) -> dict[str, Rule]:
    others = scenario.n_actors - 1
    start = float(scenario.diplomats0[i].sum())
    rules: dict[str, Rule] = {
        "turn": lambda v: v.turn.astype(np.float64),
        "tension": lambda v: v.state.tension[:, i].max(axis=1),
        "relations": lambda v: 100.0 - v["tension"],
        "grievance": lambda v: v.state.grievance[:, i].sum(axis=1),
        "other_grievance": lambda v: v.state.grievance[:, :, i].sum(axis=1),
        "diplomats": lambda v: v.state.diplomats[:, i].sum(axis=1),
        "other_diplomats": lambda v: (v.state.diplomats.sum(axis=(1, 2)) - v["diplomats"]) / others,
        "diplomats_kept": lambda v: v["diplomats"] / start if start > 0 else np.ones(v.state.batch),
        "hosted": lambda v: v.state.diplomats[:, :, i].sum(axis=1),
    }
    for name, k in _GAUGE_INDEX.items():
        rules[name] = lambda v, k=k: v.state.gauges[:, i, k]
        rules[f"other_{name}"] = lambda v, k=k: (
            (v.state.gauges[:, :, k].sum(axis=1) - v.state.gauges[:, i, k]) / others
        )
    for name, kind in _KIND_NAMES.items():
        rules[name] = lambda v, kind=kind: (v.kinds[:, i] == kind).astype(np.float64)
        rules[f"other_{name}"] = lambda v, kind=kind: (
            ((v.kinds == kind).sum(axis=1) - (v.kinds[:, i] == kind)) / others
        )
    for t, trait in enumerate(TRAITS):
        rules[trait] = lambda v, t=t: v.state.personality[:, i, t]
    for outcome in scenario.outcomes:
        rules[outcome_variable(outcome.id)] = lambda v, k=outcome.index: (
            v.state.outcome == k
        ).astype(np.float64)
    return rules


@functools.lru_cache(maxsize=64)
def _global_rules(scenario: CompiledScenario) -> dict[str, Rule]:
    n = scenario.n_actors
    rules: dict[str, Rule] = {
        "turn": lambda v: v.turn.astype(np.float64),
        "tension": lambda v: v.state.tension.max(axis=(1, 2)),
        "mean_tension": lambda v: v.state.tension.sum(axis=(1, 2)) / (n * (n - 1)),
    }
    for event in scenario.events:
        rules[f"event_{event.id}"] = lambda v, e=event.index: v.state.fired[:, e].astype(np.float64)
    for i, actor in enumerate(scenario.actor_ids):
        for name, k in _GAUGE_INDEX.items():
            rules[f"{actor}_{name}"] = lambda v, i=i, k=k: v.state.gauges[:, i, k]
        rules[f"{actor}_grievance"] = lambda v, i=i: v.state.grievance[:, i].sum(axis=1)
        rules[f"{actor}_diplomats"] = lambda v, i=i: v.state.diplomats[:, i].sum(axis=1)
        rules[f"{actor}_hosted"] = lambda v, i=i: v.state.diplomats[:, :, i].sum(axis=1)
        rules[f"{actor}_tension"] = lambda v, i=i: v.state.tension[:, i].max(axis=1)
        for name, kind in _KIND_NAMES.items():
            rules[f"{actor}_{name}"] = lambda v, i=i, kind=kind: (v.kinds[:, i] == kind).astype(
                np.float64
            )
        for t, trait in enumerate(TRAITS):
            rules[f"{actor}_{trait}"] = lambda v, i=i, t=t: v.state.personality[:, i, t]
        for j, other in enumerate(scenario.actor_ids):
            if j != i:
                rules[f"tension_{actor}_{other}"] = lambda v, i=i, j=j: v.state.tension[:, i, j]
    return rules
