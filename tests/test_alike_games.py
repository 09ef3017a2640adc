"""Games that draw no random number are one game, played once.

Where neither a scenario's rules nor the strategies draw (the prisoner's dilemma between
deterministic strategies), every seed and game id plays the same game; the engine then plays a
batch's first game and copies it. These tests hold the engine to that: the claim "draws nothing"
is checked against games really played apart, and a batch played once equals its games played
one by one.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import PRISONERS_DILEMMA, SCENARIOS

from game.engine.engine import Engine
from game.match import advance, play_batch, prepare
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario, load_scenario_text
from game.strategies.base import profile_of
from game.strategies.registry import STRATEGY_NAMES, make_strategy

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
LINEUPS = (*STRATEGY_NAMES, "generous_tit_for_tat:0", "generous_tit_for_tat:1", "random:0")


def _alone(engine: Engine, names: list[str], seed: int, game: int) -> np.ndarray:
    """The final row of one game played by itself (a batch of one is never shared)."""
    strategies = [make_strategy(name) for name in names]
    return play_batch(engine, strategies, seed, game_ids=np.array([game], np.uint64)).data[0]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_what_is_said_to_draw_nothing_plays_the_same_game_for_every_seed(path) -> None:
    engine = Engine(load_scenario(path))
    n = engine.scenario.n_actors
    alike = 0
    for name in LINEUPS:
        names = [name] * n
        if not engine.plays_alike(profile_of([make_strategy(x) for x in names])):
            continue
        alike += 1
        first = _alone(engine, names, seed=1, game=0)
        for seed, game in ((1, 7), (2, 0), (99, 123_456)):
            other = _alone(engine, names, seed, game)
            assert np.array_equal(first.view(np.uint64), other.view(np.uint64)), (
                f"{path.stem}, {name}: seed {seed} game {game} differs from seed 1 game 0"
            )
    chance_free = path.stem in ("prisoners_dilemma", "tutorial")
    assert (alike > 0) == chance_free, f"{path.stem}: {alike} lineups play alike"


def test_a_shock_a_chance_event_or_a_drawing_strategy_makes_games_differ(
    sc2016: CompiledScenario, pd: CompiledScenario
) -> None:
    """The other side of the claim: where it is refused, seeds really do play apart."""
    shocks, dilemma = Engine(sc2016), Engine(pd)
    for engine, names in ((shocks, ["always_restrain"] * 2), (dilemma, ["random", "random"])):
        assert not engine.plays_alike(profile_of([make_strategy(x) for x in names]))
        games = [_alone(engine, names, seed, 0).tobytes() for seed in range(6)]
        assert len(set(games)) > 1
    forgiving = ["generous_tit_for_tat:0.5", "always_retaliate"]
    assert not dilemma.plays_alike(profile_of([make_strategy(x) for x in forgiving]))


def test_an_event_that_fires_by_chance_makes_games_differ() -> None:
    text = PRISONERS_DILEMMA.read_text(encoding="utf-8") + (
        "\nevents:\n"
        "  - id: rumour\n"
        '    when: "turn >= 2"\n'
        "    probability: 0.5\n"
        "    repeat: true\n"
        "    headline: A rumour of defection\n"
        "    text: Someone says the other side will defect.\n"
        "    effects: {actors: {row: {pressure: 5}}}\n"
    )
    engine = Engine(load_scenario_text(text))
    names = ["tit_for_tat", "tit_for_tat"]
    assert not engine.plays_alike(profile_of([make_strategy(x) for x in names]))
    games = [_alone(engine, names, seed, 0).tobytes() for seed in range(6)]
    assert len(set(games)) > 1


@pytest.mark.parametrize("threads", [1, 2])
def test_a_batch_played_once_equals_its_games_played_one_by_one(
    pd: CompiledScenario, threads: int
) -> None:
    engine = Engine(pd)
    names = ["tit_for_two_tats", "grim_trigger"]
    batch = play_batch(
        engine, [make_strategy(x) for x in names], 5, batch=40, chunk=8, threads=threads
    )
    assert engine.plays_alike(profile_of([make_strategy(x) for x in names]))
    for k in (0, 1, 17, 39):
        alone = _alone(engine, names, 5, k)
        assert np.array_equal(batch.data[k].view(np.uint64), alone.view(np.uint64)), k
    assert batch.over.all() and (batch.turn > 1).all()


def test_the_tension_counts_of_a_batch_played_once_count_every_game(pd: CompiledScenario) -> None:
    engine = Engine(pd)
    strategies = [make_strategy("tit_for_tat"), make_strategy("always_retaliate")]
    prepare(engine, strategies)
    profile = profile_of(strategies)
    shape = (pd.max_turns + 1, 1, 10)
    together = np.zeros(shape, dtype=np.int64)
    state = engine.new_games(3, batch=6)
    engine.play_in_place(state.data, state, profile, tension_counts=together, bin_width=10.0)
    apart = np.zeros(shape, dtype=np.int64)
    for k in range(6):
        single = engine.new_games(3, game_ids=[k])
        engine.play_in_place(single.data, single, profile, tension_counts=apart, bin_width=10.0)
    assert together.sum() > 6
    assert np.array_equal(together, apart)


def test_games_that_start_apart_are_each_played_from_their_own_start(
    pd: CompiledScenario,
) -> None:
    engine = Engine(pd)
    hawks = [make_strategy("always_retaliate"), make_strategy("always_retaliate")]
    prepare(engine, hawks)
    state = engine.new_games(0, batch=3)
    later = state
    for _ in range(3):
        later, _, _ = advance(engine, later, hawks)
    data = state.data.copy()
    data[1] = later.data[1]  # game 1 is three turns of mutual retaliation further on
    strategies = [make_strategy("tit_for_tat"), make_strategy("tit_for_tat")]
    prepare(engine, strategies)
    profile = profile_of(strategies)
    assert engine.plays_alike(profile)
    engine.play_in_place(data, state, profile)
    for k in range(3):
        alone = np.ascontiguousarray((later.data if k == 1 else state.data)[k : k + 1]).copy()
        engine.play_in_place(alone, state.game(k), profile)
        assert np.array_equal(data[k].view(np.uint64), alone[0].view(np.uint64)), k
    assert not np.array_equal(data[0], data[1])
