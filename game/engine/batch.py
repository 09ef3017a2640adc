"""Compiled loops over a batch of games: each game is played by `game.engine.rules` on its own
row, so game k is the same whether it runs alone, in a batch, or on any thread.

Every loop allocates its scratch once and releases the GIL, so chunks of one batch run on a
thread pool at full speed.
"""

from __future__ import annotations

import numpy as np

from game.engine.choose import (
    LOOKAHEAD,
    choose_scripted,
    lookahead_pick,
    lookahead_values,
    pick,
    rollout,
)
from game.engine.jit import inline, kernel, rule
from game.engine.layout import layout_of
from game.engine.rules import (
    NO_MOVE,
    latest_kinds,
    legal_moves,
    legal_targets,
    open_game,
    play_turn,
    run,
    score_now,
    turns_to_next_scheduled,
    work_size,
)


@kernel
def open_games(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
) -> None:
    """Play the opening moves on every game of `data`, which have not started."""
    work = np.zeros(work_size(lay))
    stack = np.zeros(lay.stack)
    for g in range(data.shape[0]):
        open_game(lay, coef, ints, floats, data[g], work, stack)


@kernel
def targets_of(
    ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int, out: np.ndarray
) -> None:
    """out[b]: whether one game's variant may be aimed at actor b now."""
    legal_targets(ints, floats, row, actor, move, out)


@kernel
def condition_value(
    lay: tuple, ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int
) -> float:
    """The value of a variant's available_if in one game now (1.0 where it has none)."""
    condition = ints[lay.available + actor * lay.v + move]
    if condition < 0:
        return 1.0
    kinds = np.zeros(lay.n, dtype=np.int64)
    latest_kinds(lay, ints, row, kinds)
    stack = np.zeros(lay.stack)
    return run(lay, ints, floats, condition, row, actor, kinds, row[lay.turn] + 1.0, stack)


@kernel
def legal_batch(lay: tuple, ints: np.ndarray, floats: np.ndarray, data: np.ndarray, out) -> None:
    """out[g, a, m]: whether actor a may play variant m in game g."""
    _legal_loop(lay, ints, floats, data, out, np.zeros(lay.n, dtype=np.int64), np.zeros(lay.stack))


@rule
def _legal_loop(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    out: np.ndarray,
    kinds: np.ndarray,
    stack: np.ndarray,
) -> None:
    for g in range(data.shape[0]):
        latest_kinds(lay, ints, data[g], kinds)
        for a in range(lay.n):
            legal_moves(ints, floats, data[g], a, kinds, stack, out[g, a])


@kernel
def step_batch(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    ended: np.ndarray,
    causes: np.ndarray,
) -> None:
    """One turn of every running game with the given (checked) moves; finished games keep
    every value, and their report says they made no move. causes[g] receives why game g's
    numbers moved (see `rules.cause_size`); all zero for a finished game."""
    _step_loop(
        lay,
        coef,
        ints,
        floats,
        data,
        streams,
        actions,
        kinds,
        expelled,
        fired,
        ended,
        causes,
        np.zeros(work_size(lay)),
        np.zeros(lay.stack),
    )


@rule
def _step_loop(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    ended: np.ndarray,
    causes: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
) -> None:
    for g in range(data.shape[0]):
        row = data[g]
        if row[lay.over] != 0.0:
            kinds[g, :] = NO_MOVE
            expelled[g, :] = 0.0
            fired[g, :] = False
            ended[g] = False
            causes[g, :] = 0.0
            continue
        ended[g] = play_turn(
            coef,
            ints,
            floats,
            row,
            streams[g],
            actions[g],
            kinds[g],
            expelled[g],
            fired[g],
            work,
            stack,
            causes[g],
        )


@kernel
def scores_batch(lay: tuple, ints: np.ndarray, floats: np.ndarray, data: np.ndarray, out) -> None:
    """out[g, a]: final scores of finished games, 'as if it ended now' for running ones."""
    _scores_loop(lay, ints, floats, data, out, np.zeros(lay.n, dtype=np.int64), np.zeros(lay.stack))


@rule
def _scores_loop(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    out: np.ndarray,
    kinds: np.ndarray,
    stack: np.ndarray,
) -> None:
    for g in range(data.shape[0]):
        latest_kinds(lay, ints, data[g], kinds)
        for a in range(lay.n):
            out[g, a] = score_now(ints, floats, data[g], a, kinds, stack)


@kernel
def objective_values_of(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actor: int,
    out: np.ndarray,
) -> None:
    """Each objective of `actor` evaluated now (0 for other actors' objectives), into out (O,)."""
    kinds = np.zeros(lay.n, dtype=np.int64)
    latest_kinds(lay, ints, row, kinds)
    stack = np.zeros(lay.stack)
    for o in range(lay.n_objectives):
        at = lay.objectives + 3 * o
        out[o] = 0.0
        if ints[at] == actor:
            out[o] = run(lay, ints, floats, ints[at + 1], row, actor, kinds, row[lay.turn], stack)


@kernel
def scheduled_batch(lay: tuple, ints: np.ndarray, data: np.ndarray, out: np.ndarray) -> None:
    for g in range(data.shape[0]):
        out[g] = turns_to_next_scheduled(lay, ints, data[g])


@inline
def _choose_one(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    stream: np.uint64,
    game_id: np.uint64,
    key: np.uint64,
    actor: int,
    strategies: np.ndarray,
    params: np.ndarray,
    own_legal: np.ndarray,
    values: np.ndarray,
    sim: np.ndarray,
    models: np.ndarray,
    model_params: np.ndarray,
    legal: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    scores: np.ndarray,
) -> int:
    if strategies[actor] != LOOKAHEAD:
        return choose_scripted(
            lay, ints, floats, row, stream, actor, strategies[actor], params[actor], own_legal
        )
    lookahead_values(
        coef,
        ints,
        floats,
        row,
        game_id,
        key,
        actor,
        strategies,
        params,
        own_legal,
        values,
        sim,
        models,
        model_params,
        legal,
        actions,
        kinds,
        expelled,
        fired,
        work,
        stack,
        scores,
    )
    return lookahead_pick(row, stream, ints, actor, params, own_legal, values)


@kernel
def choose_batch(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    game_ids: np.ndarray,
    key: np.uint64,
    actor: int,
    strategies: np.ndarray,
    params: np.ndarray,
    own_legal: np.ndarray,
    out: np.ndarray,
    values_out: np.ndarray,
) -> None:
    """out[g]: the move `actor`'s strategy (in the profile) picks in game g, given its legal
    moves own_legal (B, V). For a lookahead, values_out (B, V) receives its values."""
    n, v = lay.n, lay.v
    values = np.zeros(v)
    sim = np.zeros(lay.row)
    models = np.zeros(n, dtype=np.int64)
    model_params = np.zeros((n, params.shape[1]))
    legal = np.zeros(n * v, dtype=np.bool_)
    actions = np.zeros(n, dtype=np.int64)
    kinds = np.zeros(n, dtype=np.int64)
    expelled = np.zeros(n)
    fired = np.zeros(max(lay.e, 1), dtype=np.bool_)
    work = np.zeros(work_size(lay))
    stack = np.zeros(lay.stack)
    scores = np.zeros(max(int(params[actor, 0]), 1))
    _choose_loop(
        lay,
        coef,
        ints,
        floats,
        data,
        streams,
        game_ids,
        key,
        actor,
        strategies,
        params,
        own_legal,
        out,
        values_out,
        values,
        sim,
        models,
        model_params,
        legal,
        actions,
        kinds,
        expelled,
        fired,
        work,
        stack,
        scores,
    )


@rule
def _choose_loop(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    game_ids: np.ndarray,
    key: np.uint64,
    actor: int,
    strategies: np.ndarray,
    params: np.ndarray,
    own_legal: np.ndarray,
    out: np.ndarray,
    values_out: np.ndarray,
    values: np.ndarray,
    sim: np.ndarray,
    models: np.ndarray,
    model_params: np.ndarray,
    legal: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    scores: np.ndarray,
) -> None:
    for g in range(data.shape[0]):
        out[g] = _choose_one(
            lay,
            coef,
            ints,
            floats,
            data[g],
            streams[g],
            game_ids[g],
            key,
            actor,
            strategies,
            params,
            own_legal[g],
            values,
            sim,
            models,
            model_params,
            legal,
            actions,
            kinds,
            expelled,
            fired,
            work,
            stack,
            scores,
        )
        if strategies[actor] == LOOKAHEAD:
            for m in range(values.shape[0]):
                values_out[g, m] = values[m]


@kernel
def play_games(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    game_ids: np.ndarray,
    key: np.uint64,
    strategies: np.ndarray,
    params: np.ndarray,
    max_steps: int,
    tension_counts: np.ndarray,
    bin_width: float,
) -> None:
    """Play every game of `data` from where it is to its end (or for max_steps turns), each
    from start to finish before the next: a game's state stays in the cache.

    Unless `tension_counts` (T + 1, pairs, bins) is empty, it counts each pair's tension
    (in bins of `bin_width`) in every game after each turn, and before the first."""
    n, v = lay.n, lay.v
    values = np.zeros(v)
    sim = np.zeros(lay.row)
    models = np.zeros(n, dtype=np.int64)
    model_params = np.zeros((n, params.shape[1]))
    legal = np.zeros(n * v, dtype=np.bool_)
    own = np.zeros(n * v, dtype=np.bool_)
    actions = np.zeros(n, dtype=np.int64)
    chosen = np.zeros(n, dtype=np.int64)
    kinds = np.zeros(n, dtype=np.int64)
    expelled = np.zeros(n)
    fired = np.zeros(max(lay.e, 1), dtype=np.bool_)
    work = np.zeros(work_size(lay))
    stack = np.zeros(lay.stack)
    most = 1
    for a in range(n):
        if strategies[a] == LOOKAHEAD:
            most = max(most, int(params[a, 0]))
    scores = np.zeros(most)
    _play_loop(
        coef,
        ints,
        floats,
        data,
        streams,
        game_ids,
        key,
        strategies,
        params,
        max_steps,
        tension_counts,
        bin_width,
        values,
        sim,
        models,
        model_params,
        legal,
        own,
        actions,
        chosen,
        kinds,
        expelled,
        fired,
        work,
        stack,
        scores,
    )


@rule
def _play_loop(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    streams: np.ndarray,
    game_ids: np.ndarray,
    key: np.uint64,
    strategies: np.ndarray,
    params: np.ndarray,
    max_steps: int,
    tension_counts: np.ndarray,
    bin_width: float,
    values: np.ndarray,
    sim: np.ndarray,
    models: np.ndarray,
    model_params: np.ndarray,
    legal: np.ndarray,
    own: np.ndarray,
    actions: np.ndarray,
    chosen: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    scores: np.ndarray,
) -> None:
    # The layout comes from the table here, not from the caller: compiled for one structure
    # (`game.engine.bound`), `layout_of` answers constants, and the loop runs on them.
    lay = layout_of(ints)
    n, v = lay.n, lay.v
    counting = tension_counts.shape[0] > 0
    for g in range(data.shape[0]):
        row = data[g]
        steps = 0
        if counting:
            _count_tension(lay, row, tension_counts, bin_width)
        while row[lay.over] == 0.0 and (max_steps < 0 or steps < max_steps):
            latest_kinds(lay, ints, row, kinds)
            for a in range(n):
                legal_moves(ints, floats, row, a, kinds, stack, own[a * v : a * v + v])
            for a in range(n):
                chosen[a] = _choose_one(
                    lay,
                    coef,
                    ints,
                    floats,
                    row,
                    streams[g],
                    game_ids[g],
                    key,
                    a,
                    strategies,
                    params,
                    own[a * v : a * v + v],
                    values,
                    sim,
                    models,
                    model_params,
                    legal,
                    actions,
                    kinds,
                    expelled,
                    fired,
                    work,
                    stack,
                    scores,
                )
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
            steps += 1
            if counting:
                _count_tension(lay, row, tension_counts, bin_width)


@inline
def _count_tension(lay: tuple, row: np.ndarray, counts: np.ndarray, bin_width: float) -> None:
    n, bins = lay.n, counts.shape[2]
    turn = int(row[lay.turn])
    p = 0
    for i in range(n):
        for j in range(i + 1, n):
            b = int(row[lay.tension + i * n + j] / bin_width)
            counts[turn, p, min(max(b, 0), bins - 1)] += 1
            p += 1


@kernel
def rollouts_from(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    root: np.ndarray,
    streams: np.ndarray,
    actor: int,
    first: int,
    turns: int,
    strategies: np.ndarray,
    params: np.ndarray,
    ends: np.ndarray,
    paths: np.ndarray,
) -> None:
    """Play one rollout per stream from `root` (see `choose.rollout`); ends[k] receives the
    rollout's final row and paths[k] the actor's mean tension turn by turn."""
    n, v = lay.n, lay.v
    legal = np.zeros(n * v, dtype=np.bool_)
    actions = np.zeros(n, dtype=np.int64)
    kinds = np.zeros(n, dtype=np.int64)
    expelled = np.zeros(n)
    fired = np.zeros(max(lay.e, 1), dtype=np.bool_)
    work = np.zeros(work_size(lay))
    stack = np.zeros(lay.stack)
    _rollouts_loop(
        lay,
        coef,
        ints,
        floats,
        root,
        streams,
        actor,
        first,
        turns,
        strategies,
        params,
        ends,
        paths,
        legal,
        actions,
        kinds,
        expelled,
        fired,
        work,
        stack,
    )


@rule
def _rollouts_loop(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    root: np.ndarray,
    streams: np.ndarray,
    actor: int,
    first: int,
    turns: int,
    strategies: np.ndarray,
    params: np.ndarray,
    ends: np.ndarray,
    paths: np.ndarray,
    legal: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
) -> None:
    for k in range(streams.shape[0]):
        rollout(
            coef,
            ints,
            floats,
            root,
            ends[k],
            streams[k],
            actor,
            first,
            turns,
            strategies,
            params,
            legal,
            actions,
            kinds,
            expelled,
            fired,
            work,
            stack,
            paths[k],
        )


@kernel
def pick_batch(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    data: np.ndarray,
    actor: int,
    wanted: np.ndarray,
    legal: np.ndarray,
    out: np.ndarray,
) -> None:
    """out[g]: the legal variant carrying out the wanted kind in game g (see `choose.pick`)."""
    for g in range(data.shape[0]):
        out[g] = pick(lay, ints, floats, data[g], actor, wanted[g], legal[g])
