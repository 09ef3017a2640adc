"""The iterated prisoner's dilemma in the scenario format scores like the published game.

200 rounds with T=5, R=3, P=1, S=0; restrain is cooperate and retaliate is defect. The expected
totals are the textbook ones (e.g. Axelrod's tournaments), so they check both the file and the
engine's scoring.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import play_against_script

from game.engine.engine import Engine
from game.match import play_batch
from game.scenario.compiled import RESTRAIN, RETALIATE, CompiledScenario
from game.strategies.registry import make_strategy

TURNS = 200


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("tit_for_tat", "tit_for_tat", (600, 600)),
        ("tit_for_tat", "always_retaliate", (199, 204)),
        ("always_retaliate", "always_retaliate", (200, 200)),
        ("always_restrain", "always_retaliate", (0, 1000)),
        ("grim_trigger", "tit_for_tat", (600, 600)),
        ("tit_for_two_tats", "always_retaliate", (198, 208)),
        ("always_wait", "always_restrain", (600, 600)),
        ("generous_tit_for_tat:1", "always_retaliate", (0, 1000)),
    ],
)
def test_classic_pairs_score_the_published_totals(
    pd: CompiledScenario, row: str, column: str, expected: tuple[int, int]
) -> None:
    engine = Engine(pd)
    final = play_batch(engine, [make_strategy(row), make_strategy(column)], seed=0)
    assert final.over.all() and (final.turn == TURNS).all()
    assert (final.outcome == pd.turn_limit_outcome).all()
    assert engine.scores(final).tolist() == [list(expected)]


def test_the_seats_are_interchangeable(pd: CompiledScenario) -> None:
    engine = Engine(pd)
    strategies = [make_strategy("always_retaliate"), make_strategy("tit_for_two_tats")]
    final = play_batch(engine, strategies, seed=0)
    assert engine.scores(final).tolist() == [[208, 198]]


def test_the_scenario_is_the_plain_game(pd: CompiledScenario) -> None:
    assert pd.actor_ids == ("row", "column")
    assert pd.max_turns == TURNS
    for actor in range(2):
        assert set(pd.kinds_of(actor)) == {RETALIATE, RESTRAIN}  # no wait


def test_scores_do_not_depend_on_the_seed(pd: CompiledScenario) -> None:
    """No noise: the same deterministic pair scores the same under any seed."""
    engine = Engine(pd)
    strategies = [make_strategy("tit_for_two_tats"), make_strategy("grim_trigger")]
    scores = [engine.scores(play_batch(engine, strategies, seed=s)).tolist() for s in (1, 99)]
    assert scores[0] == scores[1] == [[600.0, 600.0]]


def test_one_round_pays_t_r_p_s(pd: CompiledScenario) -> None:
    """Each cell of the payoff matrix, from a single round against a scripted move."""
    engine = Engine(pd)
    cells = {}
    for mine in ("always_restrain", "always_retaliate"):
        for theirs in ("res", "ret"):
            played = play_against_script(pd, make_strategy(mine), [theirs], actor="row")
            cells[mine, theirs] = engine.scores(played.final)[0].tolist()
    assert cells == {
        ("always_restrain", "res"): [3, 3],
        ("always_restrain", "ret"): [0, 5],
        ("always_retaliate", "res"): [5, 0],
        ("always_retaliate", "ret"): [1, 1],
    }


def test_random_averages_between_the_extremes(pd: CompiledScenario) -> None:
    """random (p=0.5) against always-defect: about half the rounds lost at S, half at P."""
    engine = Engine(pd)
    final = play_batch(
        engine, [make_strategy("random"), make_strategy("always_retaliate")], seed=3, batch=50
    )
    row = engine.scores(final)[:, 0]
    assert np.all(row <= 200) and abs(row.mean() - 100) < 10
