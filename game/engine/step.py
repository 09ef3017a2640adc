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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import rng
from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.engine.views import ActorView, GlobalView
from game.scenario.compiled import NO_MOVE, RESTRAIN, RETALIATE, WAIT, CompiledScenario


@dataclass(frozen=True, eq=False)
class StepReport:
    """What happened in a step beyond the new state, for turn records and statistics."""

    kinds: np.ndarray  # (B, N) kind played, NO_MOVE for an actor that did not move
    expelled: np.ndarray  # (B, N) diplomats each actor sent home
    fired: np.ndarray  # (B, E) bool, events that fired this step
    ended: np.ndarray  # (B,) bool, games that ended this step


def _off_diagonal(n: int) -> np.ndarray:
    return 1.0 - np.eye(n)


def apply_moves(
    scenario: CompiledScenario, state: State, actions: np.ndarray
) -> tuple[State, np.ndarray, np.ndarray]:
    """Apply each actor's chosen variant (NO_MOVE for none); returns (state, kinds, expelled)."""
    n = state.n_actors
    c = scenario.coefficients
    actors = np.arange(n)
    moved = actions >= 0
    safe = np.where(moved, actions, 0)
    kinds = np.where(moved, scenario.kind_table[actors, safe], NO_MOVE)
    severity = np.where(moved, scenario.severity[actors, safe], 0.0)
    effects = scenario.effect_constants[actors, safe]
    turn = state.turn + 1
    for actor, variant, field, expression in scenario.effect_expressions:
        chosen = actions[:, actor] == variant
        if chosen.any():
            view = ActorView(scenario, state, actor, kinds, turn)
            values = np.broadcast_to(expression(view), chosen.shape)
            effects[:, actor, field] = np.where(chosen, values, effects[:, actor, field])
    effects *= moved[:, :, None]
    off = _off_diagonal(n)

    tension_effect = effects[:, :, 0]
    tension = state.tension + (tension_effect[:, :, None] + tension_effect[:, None, :]) * off

    other = effects[:, :, 4:7]
    gauges = state.gauges + effects[:, :, 1:4] + other.sum(axis=1, keepdims=True) - other

    # removed[j, i]: actor j's diplomats that actor i sends home.
    removed = np.minimum(np.maximum(effects[:, None, :, 7], 0.0), state.diplomats) * off
    removed = np.floor(removed)
    diplomats = state.diplomats - removed
    expelled = removed.sum(axis=1)

    restrained = kinds == RESTRAIN
    answered = np.minimum(state.grievance, c.answer_relief * severity[:, :, None])
    grievance = state.grievance - answered
    gauges[:, :, CREDIBILITY] += c.answer_credibility * answered.sum(axis=2)
    grievance = np.where(restrained[:, :, None], grievance * (1.0 - c.restraint_forgives), grievance)
    span = max(100.0 - c.backdown_threshold, 1e-9)
    backdown = np.clip((state.gauges[:, :, PRESSURE] - c.backdown_threshold) / span, 0.0, 1.0)
    gauges[:, :, CREDIBILITY] -= restrained * c.backdown_cost * backdown
    gauges[:, :, PRESSURE] += (kinds == WAIT) * c.wait_pressure
    grievance = grievance + severity[:, None, :] * off

    received = severity.sum(axis=1, keepdims=True) - severity
    one_hot = (safe[:, :, None] == np.arange(scenario.n_variants)) & moved[:, :, None]
    new = state.replace(
        tension=np.clip(tension, 0.0, 100.0),
        gauges=np.clip(gauges, 0.0, 100.0),
        diplomats=diplomats,
        grievance=grievance,
        uses=state.uses + one_hot,
        last_variant=np.where(moved, actions, state.last_variant).astype(np.int16),
        prev_variant=np.where(moved, state.last_variant, state.prev_variant).astype(np.int16),
        received=received,
        wronged=state.wronged | (received > 0),
    )
    return new, kinds, expelled


def run_dynamics(scenario: CompiledScenario, state: State, kinds: np.ndarray) -> State:
    """The model's own motion for one turn, after the moves."""
    n = state.n_actors
    c = scenario.coefficients
    off = _off_diagonal(n)
    turn = state.turn + 1
    grievance = state.grievance
    mutual = grievance + grievance.transpose(0, 2, 1)
    tension = state.tension + (c.reaction * mutual - c.relax * (state.tension - c.baseline)) * off
    if c.escalation:
        retaliated = kinds == RETALIATE
        tension += c.escalation * (retaliated[:, :, None] & retaliated[:, None, :]) * off
    if c.shock_tension:
        upper_i, upper_j = np.triu_indices(n, k=1)
        draws = rng.shocks(state.streams, turn, rng.CHANNEL_TENSION_SHOCK, len(upper_i))
        shock = np.zeros_like(tension)
        shock[:, upper_i, upper_j] = draws * c.shock_tension
        tension += shock + shock.transpose(0, 2, 1)

    waiting = (kinds == WAIT)[:, :, None]
    grievance = grievance * np.where(
        waiting, 1.0 - c.grievance_decay_waiting, 1.0 - c.grievance_decay
    )

    gauges = state.gauges.copy()
    pressure = gauges[:, :, PRESSURE]
    pressure += c.pressure_from_grievance * grievance.sum(axis=2)
    pressure -= c.pressure_relax * (pressure - c.pressure_baseline)
    if c.shock_pressure:
        pressure += c.shock_pressure * rng.shocks(
            state.streams, turn, rng.CHANNEL_PRESSURE_SHOCK, n
        )
    gauges[:, :, STANDING] -= c.standing_relax * (gauges[:, :, STANDING] - c.standing_baseline)
    return state.replace(
        tension=np.clip(tension, 0.0, 100.0),
        gauges=np.clip(gauges, 0.0, 100.0),
        grievance=grievance,
        turn=turn.astype(np.int32),
    )


def fire_events(
    scenario: CompiledScenario, state: State, kinds: np.ndarray
) -> tuple[State, np.ndarray]:
    """Fire the events due at the end of the turn just played; returns (state, fired (B, E))."""
    batch, n_events = state.batch, len(scenario.events)
    fired = np.zeros((batch, n_events), dtype=bool)
    if not n_events:
        return state, fired
    view = GlobalView(scenario, state, kinds)
    draws = rng.uniforms(state.streams, state.turn, rng.CHANNEL_EVENTS, n_events)
    for event in scenario.events:
        e = event.index
        eligible = state.fired[:, e] == 0 if not event.repeat else np.ones(batch, dtype=bool)
        if event.turn is not None:
            eligible = eligible & (state.turn + 1 == event.turn)
        if event.when is not None:
            eligible = eligible & (np.broadcast_to(event.when(view), (batch,)) != 0)
        if event.probability < 1.0:
            eligible = eligible & (draws[:, e] < event.probability)
        fired[:, e] = eligible
    if not fired.any():
        return state, fired

    n = state.n_actors
    off = _off_diagonal(n)
    tension = state.tension.copy()
    gauges = state.gauges.copy()
    personality, leader, enabled = state.personality, state.leader, state.enabled
    for event in scenario.events:
        mask = fired[:, event.index]
        if not mask.any():
            continue
        tension += (mask * np.broadcast_to(event.tension(view), (batch,)))[:, None, None] * off
        for change in event.gauges:
            amount = np.broadcast_to(change.amount(view), (batch,))
            gauges[:, change.actor, change.gauge] += mask * amount
        if event.leaders:
            leader = leader.copy()
            for actor, name in event.leaders:
                leader[mask, actor] = name
        if event.traits:
            personality = personality.copy()
            for actor, trait, value in event.traits:
                personality[mask, actor, trait] = value
        if event.enable or event.disable:
            enabled = enabled.copy()
            for actor, variant in event.enable:
                enabled[mask, actor, variant] = True
            for actor, variant in event.disable:
                enabled[mask, actor, variant] = False
    new = state.replace(
        tension=np.clip(tension, 0.0, 100.0),
        gauges=np.clip(gauges, 0.0, 100.0),
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
    totals = np.zeros((state.batch, state.n_actors))
    for actor, objectives in enumerate(scenario.objectives):
        selected = [o for o in objectives if o.every_turn == every_turn]
        if not selected:
            continue
        view = ActorView(scenario, state, actor, kinds, state.turn)
        for objective in selected:
            totals[:, actor] += objective.weight * objective.value(view)
    return totals


def settle(
    scenario: CompiledScenario, state: State, kinds: np.ndarray
) -> tuple[State, np.ndarray]:
    """Score the turn, then end the games that meet an outcome; returns (state, ended)."""
    score_accum = state.score_accum + objective_values(scenario, state, kinds, every_turn=True)
    view = GlobalView(scenario, state, kinds)
    streak = state.streak.copy()
    outcome = np.full(state.batch, -1, dtype=np.int16)
    for spec in scenario.outcomes:
        if spec.when is None:
            continue
        holds = np.broadcast_to(spec.when(view), (state.batch,)) != 0
        streak[:, spec.index] = np.where(holds, streak[:, spec.index] + 1, 0)
        reached = (streak[:, spec.index] >= spec.for_turns) & (outcome < 0)
        outcome[reached] = spec.index
    out_of_turns = (outcome < 0) & (state.turn >= scenario.max_turns)
    outcome[out_of_turns] = scenario.turn_limit_outcome
    ended = outcome >= 0
    state = state.replace(score_accum=score_accum, streak=streak)
    if ended.any():
        state = state.replace(over=ended, outcome=outcome)
        final = score_accum + objective_values(scenario, state, kinds, every_turn=False)
        state = state.replace(final_score=np.where(ended[:, None], final, state.final_score))
    return state, ended


def freeze_finished(before: State, after: State) -> State:
    """Games that were over before the step keep every value they had."""
    done = before.over
    if not done.any():
        return after
    changes = {}
    for name, new in after.arrays().items():
        old = getattr(before, name)
        if new is old:
            continue
        mask = done.reshape(done.shape + (1,) * (new.ndim - 1))
        changes[name] = np.where(mask, old, new)
    return after.replace(**changes)
