"""Game k is the same game alone or in any batch: every array, bit for bit, every turn.

This is what makes a balance run of 100,000 games reproducible one game at a time (a replay
needs only the seed and the game's number), and what lets the lookahead branch rollouts freely.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_same_games

from game.engine.engine import Engine
from game.match import advance, play_batch, play_out, prepare
from game.scenario.compiled import CompiledScenario
from game.strategies.registry import make_strategy

BIG = 100_000
WATCHED = (0, 1, 3, 4_097, 65_536, BIG - 1)


def test_game_k_alone_equals_game_k_in_a_batch_of_100000(sc2016: CompiledScenario) -> None:
    engine = Engine(sc2016)
    strategies = [make_strategy("random"), make_strategy("random:0.3")]
    prepare(engine, strategies)
    seed = 20161229
    big = engine.new_games(seed, batch=BIG)
    singles = [engine.new_games(seed, game_ids=[k]) for k in WATCHED]
    for turn in range(4):  # the opening, then three turns
        if turn:
            big, _, _ = advance(engine, big, strategies)
            singles = [advance(engine, s, strategies)[0] for s in singles]
        for k, single in zip(WATCHED, singles, strict=True):
            assert_same_games(big.game(k), single, where=f"game {k}, turn {turn}: ")
    # The games really are different games, so the comparison above means something.
    assert len(np.unique(big.tension[:, 0, 1])) > BIG // 2
    assert len({tuple(big.last_variant[k]) for k in range(200)}) > 1


def test_lookahead_decides_the_same_for_a_game_alone_or_in_a_batch(
    sc2016: CompiledScenario,
) -> None:
    """Rollouts are keyed by the game, not by its place in the batch."""
    engine = Engine(sc2016)
    strategies = [make_strategy("lookahead:easy"), make_strategy("lookahead:easy")]
    prepare(engine, strategies)
    batch = engine.new_games(5, batch=8)
    single = engine.new_games(5, game_ids=[3])
    for turn in range(3):
        batch, _, batch_moves = advance(engine, batch, strategies)
        single, _, single_moves = advance(engine, single, strategies)
        assert np.array_equal(batch_moves[3], single_moves[0]), f"turn {turn + 1}"
        assert_same_games(batch.game(3), single, where=f"turn {turn + 1}: ")


@pytest.mark.parametrize("scenario_name", ["sc2016", "three"])
def test_whole_games_do_not_depend_on_chunking_or_setting_finished_games_aside(
    request: pytest.FixtureRequest, scenario_name: str
) -> None:
    sc: CompiledScenario = request.getfixturevalue(scenario_name)
    engine = Engine(sc)
    strategies = [make_strategy("random") for _ in range(sc.n_actors)]
    whole = play_batch(engine, strategies, seed=9, batch=60)
    chunked = play_batch(engine, strategies, seed=9, batch=60, chunk=7)
    assert_same_games(whole, chunked, where="chunk=7: ")
    assert len(np.unique(whole.turn)) > 1, "games should end at different turns"

    # With an on_step callback play_out keeps every game in the batch until the end.
    steps: list[int] = []
    kept = play_out(
        engine,
        engine.new_games(9, batch=60),
        strategies,
        on_step=lambda state, report, actions: steps.append(state.batch),
    )
    assert set(steps) == {60}
    assert_same_games(whole, kept, where="on_step: ")

    ids = np.array([59, 2, 17], dtype=np.uint64)
    picked = play_batch(engine, strategies, seed=9, game_ids=ids)
    assert_same_games(whole.take(ids.astype(np.int64)), picked, where="game_ids: ")


def test_the_seed_and_the_game_number_both_matter(sc2016: CompiledScenario) -> None:
    engine = Engine(sc2016)
    strategies = [make_strategy("random"), make_strategy("random")]
    a = play_batch(engine, strategies, seed=1, batch=20)
    b = play_batch(engine, strategies, seed=2, batch=20)
    again = play_batch(engine, strategies, seed=1, batch=20)
    assert_same_games(a, again)
    assert not np.array_equal(a.tension, b.tension)
    assert len(np.unique(a.tension[:, 0, 1])) > 10
