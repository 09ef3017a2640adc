"""A scenario ready for the engine: indices resolved, expressions compiled, start values in arrays.

The engine never looks at YAML or pydantic models; it reads this. Everything here is immutable
after loading, so one compiled scenario can serve many batches, threads and processes.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

import numpy as np

from game.errors import Problem
from game.scenario.expressions import Expression
from game.scenario.model import KINDS, Scenario, TensionModel
from game.scenario.variables import TRAITS

RETALIATE, RESTRAIN, WAIT = 0, 1, 2
KINDS_BY_NUMBER = KINDS
NO_MOVE = -1
"""Kind and variant number meaning 'no move yet' (before the first turn)."""

EFFECT_FIELDS: tuple[str, ...] = (
    "tension",
    "own_pressure",
    "own_credibility",
    "own_standing",
    "other_pressure",
    "other_credibility",
    "other_standing",
    "expel",
    "expel_staff",
    "close_consulates",
    "seize_properties",
    "return_properties",
    "cap",
    "lasting",
)
STOCKS: tuple[str, ...] = ("diplomats", "staff", "consulates", "properties")
"""What an actor keeps in another's country, each counted per pair."""
NO_CAP = -1.0
"""The `cap` effect's value when a variant sets no ceiling."""

# A variant's target as the engine reads it: an actor number, or one of these.
TARGET_CHOOSE, TARGET_ADVERSARIES, TARGET_ALLIES, TARGET_EVERYONE = -1, -2, -3, -4
TARGET_WORDS: dict[str, int] = {
    "choose": TARGET_CHOOSE,
    "adversaries": TARGET_ADVERSARIES,
    "allies": TARGET_ALLIES,
    "everyone": TARGET_EVERYONE,
}
GAUGES: tuple[str, ...] = ("pressure", "credibility", "standing")
UNLIMITED_USES = np.iinfo(np.int32).max


@dataclass(frozen=True, eq=False)
class CompiledVariant:
    """One move an actor can make, with the engine's numbers for it."""

    actor: int
    index: int
    kind: int
    id: str
    label: str
    description: str
    severity: float
    target: int
    """An actor number, or one of the TARGET_ codes."""
    headlines: tuple[str, ...]
    available: Expression | None
    available_source: str | None
    unavailable_text: str | None
    max_uses: int | None

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    @property
    def player_picks_target(self) -> bool:
        return self.target == TARGET_CHOOSE


@dataclass(frozen=True, eq=False)
class GaugeChange:
    """An event's change to one actor's gauge."""

    actor: int
    gauge: int
    amount: Expression


@dataclass(frozen=True, eq=False)
class CompiledEvent:
    index: int
    id: str
    headline: str
    text: str
    turn: int | None
    when: Expression | None
    probability: float
    repeat: bool
    tension: Expression
    gauges: tuple[GaugeChange, ...]
    pairs: tuple[tuple[int, int, Expression, Expression], ...]
    """(i, j, tension, lasting) changes to particular pairs."""
    leaders: tuple[tuple[int, int], ...]
    traits: tuple[tuple[int, int, float], ...]
    enable: tuple[tuple[int, int], ...]
    disable: tuple[tuple[int, int], ...]

    @property
    def scheduled(self) -> bool:
        return self.turn is not None

    @property
    def changes_the_game(self) -> bool:
        """Whether it changes who leads, how they think, or which moves exist: the kind of
        change worth waiting for (a new administration), unlike news or a briefing."""
        return bool(self.leaders or self.traits or self.enable or self.disable)


@dataclass(frozen=True, eq=False)
class CompiledOutcome:
    index: int
    id: str
    title: str
    text: str
    when: Expression | None
    for_turns: int


@dataclass(frozen=True, eq=False)
class CompiledObjective:
    name: str
    value: Expression
    weight: float
    every_turn: bool


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """Everything the engine, strategies, UI and balance lab need to know about a scenario."""

    path: str
    sha256: str
    model: Scenario
    actor_ids: tuple[str, ...]
    variants: tuple[tuple[CompiledVariant, ...], ...]
    kind_table: np.ndarray
    severity: np.ndarray
    effect_constants: np.ndarray
    effect_expressions: tuple[tuple[int, int, int, Expression], ...]
    enabled0: np.ndarray
    max_uses: np.ndarray
    exists: np.ndarray
    start_gauges: np.ndarray
    diplomats0: np.ndarray
    stocks0: np.ndarray
    """(4, N, N) each stock in STOCKS order: [s, i, j] is what actor i keeps in j's country."""
    tension0: np.ndarray
    """(N, N) tension of each pair before the opening moves."""
    baseline0: np.ndarray
    """(N, N) each pair's pre-crisis resting tension."""
    allied: np.ndarray
    """(N, N) bool: whether two actors share an alignment."""
    personality0: np.ndarray
    leader0: np.ndarray
    leader_names: tuple[str, ...]
    events: tuple[CompiledEvent, ...]
    outcomes: tuple[CompiledOutcome, ...]
    turn_limit_outcome: int
    objectives: tuple[tuple[CompiledObjective, ...], ...]
    opening: tuple[tuple[int, int, int], ...]
    """(actor, variant, target or -1) of each opening move."""
    bands: tuple[tuple[str, float], ...]
    coefficients: TensionModel
    actor_view_names: frozenset[str] = field(default_factory=frozenset)
    warnings: tuple[Problem, ...] = ()
    """Things `validate` points out that do not stop the game (see compile._band_warnings)."""

    @property
    def has_running_objectives(self) -> bool:
        return any(o.every_turn for objectives in self.objectives for o in objectives)

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_variants(self) -> int:
        return int(self.kind_table.shape[1])

    @property
    def max_turns(self) -> int:
        return self.model.metadata.max_turns

    @property
    def player_actor(self) -> int:
        return self.actor_index(self.model.metadata.player_actor)

    @property
    def title(self) -> str:
        return self.model.metadata.title

    def actor_index(self, actor_id: str) -> int:
        return self.actor_ids.index(actor_id)

    def actor_name(self, actor: int) -> str:
        return self.model.actors[actor].name

    def variant(self, actor: int, index: int) -> CompiledVariant:
        return self.variants[actor][index]

    def variant_index(self, actor: int, variant_id: str) -> int:
        for variant in self.variants[actor]:
            if variant.id == variant_id:
                return variant.index
        raise KeyError(variant_id)

    def kind_range(self, actor: int, kind: int) -> range:
        """The variant numbers of one kind for an actor; variants are numbered kind by kind."""
        return self._kind_ranges[actor][kind]

    @functools.cached_property
    def _kind_ranges(self) -> tuple[tuple[range, ...], ...]:
        # Strategies ask for these every turn; the scenario never changes, so they are made once.
        def kind_range(actor: int, kind: int) -> range:
            indices = [v.index for v in self.variants[actor] if v.kind == kind]
            return range(indices[0], indices[-1] + 1) if indices else range(0)

        return tuple(
            tuple(kind_range(actor, kind) for kind in range(len(KINDS)))
            for actor in range(self.n_actors)
        )

    def kinds_of(self, actor: int) -> tuple[int, ...]:
        """The kinds this actor can play in this scenario, in engine order."""
        return tuple(sorted({v.kind for v in self.variants[actor]}))

    def date_of_turn(self, turn: int) -> datetime.date:
        meta = self.model.metadata
        return meta.start_date + datetime.timedelta(days=(turn - 1) * meta.days_per_turn)

    @property
    def opening_date(self) -> datetime.date:
        meta = self.model.metadata
        return meta.opening_date or meta.start_date - datetime.timedelta(days=1)

    def band_of(self, tension: float) -> str:
        for name, up_to in self.bands:
            if tension <= up_to:
                return name
        return self.bands[-1][0]

    def reachable(self, actor: int, target: int) -> tuple[int, ...]:
        """The actors a variant's target can name: a fixed actor, every member of a group as
        the alignments define it, or every other actor for 'choose'."""
        others = [b for b in range(self.n_actors) if b != actor]
        if target >= 0:
            return (target,)
        if target == TARGET_ALLIES:
            return tuple(b for b in others if self.allied[actor, b])
        if target == TARGET_ADVERSARIES:
            return tuple(b for b in others if not self.allied[actor, b])
        return tuple(others)

    def default_strategy(self, actor: int) -> str | None:
        return self.model.actors[actor].default_strategy


TRAIT_INDEX = {trait: i for i, trait in enumerate(TRAITS)}
