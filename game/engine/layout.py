"""Where everything sits in the plain arrays the compiled rules read.

A game's whole state is one row of float64 numbers (whole numbers such as turns, counts and
flags are exact in a float64), so copying a game, branching it into rollouts or writing it into
a batch is one slice assignment, and a compiled rule reads one array instead of twenty. A
scenario is likewise one int64 table and one float64 table. `Layout` says where each part
starts. The layout itself heads the int64 table, so a compiled function needs only the table
to find everything (`layout_of`): a call between compiled functions costs by the number of its
arguments, and a tuple of fifty integers would be fifty of them.

Row parts, for N actors, V variants per actor, E events and K outcomes:
  turn, over, outcome                  one number each
  tension, diplomats, staff,
  consulates, properties, grievance,
  resting, hit                         N x N, [i, j] at i * N + j; the four stocks follow each
                                       other, so stock s starts at diplomats + s * N * N
  gauges                               N x 3 (pressure, credibility, standing)
  personality                          N x 4 (the traits)
  leader, last_variant, prev_variant,
  last_mask, prev_mask, aim,
  received, wronged, score_accum,
  final_score                          N each
  enabled, uses                        N x V
  fired                                E
  streak                               K
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from game.engine.jit import inline

EFFECT_COUNT = 14
"""Effect fields per variant (see game.scenario.compiled.EFFECT_FIELDS)."""
EVENT_COLUMNS = 16
"""Integer columns per event in the scenario table: turn (-1 if none), repeat, `when` (an
expression id or -1), chance (1 if it fires by chance), tension (an expression id, or -1 where it
is the constant 0), then the first and end rows of its gauge changes, leaders, traits and
switched moves, whether it changes the game, then the first and end rows of its pair changes
(see `game.engine.tables`)."""
EV_TURN, EV_REPEAT, EV_WHEN, EV_CHANCE, EV_TENSION = 0, 1, 2, 3, 4
EV_CHANGES, EV_LEADERS, EV_TRAITS, EV_SWITCHES = 5, 7, 9, 11
EV_CHANGES_THE_GAME = 13
EV_PAIRS = 14


class Layout(NamedTuple):
    # sizes
    n: int
    v: int
    e: int
    k: int
    max_turns: int
    turn_limit_outcome: int
    running_objectives: int
    n_objectives: int
    n_opening: int
    stack: int
    # the row of one game
    row: int
    turn: int
    over: int
    outcome: int
    tension: int
    gauges: int
    diplomats: int
    staff: int
    consulates: int
    properties: int
    grievance: int
    resting: int
    hit: int
    personality: int
    leader: int
    enabled: int
    uses: int
    last_variant: int
    prev_variant: int
    last_mask: int
    prev_mask: int
    aim: int
    received: int
    wronged: int
    fired: int
    streak: int
    score_accum: int
    final_score: int
    # the scenario's int64 table
    kind: int
    target: int
    allied: int
    max_uses: int
    available: int
    stock_use: int
    effect_scripted: int
    event_reads: int
    effect_expression: int
    field_in_use: int
    events: int
    gauge_changes: int
    leaders: int
    traits: int
    switches: int
    pair_changes: int
    outcomes: int
    objectives: int
    opening: int
    expressions: int
    code: int
    shortcuts: int
    event_turns: int
    # the scenario's float64 table
    severity: int
    effects: int
    probability: int
    trait_values: int
    weights: int
    start_diplomats: int
    start_stocks: int
    baseline0: int
    start_credibility: int
    repeat_powers: int
    windows: int
    constants: int


class Coefficients(NamedTuple):
    """The tension model's coefficients (see docs/scenario-format.md), as compiled code reads
    them."""

    baseline: float
    relax: float
    reaction: float
    escalation: float
    grievance_decay: float
    grievance_decay_waiting: float
    answer_relief: float
    answer_credibility: float
    restraint_forgives: float
    pressure_from_grievance: float
    pressure_baseline: float
    pressure_relax: float
    wait_pressure: float
    backdown_threshold: float
    backdown_span: float
    backdown_cost: float
    standing_baseline: float
    standing_relax: float
    shock_tension: float
    shock_pressure: float
    repeat_effect: float
    overreach_credibility: float
    overreach_tension: float
    credibility_headroom: float
    credibility_relax: float
    last_word: float


HEADER = 73
"""Integers at the head of the int64 table: the layout, field by field."""


@inline
def layout_of(ints: np.ndarray) -> Layout:
    """The layout at the head of a scenario's int64 table."""
    return Layout(
        ints[0],
        ints[1],
        ints[2],
        ints[3],
        ints[4],
        ints[5],
        ints[6],
        ints[7],
        ints[8],
        ints[9],
        ints[10],
        ints[11],
        ints[12],
        ints[13],
        ints[14],
        ints[15],
        ints[16],
        ints[17],
        ints[18],
        ints[19],
        ints[20],
        ints[21],
        ints[22],
        ints[23],
        ints[24],
        ints[25],
        ints[26],
        ints[27],
        ints[28],
        ints[29],
        ints[30],
        ints[31],
        ints[32],
        ints[33],
        ints[34],
        ints[35],
        ints[36],
        ints[37],
        ints[38],
        ints[39],
        ints[40],
        ints[41],
        ints[42],
        ints[43],
        ints[44],
        ints[45],
        ints[46],
        ints[47],
        ints[48],
        ints[49],
        ints[50],
        ints[51],
        ints[52],
        ints[53],
        ints[54],
        ints[55],
        ints[56],
        ints[57],
        ints[58],
        ints[59],
        ints[60],
        ints[61],
        ints[62],
        ints[63],
        ints[64],
        ints[65],
        ints[66],
        ints[67],
        ints[68],
        ints[69],
        ints[70],
        ints[71],
        ints[72],
    )
