"""The engine's promises, checked as properties over random seeds and random legal play.

Whatever the players do, every gauge and tension stays in [0, 100], nothing becomes NaN or
infinite, tension is symmetric with a zero diagonal, diplomats are whole and never negative (an
expulsion cannot remove more than are there), grievance never goes negative, a finished game
never changes again while others play on, and no game outlasts its turn limit.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import THREE_ACTORS_YAML, edited, three_actor_scenario
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.engine import Engine, IllegalMove, StepReport
from game.engine.state import State
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario_text

BATCH = 4
EXTRA_STEPS = 2
"""Steps played after every game is over, to check that nothing moves any more."""


@pytest.fixture(scope="module", params=["sc2016", "three", "three_file"])
def scenario(request: pytest.FixtureRequest) -> CompiledScenario:
    return request.getfixturevalue(request.param)


def check_state(sc: CompiledScenario, engine: Engine, state: State) -> None:
    """Every invariant that holds for any single state."""
    for name, array in state.arrays().items():
        if array.dtype.kind == "f":
            assert np.isfinite(array).all(), f"{name} has NaN or inf"
    assert ((state.tension >= 0) & (state.tension <= 100)).all(), "tension out of [0, 100]"
    assert ((state.gauges >= 0) & (state.gauges <= 100)).all(), "a gauge is out of [0, 100]"
    assert ((state.personality >= 0) & (state.personality <= 1)).all()
    assert np.array_equal(state.tension, state.tension.transpose(0, 2, 1)), "tension asymmetric"
    n = sc.n_actors
    assert (state.tension[:, np.arange(n), np.arange(n)] == 0).all(), "tension diagonal non-zero"
    assert (state.diplomats >= 0).all(), "negative diplomats"
    assert np.array_equal(state.diplomats, np.floor(state.diplomats)), "fractional diplomats"
    assert (state.grievance >= 0).all(), "negative grievance"
    assert (state.turn >= 0).all() and (state.turn <= sc.max_turns).all(), "turn out of range"
    assert np.array_equal(state.outcome >= 0, state.over), "outcome set iff the game is over"
    assert (state.outcome < len(sc.outcomes)).all()
    assert (state.uses <= sc.max_uses).all(), "a variant was played more often than allowed"
    assert np.isfinite(engine.scores(state)).all()
    running = ~state.over
    legal = engine.legal(state)
    assert legal[running].any(axis=-1).all(), "an actor in a running game has no legal move"
    assert not legal[:, ~sc.exists].any(), "a padding slot of the variant table is legal"


def check_step(before: State, after: State, report: StepReport) -> None:
    """Invariants that relate a state to the one after it."""
    removed = (before.diplomats + before.staff) - (after.diplomats + after.staff)
    assert (removed >= 0).all(), "diplomats or staff appeared from nowhere"
    # removed[b, j, i]: actor j's people sent home by actor i.
    assert np.array_equal(report.expelled, removed.sum(axis=1)), "expelled != people removed"
    for stock in ("consulates", "properties"):
        assert (getattr(after, stock) >= 0).all(), f"{stock} below zero"
    assert (after.turn - before.turn == ~before.over).all(), "a running game did not advance"
    assert (after.diplomats <= before.diplomats).all()


def random_moves(legal: np.ndarray, over: np.ndarray, keys: list[int]) -> np.ndarray:
    """(B, N) a legal variant for every actor of every running game, chosen by `keys`.

    Finished games get any variant number at all: the engine must ignore their moves.
    """
    b, n, v = legal.shape
    actions = np.zeros((b, n), dtype=np.int64)
    for game in range(b):
        for actor in range(n):
            key = keys[game * n + actor]
            if over[game]:
                actions[game, actor] = key % v
            else:
                options = np.flatnonzero(legal[game, actor])
                actions[game, actor] = options[key % len(options)]
    return actions


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), data=st.data())
def test_random_legal_play_keeps_every_invariant(
    scenario: CompiledScenario, seed: int, data: st.DataObject
) -> None:
    engine = Engine(scenario)
    state = engine.new_games(seed, batch=BATCH)
    check_state(scenario, engine, state)
    frozen: dict[int, dict[str, np.ndarray]] = {}
    n = scenario.n_actors
    for _ in range(scenario.max_turns + EXTRA_STEPS):
        keys = data.draw(st.lists(st.integers(0, 255), min_size=BATCH * n, max_size=BATCH * n))
        before = state
        kept = {name: array.copy() for name, array in before.arrays().items()}
        state, report = engine.step(state, random_moves(engine.legal(state), state.over, keys))
        for name, array in kept.items():
            assert np.array_equal(getattr(before, name), array), f"step changed {name} in place"
        check_state(scenario, engine, state)
        check_step(before, state, report)
        assert not report.ended[before.over].any(), "a finished game ended again"
        for game, arrays in frozen.items():
            for name, array in arrays.items():
                assert np.array_equal(getattr(state, name)[game], array), (
                    f"finished game {game} changed {name}"
                )
        for game in np.flatnonzero(state.over & ~before.over):
            frozen[int(game)] = {name: a[game].copy() for name, a in state.arrays().items()}
    assert state.over.all(), "a game outlasted max_turns"
    assert (state.outcome >= 0).all()


def test_an_expulsion_never_removes_more_diplomats_than_are_there() -> None:
    """North's 'expel everyone' asks for 1000; East has 6 left in North after the opening."""
    sc = three_actor_scenario()
    engine = Engine(sc)
    north, east, west = (sc.actor_index(a) for a in ("north", "east", "west"))
    state = engine.new_games(7)
    hosted = state.diplomats[0, :, north].copy()
    assert hosted[east] == 6 and hosted[west] == 0  # 7 minus the opening's expulsion of 1
    moves = np.zeros((1, 3), dtype=np.int64)
    moves[0, north] = sc.variant_index(north, "expel_all")
    moves[0, east] = sc.variant_index(east, "concede")
    moves[0, west] = sc.variant_index(west, "mediate")
    after, report = engine.step(state, moves)
    assert (after.diplomats[0, :, north] == 0).all()
    assert report.expelled[0, north] == hosted.sum() == 6
    assert (after.diplomats >= 0).all()


def test_finished_games_stay_frozen_while_others_play_on(sc2016: CompiledScenario) -> None:
    """Games 0 and 1 are ended by hand; the others keep playing for several turns."""
    engine = Engine(sc2016)
    state = engine.new_games(11, batch=4)
    state = state.replace(
        over=np.array([True, True, False, False]), outcome=np.array([0, 2, -1, -1], np.int16)
    )
    start = {name: array[:2].copy() for name, array in state.arrays().items()}
    for _ in range(4):
        legal = engine.legal(state)
        moves = np.argmax(legal, axis=2)  # first legal variant: a retaliation where possible
        moves[0], moves[1] = -1, 0  # what a finished game is told to play is ignored
        state, report = engine.step(state, moves)
        assert not report.ended[:2].any() and (report.kinds[:2] == -1).all()
        assert (report.expelled[:2] == 0).all() and not report.fired[:2].any()
    assert (state.turn[2:] == 4).all()
    for name, array in start.items():
        assert np.array_equal(getattr(state, name)[:2], array), f"{name} moved in a finished game"


def test_a_finished_game_ignores_even_a_move_number_that_does_not_exist(
    sc2016: CompiledScenario,
) -> None:
    engine = Engine(sc2016)
    state = engine.new_games(11, batch=2)
    state = state.replace(over=np.array([True, False]), outcome=np.array([0, -1], np.int16))
    moves = np.argmax(engine.legal(state), axis=2)
    moves[0] = 99
    after, _ = engine.step(state, moves)
    assert after.turn.tolist() == [0, 1]


def test_an_illegal_move_in_a_running_game_is_refused_with_a_reason(
    sc2016: CompiledScenario,
) -> None:
    engine = Engine(sc2016)
    state = engine.new_games(3, batch=2)
    rus, usa = sc2016.actor_index("rus"), sc2016.actor_index("usa")
    moves = np.argmax(engine.legal(state), axis=2)
    moves[1, usa] = sc2016.variant_index(usa, "expel_35")  # used up by the opening
    with pytest.raises(IllegalMove, match="Already used"):
        engine.step(state, moves)
    moves[1, usa] = sc2016.variant_index(usa, "widen_sanctions")
    moves[0, rus] = sc2016.variant_index(rus, "staff_cap")  # not enabled before the bill
    with pytest.raises(IllegalMove, match="new US sanctions"):
        engine.step(state, moves)
    moves[0, rus] = 99
    with pytest.raises(IllegalMove, match="There is no move number 99 for Russia"):
        engine.step(state, moves)
    moves[0, rus] = 9  # Russia has nine moves (0-8); the table is padded to the US's ten
    with pytest.raises(IllegalMove, match="There is no move number 9 for Russia"):
        engine.step(state, moves)


def test_turn_stops_at_max_turns_and_the_outcome_is_the_turn_limit() -> None:
    """After max_turns steps every game is over, and the turn counter stops there."""
    text = edited(THREE_ACTORS_YAML, "max_turns: 12", "max_turns: 3")
    sc = load_scenario_text(text, "short.yaml")
    engine = Engine(sc)
    state = engine.new_games(5, batch=6)
    for _ in range(sc.max_turns + 3):
        state, _ = engine.step(state, np.argmax(engine.legal(state), axis=2))
        assert (state.turn <= 3).all()
    assert state.over.all()
    limit = sc.turn_limit_outcome
    ended_by_limit = state.outcome == limit
    assert (state.turn[ended_by_limit] == 3).all()
    assert (state.outcome >= 0).all()
