"""Fixtures shared by the test suite: the scenarios, loaded once per run, and private folders
for saves and settings."""

from __future__ import annotations

import pytest
from helpers import (
    PRISONERS_DILEMMA,
    SCENARIOS,
    THREE_ACTORS_FILE,
    duel_scenario,
    scenario_2016,
    scenario_file,
    three_actor_scenario,
)

from game.scenario.compiled import CompiledScenario


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "entry_point: states what `python main.py` without a command does (it opens the game "
        "window, or prints one line without a display); update these tests if that changes",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the engine's rules (first run) before any test worker starts: with `-n auto`
    every worker would otherwise compile them at once, each for minutes and a gigabyte;
    after this, each worker loads them in a second."""
    if not hasattr(session.config, "workerinput"):
        from game.engine.warmup import ensure_prepared

        ensure_prepared()


@pytest.fixture(scope="session", autouse=True)
def prepared_engine() -> None:
    """Compile (first run) or load the engine's rules once, before any test plays a game: the
    UI would otherwise prepare them in a separate process behind a notice."""
    from game.engine.warmup import warm_up

    warm_up()


@pytest.fixture(scope="session")
def sc2016() -> CompiledScenario:
    """The default scenario: December 2016."""
    return scenario_2016()


@pytest.fixture
def private_dirs(tmp_path, monkeypatch) -> None:
    """Saves and settings in the test's own folders, never the user's: the window's tests
    autosave, and a settings file left behind would change the next test's window."""
    monkeypatch.setenv("PNG_SAVE_DIR", str(tmp_path / "saves"))
    monkeypatch.setenv("PNG_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="session")
def duel() -> CompiledScenario:
    """Two sides, no randomness, no early ending (see helpers.DUEL_YAML)."""
    return duel_scenario()


@pytest.fixture(scope="session")
def three() -> CompiledScenario:
    """The three-actor scenario written into helpers (helpers.THREE_ACTORS_YAML)."""
    return three_actor_scenario()


@pytest.fixture(scope="session")
def worked_duel() -> CompiledScenario:
    """scenarios/worked_example.yaml, the two-sided worked example of the authors' guide."""
    return scenario_file(SCENARIOS / "worked_example.yaml")


@pytest.fixture(scope="session")
def worked_three() -> CompiledScenario:
    """scenarios/worked_example_three.yaml, the three-sided worked example."""
    return scenario_file(SCENARIOS / "worked_example_three.yaml")


@pytest.fixture(scope="session")
def three_file() -> CompiledScenario:
    """tests/data/three_actors.yaml, once it exists."""
    if not THREE_ACTORS_FILE.exists():
        pytest.skip(f"{THREE_ACTORS_FILE.relative_to(THREE_ACTORS_FILE.parents[2])} does not exist")
    return scenario_file(THREE_ACTORS_FILE)


@pytest.fixture(scope="session")
def pd() -> CompiledScenario:
    """The iterated prisoner's dilemma."""
    if not PRISONERS_DILEMMA.exists():
        pytest.skip(f"{PRISONERS_DILEMMA} does not exist yet")
    return scenario_file(PRISONERS_DILEMMA)
