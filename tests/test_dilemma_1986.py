"""The autumn 1986 scenario is a real dilemma: each of the three choices is the best in some
situation a game can reach.

"Best" means the highest expected final score for the Soviet Union over the next turns,
measured with many seeded Monte Carlo rollouts against a reciprocating United States, as
tests/test_dilemma.py measures the 2016 scenario. Each situation is reached by playing moves
from the start, so it is reachable by construction; two of them are the real moves of 1986.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import best_value_by_kind, play_moves

from game.engine.engine import Engine
from game.scenario.load import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "expulsions_1986.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_scenario(SCENARIO))


QUIET = ("reserve_answer", "hold_measures")
SWAP = ("offer_swap", "offer_swap")
BEFORE_SUMMIT = ("wait_for_summit", "hold_measures")
SUMMIT = ("summit_first", "summit_first")
FIVE_FOR_FIVE = ("expel_five", "expel_five")

TO_THE_EXCHANGE = [QUIET] * 5 + [SWAP]
"""The real moves to 29 September: five quiet turns, then the exchange (it goes through
with this seed)."""

TO_THE_CEILING = [
    *TO_THE_EXCHANGE,
    *[BEFORE_SUMMIT] * 5,
    SUMMIT,
    *[QUIET] * 3,
    ("expel_five", "hold_measures"),
    ("reserve_answer", "ceiling"),
]
"""The real moves to 21 October: Moscow waits for Reykjavik, expels five on 19 October, and
Washington answers with 55 more and a ceiling."""

TO_THE_BRINK = [
    QUIET,
    SWAP,
    *[BEFORE_SUMMIT] * 9,
    SUMMIT,
    ("mirror_25", "expel_five"),
    ("withdraw_staff", "ceiling"),
    FIVE_FOR_FIVE,
    FIVE_FOR_FIVE,
]
"""An early exchange and a quiet wait for Reykjavik, then a spiral after the summit: Moscow
mirrors the 25 and withdraws the staff, Washington sets the ceiling, and each expels five
more twice."""

SITUATIONS = {
    "retaliate": TO_THE_CEILING,
    "restrain": TO_THE_BRINK,
    "wait": TO_THE_EXCHANGE,
}
"""Retaliate: after the ceiling, with a fresh grievance and rungs left, the real answer of
22 October (five more and the local staff) is best. Restrain: at the brink, with tension near
90, the big rungs spent and the missions cut, calling a halt is best. Wait: with both men home
and Reykjavik ahead, pressure is above the point where restraint reads as backing down and a
blow would put the summit in doubt; holding the answer until after the summit is best."""


@pytest.mark.parametrize("expected", list(SITUATIONS))
def test_each_choice_is_best_somewhere(engine: Engine, expected: str) -> None:
    values = best_value_by_kind(engine, play_moves(engine, SITUATIONS[expected]), "ussr")
    ranked = sorted(values, key=values.get, reverse=True)
    assert ranked[0] == expected, values
    assert values[ranked[0]] - values[ranked[1]] > 1.0, values
