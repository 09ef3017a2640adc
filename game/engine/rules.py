"""The rules of one turn of one game: the only place they are written.

Order of a turn (all actors move at once):
  moves      each actor's chosen variant, aimed at its targets: tension with each target,
             gauges, stocks (expulsions, closures, caps), the pair's resting tension, grievance,
             credibility for answering in proportion (and its loss for over-answering), the cost
             of backing down under pressure, pressure from waiting. Each earlier use of a variant
             scales its tension, gauge effects and severity by repeat_effect. An exchange closes
             (last_word) when a side hit in the latest turn answers with no act against its
             attacker and the attacker makes none either.
  dynamics   tension_ij += reaction * (grievance_ij + grievance_ji)
                           - relax * (tension_ij - resting_ij)
                           + escalation if both retaliated at each other + shock;
             credibility relaxes toward its start;
             grievance decays (slower for an actor who waits); pressure grows with grievance
             and relaxes toward its baseline; standing relaxes toward its baseline.
  events     scheduled and conditional events apply their effects.
  endings    outcome conditions (held for_turns in a row), then the turn limit; scores.
All gauges and tension are kept in [0, 100]; grievance and diplomats never go below zero.

Each function works on one game's row (see `game.engine.layout`) and is compiled; the batch
loops, the strategies, the lookahead's rollouts and the forecast all call these same functions.
Sums and products are written in the order the model defines them, so a game's numbers do not
depend on how it is run.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.jit import inline, kernel, rule
from game.engine.layout import (
    EFFECT_COUNT,
    EV_CHANCE,
    EV_CHANGES,
    EV_CHANGES_THE_GAME,
    EV_LEADERS,
    EV_PAIRS,
    EV_REPEAT,
    EV_SWITCHES,
    EV_TENSION,
    EV_TRAITS,
    EV_TURN,
    EV_WHEN,
    EVENT_COLUMNS,
    layout_of,
)
from game.engine.program import clip, compare, evaluate, maximum, minimum
from game.scenario.opcodes import (
    SHORTCUT_COLUMNS,
    SHORTCUT_COMPARISON,
    SHORTCUT_CONSTANT,
    SHORTCUT_NONE,
    SHORTCUT_READING,
    SHORTCUT_WINDOW,
)

RETALIATE, RESTRAIN, WAIT = 0, 1, 2
NO_MOVE = -1
PRESSURE, CREDIBILITY, STANDING = 0, 1, 2
_TENSION_FIELD, _EXPEL_FIELD = 0, 7
_STOCK_FIELDS = 7  # expel, expel_staff, close_consulates, seize_properties: stocks 0..3
_RETURN_FIELD, _CAP_FIELD, _LASTING_FIELD = 11, 12, 13
DIPLOMATS, STAFF, CONSULATES, PROPERTIES = 0, 1, 2, 3
# The bits of a variant's `stock_use` (`game.engine.tables`): 0..3 act on the four stocks, then
# hand back properties, a cap written as an expression, a cap written as a number.
_USES_RETURN, _USES_CAP_WRITTEN, _USES_CAP_NUMBER = 4, 5, 6
TARGET_CHOOSE, TARGET_ADVERSARIES, TARGET_ALLIES, TARGET_EVERYONE = -1, -2, -3, -4

# Where the scratch numbers of a turn sit in `work` (see `work_size`): effect fields, scaled
# severities, answered grievance, pressure before the moves, target masks, effect multipliers,
# the latest turn's hits, excess severity, shocks, and a copy of the row for events.
_FIELDS = 0


@inline
def _severity_at(n: int) -> int:
    return n * EFFECT_COUNT


@inline
def _answered_at(n: int) -> int:
    return n * EFFECT_COUNT + n


@inline
def _pressure_at(n: int) -> int:
    return n * EFFECT_COUNT + n + n * n


@inline
def _masks_at(n: int) -> int:
    return n * EFFECT_COUNT + 2 * n + n * n


@inline
def _scale_at(n: int) -> int:
    return n * EFFECT_COUNT + 3 * n + n * n


@inline
def _before_hits_at(n: int) -> int:
    return n * EFFECT_COUNT + 4 * n + n * n


@inline
def _excess_at(n: int) -> int:
    return n * EFFECT_COUNT + 4 * n + 2 * n * n


@inline
def _shocks_at(n: int) -> int:
    return n * EFFECT_COUNT + 4 * n + 3 * n * n


@inline
def work_size(lay: tuple) -> int:
    """Scratch numbers a turn needs (see the offsets above)."""
    n = lay.n
    return _shocks_at(n) + n * (n - 1) // 2 + n + lay.row


@inline
def run(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    expression: int,
    row: np.ndarray,
    actor: int,
    kinds: np.ndarray,
    turn: float,
    stack: np.ndarray,
) -> float:
    """Evaluate one of the scenario's expressions for one game: 0 outside its turn window, and
    by its shortcut where it has one (see `game.engine.peephole`), else by the machine."""
    window = lay.windows + 2 * expression
    if turn < floats[window] or turn > floats[window + 1]:
        return 0.0
    cut = lay.shortcuts + SHORTCUT_COLUMNS * expression
    mode = ints[cut]
    if mode == SHORTCUT_WINDOW:
        return 1.0
    if mode == SHORTCUT_CONSTANT:
        return floats[ints[cut + 5]]
    if mode != SHORTCUT_NONE:
        first = ints[cut + 1] + actor * ints[cut + 2]
        x = row[first]
        for j in range(1, ints[cut + 3]):
            x = maximum(x, row[first + j])
        if mode == SHORTCUT_READING:
            return x
        value = compare(x, ints[cut + 4], floats[ints[cut + 5]])
        if mode == SHORTCUT_COMPARISON or value == 0.0:
            return value
    at = lay.expressions + 2 * expression
    return evaluate(ints, floats, ints[at], ints[at + 1], row, actor, kinds, turn, stack)


@inline
def kind_of(lay: tuple, ints: np.ndarray, actor: int, variant: int) -> int:
    """The kind of a variant; NO_MOVE for no move."""
    if variant < 0:
        return NO_MOVE
    return ints[lay.kind + actor * lay.v + variant]


@inline
def latest_kinds(lay: tuple, ints: np.ndarray, row: np.ndarray, kinds: np.ndarray) -> None:
    """The kind of each actor's latest move into `kinds`."""
    for a in range(lay.n):
        kinds[a] = kind_of(lay, ints, a, int(row[lay.last_variant + a]))


@inline
def stock_of(lay: tuple, row: np.ndarray, stock: int, owner: int, host: int) -> float:
    """What `owner` keeps of a stock in `host`'s country."""
    n = lay.n
    return row[lay.diplomats + stock * n * n + owner * n + host]


@inline
def usable_on(
    lay: tuple, ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int, b: int
) -> bool:
    """Whether a variant still has something to act on in target b. A variant that acts on no
    stock always has; one that does needs at least one of them left: diplomats of b's in the
    actor's country to expel, staff to withdraw, consulates to close, properties to seize, a
    mission to cap, or properties to hand back. An effect written as an expression counts as
    acting. What a variant acts on is in the scenario's table `stock_use`, as bits."""
    n, v = lay.n, lay.v
    at = actor * v + move
    acts = ints[lay.stock_use + at]
    if acts == 0:
        return True
    for stock in range(4):
        if (acts >> stock) & 1 and stock_of(lay, row, stock, b, actor) > 0.0:
            return True
    if (acts >> _USES_RETURN) & 1:
        start = floats[lay.start_stocks + PROPERTIES * n * n + b * n + actor]
        if stock_of(lay, row, PROPERTIES, b, actor) < start:
            return True
    written = (acts >> _USES_CAP_WRITTEN) & 1
    if written or (acts >> _USES_CAP_NUMBER) & 1:
        ceiling = floats[lay.effects + at * EFFECT_COUNT + _CAP_FIELD]
        mission = stock_of(lay, row, DIPLOMATS, b, actor) + stock_of(lay, row, STAFF, b, actor)
        # A ceiling written as a number must cut something; one written as an expression is
        # only known when the move is played, so a mission to cap is enough.
        if mission > (0.0 if written else ceiling):
            return True
    return False


@inline
def in_group(lay: tuple, ints: np.ndarray, code: int, actor: int, b: int) -> bool:
    """Whether b belongs to the group a target code names, seen from `actor`."""
    if b == actor:
        return False
    if code >= 0:
        return b == code
    if code in (TARGET_CHOOSE, TARGET_EVERYONE):
        return True
    allied = ints[lay.allied + actor * lay.n + b] != 0
    return allied if code == TARGET_ALLIES else not allied


@inline
def default_target(
    lay: tuple, ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int
) -> int:
    """Whom an actor aims a 'choose' variant at when nobody picks: the one who hit it hardest
    in the latest turn, else the one it holds the most grievance against, else an adversary
    before an ally, else the first; only targets the variant can still act on. -1 if none."""
    n = lay.n
    best = -1
    best_hit, best_grievance, best_adversary = 0.0, 0.0, False
    for b in range(n):
        if b == actor or not usable_on(lay, ints, floats, row, actor, move, b):
            continue
        hit = row[lay.hit + actor * n + b]
        grievance = row[lay.grievance + actor * n + b]
        adversary = ints[lay.allied + actor * n + b] == 0
        better = best < 0
        if not better and hit != best_hit:
            better = hit > best_hit
        elif not better and grievance != best_grievance:
            better = grievance > best_grievance
        elif not better:
            better = adversary and not best_adversary
        if better:
            best, best_hit, best_grievance, best_adversary = b, hit, grievance, adversary
    return best


@inline
def target_mask(
    lay: tuple, ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int
) -> int:
    """The actors a move reaches, one bit each: the variant's fixed target or group, or for a
    'choose' variant the actor's aim (else `default_target`). Targets a stock effect can no
    longer act on are left out of a group."""
    n, v = lay.n, lay.v
    code = ints[lay.target + actor * v + move]
    if code == TARGET_CHOOSE:
        aim = int(row[lay.aim + actor])
        if aim < 0 or aim == actor or aim >= n:
            aim = default_target(lay, ints, floats, row, actor, move)
        return 0 if aim < 0 else 1 << aim
    mask = 0
    for b in range(n):
        member = in_group(lay, ints, code, actor, b)
        if member and (code >= 0 or usable_on(lay, ints, floats, row, actor, move, b)):
            mask |= 1 << b
    return mask


@inline
def legal_moves(
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actor: int,
    kinds: np.ndarray,
    stack: np.ndarray,
    legal: np.ndarray,
) -> None:
    """Which variants `actor` may play now, into `legal` (V,); `kinds` are the latest kinds.
    A variant that acts on stocks needs one target it can still act on."""
    lay = layout_of(ints)
    v = lay.v
    turn = row[lay.turn] + 1.0
    for m in range(v):
        at = actor * v + m
        ok = row[lay.enabled + at] != 0.0
        if ok:
            ok = row[lay.uses + at] < ints[lay.max_uses + at]
        if ok:
            condition = ints[lay.available + at]
            if condition >= 0:
                ok = run(lay, ints, floats, condition, row, actor, kinds, turn, stack) != 0.0
        if ok and ints[lay.kind + at] >= 0:
            ok = False
            code = ints[lay.target + at]
            for b in range(lay.n):
                if in_group(lay, ints, code, actor, b):
                    ok = ok or usable_on(lay, ints, floats, row, actor, m, b)
        legal[m] = ok


@rule
def legal_targets(
    ints: np.ndarray, floats: np.ndarray, row: np.ndarray, actor: int, move: int, out: np.ndarray
) -> None:
    """Which actors a 'choose' variant may be aimed at now, into `out` (N,)."""
    lay = layout_of(ints)
    code = ints[lay.target + actor * lay.v + move]
    for b in range(lay.n):
        out[b] = in_group(lay, ints, code, actor, b) and usable_on(
            lay, ints, floats, row, actor, move, b
        )


@inline
def apply_moves(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    causes: np.ndarray,
) -> None:
    """Apply each actor's chosen variant (NO_MOVE for none) to its targets; `kinds` and
    `expelled` receive what each actor played and how many people (diplomats and local staff)
    it sent home. Unless `causes` is empty, each actor's part of every change is added to it."""
    explain = causes.shape[0] > 0
    n, v = lay.n, lay.v
    fields = _FIELDS
    severity = _severity_at(n)
    answered = _answered_at(n)
    pressure_before = _pressure_at(n)
    masks = _masks_at(n)
    scale = _scale_at(n)
    before_hits = _before_hits_at(n)
    excess = _excess_at(n)
    for a in range(n):
        move = actions[a]
        kinds[a] = kind_of(lay, ints, a, move)
        work[severity + a] = 0.0
        work[masks + a] = 0.0
        work[scale + a] = 1.0
        if move < 0:
            for f in range(EFFECT_COUNT):
                work[fields + a * EFFECT_COUNT + f] = 0.0
            work[fields + a * EFFECT_COUNT + _CAP_FIELD] = -1.0
        else:
            at = a * v + move
            if coef.repeat_effect != 1.0:
                work[scale + a] = _repeat_scale(lay, coef, floats, row[lay.uses + at])
            work[severity + a] = floats[lay.severity + at] * work[scale + a]
            for f in range(EFFECT_COUNT):
                work[fields + a * EFFECT_COUNT + f] = floats[lay.effects + at * EFFECT_COUNT + f]
            work[masks + a] = target_mask(lay, ints, floats, row, a, move)
    # Scaled effects read the state before any move.
    turn = row[lay.turn] + 1.0
    for a in range(n):
        move = actions[a]
        if move >= 0 and ints[lay.effect_scripted + a * v + move]:
            at = a * v + move
            for f in range(EFFECT_COUNT):
                expression = ints[lay.effect_expression + at * EFFECT_COUNT + f]
                if expression >= 0:
                    work[fields + a * EFFECT_COUNT + f] = run(
                        lay, ints, floats, expression, row, a, kinds, turn, stack
                    )
        if move >= 0 and work[scale + a] != 1.0:
            for f in range(7):
                work[fields + a * EFFECT_COUNT + f] *= work[scale + a]
    in_use = lay.field_in_use
    for a in range(n):
        work[pressure_before + a] = row[lay.gauges + a * 3 + PRESSURE]
        row[lay.aim + a] = -1.0
    for at in range(n * n):
        work[before_hits + at] = row[lay.hit + at]
        row[lay.hit + at] = 0.0
        work[excess + at] = 0.0

    t0 = lay.tension
    if ints[in_use + _TENSION_FIELD]:
        for i in range(n):
            reach_i = int(work[masks + i])
            own = work[fields + i * EFFECT_COUNT + _TENSION_FIELD]
            for j in range(n):
                reach_j = int(work[masks + j])
                other = work[fields + j * EFFECT_COUNT + _TENSION_FIELD]
                mine = own if (reach_i >> j) & 1 else 0.0
                theirs = other if (reach_j >> i) & 1 else 0.0
                row[t0 + i * n + j] += mine + theirs
                if explain and i < j:
                    _add_cause(lay, causes, _pair(n, i, j), i, mine)
                    _add_cause(lay, causes, _pair(n, i, j), j, theirs)
            row[t0 + i * n + i] = 0.0

    g0 = lay.gauges
    for gauge in range(3):
        if ints[in_use + 1 + gauge]:
            for a in range(n):
                row[g0 + a * 3 + gauge] += work[fields + a * EFFECT_COUNT + 1 + gauge]
                if explain:
                    own = work[fields + a * EFFECT_COUNT + 1 + gauge]
                    _add_cause(lay, causes, _gauge_line(lay, a, gauge), a, own)
        if ints[in_use + 4 + gauge]:
            for a in range(n):
                for b in range(n):
                    if b != a and (int(work[masks + b]) >> a) & 1:
                        other = work[fields + b * EFFECT_COUNT + 4 + gauge]
                        row[g0 + a * 3 + gauge] += other
                        if explain:
                            _add_cause(lay, causes, _gauge_line(lay, a, gauge), b, other)

    d0 = lay.diplomats
    for i in range(n):
        expelled[i] = 0.0
    for i in range(n):
        reach = int(work[masks + i])
        if reach == 0:
            continue
        # Actor i acts on what each target j keeps in i's country.
        for f in range(_STOCK_FIELDS, _STOCK_FIELDS + 4):
            if not ints[in_use + f]:
                continue
            stock = f - _STOCK_FIELDS
            amount = maximum(work[fields + i * EFFECT_COUNT + f], 0.0)
            for j in range(n):
                if (reach >> j) & 1:
                    at = d0 + stock * n * n + j * n + i
                    removed = np.floor(minimum(amount, row[at]))
                    row[at] -= removed
                    if stock <= STAFF:
                        expelled[i] += removed
        if ints[in_use + _CAP_FIELD]:
            cap = work[fields + i * EFFECT_COUNT + _CAP_FIELD]
            if cap >= 0.0:
                for j in range(n):
                    if (reach >> j) & 1:
                        staff = d0 + STAFF * n * n + j * n + i
                        diplomats = d0 + j * n + i
                        over = np.floor(row[staff] + row[diplomats] - cap)
                        if over > 0.0:
                            from_staff = minimum(over, row[staff])
                            row[staff] -= from_staff
                            from_diplomats = minimum(over - from_staff, row[diplomats])
                            row[diplomats] -= from_diplomats
                            expelled[i] += from_staff + from_diplomats
        if ints[in_use + _RETURN_FIELD]:
            amount = maximum(work[fields + i * EFFECT_COUNT + _RETURN_FIELD], 0.0)
            for j in range(n):
                if (reach >> j) & 1:
                    at = PROPERTIES * n * n + j * n + i
                    start = floats[lay.start_stocks + at]
                    row[d0 + at] = minimum(row[d0 + at] + np.floor(amount), start)
        if ints[in_use + _LASTING_FIELD]:
            lasting = work[fields + i * EFFECT_COUNT + _LASTING_FIELD]
            for j in range(n):
                if (reach >> j) & 1:
                    _add_lasting(lay, floats, row, i, j, lasting)

    r0 = lay.grievance
    for i in range(n):
        restrained = 1.0 if kinds[i] == RESTRAIN else 0.0
        relief = coef.answer_relief * work[severity + i]
        keep = 1.0 - coef.restraint_forgives * restrained
        reach_i = int(work[masks + i])
        for j in range(n):
            at = r0 + i * n + j
            aimed = (reach_i >> j) & 1
            answer = minimum(row[at], relief) if aimed else 0.0
            work[answered + i * n + j] = answer
            if aimed and relief > 0.0:
                work[excess + i * n + j] = relief - answer
            row[at] = (row[at] - answer) * (keep if aimed else 1.0)
            if (int(work[masks + j]) >> i) & 1:
                row[at] += work[severity + j]
                row[lay.hit + i * n + j] = work[severity + j]
        row[r0 + i * n + i] = 0.0
    if coef.last_word:
        _close_exchanges(lay, coef, row, work)

    for i in range(n):
        restrained = 1.0 if kinds[i] == RESTRAIN else 0.0
        backdown = clip(
            (work[pressure_before + i] - coef.backdown_threshold) / coef.backdown_span, 0.0, 1.0
        )
        answers = work[answered + i * n]
        overreach = work[excess + i * n]
        for j in range(1, n):
            answers += work[answered + i * n + j]
            overreach += work[excess + i * n + j]
        gain = coef.answer_credibility * answers
        if coef.credibility_headroom:
            room = 1.0 - coef.credibility_headroom * row[g0 + i * 3 + CREDIBILITY] / 100.0
            gain = gain * room
        credibility = gain - coef.backdown_cost * backdown * restrained
        if coef.overreach_credibility:
            credibility -= coef.overreach_credibility * overreach
        row[g0 + i * 3 + CREDIBILITY] += credibility
        if coef.overreach_tension:
            for j in range(n):
                extra = coef.overreach_tension * work[excess + i * n + j]
                if extra > 0.0:
                    row[t0 + i * n + j] += extra
                    row[t0 + j * n + i] += extra
                    if explain:
                        _add_cause(lay, causes, _pair(n, min(i, j), max(i, j)), i, extra)
        waited = 1.0 if kinds[i] == WAIT else 0.0
        row[g0 + i * 3 + PRESSURE] += coef.wait_pressure * waited
        if explain:
            _add_cause(lay, causes, _gauge_line(lay, i, CREDIBILITY), i, credibility)
            _add_cause(lay, causes, _gauge_line(lay, i, PRESSURE), i, coef.wait_pressure * waited)

    for a in range(n):
        received = 0.0
        for b in range(n):
            received += row[lay.hit + a * n + b]
        row[lay.received + a] = received
        if received > 0:
            row[lay.wronged + a] = 1.0
        move = actions[a]
        if move >= 0:
            row[lay.uses + a * v + move] += 1.0
            row[lay.prev_variant + a] = row[lay.last_variant + a]
            row[lay.last_variant + a] = move
            row[lay.prev_mask + a] = row[lay.last_mask + a]
            row[lay.last_mask + a] = work[masks + a]
    _clip_tension_and_gauges(lay, row)


@inline
def _repeat_scale(lay: tuple, coef: tuple, floats: np.ndarray, uses: float) -> float:
    """repeat_effect ** uses, from the table of powers where the count is in it."""
    if uses < lay.max_turns + lay.n_opening + 2:
        return floats[lay.repeat_powers + int(uses)]
    return coef.repeat_effect**uses


@inline
def _add_lasting(
    lay: tuple, floats: np.ndarray, row: np.ndarray, i: int, j: int, amount: float
) -> None:
    """Move a pair's resting tension, never below its pre-crisis baseline nor above 100."""
    n = lay.n
    at = i * n + j
    resting = clip(row[lay.resting + at] + amount, floats[lay.baseline0 + at], 100.0)
    row[lay.resting + at] = resting
    row[lay.resting + j * n + i] = resting


@inline
def _close_exchanges(lay: tuple, coef: tuple, row: np.ndarray, work: np.ndarray) -> None:
    """The last word: where j hit i in the latest turn and neither now acts against the other,
    the exchange is over and both grievances settle by `last_word`."""
    n = lay.n
    before = _before_hits_at(n)
    keep = 1.0 - coef.last_word
    for i in range(n):
        for j in range(n):
            if i == j or work[before + i * n + j] <= 0.0:
                continue
            if row[lay.hit + i * n + j] == 0.0 and row[lay.hit + j * n + i] == 0.0:
                row[lay.grievance + i * n + j] *= keep
                row[lay.grievance + j * n + i] *= keep


# Why numbers moved. `causes` (see `cause_size`) has one line per quantity, the tension of each
# pair (i < j) and then each actor's three gauges, and one column per part: the act of each
# actor, then the parts below. The rules add each part as they apply it; what clipping to
# [0, 100] and rounding took is the last part, so the parts add up to the change exactly.
CAUSE_REACTION, CAUSE_FATIGUE, CAUSE_ESCALATION, CAUSE_SHOCK, CAUSE_EVENTS, CAUSE_BOUNDS = range(6)
CAUSE_PARTS = ("reaction", "fatigue", "escalation", "shock", "events", "bounds")


@inline
def cause_size(lay: tuple) -> int:
    """Numbers in a turn's `causes`: every quantity's parts, then its value before the turn."""
    quantities = lay.n * (lay.n - 1) // 2 + lay.n * 3
    return quantities * (lay.n + 6) + quantities


@inline
def _pair(n: int, i: int, j: int) -> int:
    """The line of the pair i < j."""
    return i * n - i * (i + 1) // 2 + (j - i - 1)


@inline
def _add_cause(lay: tuple, causes: np.ndarray, line: int, column: int, amount: float) -> None:
    causes[line * (lay.n + 6) + column] += amount


@inline
def _gauge_line(lay: tuple, actor: int, gauge: int) -> int:
    return lay.n * (lay.n - 1) // 2 + actor * 3 + gauge


@inline
def _quantity(lay: tuple, row: np.ndarray, line: int) -> float:
    """The value of a quantity line: a pair's tension or an actor's gauge."""
    n = lay.n
    pairs = n * (n - 1) // 2
    if line >= pairs:
        return row[lay.gauges + line - pairs]
    for i in range(n):
        for j in range(i + 1, n):
            if _pair(n, i, j) == line:
                return row[lay.tension + i * n + j]
    return 0.0


@inline
def _begin_causes(lay: tuple, row: np.ndarray, causes: np.ndarray) -> None:
    lines = lay.n * (lay.n - 1) // 2 + lay.n * 3
    width = lay.n + 6
    for at in range(lines * width):
        causes[at] = 0.0
    for line in range(lines):
        causes[lines * width + line] = _quantity(lay, row, line)


@inline
def _close_causes(lay: tuple, row: np.ndarray, causes: np.ndarray) -> None:
    lines = lay.n * (lay.n - 1) // 2 + lay.n * 3
    width = lay.n + 6
    for line in range(lines):
        parts = 0.0
        for column in range(width - 1):
            parts += causes[line * width + column]
        change = _quantity(lay, row, line) - causes[lines * width + line]
        causes[line * width + lay.n + CAUSE_BOUNDS] = change - parts


@inline
def _clip_tension_and_gauges(lay: tuple, row: np.ndarray) -> None:
    for at in range(lay.tension, lay.tension + lay.n * lay.n):
        row[at] = clip(row[at], 0.0, 100.0)
    for at in range(lay.gauges, lay.gauges + lay.n * 3):
        row[at] = clip(row[at], 0.0, 100.0)


@inline
def run_dynamics(
    lay: tuple,
    coef: tuple,
    floats: np.ndarray,
    row: np.ndarray,
    stream: np.uint64,
    kinds: np.ndarray,
    work: np.ndarray,
    causes: np.ndarray,
) -> None:
    """The model's own motion for one turn, after the moves (parts added to `causes` unless it
    is empty)."""
    explain = causes.shape[0] > 0
    n = lay.n
    turn = int(row[lay.turn]) + 1
    t0, r0, g0 = lay.tension, lay.grievance, lay.gauges
    masks = _masks_at(n)
    for i in range(n):
        hostile_i = 1.0 if kinds[i] == RETALIATE else 0.0
        reach_i = int(work[masks + i])
        for j in range(n):
            at = t0 + i * n + j
            mutual = (row[r0 + i * n + j] + row[r0 + j * n + i]) * coef.reaction
            drift = (row[at] - row[lay.resting + i * n + j]) * coef.relax
            row[at] = row[at] + mutual - drift
            if explain and i < j:
                _add_cause(lay, causes, _pair(n, i, j), n + CAUSE_REACTION, mutual)
                _add_cause(lay, causes, _pair(n, i, j), n + CAUSE_FATIGUE, -drift)
            if coef.escalation:
                hostile_j = 1.0 if kinds[j] == RETALIATE else 0.0
                at_each_other = (reach_i >> j) & 1 and (int(work[masks + j]) >> i) & 1
                both = coef.escalation * (hostile_i * hostile_j) if at_each_other else 0.0
                row[at] += both
                if explain and i < j:
                    _add_cause(lay, causes, _pair(n, i, j), n + CAUSE_ESCALATION, both)
    shocks = _shocks_at(n)
    pairs = n * (n - 1) // 2
    if coef.shock_tension or coef.shock_pressure:
        for column in range(pairs + n):
            work[shocks + column] = rng.shock(stream, turn, rng.CHANNEL_SHOCKS, column)
    if coef.shock_tension:
        p = 0
        for i in range(n):
            for j in range(i + 1, n):
                amount = coef.shock_tension * work[shocks + p]
                row[t0 + i * n + j] += amount
                row[t0 + j * n + i] += amount
                if explain:
                    _add_cause(lay, causes, p, n + CAUSE_SHOCK, amount)
                p += 1
    for i in range(n):
        row[t0 + i * n + i] = 0.0

    for i in range(n):
        waiting = 1.0 if kinds[i] == WAIT else 0.0
        decay = (1.0 - coef.grievance_decay) + (
            coef.grievance_decay - coef.grievance_decay_waiting
        ) * waiting
        for j in range(n):
            row[r0 + i * n + j] *= decay
        total = row[r0 + i * n]
        for j in range(1, n):
            total += row[r0 + i * n + j]
        at = g0 + i * 3 + PRESSURE
        row[at] += coef.pressure_from_grievance * total
        relax = coef.pressure_relax * (row[at] - coef.pressure_baseline)
        row[at] -= relax
        if explain:
            line = _gauge_line(lay, i, PRESSURE)
            _add_cause(lay, causes, line, n + CAUSE_REACTION, coef.pressure_from_grievance * total)
            _add_cause(lay, causes, line, n + CAUSE_FATIGUE, -relax)
        if coef.shock_pressure:
            row[at] += coef.shock_pressure * work[shocks + pairs + i]
            if explain:
                amount = coef.shock_pressure * work[shocks + pairs + i]
                _add_cause(lay, causes, _gauge_line(lay, i, PRESSURE), n + CAUSE_SHOCK, amount)
        at = g0 + i * 3 + STANDING
        relax = coef.standing_relax * (row[at] - coef.standing_baseline)
        row[at] -= relax
        if explain:
            _add_cause(lay, causes, _gauge_line(lay, i, STANDING), n + CAUSE_FATIGUE, -relax)
        if coef.credibility_relax:
            at = g0 + i * 3 + CREDIBILITY
            relax = coef.credibility_relax * (row[at] - floats[lay.start_credibility + i])
            row[at] -= relax
            if explain:
                line = _gauge_line(lay, i, CREDIBILITY)
                _add_cause(lay, causes, line, n + CAUSE_FATIGUE, -relax)
    _clip_tension_and_gauges(lay, row)
    row[lay.turn] = turn


@inline
def fire_events(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    stream: np.uint64,
    kinds: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    causes: np.ndarray,
) -> None:
    """Fire the events due at the end of the turn just played; `fired` (E,) says which (and
    their effects go to `causes` unless it is empty)."""
    explain = causes.shape[0] > 0
    turn = row[lay.turn]
    coming = turn + 1.0
    # Only the events that may fire after this turn are looked at (see `tables._events_by_turn`).
    due = int(turn) if 0.0 <= turn <= lay.max_turns else lay.max_turns + 1
    first, end = ints[lay.event_turns + due], ints[lay.event_turns + due + 1]
    for e in range(lay.e):
        fired[e] = False
    any_fired = False
    for at in range(first, end):
        e = ints[lay.event_turns + at]
        ev = lay.events + e * EVENT_COLUMNS
        scheduled = ints[ev + EV_TURN]
        repeat = ints[ev + EV_REPEAT]
        if scheduled >= 0:
            eligible = coming == scheduled
            if eligible and not repeat:
                eligible = row[lay.fired + e] == 0.0
        elif not repeat:
            eligible = row[lay.fired + e] == 0.0
        else:
            eligible = True
        condition = ints[ev + EV_WHEN]
        if eligible and condition >= 0:
            eligible = run(lay, ints, floats, condition, row, 0, kinds, turn, stack) != 0.0
        if eligible and ints[ev + EV_CHANCE]:
            draw = rng.uniform(stream, int(turn), rng.CHANNEL_EVENTS, e)
            eligible = draw < floats[lay.probability + e]
        fired[e] = eligible
        any_fired = any_fired or eligible
    if not any_fired:
        return
    # Every effect reads the state as it was before any event of this turn (a copy needed only
    # when an effect reads the state at all).
    before = work.shape[0] - lay.row
    reads = False
    for at in range(first, end):
        e = ints[lay.event_turns + at]
        reads = reads or (fired[e] and ints[lay.event_reads + e] != 0)
    if reads:
        for at in range(lay.row):
            work[before + at] = row[at]
    snapshot = work[before:]
    n, v = lay.n, lay.v
    for at in range(first, end):
        e = ints[lay.event_turns + at]
        if not fired[e]:
            continue
        ev = lay.events + e * EVENT_COLUMNS
        tension = ints[ev + EV_TENSION]
        if tension >= 0:
            amount = run(lay, ints, floats, tension, snapshot, 0, kinds, turn, stack)
            for at in range(lay.tension, lay.tension + n * n):
                row[at] += amount
            if explain:
                for p in range(n * (n - 1) // 2):
                    _add_cause(lay, causes, p, n + CAUSE_EVENTS, amount)
        for c in range(ints[ev + EV_CHANGES], ints[ev + EV_CHANGES + 1]):
            at = lay.gauge_changes + 3 * c
            amount = run(lay, ints, floats, ints[at + 2], snapshot, 0, kinds, turn, stack)
            row[lay.gauges + ints[at] * 3 + ints[at + 1]] += amount
            if explain:
                line = _gauge_line(lay, ints[at], ints[at + 1])
                _add_cause(lay, causes, line, n + CAUSE_EVENTS, amount)
        for c in range(ints[ev + EV_PAIRS], ints[ev + EV_PAIRS + 1]):
            at = lay.pair_changes + 4 * c
            i, j = ints[at], ints[at + 1]
            if ints[at + 2] >= 0:
                amount = run(lay, ints, floats, ints[at + 2], snapshot, 0, kinds, turn, stack)
                row[lay.tension + i * n + j] += amount
                row[lay.tension + j * n + i] += amount
                if explain:
                    _add_cause(
                        lay, causes, _pair(n, min(i, j), max(i, j)), n + CAUSE_EVENTS, amount
                    )
            if ints[at + 3] >= 0:
                lasting = run(lay, ints, floats, ints[at + 3], snapshot, 0, kinds, turn, stack)
                _add_lasting(lay, floats, row, i, j, lasting)
        for c in range(ints[ev + EV_LEADERS], ints[ev + EV_LEADERS + 1]):
            at = lay.leaders + 2 * c
            row[lay.leader + ints[at]] = ints[at + 1]
        for c in range(ints[ev + EV_TRAITS], ints[ev + EV_TRAITS + 1]):
            at = lay.traits + 2 * c
            row[lay.personality + ints[at] * 4 + ints[at + 1]] = floats[lay.trait_values + c]
        for c in range(ints[ev + EV_SWITCHES], ints[ev + EV_SWITCHES + 1]):
            at = lay.switches + 3 * c
            row[lay.enabled + ints[at] * v + ints[at + 1]] = ints[at + 2]
    for i in range(n):
        row[lay.tension + i * n + i] = 0.0
    _clip_tension_and_gauges(lay, row)
    for at in range(first, end):
        e = ints[lay.event_turns + at]
        if fired[e]:
            row[lay.fired + e] += 1.0


@inline
def objective_total(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actor: int,
    kinds: np.ndarray,
    every_turn: int,
    stack: np.ndarray,
) -> float:
    """The weighted sum of an actor's objectives of one sort, evaluated now."""
    total = 0.0
    turn = row[lay.turn]
    for o in range(lay.n_objectives):
        at = lay.objectives + 3 * o
        if ints[at] == actor and ints[at + 2] == every_turn:
            value = run(lay, ints, floats, ints[at + 1], row, actor, kinds, turn, stack)
            total += floats[lay.weights + o] * value
    return total


@inline
def settle(
    lay: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    kinds: np.ndarray,
    stack: np.ndarray,
) -> bool:
    """Score the turn, then end the game if it meets an outcome; returns whether it ended."""
    n = lay.n
    if lay.running_objectives:
        for a in range(n):
            total = objective_total(lay, ints, floats, row, a, kinds, 1, stack)
            row[lay.score_accum + a] = row[lay.score_accum + a] + total
    turn = row[lay.turn]
    outcome = -1
    for k in range(lay.k):
        condition = ints[lay.outcomes + 2 * k]
        if condition < 0:
            continue
        holds = run(lay, ints, floats, condition, row, 0, kinds, turn, stack) != 0.0
        streak = row[lay.streak + k] + 1.0 if holds else 0.0
        row[lay.streak + k] = streak
        if streak >= ints[lay.outcomes + 2 * k + 1] and outcome < 0:
            outcome = k
    if outcome < 0 and turn >= lay.max_turns:
        outcome = lay.turn_limit_outcome
    if outcome < 0:
        return False
    row[lay.over] = 1.0
    row[lay.outcome] = outcome
    for a in range(n):
        final = objective_total(lay, ints, floats, row, a, kinds, 0, stack)
        row[lay.final_score + a] = row[lay.score_accum + a] + final
    return True


def draws_chance(lay: tuple, coef: tuple, ints: np.ndarray) -> bool:
    """Whether a turn of this scenario can draw a random number. The rules draw in two places,
    the shocks of the dynamics and the events that fire by chance; where neither can happen,
    every seed plays the same game, which `Engine.play_in_place` uses to play it once. A new
    draw in the rules must be named here (a test plays every shipped scenario to check)."""
    if coef.shock_tension or coef.shock_pressure:
        return True
    return any(ints[lay.events + e * EVENT_COLUMNS + EV_CHANCE] for e in range(lay.e))


@rule
def play_turn(
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    stream: np.uint64,
    actions: np.ndarray,
    kinds: np.ndarray,
    expelled: np.ndarray,
    fired: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
    causes: np.ndarray,
) -> bool:
    """One turn of one running game; returns whether the game ended. Unless `causes` is empty
    (see `cause_size`), it receives the parts of every change in tension and the gauges."""
    lay = layout_of(ints)
    explain = causes.shape[0] > 0
    if explain:
        _begin_causes(lay, row, causes)
    apply_moves(lay, coef, ints, floats, row, actions, kinds, expelled, work, stack, causes)
    run_dynamics(lay, coef, floats, row, stream, kinds, work, causes)
    fire_events(lay, ints, floats, row, stream, kinds, fired, work, stack, causes)
    ended = settle(lay, ints, floats, row, kinds, stack)
    if explain:
        _close_causes(lay, row, causes)
    return ended


@rule
def score_now(
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    actor: int,
    kinds: np.ndarray,
    stack: np.ndarray,
) -> float:
    """An actor's score: final if the game is over, else as if it ended now. `kinds` are the
    latest kinds."""
    lay = layout_of(ints)
    if row[lay.over] != 0.0:
        return row[lay.final_score + actor]
    end = objective_total(lay, ints, floats, row, actor, kinds, 0, stack)
    return row[lay.score_accum + actor] + end


@inline
def turns_to_next_scheduled(lay: tuple, ints: np.ndarray, row: np.ndarray) -> float:
    """Decisions left before the next scheduled event that changes the game (a new leader,
    new traits, moves enabled or withdrawn); inf if none is pending. 1 means it fires right
    after the coming turn's moves."""
    best = np.inf
    turn = row[lay.turn]
    for e in range(lay.e):
        ev = lay.events + e * EVENT_COLUMNS
        scheduled = ints[ev + EV_TURN]
        if scheduled < 0 or not ints[ev + EV_CHANGES_THE_GAME]:
            continue
        left = scheduled - 1 - turn
        if row[lay.fired + e] == 0.0 and left >= 1:
            best = min(best, left)
    return best


@kernel
def open_game(
    lay: tuple,
    coef: tuple,
    ints: np.ndarray,
    floats: np.ndarray,
    row: np.ndarray,
    work: np.ndarray,
    stack: np.ndarray,
) -> None:
    """Play the scenario's opening moves, one after another, on a game that has not started.
    Every blow of the opening counts as one the first turn answers: the hits of all opening
    moves are kept, not only the last one's."""
    n = lay.n
    actions = np.full(n, NO_MOVE, dtype=np.int64)
    kinds = np.zeros(n, dtype=np.int64)
    expelled = np.zeros(n)
    hits = np.zeros(n * n)
    for m in range(lay.n_opening):
        at = lay.opening + 3 * m
        actions[:] = NO_MOVE
        actions[ints[at]] = ints[at + 1]
        row[lay.aim + ints[at]] = ints[at + 2]
        apply_moves(lay, coef, ints, floats, row, actions, kinds, expelled, work, stack, work[:0])
        for p in range(n * n):
            hits[p] += row[lay.hit + p]
    if lay.n_opening > 1:
        for a in range(n):
            received = 0.0
            for b in range(n):
                row[lay.hit + a * n + b] = hits[a * n + b]
                received += hits[a * n + b]
            row[lay.received + a] = received
