"""The UI's model without a window: turns, refusals, scripts and forecasts."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.engine import IllegalMove
from game.errors import UserError
from game.scenario.load import load_scenario
from game.ui.forecast import PERCENTILES, Forecaster, compute_forecast
from game.ui.loading import DEFAULT_SCENARIO
from game.ui.script import parse_script, resolve
from game.ui.session import GameSession


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


def start(scenario, seed=2):
    return GameSession.start(scenario, str(DEFAULT_SCENARIO), seed, [0], {1: "tit_for_tat"})


def test_refused_move_leaves_the_game_unchanged(scenario):
    session = start(scenario)
    before = session.state
    with pytest.raises(IllegalMove, match="Cap the US mission"):
        session.play({0: scenario.variant_index(0, "staff_cap")})
    assert session.state is before and session.moves == []


def test_a_turn_records_both_moves_and_the_ai_answers(scenario):
    session = start(scenario)
    first = session.play({0: scenario.variant_index(0, "mirror_expulsion")})
    second = session.play({0: scenario.variant_index(0, "formal_protest")})
    assert [m.actor for m in first.moves] == ["rus", "usa"]
    assert first.moves[1].kind == "restrain"  # moves are simultaneous: nothing to answer yet
    assert second.moves[1].kind == "retaliate"  # tit for tat answers the expulsion
    assert session.moves[0][0] == scenario.variant_index(0, "mirror_expulsion")
    assert len(session.records) == 3


def test_script_parsing_and_resolution(scenario):
    choices = parse_script("R, s ,W:keep_under_review,restrain")
    assert [str(c) for c in choices] == ["R", "S", "W:keep_under_review", "S"]
    session = start(scenario)
    assert resolve(session, 0, choices[2]) == scenario.variant_index(0, "keep_under_review")
    with pytest.raises(UserError, match="item 2"):
        parse_script("R,Q")
    with pytest.raises(UserError, match="no retaliate variant 'expel_35'"):
        resolve(session, 0, parse_script("R:expel_35")[0])


def test_forecast_percentiles_are_ordered_and_differ_by_move(scenario):
    session = start(scenario)
    calm = compute_forecast(
        session.engine,
        session.state,
        0,
        scenario.variant_index(0, "kremlin_party"),
        {1: "tit_for_tat"},
        rollouts=64,
    )
    hot = compute_forecast(
        session.engine,
        session.state,
        0,
        scenario.variant_index(0, "mirror_expulsion"),
        {1: "tit_for_tat"},
        rollouts=64,
    )
    assert calm.tension.shape == (len(PERCENTILES), 7)
    assert np.all(np.diff(calm.tension, axis=0) >= 0)
    assert hot.tension[2, 1] > calm.tension[2, 1]  # expelling 35 raises tension next turn
    again = compute_forecast(
        session.engine,
        session.state,
        0,
        scenario.variant_index(0, "kremlin_party"),
        {1: "tit_for_tat"},
        rollouts=64,
    )
    np.testing.assert_array_equal(again.tension, calm.tension)  # seeded: the same forecast


def test_forecaster_computes_off_thread_and_caches(scenario):
    session = start(scenario)
    calls = []

    def job():
        calls.append(1)
        return compute_forecast(
            session.engine, session.state, 0, 3, {1: "tit_for_tat"}, rollouts=32
        )

    forecaster = Forecaster()
    try:
        first = forecaster.wait("k", job)
        assert forecaster.request("k", job) is first
        assert len(calls) == 1
    finally:
        forecaster.close()


def test_a_game_loaded_part_way_knows_its_scores_from_the_first_turn(scenario):
    """The points chart draws every turn: a loaded game's totals before the load are the same
    as those of the game played through."""
    played = start(scenario, seed=5)
    for choice in ("mirror_expulsion", "formal_protest", "formal_protest"):
        played.play({0: scenario.variant_index(0, choice)})
    loaded = GameSession.from_save(played.to_save(), scenario)
    loaded.play({0: scenario.variant_index(0, "formal_protest")})
    played.play({0: scenario.variant_index(0, "formal_protest")})
    expected = played.scores_by_turn()
    found = loaded.scores_by_turn()
    assert [turn for turn, _ in found] == [0, 1, 2, 3, 4] == [turn for turn, _ in expected]
    for (_, want), (_, got) in zip(expected, found, strict=True):
        np.testing.assert_allclose(got, want)
