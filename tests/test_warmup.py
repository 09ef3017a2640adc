"""The first-run preparation of the compiled rules is announced whenever numba would compile.

numba finds its cached machine code by each source file's path, time and size, so a second
checkout of the game, or a reinstall of the same version, compiles again. The front ends announce
that ("Preparing the engine, first run only") only when `is_prepared` says no; if it said yes
there, the compile would freeze the first game instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import game.engine.jit as jit
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


def test_a_touched_source_file_needs_preparing_again(private_rules: Path) -> None:
    warm_up()
    later = private_rules.stat().st_mtime_ns + 2_000_000_000
    os.utime(private_rules, ns=(later, later))
    assert not is_prepared()


def test_another_checkout_of_the_same_rules_needs_preparing(
    private_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_up()
    other = private_rules.parent.parent / "other_checkout" / "rules.py"
    other.parent.mkdir()
    shutil.copy2(private_rules, other)  # same text, same time, same size: another path
    monkeypatch.setattr(jit, "SOURCES", (other,))
    assert not is_prepared()
