"""The first-run preparation of the compiled rules is announced whenever numba would compile.

numba finds its cached machine code by each source file's path and stamp (its text from numba
0.68, its time and size before), so a second checkout of the game, or a reinstall of the same
version, compiles again. The front ends announce that ("Preparing the engine, first run only")
only when `is_prepared` says no; if it said yes there, the compile would freeze the first game
instead; if it said no where numba compiles nothing, a start would be announced as a first run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import numba
import pytest
from helpers import fresh_process_output

import game.engine.jit as jit
from game.engine import warmup
from game.engine.warmup import is_prepared, warm_up


@pytest.fixture
def private_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the rules' source files and cache folder, so that no real file is
    touched (touching one would make numba compile everything again)."""
    source = tmp_path / "checkout" / "rules.py"
    source.parent.mkdir()
    source.write_text("RULES = 1\n")
    monkeypatch.setattr(jit, "SOURCES", (source,))
    monkeypatch.setattr(jit, "CACHE_DIR", tmp_path / "cache")
    return source


def test_a_warmed_up_install_is_prepared(private_rules: Path) -> None:
    assert not is_prepared()
    warm_up()
    assert is_prepared()


@pytest.fixture(params=[False, True], ids=["numba stamps time", "numba stamps text"])
def stamps_by_content(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Both ways numba has known a source file, whichever numba is installed."""
    monkeypatch.setattr(warmup, "_stamps_by_content", lambda: request.param)
    return request.param


def _touch(path: Path) -> None:
    later = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))


def test_a_touched_source_file_needs_preparing_where_numba_stamps_its_time(
    private_rules: Path, stamps_by_content: bool
) -> None:
    warm_up()
    _touch(private_rules)
    assert is_prepared() == stamps_by_content


def test_an_edited_source_file_needs_preparing_again_where_numba_stamps_its_text(
    private_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warmup, "_stamps_by_content", lambda: True)
    warm_up()
    status = private_rules.stat()
    private_rules.write_text("RULES = 2\n")  # the same size, and the same time again
    os.utime(private_rules, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert not is_prepared()


def test_the_mark_stamps_files_as_the_installed_numba_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached function whose file is touched but not changed is loaded again from the cache
    exactly where the mark says numba stamps a file by its text."""
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "touched_rule.py"
    source.write_text("import numba\n\n@numba.njit(cache=True)\ndef twice(x):\n    return 2 * x\n")

    def load_and_call() -> int:
        spec = importlib.util.spec_from_file_location("touched_rule", source)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.twice(21) == 42
        return len(module.twice.stats.cache_hits)

    assert load_and_call() == 0  # compiled and cached
    _touch(source)
    assert (load_and_call() > 0) == warmup._stamps_by_content()


def test_another_checkout_of_the_same_rules_needs_preparing(
    private_rules: Path, monkeypatch: pytest.MonkeyPatch, stamps_by_content: bool
) -> None:
    warm_up()
    other = private_rules.parent.parent / "other_checkout" / "rules.py"
    other.parent.mkdir()
    shutil.copy2(private_rules, other)  # same text, same time, same size: another path
    monkeypatch.setattr(jit, "SOURCES", (other,))
    assert not is_prepared()


def test_the_warm_up_prepares_every_entry_point_of_the_rules() -> None:
    # A fresh process: whatever this test session called is not counted. An entry point the
    # warm-up leaves out compiles when a player first reaches it, for seconds, mid-game.
    code = (
        "import importlib, pkgutil\n"
        "import game.engine as package\n"
        "from numba.core.registry import CPUDispatcher\n"
        "from game.engine.warmup import warm_up\n"
        "warm_up()\n"
        "for info in pkgutil.iter_modules(package.__path__):\n"
        "    module = importlib.import_module(f'game.engine.{info.name}')\n"
        "    for name, value in vars(module).items():\n"
        "        if not isinstance(value, CPUDispatcher):\n"
        "            continue\n"
        "        called_by_others = {'_nrt', 'inline'} & set(value.targetoptions)\n"
        "        own = value.py_func.__module__ == module.__name__\n"
        "        if own and not called_by_others:\n"
        "            print(module.__name__, name, len(value.signatures))\n"
    )
    output = fresh_process_output(code)
    entry_points = [line.split() for line in output.splitlines()]
    assert len(entry_points) >= 15  # the kernels of batch, rng, program, rules, real_moves
    unprepared = {f"{module}.{name}" for module, name, count in entry_points if count == "0"}
    assert unprepared == set()
