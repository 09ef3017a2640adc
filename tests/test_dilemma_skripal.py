"""The Salisbury scenario is a real dilemma: each of the three choices is the best, for London or
for Moscow, in some situation a game can reach.

"Best" means the highest expected final score for that side over the next turns, measured with
many seeded Monte Carlo rollouts in which every other side reciprocates (generous tit-for-tat),
and best by more than a point. Each situation is reached by playing moves from the start, so it is
reachable by construction. The retaliate and restrain situations came out of a random search over
sequences of legal moves; the search found waiting best for London on its first turn, and the
wait situation below is the same choice one turn on, after Moscow's answer, where the margin is
wider.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import best_value_by_kind, play_moves

from game.engine.engine import Engine
from game.scenario.load import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "skripal_2018.yaml"
ORDER = ("uk", "rus", "usa", "eunato")
"""The actors in the order each turn's moves are written below."""


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine(load_scenario(SCENARIO))
    assert engine.scenario.actor_ids == ORDER
    return engine


SITUATIONS: dict[str, tuple[str, list[tuple[str, str, str, str]]]] = {
    "retaliate": ("rus", []),
    "restrain": (
        "uk",
        [
            ("freeze_assets", "expel_in_kind", "expel_60_seattle", "urge_dialogue"),
            ("close_edinburgh", "deny_and_demand", "weigh_options", "urge_dialogue"),
            ("freeze_assets", "parity_cap", "weigh_options", "await_evidence"),
            ("expel_more", "mirror_uk", "keep_talking", "urge_dialogue"),
        ],
    ),
    "wait": ("uk", [("keep_case_open", "mirror_uk", "keep_talking", "urge_dialogue")]),
}
"""Retaliate: Moscow the morning after London's 23 expulsions, with the blow unanswered.
Restrain: London after four turns of trading blows with Moscow, both missions gutted and tension
at the breaking point; one more blow risks a rupture. Wait: London after Moscow's answer in kind
(23 diplomats, the consulate, the British Council), while Washington and the allies only talk;
asking the allies to act is worth more than another blow or letting it go."""


@pytest.mark.parametrize("expected", list(SITUATIONS))
def test_each_choice_is_best_somewhere(engine: Engine, expected: str) -> None:
    actor_id, moves = SITUATIONS[expected]
    values = best_value_by_kind(engine, play_moves(engine, moves), actor_id)
    ranked = sorted(values, key=values.get, reverse=True)
    assert ranked[0] == expected, values
    assert values[ranked[0]] - values[ranked[1]] > 1.0, values
