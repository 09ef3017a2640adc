"""The engine says why every number moved: the parts of each turn's change add up to it.

The parts are reported by the rules as they apply them (each actor's act, reaction to
grievance, fatigue, mutual escalation, shock, events, and what the bounds of the scale took);
the UI only words them.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.engine import Engine
from game.engine.records import turn_record
from game.match import advance, prepare
from game.scenario.compiled import CompiledScenario
from game.strategies.registry import make_strategy
from game.ui.stakes import gauge_tip, why_it_moved


def _quantities(state) -> np.ndarray:
    """(B, Q): each pair's tension (i < j), then each actor's gauges, as `causes` lines them."""
    n = state.n_actors
    upper = np.triu_indices(n, k=1)
    return np.concatenate(
        [state.tension[:, upper[0], upper[1]], state.gauges.reshape(-1, n * 3)], 1
    )


@pytest.mark.parametrize("scenario_name", ["sc2016", "three", "duel", "pd"])
@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32), strategy=st.sampled_from(["random", "tit_for_tat", "random:0.9"])
)
def test_the_parts_of_every_change_add_up_to_it(
    request: pytest.FixtureRequest, scenario_name: str, seed: int, strategy: str
) -> None:
    sc: CompiledScenario = request.getfixturevalue(scenario_name)
    engine = Engine(sc)
    strategies = [make_strategy(strategy) for _ in range(sc.n_actors)]
    prepare(engine, strategies)
    state = engine.new_games(seed, batch=16)
    for _ in range(8):
        before = _quantities(state)
        running = ~state.over
        state, report, _ = advance(engine, state, strategies)
        change = _quantities(state) - before
        parts = report.causes.sum(axis=2)
        np.testing.assert_allclose(parts[running], change[running], atol=1e-9)
        assert (report.causes[~running] == 0).all()


def test_an_acts_part_is_its_effect_and_a_quiet_model_adds_nothing_else(
    duel: CompiledScenario,
) -> None:
    """In the duel (no shocks, no grievance yet), a's strike (+3) and b's talk (-2) are the
    whole change in tension, apart from the drift toward the baseline."""
    engine = Engine(duel)
    state = engine.new_games(0)
    strike, talk = duel.variant_index(0, "strike"), duel.variant_index(1, "talk")
    state, report = engine.step(state, np.array([[strike, talk]]))
    record = turn_record(duel, engine.new_games(0), state, report)
    parts = record.causes["tension"]["a/b"]
    assert parts["a"] == 3.0 and parts["b"] == -2.0
    assert "shock" not in parts and "events" not in parts
    assert set(parts) <= {"a", "b", "reaction", "fatigue"}
    assert sum(parts.values()) == pytest.approx(record.changes["tension"]["a/b"])


def test_a_gauge_tooltip_says_why_it_moved_in_the_players_words(sc2016: CompiledScenario) -> None:
    engine = Engine(sc2016)
    start = engine.new_games(3)
    legal = engine.legal(start)[0]
    moves = np.array([[int(np.flatnonzero(legal[a])[0]) for a in range(2)]])
    state, report = engine.step(start, moves)
    record = turn_record(sc2016, start, state, report)
    tip = gauge_tip(sc2016, record, "pressure", 0, viewer=0)
    assert "Domestic pressure" in tip and "This turn:" in tip
    words = why_it_moved(sc2016, {"rus": 2.0, "usa": -1.0, "fatigue": -0.5}, viewer=0)
    assert words.splitlines() == [
        "This turn:",
        "+2.0  your act",
        "-1.0  United States' act",
        "-0.5  fatigue: the drift back to normal",
    ]
