"""A compiled scenario laid out as the plain arrays the compiled rules read.

Everything the rules need from a scenario becomes one int64 table, one float64 table and the
instructions of its expressions, with a `Layout` saying where each part starts. Scenario
variables are resolved here: a name such as `rus_pressure` or `other_retaliated` becomes a
reading of the state, so the compiled code never looks at a name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from game.engine import peephole
from game.engine.layout import EFFECT_COUNT, EVENT_COLUMNS, HEADER, Coefficients, Layout
from game.scenario import opcodes as op
from game.scenario.compiled import (
    EFFECT_FIELDS,
    NO_CAP,
    STOCKS,
    TARGET_CHOOSE,
    CompiledEvent,
    CompiledScenario,
)
from game.scenario.expressions import Expression
from game.scenario.variables import TRAITS, outcome_variable

_GAUGES = ("pressure", "credibility", "standing")
_KIND_WORDS = ("retaliated", "restrained", "waited")

_CAP = EFFECT_FIELDS.index("cap")
_STOCK_FIRST = EFFECT_FIELDS.index("expel")
_RETURN = EFFECT_FIELDS.index("return_properties")

Reading = tuple[int, int, int]
"""(reading, actor or -1 for the viewing actor, index): an OP_VAR instruction's arguments."""


def actor_readings(scenario: CompiledScenario) -> dict[str, Reading]:
    """The names an actor's point of view reads (availability, effects, scores)."""
    me = -1
    readings: dict[str, Reading] = {
        "turn": (op.VAR_TURN, me, 0),
        "tension": (op.VAR_TENSION, me, 0),
        "relations": (op.VAR_RELATIONS, me, 0),
        "grievance": (op.VAR_GRIEVANCE, me, 0),
        "other_grievance": (op.VAR_OTHER_GRIEVANCE, me, 0),
        "diplomats": (op.VAR_DIPLOMATS, me, 0),
        "other_diplomats": (op.VAR_OTHER_DIPLOMATS, me, 0),
        "diplomats_kept": (op.VAR_DIPLOMATS_KEPT, me, 0),
        "hosted": (op.VAR_HOSTED, me, 0),
    }
    for k, gauge in enumerate(_GAUGES):
        readings[gauge] = (op.VAR_GAUGE, me, k)
        readings[f"other_{gauge}"] = (op.VAR_OTHER_GAUGE, me, k)
    for kind, word in enumerate(_KIND_WORDS):
        readings[word] = (op.VAR_KIND, me, kind)
        readings[f"other_{word}"] = (op.VAR_OTHER_KIND, me, kind)
    for t, trait in enumerate(TRAITS):
        readings[trait] = (op.VAR_TRAIT, me, t)
    for outcome in scenario.outcomes:
        readings[outcome_variable(outcome.id)] = (op.VAR_OUTCOME, me, outcome.index)
    for event in scenario.events:
        readings[f"event_{event.id}"] = (op.VAR_EVENT, me, event.index)
    readings.update(pair_readings(scenario))
    return readings


def pair_readings(scenario: CompiledScenario) -> dict[str, Reading]:
    """The `NAME_A_B` readings of every ordered pair (see variables.PAIR_VIEW)."""
    readings: dict[str, Reading] = {}
    ids = scenario.actor_ids
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            if i == j:
                continue
            readings[f"tension_{a}_{b}"] = (op.VAR_PAIR_TENSION, i, j)
            readings[f"resting_tension_{a}_{b}"] = (op.VAR_RESTING_TENSION, i, j)
            readings[f"grievance_{a}_{b}"] = (op.VAR_PAIR_GRIEVANCE, i, j)
            for s, stock in enumerate(STOCKS):
                readings[f"{stock}_{a}_{b}"] = (op.VAR_PAIR_STOCK, i, s * op.PAIR_STRIDE + j)
    return readings


def global_readings(scenario: CompiledScenario) -> dict[str, Reading]:
    """The names the scenario-wide point of view reads (events, outcomes)."""
    readings: dict[str, Reading] = {
        "turn": (op.VAR_TURN, 0, 0),
        "tension": (op.VAR_MAX_TENSION, 0, 0),
        "mean_tension": (op.VAR_MEAN_TENSION, 0, 0),
    }
    for event in scenario.events:
        readings[f"event_{event.id}"] = (op.VAR_EVENT, 0, event.index)
    for i, actor in enumerate(scenario.actor_ids):
        for k, gauge in enumerate(_GAUGES):
            readings[f"{actor}_{gauge}"] = (op.VAR_GAUGE, i, k)
        readings[f"{actor}_grievance"] = (op.VAR_GRIEVANCE, i, 0)
        readings[f"{actor}_diplomats"] = (op.VAR_DIPLOMATS, i, 0)
        readings[f"{actor}_hosted"] = (op.VAR_HOSTED, i, 0)
        readings[f"{actor}_tension"] = (op.VAR_TENSION, i, 0)
        for kind, word in enumerate(_KIND_WORDS):
            readings[f"{actor}_{word}"] = (op.VAR_KIND, i, kind)
        for t, trait in enumerate(TRAITS):
            readings[f"{actor}_{trait}"] = (op.VAR_TRAIT, i, t)
    readings.update(pair_readings(scenario))
    return readings


class _Program:
    """The instructions of every expression of a scenario, with names resolved."""

    def __init__(self) -> None:
        self.code: list[np.ndarray] = []
        self.constants: list[float] = []
        self.spans: list[tuple[int, int]] = []
        self.windows: list[tuple[float, float]] = []
        self.size = 0
        self.depth = 1

    def add(self, expression: Expression, readings: dict[str, Reading]) -> int:
        """Link one expression; returns its id."""
        code = expression.code.copy()
        for instruction in code:
            if instruction[0] == op.OP_VAR and instruction[1] == op.VAR_SLOT:
                instruction[1:] = readings[expression.slots[instruction[3]]]
        self.windows.append(peephole.turn_window(code, expression.constants))
        code = peephole.fuse(code)
        code[code[:, 0] == op.OP_CONST, 1] += len(self.constants)
        code[_fused(code), 3] += len(self.constants)
        self.constants.extend(float(c) for c in expression.constants)
        self.code.append(code)
        self.spans.append((self.size, self.size + len(code)))
        self.size += len(code)
        self.depth = max(self.depth, expression.depth)
        return len(self.spans) - 1


@dataclass(frozen=True, eq=False)
class Tables:
    """A scenario as the compiled rules read it."""

    lay: Layout
    coefficients: Coefficients
    ints: np.ndarray
    floats: np.ndarray


class _Packer:
    """Appends named blocks to a table and remembers where each starts."""

    def __init__(self, dtype: type) -> None:
        self.blocks: list[np.ndarray] = []
        self.size = 0
        self.dtype = dtype

    def add(self, values: object) -> int:
        block = np.asarray(values, dtype=self.dtype).reshape(-1)
        start = self.size
        self.blocks.append(block)
        self.size += block.size
        return start

    def array(self) -> np.ndarray:
        if not self.blocks:
            return np.zeros(1, dtype=self.dtype)
        return np.concatenate([*self.blocks, np.zeros(1, dtype=self.dtype)])


@functools.lru_cache(maxsize=64)
def tables_of(scenario: CompiledScenario) -> Tables:
    """Lay a compiled scenario out for the compiled rules (made once per scenario)."""
    sc = scenario
    n, v = sc.n_actors, sc.n_variants
    e, k = len(sc.events), len(sc.outcomes)
    mine, everyone = actor_readings(sc), global_readings(sc)
    program = _Program()
    ints, floats = _Packer(np.int64), _Packer(np.float64)
    ints.add(np.zeros(HEADER))  # the layout goes here once it is known

    def expression_id(expression: Expression | None, readings: dict[str, Reading]) -> int:
        return -1 if expression is None else program.add(expression, readings)

    available = np.full((n, v), -1, dtype=np.int64)
    for actor_variants in sc.variants:
        for variant in actor_variants:
            available[variant.actor, variant.index] = expression_id(variant.available, mine)
    effect_expression = np.full((n, v, EFFECT_COUNT), -1, dtype=np.int64)
    in_use = sc.effect_constants.any(axis=(0, 1)).astype(np.int64)
    in_use[_CAP] = int((sc.effect_constants[:, :, _CAP] != NO_CAP).any())
    for actor, variant, field, expression in sc.effect_expressions:
        effect_expression[actor, variant, field] = expression_id(expression, mine)
        in_use[field] = 1

    # What each variant acts on, as the bits `rules.usable_on` tests (`rules._USES_*`):
    # one that acts on nothing can always be played on its targets.
    stock_fields = [*range(_STOCK_FIRST, _STOCK_FIRST + 4), _RETURN]
    acting = (sc.effect_constants[:, :, stock_fields] > 0.0) | (
        effect_expression[:, :, stock_fields] >= 0
    )
    acts = (acting * (1 << np.arange(len(stock_fields)))).sum(axis=2)
    acts |= (effect_expression[:, :, _CAP] >= 0) << len(stock_fields)
    acts |= (sc.effect_constants[:, :, _CAP] >= 0.0) << (len(stock_fields) + 1)
    coefficients = coefficients_of(sc)
    # repeat_effect ** uses, for every count of uses a game can reach (a power is dear to
    # compute on every move); Python's power is the C library's, as the compiled code's is.
    repeat_powers = [coefficients.repeat_effect ** float(u) for u in range(_most_uses(sc))]

    events = np.zeros((e, EVENT_COLUMNS), dtype=np.int64)
    changes, leaders, traits, trait_values, switches = [], [], [], [], []
    pair_changes: list[tuple[int, int, int, int]] = []
    for event in sc.events:
        row = events[event.index]
        row[0] = -1 if event.turn is None else event.turn
        row[1] = int(event.repeat)
        row[2] = expression_id(event.when, everyone)
        row[3] = int(event.probability < 1.0)
        # A tension change is skipped only where it is the constant 0.
        row[4] = -1 if event.tension.constant == 0.0 else expression_id(event.tension, everyone)
        row[5] = len(changes)
        for change in event.gauges:
            if change.amount.constant != 0.0:
                changes.append((change.actor, change.gauge, expression_id(change.amount, everyone)))
        row[6], row[7] = len(changes), len(leaders)
        leaders.extend(event.leaders)
        row[8], row[9] = len(leaders), len(traits)
        for actor, trait, value in event.traits:
            traits.append((actor, trait))
            trait_values.append(value)
        row[10], row[11] = len(traits), len(switches)
        switches.extend((actor, variant, 1) for actor, variant in event.enable)
        switches.extend((actor, variant, 0) for actor, variant in event.disable)
        row[12] = len(switches)
        row[13] = int(event.changes_the_game)
        row[14] = len(pair_changes)
        for i, j, tension, lasting in event.pairs:
            pair_changes.append(
                (
                    i,
                    j,
                    -1 if tension.constant == 0.0 else expression_id(tension, everyone),
                    -1 if lasting.constant == 0.0 else expression_id(lasting, everyone),
                )
            )
        row[15] = len(pair_changes)

    outcomes = [(expression_id(o.when, everyone), o.for_turns) for o in sc.outcomes]
    objectives, weights = [], []
    for actor, actor_objectives in enumerate(sc.objectives):
        for objective in actor_objectives:
            objectives.append((actor, expression_id(objective.value, mine), objective.every_turn))
            weights.append(objective.weight)

    offsets = {
        "kind": ints.add(sc.kind_table),
        "target": ints.add(_targets(sc)),
        "allied": ints.add(sc.allied),
        "max_uses": ints.add(sc.max_uses),
        "available": ints.add(available),
        "stock_use": ints.add(acts.astype(np.int64)),
        "effect_scripted": ints.add((effect_expression >= 0).any(axis=2).astype(np.int64)),
        "event_reads": ints.add([int(_reads_state(event)) for event in sc.events]),
        "effect_expression": ints.add(effect_expression),
        "field_in_use": ints.add(in_use),
        "events": ints.add(events),
        "gauge_changes": ints.add(np.array(changes, dtype=np.int64).reshape(-1, 3)),
        "leaders": ints.add(np.array(leaders, dtype=np.int64).reshape(-1, 2)),
        "traits": ints.add(np.array(traits, dtype=np.int64).reshape(-1, 2)),
        "switches": ints.add(np.array(switches, dtype=np.int64).reshape(-1, 3)),
        "pair_changes": ints.add(np.array(pair_changes, dtype=np.int64).reshape(-1, 4)),
        "outcomes": ints.add(np.array(outcomes, dtype=np.int64).reshape(-1, 2)),
        "objectives": ints.add(np.array(objectives, dtype=np.int64).reshape(-1, 3)),
        "opening": ints.add(np.array(sc.opening, dtype=np.int64).reshape(-1, 3)),
        "severity": floats.add(sc.severity),
        "effects": floats.add(sc.effect_constants),
        "probability": floats.add([event.probability for event in sc.events]),
        "trait_values": floats.add(trait_values),
        "weights": floats.add(weights),
        "start_diplomats": floats.add(sc.diplomats0.sum(axis=1)),
        "start_stocks": floats.add(sc.stocks0),
        "baseline0": floats.add(sc.baseline0),
        "start_credibility": floats.add(sc.start_gauges[:, 1]),
        "repeat_powers": floats.add(repeat_powers),
    }
    offsets["expressions"] = ints.add(np.array(program.spans, dtype=np.int64).reshape(-1, 2))
    offsets["windows"] = floats.add(np.array(program.windows, dtype=np.float64).reshape(-1, 2))
    offsets["constants"] = floats.add(program.constants)
    # The program's constants are indexed from the start of their block.
    code = np.concatenate(program.code) if program.code else np.zeros((0, op.WIDTH), dtype=np.int64)
    code[code[:, 0] == op.OP_CONST, 1] += offsets["constants"]
    code[_fused(code), 3] += offsets["constants"]
    offsets["code"] = ints.add(code)

    row_sizes = {
        "turn": 1,
        "over": 1,
        "outcome": 1,
        "tension": n * n,
        "gauges": n * 3,
        "diplomats": n * n,
        "staff": n * n,
        "consulates": n * n,
        "properties": n * n,
        "grievance": n * n,
        "resting": n * n,
        "hit": n * n,
        "personality": n * len(TRAITS),
        "leader": n,
        "enabled": n * v,
        "uses": n * v,
        "last_variant": n,
        "prev_variant": n,
        "last_mask": n,
        "prev_mask": n,
        "aim": n,
        "received": n,
        "wronged": n,
        "fired": e,
        "streak": k,
        "score_accum": n,
        "final_score": n,
    }
    row_offsets, at = {}, 0
    for name, size in row_sizes.items():
        row_offsets[name] = at
        at += size
    shortcuts = [peephole.shortcut(code[start:end], row_offsets, n) for start, end in program.spans]
    offsets["shortcuts"] = ints.add(np.array(shortcuts, dtype=np.int64).reshape(-1))
    offsets["event_turns"] = ints.add(_events_by_turn(events, program.windows, sc.max_turns))
    lay = Layout(
        n=n,
        v=v,
        e=e,
        k=k,
        max_turns=sc.max_turns,
        turn_limit_outcome=sc.turn_limit_outcome,
        running_objectives=int(sc.has_running_objectives),
        n_objectives=len(objectives),
        n_opening=len(sc.opening),
        stack=program.depth,
        row=at,
        **row_offsets,
        **offsets,
    )
    table = ints.array()
    table[:HEADER] = lay
    return Tables(
        lay=lay,
        coefficients=coefficients,
        ints=table,
        floats=floats.array(),
    )


def _reads_state(event: CompiledEvent) -> bool:
    """Whether any effect of an event is worked out from the game (else all are constants, and
    the rules need no copy of the state as it was before the turn's events)."""
    amounts = [event.tension, *(change.amount for change in event.gauges)]
    for _, _, tension, lasting in event.pairs:
        amounts += [tension, lasting]
    return any(amount.constant is None for amount in amounts)


def _fused(code: np.ndarray) -> np.ndarray:
    """Which instructions compare a reading with a constant (their c is a constant's index)."""
    return (code[:, 0] >= op.OP_VAR_LT) & (code[:, 0] <= op.OP_VAR_NE)


def _most_uses(scenario: CompiledScenario) -> int:
    """More than the uses of one variant a game can reach: one a turn, and the opening's."""
    return scenario.max_turns + len(scenario.opening) + 2


def _targets(scenario: CompiledScenario) -> np.ndarray:
    """(N, V) each variant's target code (see compiled.TARGET_WORDS)."""
    table = np.full((scenario.n_actors, scenario.n_variants), TARGET_CHOOSE, dtype=np.int64)
    for actor_variants in scenario.variants:
        for variant in actor_variants:
            table[variant.actor, variant.index] = variant.target
    return table


def coefficients_of(scenario: CompiledScenario) -> Coefficients:
    c = scenario.coefficients
    values = {name: float(getattr(c, name)) for name in Coefficients._fields if hasattr(c, name)}
    values["backdown_span"] = max(100.0 - c.backdown_threshold, 1e-9)
    return Coefficients(**values)


def _events_by_turn(
    events: np.ndarray, windows: list[tuple[float, float]], max_turns: int
) -> np.ndarray:
    """Which events may fire at the end of each turn, so that the rules look at those only.

    An event may fire after turn t if it is scheduled for turn t + 1 or for no turn, and its
    condition's window of turns (see `game.engine.peephole.turn_window`), if it has one, holds
    t. Rows 0 to max_turns are those turns; row max_turns + 1 lists every event, for any other
    turn. The block starts with where each row begins and ends (counted from the block's
    start), then the rows, each in the events' order."""
    rows: list[list[int]] = []
    for turn in range(max_turns + 1):
        row = []
        for index, event in enumerate(events):
            scheduled, condition = int(event[0]), int(event[2])
            if scheduled >= 0 and turn + 1 != scheduled:
                continue
            if condition >= 0:
                low, high = windows[condition]
                if not low <= turn <= high:
                    continue
            row.append(index)
        rows.append(row)
    rows.append(list(range(len(events))))
    bounds = np.cumsum([len(rows) + 1] + [len(row) for row in rows])
    return np.concatenate([bounds, *map(np.asarray, rows)]).astype(np.int64)
