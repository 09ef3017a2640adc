"""The engine's cheaper instructions give the values the plain ones give, bit for bit.

Random expressions over `turn` and two other numbers are run by the engine's stack machine as
written and as `game.engine.peephole` rewrites them (comparisons fused, turn windows), at random
turns and values, NaN and signed zeros included. Expressions over readings of a game's row are
also answered as the rules answer them (`rules.run`: window, then shortcut, then machine).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game.engine import peephole
from game.engine.layout import HEADER, Layout
from game.engine.program import evaluate
from game.engine.rules import run
from game.engine.tables import _fused
from game.scenario import opcodes as op
from game.scenario.expressions import compile_expression

NAMES = ("turn", "x", "y")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def _numbers() -> st.SearchStrategy[str]:
    return st.sampled_from(["0", "1", "3", "9", "15", "2.5", "-1", "20"])


def _atoms() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), _numbers())


def _comparison(atoms: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda a, c, b: f"{a} {c} {b}", atoms, st.sampled_from(COMPARISONS), atoms)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(_comparison(_atoms()), _atoms())

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
            st.builds(lambda a: f"not ({a})", inner),
            st.builds(lambda a, b: f"({a}) + ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) * ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) - ({b})", inner, inner),
            st.builds(lambda a, b, c: f"({a}) if ({b}) else ({c})", inner, inner, inner),
            st.builds(
                lambda a, c, b: f"({a}) {c} ({b})", inner, st.sampled_from(COMPARISONS), inner
            ),
        )

    return st.recursive(leaves, grow, max_leaves=8)


def _machine_code(source: str) -> tuple[np.ndarray, np.ndarray]:
    """The expression's instructions with `turn` read as the engine reads it, and constants."""
    expression = compile_expression(source)
    code = expression.code.copy()
    for instruction in code:
        if instruction[0] == op.OP_VAR and expression.slots[instruction[3]] == "turn":
            instruction[1:] = (op.VAR_TURN, -1, 0)
    return code, expression.constants


def _run(code: np.ndarray, constants: np.ndarray, values: np.ndarray, turn: float) -> float:
    """Run instructions on the engine's machine; x and y are read from `values` by slot."""
    ints = np.zeros(HEADER + code.size, dtype=np.int64)
    ints[Layout._fields.index("code")] = HEADER
    ints[HEADER:] = code.reshape(-1)
    kinds = np.zeros(1, dtype=np.int64)
    stack = np.zeros(max(len(code), 1))
    return evaluate(ints, constants, 0, len(code), values, 0, kinds, turn, stack)


def _bits(value: float) -> bytes:
    return np.float64(value).tobytes()


@settings(max_examples=300, deadline=None)
@given(
    _expressions(),
    st.sampled_from([0.0, 1.0, 2.0, 3.0, 9.0, 14.0, 15.0, 16.0, 20.0]),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, -1.0, 20.0, float("nan")]),
    st.sampled_from([0.0, -0.0, 3.0, 15.0, float("nan")]),
)
def test_rewritten_instructions_give_the_same_value(
    source: str, turn: float, x: float, y: float
) -> None:
    code, constants = _machine_code(source)
    # Slots follow the names' first use; give every slot the value of its name.
    slots = compile_expression(source).slots
    values = np.array([{"x": x, "y": y, "turn": turn}[name] for name in slots] or [0.0])
    plain = _run(code, constants, values, turn)

    fused = peephole.fuse(code)
    assert _bits(_run(fused, constants, values, turn)) == _bits(plain), source

    first, last = peephole.turn_window(code, constants)
    if turn < first or turn > last:
        assert _bits(plain) == _bits(0.0), (source, turn, first, last)


def test_a_comparison_with_a_constant_becomes_one_instruction() -> None:
    code, _ = _machine_code("x >= 3 and 9 <= turn <= 15")
    fused = peephole.fuse(code)
    assert len(fused) == len(code) - 6
    assert _fused(fused).sum() == 3


def test_a_reading_taken_into_the_value_under_it_becomes_one_instruction() -> None:
    code, _ = _machine_code("3 * x + 5 * y - x")
    fused = peephole.fuse(code)
    assert len(fused) == len(code) - 3
    taken = {op.OP_VAR_ADD, op.OP_VAR_SUB, op.OP_VAR_MUL}
    assert sum(int(ins[0]) in taken for ins in fused) == 3
    # A jump that lands on the operation keeps it apart (the compiler emits none such today:
    # this is x * (y or x), written by hand without the truth tests).
    x, y = [op.OP_VAR, op.VAR_SLOT, -1, 0], [op.OP_VAR, op.VAR_SLOT, -1, 1]
    jumped = np.array([x, y, [op.OP_OR_JUMP, 1, 0, 0], x, [op.OP_MUL, 0, 0, 0]])
    assert np.array_equal(peephole.fuse(jumped), jumped)


def test_the_turns_an_and_needs_are_its_window() -> None:
    def window(source: str) -> tuple[float, float]:
        return peephole.turn_window(*_machine_code(source))

    assert window("turn >= 9 and turn <= 15 and x < 55") == (9.0, 15.0)
    assert window("9 <= turn <= 15") == (9.0, 15.0)
    assert window("turn == 1 and (x or y)") == (1.0, 1.0)
    assert window("x > 2 and 3 < turn") == (np.nextafter(3.0, np.inf), np.inf)
    # Not every operand is needed: no window.
    assert window("turn >= 9 or x") == peephole.ALWAYS
    assert window("x and (y or turn >= 9)") == peephole.ALWAYS
    assert window("x and (y or (x and turn >= 9))") == peephole.ALWAYS
    assert window("not (turn >= 9)") == peephole.ALWAYS
    assert window("(turn >= 9 and x) * 2") == peephole.ALWAYS


# Readings of a two-actor row for the shortcut test: name -> (reading, actor or -1, index).
READINGS = {
    "turn": (op.VAR_TURN, -1, 0),
    "pressure": (op.VAR_GAUGE, -1, 0),
    "rus_standing": (op.VAR_GAUGE, 1, 2),
    "tension": (op.VAR_TENSION, -1, 0),
    "highest": (op.VAR_MAX_TENSION, 0, 0),
    "staff_a_b": (op.VAR_PAIR_STOCK, 0, 1 * op.PAIR_STRIDE + 1),
    "event_bill": (op.VAR_EVENT, 0, 1),
    "grievance": (op.VAR_GRIEVANCE, -1, 0),
    "tension_a_b": (op.VAR_PAIR_TENSION, 0, 1),
    "grievance_b_a": (op.VAR_PAIR_GRIEVANCE, 1, 0),
    "resting_tension_a_b": (op.VAR_RESTING_TENSION, 0, 1),
    "volatility": (op.VAR_TRAIT, -1, 3),
}
OFFSETS = {
    "gauges": 0,
    "tension": 6,
    "grievance": 10,
    "diplomats": 14,
    "fired": 30,
    "resting": 32,
    "personality": 36,
}
ROW_SIZE = 44


def _reading_expressions() -> st.SearchStrategy[str]:
    names = st.sampled_from(sorted(READINGS))
    atoms = st.one_of(names, _numbers())
    leaves = st.one_of(_comparison(atoms), names, _numbers())

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) - ({b})", inner, inner),
        )

    return st.recursive(leaves, grow, max_leaves=6)


def _rules_table(source: str) -> tuple[Layout, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One expression laid out as `game.engine.tables` lays out a scenario's, on a two-actor row
    laid out by OFFSETS: (layout, ints, floats, plain instructions, fused instructions)."""
    expression = compile_expression(source)
    code = expression.code.copy()
    for instruction in code:
        if instruction[0] == op.OP_VAR:
            instruction[1:] = READINGS[expression.slots[instruction[3]]]
    window = peephole.turn_window(code, expression.constants)
    fused = peephole.fuse(code)
    before = 2  # the window's two floats come first
    for instructions in (code, fused):
        instructions[instructions[:, 0] == op.OP_CONST, 1] += before
        instructions[_fused(instructions), 3] += before
    cut = peephole.shortcut(fused, OFFSETS, 2)
    floats = np.concatenate([window, expression.constants]).astype(np.float64)
    fields = dict.fromkeys(Layout._fields, 0)
    fields.update(OFFSETS, n=2, expressions=HEADER, code=HEADER + 2, windows=0)
    fields["shortcuts"] = HEADER + 2 + fused.size
    lay = Layout(**fields)
    ints = np.concatenate([np.array(lay), [0, len(fused)], fused.reshape(-1), cut])
    return lay, ints.astype(np.int64), floats, code, fused


@settings(max_examples=300, deadline=None)
@given(
    _reading_expressions(),
    st.sampled_from([0.0, 1.0, 3.0, 9.0, 15.0, 20.0]),
    st.lists(
        st.sampled_from([0.0, -0.0, 1.0, 3.0, 15.0, 55.0, float("nan")]),
        min_size=ROW_SIZE,
        max_size=ROW_SIZE,
    ),
    st.integers(0, 1),
)
@example("turn != 3 and pressure > 1", 3.0, [55.0] * ROW_SIZE, 0)
@example("turn > 1 and highest >= 3 and event_bill", 3.0, [3.0] * ROW_SIZE, 1)
@example("tension", 9.0, [-0.0, float("nan"), *[0.0] * (ROW_SIZE - 2)], 1)
def test_the_rules_answer_an_expression_as_its_instructions_do(
    source: str, turn: float, values: list[float], actor: int
) -> None:
    lay, ints, floats, plain, _ = _rules_table(source)
    row = np.array(values)
    kinds = np.zeros(2, dtype=np.int64)
    stack = np.zeros(max(len(plain), 1))
    as_written = np.concatenate([ints[: HEADER + 2], plain.reshape(-1)])
    expected = evaluate(as_written, floats, 0, len(plain), row, actor, kinds, turn, stack)
    got = run(lay, ints, floats, 0, row, actor, kinds, turn, stack)
    assert _bits(got) == _bits(expected), source


def test_common_conditions_are_answered_without_the_machine() -> None:
    def mode(source: str) -> int:
        return int(_rules_table(source)[1][-op.SHORTCUT_COLUMNS])

    assert mode("-2") == op.SHORTCUT_CONSTANT
    assert mode("turn >= 3") == op.SHORTCUT_WINDOW
    assert mode("turn >= 9 and turn <= 15") == op.SHORTCUT_WINDOW
    assert mode("pressure") == op.SHORTCUT_READING
    assert mode("highest >= 88") == op.SHORTCUT_COMPARISON
    assert mode("turn >= 9 and turn <= 15 and tension < 55") == op.SHORTCUT_COMPARISON
    assert mode("highest >= 88 and staff_a_b <= 400") == op.SHORTCUT_GUARD
    # A `turn` test the window does not decide, or a reading the machine works out: no shortcut.
    assert mode("turn != 3 and pressure > 1") == op.SHORTCUT_NONE
    assert mode("grievance > 1") == op.SHORTCUT_NONE
    assert mode("pressure + 1") == op.SHORTCUT_NONE
