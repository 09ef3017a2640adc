"""The engine's cheaper instructions give the values the plain ones give, bit for bit.

Random expressions over `turn` and two other numbers are run by the engine's stack machine as
written and as `game.engine.peephole` rewrites them (comparisons fused, turn windows), at random
turns and values, NaN and signed zeros included.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import peephole
from game.engine.layout import HEADER, Layout
from game.engine.program import evaluate
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
