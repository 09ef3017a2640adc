"""The built-in strategies as compiled code: how each one picks a move in one game.

`game.strategies` describes each strategy (its name, parameters and what it reads) and names its
code here; the choices themselves are made only by these functions, whether a strategy plays a
real game, a rollout of the lookahead, or the forecast. A profile gives each actor a strategy
code and four parameters.

The shared rule for turning a wanted kind into a variant: a retaliation is the legal retaliate
variant whose severity is closest to the severity the actor suffered in the latest turn (a
proportional answer; the first listed wins a tie), and restraint or waiting is the first legal
variant of that kind; a retaliation that can reach the attacker comes before one that cannot.
Every strategy leaves the target of a 'choose' variant to the rules'
default (`rules.default_target`): whoever hit the actor hardest in the latest turn, else the one
it holds the most grievance against, else an adversary before an ally. If the wanted kind has no
legal variant, retaliate falls back to wait, then restrain; restrain to wait, then retaliate; wait
to restrain, then retaliate.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.jit import inline, rule
from game.engine.layout import layout_of
from game.engine.rules import (
    RESTRAIN,
    RETALIATE,
    WAIT,
    in_group,
    kind_of,
    latest_kinds,
    legal_moves,
    play_turn,
    score_now,
    turns_to_next_scheduled,
    usable_on,
)

ALWAYS_RETALIATE = 0
ALWAYS_RESTRAIN = 1
ALWAYS_WAIT = 2
TIT_FOR_TAT = 3
GENEROUS_TIT_FOR_TAT = 4  # forgiveness
TIT_FOR_TWO_TATS = 5
GRIM_TRIGGER = 6
RANDOM = 7  # p
WAIT_AND_SEE = 8  # horizon
LOOKAHEAD = 9  # rollouts, horizon, noise, tilt

GENEROUS_FORGIVENESS = 1.0 / 3.0
"""min(1 - (T-R)/(R-S), (R-P)/(T-P)) for T=5, R=3, P=1, S=0: the classic generous rate."""
CONTINUATION_HORIZON = 4.0
"""The lookahead plays on in its rollouts as wait-and-see with this horizon."""
ROLLOUT_SALT = np.uint64(0x5EED_1A57_C0DE_0001)
_HAWKISHNESS, _VOLATILITY = 0, 3

# _FALLBACK_RANK[wanted * 3 + kind]: how much a kind is preferred when `wanted` is the goal.
_FALLBACK_RANK = np.array([0, 2, 1, 2, 0, 1, 2, 1, 0], dtype=np.int64)


@inline
def pick(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actor: int,
    wanted: int,
    legal: np.ndarray,
) -> int:
    """The legal variant that carries out the wanted kind, by the module's rule. A retaliation
    that cannot reach whoever hit the actor hardest (aimed elsewhere, or nothing of theirs left
    to act on) comes after every one that can, so an answer lands on the attacker, not on a
    bystander."""
    v, n = lay.v, lay.n
    received = row[lay.received + actor]
    attacker, hardest = -1, 0.0
    for b in range(n):
        if row[lay.hit + actor * n + b] > hardest:
            attacker, hardest = b, row[lay.hit + actor * n + b]
    best, best_cost = 0, np.inf
    for m in range(v):
        kind = ints[lay.kind + actor * v + m]
        if kind < 0 or not legal[m]:
            continue
        within = 0.0
        elsewhere = 0.0
        if kind == RETALIATE:
            within = abs(floats[lay.severity + actor * v + m] - received)
            if attacker >= 0:
                code = ints[lay.target + actor * v + m]
                reaches = in_group(lay, ints, code, actor, attacker) and usable_on(
                    lay, ints, floats, row, actor, m, attacker
                )
                elsewhere = 0.0 if reaches else 1.0
        cost = _FALLBACK_RANK[wanted * 3 + kind] * 1e6 + elsewhere * 1e5 + within * 1e3 + m
        if cost < best_cost:
            best, best_cost = m, cost
    return best


@inline
def others_retaliated(lay: tuple, ints: np.ndarray, row: np.ndarray, actor: int, latest: bool):
    """Whether another actor retaliated against this one in the latest (or the previous) turn:
    strategies answer whoever hit them, pair by pair, and an act aimed elsewhere is no blow."""
    column = lay.last_variant if latest else lay.prev_variant
    targets = lay.last_mask if latest else lay.prev_mask
    for a in range(lay.n):
        hostile = a != actor and kind_of(lay, ints, a, int(row[column + a])) == RETALIATE
        if hostile and (int(row[targets + a]) >> actor) & 1:
            return True
    return False


@inline
def _random_choice(
    lay: tuple, ints: np.ndarray, row: np.ndarray, stream: np.uint64, actor: int, p: float, legal
) -> int:
    """Retaliate with probability p, else restrain or wait with equal chance; a kind with no
    legal variant gives its share to the other non-retaliating kind, then to whatever is legal.
    The variant within the kind is drawn uniformly among the legal ones."""
    v = lay.v
    turn = int(row[lay.turn]) + 1
    channel = rng.CHANNEL_STRATEGY + actor
    retaliates = rng.uniform(stream, turn, channel, 0) < p
    restrains = rng.uniform(stream, turn, channel, 1) < 0.5
    has_retaliate = has_restrain = has_wait = False
    for m in range(v):
        kind = ints[lay.kind + actor * v + m]
        if legal[m]:
            has_retaliate = has_retaliate or kind == RETALIATE
            has_restrain = has_restrain or kind == RESTRAIN
            has_wait = has_wait or kind == WAIT
    restrains = restrains or (has_restrain and not has_wait)
    restrains = restrains and (has_restrain or not has_wait)
    wanted = RETALIATE if retaliates else (RESTRAIN if restrains else WAIT)
    has = (has_retaliate, has_restrain, has_wait)
    if not has[wanted]:
        wanted = RETALIATE if has_retaliate else (RESTRAIN if has_restrain else WAIT)
        if not has[wanted]:
            return 0
    count = 0
    for m in range(v):
        if legal[m] and ints[lay.kind + actor * v + m] == wanted:
            count += 1
    goal = int(rng.uniform(stream, turn, channel, 2) * count)
    for m in range(v):
        if legal[m] and ints[lay.kind + actor * v + m] == wanted:
            if goal == 0:
                return m
            goal -= 1
    return 0


@inline
def choose_scripted(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    stream: np.uint64,
    actor: int,
    strategy: int,
    params: np.ndarray,
    legal: np.ndarray,
) -> int:
    """The move of every strategy but the lookahead, for one actor in one game."""
    if strategy == RANDOM:
        return _random_choice(lay, ints, row, stream, actor, params[0], legal)
    if strategy == ALWAYS_RETALIATE:
        wanted = RETALIATE
    elif strategy == ALWAYS_RESTRAIN:
        wanted = RESTRAIN
    elif strategy == ALWAYS_WAIT:
        wanted = WAIT
    elif strategy == TIT_FOR_TAT:
        wanted = RETALIATE if others_retaliated(lay, ints, row, actor, True) else RESTRAIN
    elif strategy == GENEROUS_TIT_FOR_TAT:
        turn = int(row[lay.turn]) + 1
        forgive = rng.uniform(stream, turn, rng.CHANNEL_STRATEGY + actor, 0) < params[0]
        hit = others_retaliated(lay, ints, row, actor, True)
        wanted = RETALIATE if hit and not forgive else RESTRAIN
    elif strategy == TIT_FOR_TWO_TATS:
        twice = others_retaliated(lay, ints, row, actor, True) and others_retaliated(
            lay, ints, row, actor, False
        )
        wanted = RETALIATE if twice else RESTRAIN
    elif strategy == GRIM_TRIGGER:
        wanted = RETALIATE if row[lay.wronged + actor] != 0.0 else RESTRAIN
    else:  # WAIT_AND_SEE
        if turns_to_next_scheduled(lay, ints, row) <= params[0]:
            wanted = WAIT
        else:
            wanted = RETALIATE if others_retaliated(lay, ints, row, actor, True) else RESTRAIN
    return pick(lay, ints, floats, row, actor, wanted, legal)


def profile_draws(codes: np.ndarray, params: np.ndarray) -> bool:
    """Whether any of these strategies can draw a random number: random always, generous
    tit-for-tat unless it forgives never (at most 0) or always (at least 1, since a draw is
    below 1), and the lookahead (its rollouts and its noise). The others answer the game alone.
    A new draw in a strategy must be named here (a test plays every built-in strategy)."""
    for code, values in zip(codes, params, strict=True):
        if code in (RANDOM, LOOKAHEAD):
            return True
        if code == GENEROUS_TIT_FOR_TAT and 0.0 < values[0] < 1.0:
            return True
    return False


@inline
def model_of(strategies: np.ndarray, params: np.ndarray, actor: int, me: int, out: np.ndarray):
    """How the lookahead (playing `me`) models `actor` in its rollouts: its own continuation
    for itself, generous tit-for-tat for another lookahead, the real strategy otherwise. The
    model's parameters go to `out`; returns its code."""
    if actor == me:
        out[0] = CONTINUATION_HORIZON
        return WAIT_AND_SEE
    if strategies[actor] == LOOKAHEAD:
        out[0] = GENEROUS_FORGIVENESS
        return GENEROUS_TIT_FOR_TAT
    for p in range(out.shape[0]):
        out[p] = params[actor, p]
    return strategies[actor]


@inline
def pairwise_sum(values: np.ndarray, count: int) -> float:
    """Sum as numpy sums a contiguous run: eight running sums, then the rest in order."""
    if count < 8:
        total = 0.0
        for i in range(count):
            total += values[i]
        return total
    r0, r1, r2, r3 = values[0], values[1], values[2], values[3]
    r4, r5, r6, r7 = values[4], values[5], values[6], values[7]
    i = 8
    while i < count - count % 8:
        r0 += values[i]
        r1 += values[i + 1]
        r2 += values[i + 2]
        r3 += values[i + 3]
        r4 += values[i + 4]
        r5 += values[i + 5]
        r6 += values[i + 6]
        r7 += values[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < count:
        total += values[i]
        i += 1
    return total


@rule
def rollout(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    root: np.ndarray,
    sim: np.ndarray,
    stream: np.uint64,
    actor: int,
    first: int,
    turns: int,
    strategies: np.ndarray,
    params: np.ndarray,
    legal: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    path: np.ndarray,
) -> None:
    """Copy `root` into `sim` and play `turns` turns on it with its own stream: `actor` plays
    `first` on the first turn; everyone else, and later `actor` too, plays the given profile
    (which holds no lookahead). `path[t]` receives the actor's mean tension with the others
    after turn t (path[0] before the first), where `path` is long enough."""
    lay = layout_of(ints)
    n, v = lay.n, lay.v
    for at in range(lay.row):
        sim[at] = root[at]
    if path.shape[0] > 0:
        path[0] = mean_tension_of(lay, sim, actor)
    for t in range(turns):
        if sim[lay.over] != 0.0:
            if t + 1 < path.shape[0]:
                path[t + 1] = path[t]
            continue
        latest_kinds(lay, ints, sim, kinds)
        for a in range(n):
            if t == 0 and a == actor:
                actions[a] = first
                continue
            legal_moves(ints, floats, sim, a, kinds, stack, legal[a * v : a * v + v])
            actions[a] = choose_scripted(
                lay,
                ints,
                floats,
                sim,
                stream,
                a,
                strategies[a],
                params[a],
                legal[a * v : a * v + v],
            )
        play_turn(
            coef, ints, floats, sim, stream, actions, kinds, expelled, fired, work, stack, work[:0]
        )
        if t + 1 < path.shape[0]:
            path[t + 1] = mean_tension_of(lay, sim, actor)


@inline
def mean_tension_of(lay: tuple, row: np.ndarray, actor: int) -> float:
    """The actor's mean tension with the other actors."""
    n = lay.n
    total = 0.0
    for j in range(n):
        if j != actor:
            total += row[lay.tension + actor * n + j]
    return total / (n - 1)


@rule
def lookahead_values(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
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
) -> None:
    """Each variant's expected score for `actor` at the horizon, into `values` (V,); -inf
    where illegal. Every legal variant is played `rollouts` times on copies of the game with
    streams of their own, keyed by (game, turn, copy) under a salted key, so the AI cannot
    foresee the real game's shocks."""
    lay = layout_of(ints)
    n, v = lay.n, lay.v
    copies = int(params[actor, 0])
    horizon = int(params[actor, 1])
    for a in range(n):
        models[a] = model_of(strategies, params, a, actor, model_params[a])
    salted = key ^ ROLLOUT_SALT
    turn = int(row[lay.turn])
    no_path = work[:0]
    for m in range(v):
        if not own_legal[m]:
            # Each candidate's copies have streams of their own, so skipping an illegal one
            # changes no other candidate's futures.
            values[m] = -np.inf
            continue
        for c in range(copies):
            stream = rng.stream_of(salted, rng.branch_id(game_id, turn, m * copies + c))
            rollout(
                coef,
                ints,
                floats,
                row,
                sim,
                stream,
                actor,
                m,
                horizon,
                models,
                model_params,
                legal,
                actions,
                kinds,
                expelled,
                fired,
                work,
                stack,
                no_path,
            )
            latest_kinds(lay, ints, sim, kinds)
            scores[c] = score_now(ints, floats, sim, actor, kinds, stack)
        values[m] = pairwise_sum(scores, copies) / copies


@rule
def lookahead_pick(
    row: np.ndarray,
    stream: np.uint64,
    ints: np.ndarray,
    actor: int,
    params: np.ndarray,
    own_legal: np.ndarray,
    values: np.ndarray,
) -> int:
    """The lookahead's move from its values: personality tilts them (up to `tilt` points toward
    retaliation for a hawk, toward restraint for a dove), and volatility adds to the chance of
    an erratic choice, except at noise 0, where the AI never errs on purpose."""
    lay = layout_of(ints)
    v = lay.v
    noise, tilt = params[actor, 2], params[actor, 3]
    hawk = row[lay.personality + actor * 4 + _HAWKISHNESS] - 0.5
    best, best_value = 0, -np.inf
    found = False
    for m in range(v):
        kind = ints[lay.kind + actor * v + m]
        lean = 1.0 if kind == RETALIATE else (-1.0 if kind == RESTRAIN else 0.0)
        value = values[m] + 2.0 * tilt * hawk * lean
        if not found or value > best_value:
            best, best_value, found = m, value, True
    if noise == 0.0:
        return best
    volatility = row[lay.personality + actor * 4 + _VOLATILITY]
    chance = min(max(noise + 0.1 * volatility, 0.0), 1.0)
    turn = int(row[lay.turn]) + 1
    channel = rng.CHANNEL_STRATEGY + actor
    if not rng.uniform(stream, turn, channel, 0) < chance:
        return best
    erratic, lowest = 0, np.inf
    for m in range(v):
        key = rng.uniform(stream, turn, channel, 2 + m) if own_legal[m] else np.inf
        if key < lowest:
            erratic, lowest = m, key
    return erratic
