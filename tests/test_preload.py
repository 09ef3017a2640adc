"""Cached rules are loaded callees first, before the first game, and loading compiles nothing.

A compiled function's cached machine code holds its own copies of the functions it calls, which
run slower than those functions compiled on their own (see `game.engine.preload`).
The loader links a name to its first definition, so only a process that loads every called
function before its callers runs the fast code; these tests hold the order and the coverage.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numba
import pytest
from helpers import fresh_process_output

from game.engine.preload import load_cached, load_order

_LEAVES = """\
import numba

@numba.njit(cache=True)
def leaf(x):
    return x + 1

@numba.njit(cache=True)
def never_called(x):
    return x - 1
"""

_CALLERS = """\
import numba
import toy_leaves
from toy_leaves import leaf

@numba.njit(cache=True, inline="always")
def doubled(x):
    return leaf(x) * 2

@numba.njit(cache=True)
def middle(x):
    return doubled(x) + 1

@numba.njit(cache=True)
def top(x):
    return middle(x) + toy_leaves.leaf(x)
"""


@pytest.fixture
def toy_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two modules of compiled functions, `top` -> `middle` -> (inlined `doubled`) -> `leaf`,
    and `top` -> `toy_leaves.leaf` through the module; compiled and cached once, then imported
    afresh as a later process would, so that nothing is loaded yet."""
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "toy_leaves.py").write_text(_LEAVES)
    (tmp_path / "toy_callers.py").write_text(_CALLERS)
    monkeypatch.syspath_prepend(str(tmp_path))

    def fresh_import():
        for name in ("toy_callers", "toy_leaves"):
            sys.modules.pop(name, None)
        return importlib.import_module("toy_leaves"), importlib.import_module("toy_callers")

    _, callers = fresh_import()
    assert callers.top(1) == 7  # compiles, and caches, every function it calls
    yield fresh_import()
    for name in ("toy_callers", "toy_leaves"):
        sys.modules.pop(name, None)


def test_every_function_is_ordered_after_all_it_calls(toy_rules) -> None:
    leaves, callers = toy_rules
    order = load_order([callers.top])
    assert set(order) == {callers.top, callers.middle, callers.doubled, leaves.leaf}
    position = {function: at for at, function in enumerate(order)}
    assert position[leaves.leaf] < position[callers.doubled] < position[callers.middle]
    assert position[callers.middle] < position[callers.top]


def test_cached_functions_load_callees_first_and_nothing_compiles(toy_rules) -> None:
    leaves, callers = toy_rules
    loaded: list[str] = []
    for function in (leaves.leaf, callers.middle, callers.top):
        compile_now = function.compile

        def recording(signature, compile_now=compile_now, name=function.__name__):
            loaded.append(name)
            return compile_now(signature)

        function.compile = recording
    assert load_cached([callers.top, leaves.never_called]) == 3
    assert loaded == ["leaf", "middle", "top"]
    for function in (leaves.leaf, callers.middle, callers.top):
        assert len(function.stats.cache_hits) == 1
        assert not function.stats.cache_misses
    assert not leaves.never_called.signatures  # not cached: left to compile when called
    assert not callers.doubled.signatures  # inlined into its callers, never on its own
    assert load_cached([callers.top]) == 0  # already loaded: nothing twice


def test_a_cache_it_cannot_read_loads_nothing_and_the_rules_still_run(toy_rules) -> None:
    # numba has no public list of a cache's signatures; a numba that keeps its cache otherwise
    # must leave the rules to load on their first call, not stop the game from starting.
    _, callers = toy_rules

    class OtherCache:
        def load_overload(self, *args):
            return None

        def save_overload(self, *args):
            pass

    callers.top._cache = OtherCache()
    assert load_cached([callers.top]) == 2  # `leaf` and `middle`, read as before
    assert not callers.top.signatures
    assert callers.top(1) == 7


def test_the_first_game_finds_every_cached_rule_loaded_and_none_compiled() -> None:
    # A fresh process whose rules are all cached (the test session prepared them): by its
    # first game, each rule the kernels call is loaded on its own, not only as its callers'
    # copies, and loading compiled nothing.
    code = (
        "from game.engine import rules, program\n"
        "from game.engine.engine import Engine\n"
        "from game.engine.preload import load_order\n"
        "from game.scenario.load import load_scenario\n"
        "from game.engine import batch\n"
        "Engine(load_scenario('scenarios/expulsion_2016.yaml')).new_games(0)\n"
        "functions = load_order([batch.play_games])\n"
        "print(sum(len(f.stats.cache_misses) for f in functions))\n"
        "print(len(rules.play_turn.signatures), len(program.evaluate.signatures))\n"
    )
    output = fresh_process_output(code)
    misses, play_turn, evaluate = (int(word) for word in output.split())
    assert misses == 0
    assert play_turn >= 1 and evaluate >= 1


def test_the_title_screen_loads_the_rules_while_its_frames_go_on() -> None:
    # A fresh process, rules prepared: the window loads them behind the title screen (about
    # half a second), so the first game starts without that pause, and frames never stop.
    code = (
        "import threading, time\n"
        "from game.engine import rules\n"
        "from game.ui.driver import run_frames, start_app\n"
        "from game.ui.scenes.title import TitleScreen\n"
        "app = start_app((1024, 600))\n"
        "app.go(TitleScreen(app))\n"
        "app.prepare_engine()\n"
        "frames, began = 0, time.monotonic()\n"
        "while not rules.play_turn.signatures and time.monotonic() - began < 60:\n"
        "    run_frames(app, 1)\n"
        "    time.sleep(1 / 60)  # the window's pace: a loop without rest would starve the thread\n"
        "    frames += 1\n"
        "app.close()\n"
        "print(len(rules.play_turn.signatures), frames)\n"
    )
    output = fresh_process_output(code)
    loaded, frames = (int(word) for word in output.split())
    assert loaded >= 1
    assert frames >= 2
