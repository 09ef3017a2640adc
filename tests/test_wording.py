"""Endings and events are shown to players in words, not in the expression language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scenario.load import load_scenario
from game.scenario.wording import condition_in_words
from game.ui.stakes import endings_tip

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def test_the_2016_rupture_reads_as_a_sentence() -> None:
    scenario = load_scenario(SCENARIOS[0].parent / "expulsion_2016.yaml")
    (rupture,) = [o for o in scenario.outcomes if o.id == "rupture"]
    assert condition_in_words(rupture.when.source, scenario) == (
        "tension at or above 88, resting tension between Russia and United States at or above "
        "58, Russia's diplomats in Washington at or below 400 and United States' diplomats in "
        "Moscow plus United States' local staff in Moscow at or below 1150"
    )


def test_turns_moves_and_events_read_naturally() -> None:
    skripal = load_scenario(SCENARIOS[0].parent / "skripal_2018.yaml")
    (chill,) = [o for o in skripal.outcomes if o.id == "long_chill"]
    words = condition_in_words(chill.when.source, skripal)
    assert words.startswith("from turn 8, ")
    assert "United Kingdom did not retaliate" in words
    assert "(United Kingdom restrained or Russia restrained)" in words
    cold_war = load_scenario(SCENARIOS[0].parent / "expulsions_1986.yaml")
    (detente,) = [o for o in cold_war.outcomes if o.id == "detente"]
    assert "'Daniloff and Zakharov are released: both men go home' has happened" in (
        condition_in_words(detente.when.source, cold_war)
    )


def test_what_the_wording_does_not_know_is_quoted_as_written() -> None:
    scenario = load_scenario(SCENARIOS[0].parent / "expulsion_2016.yaml")
    assert condition_in_words("min(tension, 50) > 40", scenario) == ("min(tension, 50) above 40")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_shipped_condition_shows_a_variable_name(path: Path) -> None:
    scenario = load_scenario(path)
    conditions = [o.when for o in scenario.outcomes] + [e.when for e in scenario.events]
    for condition in conditions:
        if condition is not None:
            words = condition_in_words(condition.source, scenario)
            assert not IDENTIFIER.search(words), words
    assert not IDENTIFIER.search(endings_tip(scenario, []))


def test_a_name_ending_in_s_takes_an_apostrophe_alone() -> None:
    from game.scenario.wording import possessive

    assert possessive("Russia") == "Russia's"
    assert possessive("United States") == "United States'"
    assert possessive("EU and NATO allies") == "EU and NATO allies'"
