"""The variables scenario expressions read, computed lazily from a batch state.

An expression only pays for the names it uses: each name is computed on first access and cached
for the rest of the view's life (one evaluation point of one step). The names and their meanings
are declared in `game.scenario.variables`; this module is their single implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np

from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT, CompiledScenario
from game.scenario.variables import TRAITS, outcome_variable

_GAUGE_INDEX = {"pressure": PRESSURE, "credibility": CREDIBILITY, "standing": STANDING}
_KIND_NAMES = {"retaliated": RETALIATE, "restrained": RESTRAIN, "waited": WAIT}


class _LazyView(Mapping[str, np.ndarray]):
    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self._rules: dict[str, Callable[[], np.ndarray]] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        value = self._cache.get(name)
        if value is None:
            value = self._cache[name] = self._rules[name]()
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
        super().__init__()
        n = state.n_actors
        others = n - 1
        i = actor
        g = state.gauges
        rules = self._rules
        rules["turn"] = lambda: turn.astype(np.float64)
        rules["tension"] = lambda: state.tension[:, i].max(axis=1)
        rules["relations"] = lambda: 100.0 - self["tension"]
        for name, k in _GAUGE_INDEX.items():
            rules[name] = lambda k=k: g[:, i, k]
            rules[f"other_{name}"] = lambda k=k: (g[:, :, k].sum(axis=1) - g[:, i, k]) / others
        rules["grievance"] = lambda: state.grievance[:, i].sum(axis=1)
        rules["other_grievance"] = lambda: state.grievance[:, :, i].sum(axis=1)
        rules["diplomats"] = lambda: state.diplomats[:, i].sum(axis=1)
        rules["other_diplomats"] = lambda: (
            (state.diplomats.sum(axis=(1, 2)) - self["diplomats"]) / others
        )
        start = float(scenario.diplomats0[i].sum())
        rules["diplomats_kept"] = lambda: (
            self["diplomats"] / start if start > 0 else np.ones(state.batch)
        )
        rules["hosted"] = lambda: state.diplomats[:, :, i].sum(axis=1)
        for name, kind in _KIND_NAMES.items():
            rules[name] = lambda kind=kind: (kinds[:, i] == kind).astype(np.float64)
            rules[f"other_{name}"] = lambda kind=kind: (
                ((kinds == kind).sum(axis=1) - (kinds[:, i] == kind)) / others
            )
        for t, trait in enumerate(TRAITS):
            rules[trait] = lambda t=t: state.personality[:, i, t]
        for outcome in scenario.outcomes:
            rules[outcome_variable(outcome.id)] = lambda k=outcome.index: (
                state.outcome == k
            ).astype(np.float64)


class GlobalView(_LazyView):
    """The scenario-wide point of view, for events and outcomes."""

    def __init__(self, scenario: CompiledScenario, state: State, kinds: np.ndarray) -> None:
        super().__init__()
        n = state.n_actors
        rules = self._rules
        rules["turn"] = lambda: state.turn.astype(np.float64)
        rules["tension"] = lambda: state.tension.max(axis=(1, 2))
        rules["mean_tension"] = lambda: state.tension.sum(axis=(1, 2)) / (n * (n - 1))
        for event in scenario.events:
            rules[f"event_{event.id}"] = lambda e=event.index: state.fired[:, e].astype(np.float64)
        for i, actor in enumerate(scenario.actor_ids):
            for name, k in _GAUGE_INDEX.items():
                rules[f"{actor}_{name}"] = lambda i=i, k=k: state.gauges[:, i, k]
            rules[f"{actor}_grievance"] = lambda i=i: state.grievance[:, i].sum(axis=1)
            rules[f"{actor}_diplomats"] = lambda i=i: state.diplomats[:, i].sum(axis=1)
            rules[f"{actor}_hosted"] = lambda i=i: state.diplomats[:, :, i].sum(axis=1)
            rules[f"{actor}_tension"] = lambda i=i: state.tension[:, i].max(axis=1)
            for name, kind in _KIND_NAMES.items():
                rules[f"{actor}_{name}"] = lambda i=i, kind=kind: (kinds[:, i] == kind).astype(
                    np.float64
                )
            for t, trait in enumerate(TRAITS):
                rules[f"{actor}_{trait}"] = lambda i=i, t=t: state.personality[:, i, t]
            for j, other in enumerate(scenario.actor_ids):
                if j != i:
                    rules[f"tension_{actor}_{other}"] = lambda i=i, j=j: state.tension[:, i, j]
