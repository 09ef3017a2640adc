"""Dominance, best replies and Nash equilibria on hand-made payoff tables with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.balance.metagame import (
    PayoffTables,
    best_responses,
    dominant_candidates,
    dominated_strategies,
    fictitious_play,
    nash_equilibria,
)

CD = ("cooperate", "defect")


def two_player(row: list[list[float]], column: list[list[float]], names=CD) -> PayoffTables:
    """Row's and column's payoffs, both indexed [row strategy][column strategy]."""
    return PayoffTables.exact(("row", "column"), (names, names), np.array([row, column]))


PRISONERS_DILEMMA = two_player([[3, 0], [5, 1]], [[3, 5], [0, 1]])
MATCHING_PENNIES = two_player([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], ("heads", "tails"))
BATTLE_OF_SEXES = two_player([[2, 0], [0, 1]], [[1, 0], [0, 2]], ("opera", "football"))


def mixtures(tables: PayoffTables) -> list[tuple[tuple[float, ...], ...]]:
    return [tuple(tuple(np.round(m, 6)) for m in e.mixture) for e in nash_equilibria(tables).found]


def test_prisoners_dilemma_has_one_equilibrium_mutual_defection():
    found = nash_equilibria(PRISONERS_DILEMMA).found
    assert len(found) == 1
    (e,) = found
    assert e.pure
    assert [CD[int(m.argmax())] for m in e.mixture] == ["defect", "defect"]
    assert e.payoff == pytest.approx([1, 1])


def test_prisoners_dilemma_cooperation_is_strictly_dominated_by_defection():
    found = dominated_strategies(PRISONERS_DILEMMA)
    assert {(d.actor, d.dominated, d.by) for d in found} == {
        ("row", "cooperate", "defect"),
        ("column", "cooperate", "defect"),
    }
    assert all(d.strict and d.significant and d.margin == pytest.approx(1.0) for d in found)


def test_defection_is_the_best_reply_to_everything():
    replies = best_responses(PRISONERS_DILEMMA)
    assert len(replies) == 4
    assert all(r.best == ("defect",) for r in replies)


def test_dominant_strategy_margin_is_its_worst_case_advantage():
    for candidate in dominant_candidates(PRISONERS_DILEMMA):
        assert candidate.strategy == "defect"
        assert candidate.margin == pytest.approx(1.0)
        assert candidate.interval[0] > 0


def test_matching_pennies_has_only_the_half_half_mixed_equilibrium():
    found = nash_equilibria(MATCHING_PENNIES).found
    assert len(found) == 1
    (e,) = found
    assert not e.pure
    for mixture in e.mixture:
        assert mixture == pytest.approx([0.5, 0.5])
    assert e.payoff == pytest.approx([0.0, 0.0])
    assert not dominated_strategies(MATCHING_PENNIES)


def test_battle_of_the_sexes_has_two_pure_and_one_mixed_equilibrium():
    found = mixtures(BATTLE_OF_SEXES)
    assert ((1.0, 0.0), (1.0, 0.0)) in found
    assert ((0.0, 1.0), (0.0, 1.0)) in found
    mixed = [m for m in found if max(m[0]) < 1]
    assert len(mixed) == 1
    assert mixed[0][0] == pytest.approx((2 / 3, 1 / 3), abs=1e-6)
    assert mixed[0][1] == pytest.approx((1 / 3, 2 / 3), abs=1e-6)


def test_large_tables_use_lemke_howson_and_return_only_true_equilibria():
    size = 8  # above the support enumeration limit
    names = tuple(f"s{i}" for i in range(size))
    coordination = np.eye(size) * (1 + np.arange(size))[:, None]
    tables = PayoffTables.exact(("row", "column"), (names, names), np.array([coordination] * 2))
    result = nash_equilibria(tables)
    assert "Lemke-Howson" in result.method
    pure = {
        (int(e.mixture[0].argmax()), int(e.mixture[1].argmax())) for e in result.found if e.pure
    }
    assert pure == {(i, i) for i in range(size)}
    assert all(e.regret < 1e-6 for e in result.found)


def test_weak_dominance_and_noise():
    # 'b' ties 'a' against x and beats it by 0.5 against y; with standard errors of 1 the
    # advantage is within noise.
    mean = np.array([[[1.0, 1.0], [1.0, 1.5]], [[0.0, 0.0], [0.0, 0.0]]])
    tables = PayoffTables(("p", "q"), (("a", "b"), ("x", "y")), mean, np.ones_like(mean))
    (found,) = [d for d in dominated_strategies(tables) if d.actor == "p"]
    assert (found.dominated, found.by, found.strict) == ("a", "b", False)
    assert found.margin == pytest.approx(0.0)
    assert not found.significant
    exact = PayoffTables.exact(tables.actors, tables.strategies, mean)
    (found,) = [d for d in dominated_strategies(exact) if d.actor == "p"]
    assert found.significant


def test_three_players_public_goods_game():
    # Each contributes (C) at a cost of 2; every contribution yields 1 to each of the three.
    # Defecting dominates, so the unique equilibrium is that nobody contributes.
    mean = np.zeros((3, 2, 2, 2))
    for cell in np.ndindex(2, 2, 2):
        contributions = sum(1 for s in cell if s == 0)
        for player in range(3):
            mean[(player, *cell)] = contributions - (2 if cell[player] == 0 else 0)
    tables = PayoffTables.exact(("a", "b", "c"), (CD,) * 3, mean)
    result = nash_equilibria(tables)
    assert "fictitious play" in result.method
    assert len(result.found) == 1
    assert all(m.argmax() == 1 for m in result.found[0].mixture)


def test_fictitious_play_approaches_the_mixed_equilibrium_of_matching_pennies():
    e = fictitious_play(MATCHING_PENNIES, rounds=4000)
    for mixture in e.mixture:
        assert mixture == pytest.approx([0.5, 0.5], abs=0.03)
    assert e.regret < 0.05


def test_a_table_that_made_lemke_howson_cycle_now_finishes():
    """Real mean scores on which nashpy's Lemke-Howson pivoted for ever (twin strategies such as
    always_retaliate and grim_trigger score nearly alike); repeated and dominated strategies are
    now removed first and pivots are bounded."""
    data = json.loads((Path(__file__).parent / "data" / "degenerate_payoffs.json").read_text())
    names = tuple(data["strategies"]), tuple(data["strategies"])
    payoffs = np.array([data["rus"], data["usa"]])
    result = nash_equilibria(PayoffTables.exact(("rus", "usa"), names, payoffs))
    assert result.found
    assert all(e.regret < 1e-6 for e in result.found)
