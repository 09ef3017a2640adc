"""Scenario expressions as compiled code runs them: a small stack machine, one game at a time.

`game.scenario.expressions` checks an author's text against the whitelist and turns it into
instructions of four integers (operation, a, b, c). The instructions are data, so an edited
scenario needs no compiling: the machine below is compiled once per install, and every scenario
is a new table for it. Variables are resolved when a scenario is compiled for the engine
(`game.engine.tables`): a name becomes one of the readings below, for one actor or for the actor
whose point of view is taken.

Values are float64; conditions are 1.0 and 0.0, and any non-zero number counts as true. `x / 0`
is 0. `and` and `or` stop at the first operand that decides them.
"""

from __future__ import annotations

import numpy as np

from game.engine.jit import inline, kernel, rule
from game.engine.layout import HEADER, Layout, layout_of
from game.scenario.opcodes import (
    FUSED_INDEX_BITS,
    OP_ABS,
    OP_ADD,
    OP_AND_JUMP,
    OP_CONST,
    OP_DIV,
    OP_EQ,
    OP_GE,
    OP_GT,
    OP_LE,
    OP_LT,
    OP_MIN,
    OP_MUL,
    OP_NE,
    OP_NEG,
    OP_NOT,
    OP_OR_JUMP,
    OP_SUB,
    OP_TRUTH,
    OP_VAR,
    OP_VAR_ADD,
    OP_VAR_LT,
    OP_VAR_MUL,
    OP_VAR_NE,
    OP_VAR_SUB,
    OP_WHERE,
    PAIR_STRIDE,
    VAR_DIPLOMATS,
    VAR_DIPLOMATS_KEPT,
    VAR_EVENT,
    VAR_GAUGE,
    VAR_GRIEVANCE,
    VAR_HOSTED,
    VAR_KIND,
    VAR_MAX_TENSION,
    VAR_MEAN_TENSION,
    VAR_OTHER_DIPLOMATS,
    VAR_OTHER_GAUGE,
    VAR_OTHER_GRIEVANCE,
    VAR_OTHER_KIND,
    VAR_OUTCOME,
    VAR_PAIR_GRIEVANCE,
    VAR_PAIR_STOCK,
    VAR_PAIR_TENSION,
    VAR_RELATIONS,
    VAR_RESTING_TENSION,
    VAR_SLOT,
    VAR_TENSION,
    VAR_TRAIT,
    VAR_TURN,
    WIDTH,
)

FUSED_INDEX_MASK = (1 << FUSED_INDEX_BITS) - 1
CODE_AT = Layout._fields.index("code")
"""Where the table's header says its instructions start: folding a constant reads only this."""


@inline
def minimum(a: float, b: float) -> float:
    """numpy's minimum: the first operand when it is NaN or smaller, else the second."""
    return a if (a < b or a != a) else b


@inline
def maximum(a: float, b: float) -> float:
    """numpy's maximum: the first operand when it is NaN or larger, else the second."""
    return a if (a > b or a != a) else b


@inline
def clip(x: float, low: float, high: float) -> float:
    """numpy's clip of one number (which keeps -0.0 and NaN as they are)."""
    if x < low:
        return low
    if x > high:
        return high
    return x


@inline
def compare(x: float, comparison: int, k: float) -> float:
    """x compared with k (comparison 0..5: <, <=, >, >=, ==, !=), as 1.0 or 0.0."""
    if comparison == 0:
        r = x < k
    elif comparison == 1:
        r = x <= k
    elif comparison == 2:
        r = x > k
    elif comparison == 3:
        r = x >= k
    elif comparison == 4:
        r = x == k
    else:
        r = x != k
    return 1.0 if r else 0.0


@inline
def read(
    lay: tuple,
    floats: np.ndarray,
    row: np.ndarray,
    reading: int,
    i: int,
    index: int,
    kinds: np.ndarray,
    turn: float,
) -> float:
    """One reading of a game's state, for actor i (the sums run in the order numpy's did).
    Variables not yet resolved to readings (VAR_SLOT) are read from `row` by slot: the row is
    then the variables' values, not a game."""
    n = lay.n
    if reading == VAR_SLOT:
        return row[index]
    if reading == VAR_TURN:
        return turn
    if reading == VAR_GAUGE:
        return row[lay.gauges + i * 3 + index]
    if reading == VAR_PAIR_TENSION:
        return row[lay.tension + i * n + index]
    if reading == VAR_PAIR_GRIEVANCE:
        return row[lay.grievance + i * n + index]
    if reading == VAR_RESTING_TENSION:
        return row[lay.resting + i * n + index]
    if reading == VAR_PAIR_STOCK:
        stock = index // PAIR_STRIDE
        return row[lay.diplomats + stock * n * n + i * n + index % PAIR_STRIDE]
    if reading in (VAR_TENSION, VAR_RELATIONS):
        best = row[lay.tension + i * n]
        for j in range(1, n):
            best = maximum(best, row[lay.tension + i * n + j])
        return best if reading == VAR_TENSION else 100.0 - best
    if reading == VAR_KIND:
        return 1.0 if kinds[i] == index else 0.0
    if reading == VAR_EVENT:
        return row[lay.fired + index]
    if reading == VAR_OUTCOME:
        return 1.0 if row[lay.outcome] == index else 0.0
    if reading == VAR_TRAIT:
        return row[lay.personality + i * 4 + index]
    if reading == VAR_GRIEVANCE:
        total = row[lay.grievance + i * n]
        for j in range(1, n):
            total += row[lay.grievance + i * n + j]
        return total
    if reading == VAR_OTHER_GRIEVANCE:
        total = row[lay.grievance + i]
        for j in range(1, n):
            total += row[lay.grievance + j * n + i]
        return total
    if reading in (VAR_DIPLOMATS, VAR_DIPLOMATS_KEPT):
        total = row[lay.diplomats + i * n]
        for j in range(1, n):
            total += row[lay.diplomats + i * n + j]
        if reading == VAR_DIPLOMATS:
            return total
        start = floats[lay.start_diplomats + i]
        return total / start if start > 0 else 1.0
    if reading == VAR_HOSTED:
        total = row[lay.diplomats + i]
        for j in range(1, n):
            total += row[lay.diplomats + j * n + i]
        return total
    if reading == VAR_OTHER_DIPLOMATS:
        everyone = 0.0
        own = row[lay.diplomats + i * n]
        for j in range(1, n):
            own += row[lay.diplomats + i * n + j]
        for j in range(n * n):
            everyone += row[lay.diplomats + j]
        return (everyone - own) / (n - 1)
    if reading == VAR_OTHER_GAUGE:
        total = row[lay.gauges + index]
        for j in range(1, n):
            total += row[lay.gauges + j * 3 + index]
        return (total - row[lay.gauges + i * 3 + index]) / (n - 1)
    if reading == VAR_OTHER_KIND:
        count = 0
        for j in range(n):
            if kinds[j] == index:
                count += 1
        if kinds[i] == index:
            count -= 1
        return count / (n - 1)
    if reading == VAR_MAX_TENSION:
        best = row[lay.tension]
        for j in range(1, n * n):
            best = maximum(best, row[lay.tension + j])
        return best
    if reading == VAR_MEAN_TENSION:
        total = row[lay.tension]
        for j in range(1, n * n):
            total += row[lay.tension + j]
        return total / (n * (n - 1))
    return np.nan


@rule
def evaluate(
    ints: np.ndarray,
    floats: np.ndarray,
    start: int,
    end: int,
    row: np.ndarray,
    actor: int,
    kinds: np.ndarray,
    turn: float,
    stack: np.ndarray,
) -> float:
    """Run instructions start..end for one game from `actor`'s point of view."""
    code = ints[ints[CODE_AT] :]
    top = -1
    pc = start
    while pc < end:
        at = pc * WIDTH
        op = code[at]
        pc += 1
        if op == OP_CONST:
            top += 1
            stack[top] = floats[code[at + 1]]
        elif op == OP_VAR or op >= OP_VAR_LT:
            # One reading, plain, compared with a constant, or taken into the top of the stack:
            # `read` is expanded once here.
            fused = op <= OP_VAR_NE and op >= OP_VAR_LT
            who, index = code[at + 2], code[at + 3]
            if fused:
                who, index = (who >> FUSED_INDEX_BITS) - 1, who & FUSED_INDEX_MASK
            x = read(
                layout_of(ints),
                floats,
                row,
                code[at + 1],
                actor if who < 0 else who,
                index,
                kinds,
                turn,
            )
            if fused:
                x = compare(x, op - OP_VAR_LT, floats[code[at + 3]])
            if op == OP_VAR_ADD:
                stack[top] = stack[top] + x
            elif op == OP_VAR_SUB:
                stack[top] = stack[top] - x
            elif op == OP_VAR_MUL:
                stack[top] = stack[top] * x
            else:
                top += 1
                stack[top] = x
        elif op == OP_AND_JUMP:
            if stack[top] == 0.0:
                pc += code[at + 1]
            else:
                top -= 1
        elif op == OP_OR_JUMP:
            if stack[top] != 0.0:
                pc += code[at + 1]
            else:
                top -= 1
        elif op <= OP_ABS:
            x = stack[top]
            if op == OP_NEG:
                stack[top] = -x
            elif op == OP_NOT:
                stack[top] = 1.0 if x == 0.0 else 0.0
            elif op == OP_TRUTH:
                stack[top] = 1.0 if x != 0.0 else 0.0
            else:
                stack[top] = abs(x)
        elif op == OP_WHERE:
            top -= 2
            stack[top] = stack[top + 1] if stack[top] != 0.0 else stack[top + 2]
        else:
            b = stack[top]
            top -= 1
            a = stack[top]
            if op == OP_ADD:
                r = a + b
            elif op == OP_SUB:
                r = a - b
            elif op == OP_MUL:
                r = a * b
            elif op == OP_DIV:
                r = a / b if b != 0.0 else 0.0
            elif op == OP_LT:
                r = 1.0 if a < b else 0.0
            elif op == OP_LE:
                r = 1.0 if a <= b else 0.0
            elif op == OP_GT:
                r = 1.0 if a > b else 0.0
            elif op == OP_GE:
                r = 1.0 if a >= b else 0.0
            elif op == OP_EQ:
                r = 1.0 if a == b else 0.0
            elif op == OP_NE:
                r = 1.0 if a != b else 0.0
            elif op == OP_MIN:
                r = minimum(a, b)
            else:
                r = maximum(a, b)
            stack[top] = r
    return stack[0]


def _program_table(code: np.ndarray) -> np.ndarray:
    """An int64 table holding only a program: a layout header whose `code` points past it."""
    from game.engine.layout import Layout

    flat = np.ascontiguousarray(code, dtype=np.int64).reshape(-1)
    ints = np.zeros(HEADER + flat.shape[0], dtype=np.int64)
    ints[Layout._fields.index("code")] = HEADER
    ints[HEADER:] = flat
    return ints


@kernel
def _evaluate_each(
    ints: np.ndarray, constants: np.ndarray, values: np.ndarray, stack: np.ndarray, out: np.ndarray
) -> None:
    no_kinds = np.zeros(1, dtype=np.int64)
    count = (ints.shape[0] - HEADER) // WIDTH
    for g in range(values.shape[0]):
        row = values[g]
        out[g] = evaluate(ints, constants, 0, count, row, 0, no_kinds, 0.0, stack)


def evaluate_rows(
    code: np.ndarray, constants: np.ndarray, values: np.ndarray, stack: np.ndarray, out: np.ndarray
) -> None:
    """Evaluate one expression for each row of `values` (B, slots), whose columns are the
    expression's variables by slot; results go to `out` (B,)."""
    _evaluate_each(_program_table(code), constants, values, stack, out)


def fold(code: np.ndarray, constants: np.ndarray, depth: int) -> float:
    """The value of instructions that read no variable, by the same machine run as plain
    Python: loading a scenario compiles nothing."""
    ints = _program_table(code)
    count = (ints.shape[0] - HEADER) // WIDTH
    no_values = np.zeros(1)
    return float(
        evaluate.py_func(ints, constants, 0, count, no_values, 0, None, 0.0, np.zeros(depth))
    )
