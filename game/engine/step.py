"""One turn of B games: moves, dynamics, events, then endings and scores.

Everything is elementwise over the batch axis (reductions only run over actor axes), so game k's
numbers never depend on the other games in its batch. Games that are already over come out of a
step exactly as they went in.

The model, per ordered pair of actors (i, j) and per turn (coefficients from the scenario):
  moves      tension_ij += effect_i + effect_j;  gauges += own and other effects;
             grievance_ji += severity_i (j suffers i's act);
             a retaliation answers grievance_ij by answer_relief * severity_i and earns
             answer_credibility per point answered; restraint forgives a share of grievance and,
             above backdown_threshold, costs credibility; waiting adds wait_pressure.
  dynamics   tension_ij += reaction * (grievance_ij + grievance_ji)        (Richardson reaction)
                         - relax * (tension_ij - baseline)                  (fatigue)
                         + escalation if both retaliated + shock;
             grievance decays (slower for an actor who waits); pressure grows with grievance
             and relaxes toward its baseline; standing relaxes toward its baseline.
  events     scheduled and conditional events apply their effects.
  endings    outcome conditions (held for_turns in a row), then the turn limit; scores.
All gauges and tension are kept in [0, 100]; grievance and diplomats never go below zero.

Speed: arrays keep the batch axis first but are stored batch-contiguous (Fortran order), so a
reduction over actors or a per-actor slice touches contiguous memory. Masks are applied by
multiplication rather than np.where, which is several times slower.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from game.engine import rng
from game.engine.moves import MoveTable
from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.engine.views import ActorView, GlobalView
from game.scenario.compiled import (
    EFFECT_FIELDS,
    RESTRAIN,
    RETALIATE,
    WAIT,
    CompiledScenario,
)

_TENSION, _EXPEL = EFFECT_FIELDS.index("tension"), EFFECT_FIELDS.index("expel")


@dataclass(frozen=True, eq=False)
class StepReport:
    """What happened in a step beyond the new state, for turn records and statistics."""

    kinds: np.ndarray  # (B, N) kind played, NO_MOVE for an actor that did not move
    expelled: np.ndarray  # (B, N) diplomats each actor sent home
    fired: np.ndarray  # (B, E) bool, events that fired this step
    ended: np.ndarray  # (B,) bool, games that ended this step


@functools.lru_cache(maxsize=16)
def _upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs i < j of n actors, as np.triu_indices gives them."""
    return np.triu_indices(n, k=1)


def _zero_diagonal(pairs: np.ndarray) -> np.ndarray:
    for i in range(pairs.shape[1]):
        pairs[:, i, i] = 0.0
    return pairs


def _move_values(
    scenario: CompiledScenario,
    moves: MoveTable,
    state: State,
    actions: np.ndarray,
    everyone_moves: bool,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray | None]]:
    """(severity (B, N), kinds (B, N), each effect field as (B, N) or
    None where no variant uses it) for the chosen variants; NO_MOVE makes no move."""
    columns = moves.columns(actions, everyone_moves)
    values, kinds = moves.look_up(columns)
    fields = [None if row is None else values[:, :, row] for row in moves.field_rows]
    turn = state.turn + 1
    for actor, variant, field, expression in scenario.effect_expressions:
        chosen = actions[:, actor] == variant
        if chosen.any():
            view = ActorView(scenario, state, actor, kinds, turn)
            np.copyto(fields[field][:, actor], expression(view), where=chosen)
    return values[:, :, 0], kinds, fields


def apply_moves(
    scenario: CompiledScenario,
    moves: MoveTable,
    state: State,
    actions: np.ndarray,
    places: np.ndarray | None = None,
) -> tuple[State, np.ndarray, np.ndarray]:
    """Apply each actor's chosen variant (NO_MOVE for none); returns (state, kinds, expelled).

    `places`, when every game moves, is where each move sits in the batch-contiguous (B, N, V)
    arrays, as the engine's legality check computed it. The returned state's tension, gauges
    and grievance are new arrays, which the rest of the step may change in place.
    """
    b, n = actions.shape
    c = scenario.coefficients
    everyone_moves = places is not None
    severity, kinds, fields = _move_values(scenario, moves, state, actions, everyone_moves)

    tension = state.tension.copy(order="F")
    tension_effect = fields[_TENSION]
    if tension_effect is not None:
        tension += np.add(tension_effect[:, :, None], tension_effect[:, None, :], order="F")
        _zero_diagonal(tension)

    gauges = state.gauges.copy(order="F")
    for gauge in range(3):
        own, other = fields[1 + gauge], fields[4 + gauge]
        if own is not None:
            gauges[:, :, gauge] += own
        if other is not None:
            gauges[:, :, gauge] += other.sum(axis=1, keepdims=True) - other

    diplomats, expelled = state.diplomats, np.zeros((b, n), order="F")
    if fields[_EXPEL] is not None:
        # removed[j, i]: actor j's diplomats that actor i sends home (the diagonal stays zero).
        expel = np.maximum(fields[_EXPEL], 0.0)
        removed = np.floor(np.minimum(expel[:, None, :], state.diplomats, order="F"))
        diplomats = state.diplomats - removed
        expelled = removed.sum(axis=1)

    restrained = kinds == RESTRAIN
    answered = np.minimum(state.grievance, c.answer_relief * severity[:, :, None], order="F")
    grievance = (state.grievance - answered) * (1.0 - c.restraint_forgives * restrained)[:, :, None]
    grievance += severity[:, None, :]
    _zero_diagonal(grievance)

    span = max(100.0 - c.backdown_threshold, 1e-9)
    backdown = np.clip((state.gauges[:, :, PRESSURE] - c.backdown_threshold) / span, 0.0, 1.0)
    gauges[:, :, CREDIBILITY] += (
        c.answer_credibility * answered.sum(axis=2) - c.backdown_cost * backdown * restrained
    )
    gauges[:, :, PRESSURE] += c.wait_pressure * (kinds == WAIT)

    received = severity.sum(axis=1, keepdims=True) - severity
    uses, last_variant, prev_variant = _count_uses(state, actions, places)
    new = state.replace(
        tension=np.clip(tension, 0.0, 100.0, out=tension),
        gauges=np.clip(gauges, 0.0, 100.0, out=gauges),
        diplomats=diplomats,
        grievance=grievance,
        uses=uses,
        last_variant=last_variant,
        prev_variant=prev_variant,
        received=received,
        wronged=state.wronged | (received > 0),
    )
    return new, kinds, expelled


def _count_uses(
    state: State, actions: np.ndarray, places: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(uses, last_variant, prev_variant) after the moves; an actor that made none keeps its."""
    uses = state.uses.copy(order="F")
    flat_uses = uses.reshape(-1, order="F")
    if places is not None:
        flat_uses[places] += 1
        return uses, np.array(actions, dtype=np.int16, order="F"), state.last_variant
    b, n = actions.shape
    rows = np.arange(b)
    moved = actions >= 0
    last_variant = state.last_variant.copy(order="F")
    prev_variant = state.last_variant.copy(order="F")
    for actor in range(n):
        who = rows[moved[:, actor]]
        # uses[g, a, v] sits at g + B * (a + N * v) of the batch-contiguous array.
        flat_uses[who + b * (actor + n * actions[who, actor])] += 1
        last_variant[who, actor] = actions[who, actor]
    prev_variant[~moved] = state.prev_variant[~moved]
    return uses, last_variant, prev_variant


def run_dynamics(scenario: CompiledScenario, state: State, kinds: np.ndarray) -> State:
    """The model's own motion for one turn, after the moves.

    Changes the state's tension, gauges and grievance in place: call it only on the fresh
    state `apply_moves` returned.
    """
    n = state.n_actors
    c = scenario.coefficients
    turn = state.turn + 1
    tension, grievance = state.tension, state.grievance
    mutual = np.add(grievance, grievance.transpose(0, 2, 1), order="F")
    mutual *= c.reaction
    drift = np.subtract(tension, c.baseline, order="F")
    drift *= c.relax
    tension += mutual
    tension -= drift
    if c.escalation:
        hostile = (kinds == RETALIATE).astype(np.float64)
        tension += c.escalation * np.multiply(hostile[:, :, None], hostile[:, None, :], order="F")
    upper_i, upper_j = _upper_pairs(n)
    pairs = len(upper_i)
    shocks = None
    if c.shock_tension or c.shock_pressure:
        shocks = rng.shocks(state.streams, turn, rng.CHANNEL_SHOCKS, pairs + n)
    if c.shock_tension:
        for p, (i, j) in enumerate(zip(upper_i, upper_j, strict=True)):
            shock = c.shock_tension * shocks[:, p]
            tension[:, i, j] += shock
            tension[:, j, i] += shock
    _zero_diagonal(tension)

    waiting = (kinds == WAIT)[:, :, None]
    decay = (1.0 - c.grievance_decay) + (c.grievance_decay - c.grievance_decay_waiting) * waiting
    grievance *= decay

    gauges = state.gauges
    pressure = gauges[:, :, PRESSURE]
    pressure += c.pressure_from_grievance * grievance.sum(axis=2)
    pressure -= c.pressure_relax * (pressure - c.pressure_baseline)
    if c.shock_pressure:
        pressure += c.shock_pressure * shocks[:, pairs:]
    standing = gauges[:, :, STANDING]
    standing -= c.standing_relax * (standing - c.standing_baseline)
    np.clip(tension, 0.0, 100.0, out=tension)
    np.clip(gauges, 0.0, 100.0, out=gauges)
    return state.replace(turn=turn.astype(np.int32))


@functools.lru_cache(maxsize=64)
def _chance_events(scenario: CompiledScenario) -> tuple[list[int], dict[int, int]]:
    """The events that fire by chance, and the column of each one's draw."""
    chancy = [event.index for event in scenario.events if event.probability < 1.0]
    return chancy, {e: at for at, e in enumerate(chancy)}


def fire_events(
    scenario: CompiledScenario, state: State, kinds: np.ndarray
) -> tuple[State, np.ndarray]:
    """Fire the events due at the end of the turn just played; returns (state, fired (B, E))."""
    batch, n_events = state.batch, len(scenario.events)
    fired = np.zeros((batch, n_events), dtype=bool, order="F")
    if not n_events:
        return state, fired
    view = GlobalView(scenario, state, kinds)
    chancy, column = _chance_events(scenario)
    draws = None
    coming = state.turn + 1
    for event in scenario.events:
        e = event.index
        if event.turn is not None:
            eligible = coming == event.turn
            if not eligible.any():
                continue
            if not event.repeat:
                eligible &= state.fired[:, e] == 0
        elif not event.repeat:
            eligible = state.fired[:, e] == 0
        else:
            eligible = np.ones(batch, dtype=bool)
        if event.when is not None and eligible.any():
            eligible &= event.when(view) != 0
        if event.probability < 1.0 and eligible.any():
            if draws is None:
                draws = rng.uniforms(state.streams, state.turn, rng.CHANNEL_EVENTS, chancy)
            eligible &= draws[:, column[e]] < event.probability
        fired[:, e] = eligible
    if not fired.any():
        return state, fired

    tension = state.tension.copy(order="F")
    gauges = state.gauges.copy(order="F")
    personality, leader, enabled = state.personality, state.leader, state.enabled
    for event in scenario.events:
        mask = fired[:, event.index]
        if not mask.any():
            continue
        if event.tension.constant != 0.0:  # None (not a constant) is not 0.0 either
            amount = event.tension(view) * mask
            tension += amount[:, None, None]
        for change in event.gauges:
            if change.amount.constant != 0.0:
                gauges[:, change.actor, change.gauge] += mask * change.amount(view)
        if event.leaders:
            leader = leader.copy(order="F")
            for actor, name in event.leaders:
                leader[mask, actor] = name
        if event.traits:
            personality = personality.copy(order="F")
            for actor, trait, value in event.traits:
                personality[mask, actor, trait] = value
        if event.enable or event.disable:
            enabled = enabled.copy(order="F")
            for actor, variant in event.enable:
                enabled[mask, actor, variant] = True
            for actor, variant in event.disable:
                enabled[mask, actor, variant] = False
    _zero_diagonal(tension)
    new = state.replace(
        tension=np.clip(tension, 0.0, 100.0, out=tension),
        gauges=np.clip(gauges, 0.0, 100.0, out=gauges),
        personality=personality,
        leader=leader,
        enabled=enabled,
        fired=state.fired + fired,
    )
    return new, fired


def objective_values(
    scenario: CompiledScenario, state: State, kinds: np.ndarray, every_turn: bool
) -> np.ndarray:
    """(B, N) weighted sum of each actor's objectives of one sort, evaluated now."""
    totals = np.zeros((state.batch, state.n_actors), order="F")
    for actor, objectives in enumerate(scenario.objectives):
        selected = [o for o in objectives if o.every_turn == every_turn]
        if not selected:
            continue
        view = ActorView(scenario, state, actor, kinds, state.turn)
        for objective in selected:
            totals[:, actor] += objective.weight * objective.value(view)
    return totals


def settle(scenario: CompiledScenario, state: State, kinds: np.ndarray) -> tuple[State, np.ndarray]:
    """Score the turn, then end the games that meet an outcome; returns (state, ended)."""
    if scenario.has_running_objectives:
        score_accum = state.score_accum + objective_values(scenario, state, kinds, True)
    else:
        score_accum = state.score_accum
    view = GlobalView(scenario, state, kinds)
    streak = state.streak.copy(order="F")
    outcome = np.full(state.batch, -1, dtype=np.int16)
    for spec in scenario.outcomes:
        if spec.when is None:
            continue
        holds = spec.when(view) != 0
        column = streak[:, spec.index]
        column += 1
        column *= holds
        reached = (column >= spec.for_turns) & (outcome < 0)
        outcome[reached] = spec.index
    out_of_turns = (outcome < 0) & (state.turn >= scenario.max_turns)
    outcome[out_of_turns] = scenario.turn_limit_outcome
    ended = outcome >= 0
    state = state.replace(score_accum=score_accum, streak=streak)
    if ended.any():
        state = state.replace(over=ended, outcome=outcome)
        rows = np.flatnonzero(ended)
        if len(rows) * 4 >= state.batch:
            # Scoring every game costs less than copying out a large share of them.
            final = objective_values(scenario, state, kinds, every_turn=False)[rows]
        else:
            ended_games = state.some_games(rows)
            final = objective_values(scenario, ended_games, kinds[rows], every_turn=False)
        final_score = state.final_score.copy(order="F")
        final_score[rows] = score_accum[rows] + final
        state = state.replace(final_score=final_score)
    return state, ended


def freeze_finished(before: State, after: State) -> State:
    """Games that were over before the step keep every value they had."""
    done = before.over
    if not done.any():
        return after
    changes = {}
    for name, new in after.arrays().items():
        old = getattr(before, name)
        if new is not old:
            restored = new.copy(order="F")
            restored[done] = old[done]
            changes[name] = restored
    return after.replace(**changes)
