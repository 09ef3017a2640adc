"""The real moves of a scenario's history, played on whole games inside the compiled rules.

`game.history.replay` asks this for every seed of a replay: each game goes from its opening to
its end in one compiled call, by the rule docs/scenario-format.md states ("History: replaying
what really happened"). Each actor, each turn, plays its move listed for this turn if it is
legal now; otherwise the earliest-listed move it holds (listed for an earlier turn and not yet
played) that is legal now; otherwise its quiet move: its first legal wait variant, else its
first legal restrain variant, else its first legal variant. A listed target goes with a move
whose target the player picks where it is a legal target now; otherwise the rules aim the move.
The turns are the engine's own (`rules.play_turn`), so a replayed game is the game the UI plays
with the same seed and the same moves.
"""

from __future__ import annotations

import numpy as np

from game.engine.jit import inline, kernel, rule
from game.engine.layout import layout_of
from game.engine.rules import (
    RESTRAIN,
    WAIT,
    latest_kinds,
    legal_moves,
    legal_targets,
    play_turn,
    work_size,
)

NEVER = -1
"""The turn of something that did not happen in a replay."""
NO_TARGET = -1
"""A move aimed at no one in particular: the rules aim it."""


@kernel
def play_real_moves(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    moves: np.ndarray,
    held_order: np.ndarray,
    picks_target: np.ndarray,
    kind_table: np.ndarray,
    fired_at: np.ndarray,
    played_at: np.ndarray,
) -> None:
    """Play every game of `data` to its end with the real moves.

    moves (M, 4): each listed move's turn, actor, variant and target (NO_TARGET for none), in
    the order listed; held_order (M,): the moves by (turn, order listed), the order held moves
    are tried in; picks_target (N, V): whether the player picks a variant's target; kind_table
    (N, V): each variant's kind (-1 where the actor has no such variant). fired_at (B, E) and
    played_at (B, M) come filled with NEVER and receive the turn each event first greeted (it
    fired after the turn before) and the turn each move was played.
    """
    lay = layout_of(ints)
    n, v = lay.n, lay.v
    _replay_loop(
        coef,
        ints,
        floats,
        data,
        streams,
        moves,
        held_order,
        picks_target,
        kind_table,
        fired_at,
        played_at,
        np.zeros(n * v, dtype=np.bool_),
        np.zeros(n, dtype=np.bool_),
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        np.zeros(n),
        np.zeros(max(lay.e, 1), dtype=np.bool_),
        np.zeros(work_size(lay)),
        np.zeros(lay.stack),
    )


@rule
def _replay_loop(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    moves: np.ndarray,
    held_order: np.ndarray,
    picks_target: np.ndarray,
    kind_table: np.ndarray,
    fired_at: np.ndarray,
    played_at: np.ndarray,
    legal: np.ndarray,
    targets: np.ndarray,
    chosen: np.ndarray,
    aims: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
) -> None:
    lay = layout_of(ints)
    n, v = lay.n, lay.v
    for g in range(data.shape[0]):
        row = data[g]
        played = played_at[g]
        while row[lay.over] == 0.0 and row[lay.turn] < lay.max_turns:
            turn = int(row[lay.turn]) + 1
            latest_kinds(lay, ints, row, kinds)
            for a in range(n):
                legal_moves(ints, floats, row, a, kinds, stack, legal[a * v : a * v + v])
            for a in range(n):
                own = legal[a * v : a * v + v]
                m = _real_move(moves, held_order, played, own, a, turn)
                aims[a] = NO_TARGET
                if m == NEVER:
                    chosen[a] = _quiet_move(kind_table[a], own)
                    continue
                played[m] = turn
                chosen[a] = moves[m, 2]
                target = moves[m, 3]
                if target != NO_TARGET and picks_target[a, chosen[a]]:
                    legal_targets(ints, floats, row, a, chosen[a], targets)
                    if targets[target]:
                        aims[a] = target
            for a in range(n):
                row[lay.aim + a] = aims[a]
            play_turn(
                coef,
                ints,
                floats,
                row,
                streams[g],
                chosen,
                kinds,
                expelled,
                fired,
                work,
                stack,
                work[:0],
            )
            for e in range(lay.e):
                if fired[e] and fired_at[g, e] == NEVER:
                    fired_at[g, e] = turn + 1


@inline
def _real_move(
    moves: np.ndarray,
    held_order: np.ndarray,
    played: np.ndarray,
    legal: np.ndarray,
    actor: int,
    turn: int,
) -> int:
    """The listed move `actor` plays on `turn`, or NEVER: this turn's own, else the earliest
    held one, whichever is legal now."""
    for m in range(moves.shape[0]):
        mine = moves[m, 1] == actor and played[m] == NEVER
        if mine and moves[m, 0] == turn and legal[moves[m, 2]]:
            return m
    for k in range(held_order.shape[0]):
        m = held_order[k]
        mine = moves[m, 1] == actor and played[m] == NEVER
        if mine and moves[m, 0] < turn and legal[moves[m, 2]]:
            return m
    return NEVER


@inline
def _quiet_move(kinds: np.ndarray, legal: np.ndarray) -> int:
    """The first legal wait variant, else the first legal restrain variant, else the first
    legal variant (the first variant when none is legal)."""
    for wanted in (WAIT, RESTRAIN):
        for m in range(legal.shape[0]):
            if legal[m] and kinds[m] == wanted:
                return m
    for m in range(legal.shape[0]):
        if legal[m]:
            return m
    return 0
