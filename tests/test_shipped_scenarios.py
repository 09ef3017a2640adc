"""Every shipped scenario plays to its end under every pair of built-in strategies.

A pair is (strategy of the scenario's player actor, strategy of every other actor). For speed,
lookahead plays at its easy difficulty, except in one pair per scenario where it plays by its
plain name (the default difficulty); pairs with a lookahead play one game, the others two. In a
symmetric scenario (every actor the same, as in the prisoner's dilemma) a pair and its mirror
are the same match, so only one of them is played.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import SCENARIOS, scenario_file

from game.engine.engine import Engine
from game.match import play_batch
from game.scenario.compiled import CompiledScenario
from game.strategies.registry import STRATEGY_NAMES, make_strategy

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
FULL_LOOKAHEAD_PAIR = ("lookahead", "tit_for_tat")
"""The pair in which lookahead plays at its default difficulty."""


def symmetric(sc: CompiledScenario) -> bool:
    """Whether swapping the actors changes nothing: same moves, start, traits and scoring."""
    actors = sc.model.actors
    same = all(
        (a.actions, a.start, a.personality)
        == (actors[0].actions, actors[0].start, actors[0].personality)
        for a in actors
    )
    scoring = [sc.model.scoring[a.id] for a in actors]
    return same and all(s == scoring[0] for s in scoring) and not sc.events and not sc.opening


def pairs(sc: CompiledScenario) -> list[tuple[str, str]]:
    """(player's strategy, everyone else's) for every pair that makes a different match."""
    if symmetric(sc):
        return [(a, b) for i, a in enumerate(STRATEGY_NAMES) for b in STRATEGY_NAMES[i:]]
    return [(a, b) for a in STRATEGY_NAMES for b in STRATEGY_NAMES]


def instance(name: str, pair: tuple[str, str]) -> str:
    """The name to build: lookahead is easy except in the full pair (in either order)."""
    if name == "lookahead" and sorted(pair) != sorted(FULL_LOOKAHEAD_PAIR):
        return "lookahead:easy"
    return name


@pytest.mark.parametrize("name", STRATEGY_NAMES)
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_pair_plays_the_scenario_to_its_end(path: Path, name: str) -> None:
    sc = scenario_file(path)
    engine = Engine(sc)
    player = sc.player_actor
    for pair in pairs(sc):
        if pair[0] != name:
            continue
        strategies = [make_strategy(instance(pair[1], pair)) for _ in range(sc.n_actors)]
        strategies[player] = make_strategy(instance(pair[0], pair))
        batch = 1 if "lookahead" in pair else 2
        final = play_batch(engine, strategies, seed=17, batch=batch)  # refuses illegal moves
        where = f"{path.name}, {pair[0]} vs {pair[1]}"
        assert final.over.all(), where
        assert ((final.turn >= 1) & (final.turn <= sc.max_turns)).all(), where
        assert ((final.outcome >= 0) & (final.outcome < len(sc.outcomes))).all(), where
        assert np.isfinite(engine.scores(final)).all(), where


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_pairs_cover_every_strategy_and_the_plain_lookahead(path: Path) -> None:
    """Guards the test above: nothing is skipped, and the default difficulty plays once."""
    sc = scenario_file(path)
    played = pairs(sc)
    assert {name for pair in played for name in pair} == set(STRATEGY_NAMES)
    covered = {frozenset(pair) for pair in played}
    assert covered == {frozenset((a, b)) for a in STRATEGY_NAMES for b in STRATEGY_NAMES}
    full = [pair for pair in played if instance("lookahead", pair) == "lookahead"]
    assert full and all("lookahead" in pair for pair in full)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_scenario_names_only_strategies_that_exist(path: Path) -> None:
    sc = scenario_file(path)
    for actor in range(sc.n_actors):
        default = sc.default_strategy(actor)
        if default is not None:
            make_strategy(default)
