"""Cheaper instructions for the same values: done once per scenario, when it is laid out.

Most of a scenario's conditions compare one reading with a constant (`tension < 55`), and many
hold only in a window of turns (`turn >= 9 and turn <= 15 and ...`). The engine runs them every
turn of every game, so three rewrites pay:

- `fuse` turns each `reading, constant, comparison` into one instruction (OP_VAR_LT..OP_VAR_NE),
  which the machine runs in one step instead of three, and each reading taken at once into the
  value under it by +, - or * into one (OP_VAR_ADD..OP_VAR_MUL) instead of two.
- `turn_window` finds the turns outside which an expression is 0 for certain: the engine then
  answers 0 without running it. That holds when the expression is an `and` of operands one of
  which compares `turn` with a constant, since `and` keeps exactly the false operand and every
  operand of `and` is a truth value (1.0 or 0.0; see `game.scenario.expressions`).
- `shortcut` finds the expressions the engine can answer inside their window without the
  machine at all: a constant, a window that decides them, or one reading of the row, alone or
  compared with a constant (see `rules.run`).

All give bit for bit the value the plain instructions give; `tests/test_peephole.py` checks that
on random expressions and the engine's fingerprint test on every shipped scenario.
"""

from __future__ import annotations

import numpy as np

from game.scenario import opcodes as op

_COMPARISONS = (op.OP_LT, op.OP_LE, op.OP_GT, op.OP_GE, op.OP_EQ, op.OP_NE)
_MIRRORED = {
    op.OP_LT: op.OP_GT,
    op.OP_LE: op.OP_GE,
    op.OP_GT: op.OP_LT,
    op.OP_GE: op.OP_LE,
    op.OP_EQ: op.OP_EQ,
    op.OP_NE: op.OP_NE,
}
"""`k OP x` is `x MIRRORED[OP] k`, for every float, NaN included."""
_JUMPS = (op.OP_AND_JUMP, op.OP_OR_JUMP)
_TAKEN_IN = (op.OP_ADD, op.OP_SUB, op.OP_MUL)
"""Operations a reading just pushed may be fused into (OP_VAR_ADD..OP_VAR_MUL, same order)."""
_MOST_INDEX = 1 << op.FUSED_INDEX_BITS
ALWAYS = (-np.inf, np.inf)
"""The window of an expression that may be non-zero on any turn."""
_TURN_BOUNDS = {
    op.OP_GE: lambda k: (k, np.inf),
    op.OP_GT: lambda k: (float(np.nextafter(k, np.inf)), np.inf),
    op.OP_EQ: lambda k: (k, k),
    op.OP_LE: lambda k: (-np.inf, k),
    op.OP_LT: lambda k: (-np.inf, float(np.nextafter(k, -np.inf))),
}
"""The turns `turn OP k` allows, for the comparisons that make a window: inside the window
each of them holds (a `!=` makes none)."""


def _compared_reading(code: np.ndarray, at: int) -> tuple[np.ndarray, int, int] | None:
    """(the OP_VAR instruction, the constant's index, the comparison as `reading OP constant`)
    if instructions at..at+2 compare one reading with one constant, else None."""
    if at + 2 >= len(code) or code[at + 2][0] not in _COMPARISONS:
        return None
    first, second, comparison = code[at][0], code[at + 1][0], int(code[at + 2][0])
    if first == op.OP_VAR and second == op.OP_CONST:
        return code[at], int(code[at + 1][1]), comparison
    if first == op.OP_CONST and second == op.OP_VAR:
        return code[at + 1], int(code[at][1]), _MIRRORED[comparison]
    return None


def _targets(code: np.ndarray) -> set[int]:
    return {i + 1 + int(ins[1]) for i, ins in enumerate(code) if ins[0] in _JUMPS}


def fuse(code: np.ndarray) -> np.ndarray:
    """The instructions with each comparison of a reading and a constant made one instruction,
    and each reading that is at once added to, subtracted from or multiplied into the value
    under it (`3 * restrained`, `100 - pressure`) made one instruction too.

    A jump never lands inside a comparison (it lands after a whole operand), but it may land on
    the operation after a reading (`x * (y and z)`), which then stays apart; only the jumps'
    lengths change."""
    targets = _targets(code)
    kept: list[np.ndarray] = []
    new_index: dict[int, int] = {}
    at = 0
    while at < len(code):
        new_index[at] = len(kept)
        found = _compared_reading(code, at)
        if found is not None and not targets & {at + 1, at + 2}:
            var, constant, comparison = found
            who, index = int(var[2]), int(var[3])
            if -1 <= who < _MOST_INDEX - 1 and 0 <= index < _MOST_INDEX:
                packed = ((who + 1) << op.FUSED_INDEX_BITS) | index
                fused = op.OP_VAR_LT + _COMPARISONS.index(comparison)
                kept.append(np.array([fused, var[1], packed, constant], dtype=np.int64))
                at += 3
                continue
        taken = code[at + 1][0] if at + 1 < len(code) else -1
        if code[at][0] == op.OP_VAR and taken in _TAKEN_IN and at + 1 not in targets:
            kept.append(code[at].copy())
            kept[-1][0] = op.OP_VAR_ADD + (taken - op.OP_ADD)
            at += 2
            continue
        kept.append(code[at].copy())
        at += 1
    new_index[len(code)] = len(kept)
    for old, ins in enumerate(code):
        if ins[0] in _JUMPS:
            start, target = new_index[old], new_index[old + 1 + int(ins[1])]
            kept[start][1] = target - start - 1
    return np.array(kept, dtype=np.int64).reshape(-1, op.WIDTH)


def _conjuncts(code: np.ndarray) -> list[tuple[int, int]]:
    """The spans of the operands of the `and` that makes the whole expression (one span, the
    whole code, if it is no `and`). A jump of a nested `and`/`or` covers the instructions it
    may skip, and no top-level `and` lies under one."""
    spans, start, covered = [], 0, 0
    for i, ins in enumerate(code):
        if ins[0] not in _JUMPS:
            continue
        target = i + 1 + int(ins[1])
        if ins[0] == op.OP_AND_JUMP and target == len(code) and i >= covered:
            spans.append((start, i))
            start = i + 1
        else:
            covered = max(covered, target)
    spans.append((start, len(code)))
    return spans


def turn_window(code: np.ndarray, constants: np.ndarray) -> tuple[float, float]:
    """(first, last): outside these turns the expression's value is 0.0 for certain."""
    low, high = ALWAYS
    for start, end in _conjuncts(code):
        found = _compared_reading(code, start) if end - start == 3 else None
        if found is None or found[0][1] != op.VAR_TURN:
            continue
        _, constant, comparison = found
        if comparison not in _TURN_BOUNDS:
            continue
        first, last = _TURN_BOUNDS[comparison](float(constants[constant]))
        low, high = max(low, first), min(high, last)
    return low, high


def _windowed_turn_test(ins: np.ndarray) -> bool:
    """Whether a fused instruction is a comparison of `turn` that the window accounts for."""
    if not (op.OP_VAR_LT <= ins[0] <= op.OP_VAR_NE and ins[1] == op.VAR_TURN):
        return False
    return _COMPARISONS[ins[0] - op.OP_VAR_LT] in _TURN_BOUNDS


def row_span(
    reading: int, who: int, index: int, offsets: dict[str, int], n: int
) -> tuple[int, int, int] | None:
    """(first, stride, count) when a reading is the largest of `count` row slots in a row (one
    slot for most readings), starting at first + i * stride for actor i (stride 0 for a fixed
    actor, `who` >= 0); None for readings the machine works out otherwise."""
    per_actor = {
        op.VAR_GAUGE: ("gauges", 3, index, 1),
        op.VAR_PAIR_TENSION: ("tension", n, index, 1),
        op.VAR_PAIR_GRIEVANCE: ("grievance", n, index, 1),
        op.VAR_RESTING_TENSION: ("resting", n, index, 1),
        op.VAR_TRAIT: ("personality", 4, index, 1),
        op.VAR_TENSION: ("tension", n, 0, n),
    }
    if reading in per_actor:
        part, stride, within, count = per_actor[reading]
        first = offsets[part] + within
    elif reading == op.VAR_PAIR_STOCK:
        stock, host = divmod(index, op.PAIR_STRIDE)
        first, stride, count = offsets["diplomats"] + stock * n * n + host, n, 1
    elif reading == op.VAR_EVENT:
        return offsets["fired"] + index, 0, 1
    elif reading == op.VAR_MAX_TENSION:
        return offsets["tension"], 0, n * n
    else:
        return None
    if who >= 0:
        return first + who * stride, 0, count
    return first, stride, count


def shortcut(code: np.ndarray, offsets: dict[str, int], n: int) -> np.ndarray:
    """How the engine may answer an expression (fused, its constants' indices final) without
    running it: the SHORTCUT_COLUMNS integers of `game.scenario.opcodes`.

    Inside its turn window every windowed `turn` test of a top-level `and` holds, so the first
    other operand decides the value when it is false (then 0.0, which `and` keeps) and is the
    value when it is the last operand; if there is none, the value is 1.0."""
    answer = np.zeros(op.SHORTCUT_COLUMNS, dtype=np.int64)
    if len(code) == 1 and code[0][0] == op.OP_CONST:
        answer[0], answer[5] = op.SHORTCUT_CONSTANT, code[0][1]
        return answer
    spans = _conjuncts(code)
    rest = [(s, e) for s, e in spans if not (e - s == 1 and _windowed_turn_test(code[s]))]
    if not rest:
        answer[0] = op.SHORTCUT_WINDOW
        return answer
    start, end = rest[0]
    if end - start != 1:
        return answer
    ins = code[start]
    if ins[0] == op.OP_VAR and len(spans) == 1:
        span = row_span(int(ins[1]), int(ins[2]), int(ins[3]), offsets, n)
        if span is not None:
            answer[0], answer[1:4] = op.SHORTCUT_READING, span
        return answer
    if not op.OP_VAR_LT <= ins[0] <= op.OP_VAR_NE:
        return answer
    packed = int(ins[2])
    who, index = (packed >> op.FUSED_INDEX_BITS) - 1, packed & (_MOST_INDEX - 1)
    span = row_span(int(ins[1]), who, index, offsets, n)
    if span is None:
        return answer
    last = len(rest) == 1
    answer[0] = op.SHORTCUT_COMPARISON if last else op.SHORTCUT_GUARD
    answer[1:4] = span
    answer[4], answer[5] = ins[0] - op.OP_VAR_LT, ins[3]
    return answer
