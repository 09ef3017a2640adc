"""The rules take an array index as given; every other numba code keeps Python's meaning.

numba reads a[-1] as the last element, as Python does, which costs a test on every access
whose index it cannot prove non-negative. The rules never index with a negative number, so
`game.engine.jit` compiles them without that test (a turn of the general rules costs about a
sixth less). These tests read one element before a view, where a wrapped index and an index
taken as given find different numbers, both inside the array the view is cut from. Each
compiles afresh, in a cache folder of its own: machine code cached by an earlier run would
hide how this version compiles.
"""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

from game.engine import jit


def _element(values: np.ndarray, at: int) -> float:
    return values[at]


def _element_through_an_inlined_rule(values: np.ndarray, at: int) -> float:
    return _inlined(values, at)


_inlined = jit.inline(_element)
WHOLE = np.array([10.0, 20.0, 30.0, 40.0])


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))


@pytest.mark.parametrize(
    ("decorate", "function"),
    [
        (jit.kernel, _element),
        (jit.rule, _element),
        (jit.kernel, _element_through_an_inlined_rule),
    ],
    ids=["kernel", "rule", "inlined into a kernel"],
)
def test_the_rules_take_an_index_as_given(decorate, function) -> None:
    assert jit.INDICES_AS_GIVEN, "this numba has no hook for it: the rules lose a sixth"
    compiled = decorate(function)
    view = WHOLE[1:]
    assert compiled(view, -1) == 10.0  # one before the view, not its last element
    assert compiled(view, 2) == 40.0
    assert len(compiled.stats.cache_misses) == 1  # compiled here, not loaded


def test_other_numba_code_keeps_python_s_meaning() -> None:
    jit.kernel(_element)(WHOLE[1:], 0)  # the rules compiled first, in this same process
    assert numba.njit(_element)(WHOLE[1:], -1) == 40.0
    assert numba.njit(lambda values: values[-2])(WHOLE) == 30.0
