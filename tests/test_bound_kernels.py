"""Rules compiled for one scenario structure play the same games as the engine, bit for bit.

`Engine.bind_to_structure` swaps the whole-game loop for the same functions compiled with the
layout's structural numbers as constants (`game.engine.bound`). Only numbers an edit of an
expression's text cannot change are constants, so a scenario whose conditions were edited, or
that gained an expression, keeps the compiled code; the games must still be its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import fresh_process_output

from game.balance import command
from game.balance.command import BIND_HINT, BIND_NOTICE
from game.cli import main
from game.engine import bound
from game.engine.bound import structure_of
from game.engine.engine import Engine
from game.match import compiled_profile, prepare
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario_text
from game.strategies.registry import make_strategy

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "expulsion_2016.yaml"
TEXT = SCENARIO.read_text(encoding="utf-8")
EDITED = TEXT.replace('available_if: "turn >= 3 and tension < 70"', 'available_if: "tension < 64"')
WITH_A_CONDITION_MORE = TEXT.replace(
    "          unavailable_text: Visa services can only",
    '          available_if: "tension < 30"\n          unavailable_text: Visa services can only',
)


def _load(text: str) -> CompiledScenario:
    return load_scenario_text(text, str(SCENARIO))


TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module", autouse=True)
def _compiled_apart() -> None:
    """Each structure's rules compiled (or loaded) by a process of its own, as two balance runs
    would: the tests then load both into this one, where their machine code must not meet
    (numba counts its names afresh in every process, so two structures compiled apart once
    shared names, and one structure's games ran another's code). Both at once: on a new
    machine each compiles for about a minute, and the session fixture has already prepared the
    engine's shared rules, so the two write only files of their own structure."""
    compiles = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from game.engine.engine import Engine\n"
                "from game.scenario.load import load_scenario\n"
                f"Engine(load_scenario({str(path)!r})).bind_to_structure()\n",
            ],
            cwd=ROOT,
        )
        for path in (SCENARIO, TUTORIAL)
    ]
    assert [process.wait() for process in compiles] == [0, 0]


@pytest.fixture(scope="module")
def bound_2016() -> Engine:
    engine = Engine(_load(TEXT))
    engine.bind_to_structure()
    return engine


def _played(engine: Engine, strategy: str, games: int) -> tuple[np.ndarray, np.ndarray]:
    """Final rows and tension counts of `games` games, every actor playing `strategy`."""
    strategies = [make_strategy(strategy) for _ in range(engine.scenario.n_actors)]
    prepare(engine, strategies)
    state = engine.new_games(7, batch=games)
    data = state.data.copy()
    counts = np.zeros((engine.scenario.max_turns + 1, 1, 200), dtype=np.int64)
    engine.play_in_place(data, state, compiled_profile(strategies), None, counts, 0.5)
    return data, counts


@pytest.mark.parametrize(("strategy", "games"), [("random", 3000), ("lookahead", 4)])
def test_bound_rules_play_the_engine_s_games(bound_2016: Engine, strategy: str, games: int):
    assert bound_2016.bound_to_structure
    plain = Engine(bound_2016.scenario)
    assert not plain.bound_to_structure
    data, counts = _played(bound_2016, strategy, games)
    expected_data, expected_counts = _played(plain, strategy, games)
    assert data.tobytes() == expected_data.tobytes()
    assert np.array_equal(counts, expected_counts)
    assert counts.sum() > games  # the loop counted, turn after turn


@pytest.mark.parametrize("text", [EDITED, WITH_A_CONDITION_MORE], ids=["edited", "one more"])
def test_an_edited_condition_keeps_the_structure_and_plays_its_own_games(
    bound_2016: Engine, text: str
) -> None:
    assert text != TEXT
    edited = Engine(_load(text))
    assert structure_of(edited.tables.lay) == structure_of(bound_2016.tables.lay)
    assert edited.tables.ints.tobytes() != bound_2016.tables.ints.tobytes()
    plain = Engine(edited.scenario)
    edited.bind_to_structure()  # the same structure: loaded, not compiled again
    data, _ = _played(edited, "random", 3000)
    expected, _ = _played(plain, "random", 3000)
    assert data.tobytes() == expected.tobytes()
    unedited, _ = _played(Engine(bound_2016.scenario), "random", 3000)
    assert data.tobytes() != unedited.tobytes()  # the edit changed the games


def test_another_structure_is_another_kernel(bound_2016: Engine) -> None:
    other = Engine(load_scenario_text(TUTORIAL.read_text(), "t"))
    assert structure_of(other.tables.lay) != structure_of(bound_2016.tables.lay)
    plain = Engine(other.scenario)
    other.bind_to_structure()
    data, counts = _played(other, "random", 2000)
    expected, expected_counts = _played(plain, "random", 2000)
    assert data.tobytes() == expected.tobytes()
    assert np.array_equal(counts, expected_counts)


def test_the_next_process_loads_a_bound_structure_from_the_cache(bound_2016: Engine) -> None:
    code = (
        "from game.engine.bound import bound_play_games, structure_of\n"
        "from game.engine.engine import Engine\n"
        "from game.scenario.load import load_scenario\n"
        f"engine = Engine(load_scenario({str(SCENARIO)!r}))\n"
        "engine.bind_to_structure()\n"
        "kernel = bound_play_games(structure_of(engine.tables.lay))\n"
        "print(len(kernel.stats.cache_hits), len(kernel.stats.cache_misses))\n"
    )
    output = fresh_process_output(code)
    hits, misses = (int(word) for word in output.split())
    assert (hits, misses) == (1, 0)


def _balance_document(capsys: pytest.CaptureFixture[str], out: Path, *extra: str) -> dict:
    argv = ["balance", str(SCENARIO), "--strategies", "tit_for_tat,random,lookahead:easy"]
    argv += ["--games", "60", "--lookahead-games", "3", "--json", str(out), *extra]
    assert main(argv) == 0
    document = json.loads(out.read_text())
    document.pop("timing", None)
    return document


def test_balance_with_bind_gives_the_same_document(
    bound_2016: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = _balance_document(capsys, tmp_path / "plain.json", "--no-bind", "--jobs", "1")
    assert "rules compiled for this structure" not in capsys.readouterr().out
    # As on a machine where the structure was never compiled: the run announces the compile.
    monkeypatch.setattr(bound, "is_compiled", lambda structure: False)
    for jobs in ("1", "2"):
        bound_run = _balance_document(capsys, tmp_path / f"{jobs}.json", "--jobs", jobs, "--bind")
        assert bound_run == plain
        captured = capsys.readouterr()
        assert BIND_NOTICE in captured.err
        assert "rules compiled for this structure" in captured.out


def _timing(out: Path) -> dict:
    return json.loads(out.read_text())["timing"]


def test_balance_uses_compiled_rules_by_default_once_they_exist(
    bound_2016: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bound_2016.structure_compiled
    _balance_document(capsys, tmp_path / "default.json")
    captured = capsys.readouterr()
    assert _timing(tmp_path / "default.json")["bound_rules"] is True
    assert "rules compiled for this structure" in captured.out
    assert BIND_NOTICE not in captured.err  # loaded, nothing to announce
    _balance_document(capsys, tmp_path / "no.json", "--no-bind")
    assert _timing(tmp_path / "no.json")["bound_rules"] is False


def test_balance_never_compiles_unasked_and_suggests_it_after_a_long_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another length is another structure, never bound on this machine (no test binds it).
    longer = tmp_path / "longer.yaml"
    longer.write_text(TEXT.replace("  max_turns: 20\n", "  max_turns: 23\n", 1))
    assert not Engine(load_scenario_text(longer.read_text(), str(longer))).structure_compiled
    argv = ["balance", str(longer), "--strategies", "tit_for_tat,random", "--games", "40"]
    assert main([*argv, "--json", str(tmp_path / "short.json")]) == 0
    captured = capsys.readouterr()
    assert _timing(tmp_path / "short.json")["bound_rules"] is False
    assert BIND_NOTICE not in captured.err and BIND_HINT not in captured.err  # a short run
    monkeypatch.setattr(command, "HINT_AFTER_SECONDS", 0.0)  # as if the run had been long
    assert main(argv) == 0
    assert BIND_HINT in capsys.readouterr().err
    assert main([*argv, "--quiet"]) == 0
    assert BIND_HINT not in capsys.readouterr().err
