"""Broken scenarios are refused with every problem at its own `file:line:col: path: message`.

Each test breaks one thing in a small valid scenario (BASE) and states the exact line the
author sees. Positions are found in the broken text with `locate`, so the expected line and
column are those of the text the author typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edited, locate

from game.errors import ScenarioError
from game.scenario.load import load_scenario, load_scenario_text

BASE = """\
metadata:
  id: tiny
  title: Tiny
  summary: The smallest useful scenario.
  start_date: 2020-01-06
  days_per_turn: 7
  max_turns: 10
  player_actor: east
tension_bands:
  - {name: any, up_to: 100}
model:
  relax: 0.1
actors:
  - id: east
    name: East
    capital: Ostburg
    leader: The President
    colour: "#123456"
    personality: {hawkishness: 0.5}
    actions:
      retaliate:
        - id: expel
          label: Expel
          description: Expel some diplomats.
          severity: 5
          available_if: "turn >= 1"
          effects: {tension: 5, expel: 3}
          headlines: ["{capital} expels {n} diplomats"]
      restrain:
        - id: talk
          label: Talk
          description: Offer talks.
          headlines: ["{leader} offers talks"]
  - id: west
    name: West
    capital: Westhafen
    leader: The Queen
    colour: "#654321"
    actions:
      restrain:
        - id: mediate
          label: Mediate
          description: Offer to mediate.
          headlines: ["{capital} mediates"]
opening:
  - {actor: east, variant: expel}
events:
  - id: thaw
    turn: 3
    headline: A thaw
    text: Channels reopen.
    effects:
      tension: -5
      actors:
        west: {pressure: 5}
      enable: [east.talk]
outcomes:
  - id: turn_limit
    title: Over
    text: Time is up.
scoring:
  east:
    - {name: Calm, value: "100 - tension"}
  west:
    - {name: Calm, value: "100 - tension"}
"""

RETALIATE = "actors[0].actions.retaliate[0]"


def problems(text: str) -> list[str]:
    """Every problem the loader reports for `text`, as the lines `validate` prints."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "x.yaml")
    return [str(problem) for problem in info.value.problems]


def at(text: str, needle: str, occurrence: int = 1) -> str:
    line, column = locate(text, needle, occurrence)
    return f"x.yaml:{line}:{column}"


def test_the_base_scenario_is_valid() -> None:
    scenario = load_scenario_text(BASE, "x.yaml")
    assert scenario.actor_ids == ("east", "west")


# -- the schema ------------------------------------------------------------------------------


def test_an_unknown_key_is_reported_at_the_key_with_a_suggestion() -> None:
    text = edited(BASE, "{hawkishness: 0.5}", "{hawkishnes: 0.5}")
    assert problems(text) == [
        f"{at(text, 'hawkishnes')}: actors[0].personality.hawkishnes: "
        "unknown field 'hawkishnes' (did you mean 'hawkishness'?)"
    ]


def test_a_misspelt_required_key_is_both_unknown_and_missing() -> None:
    text = edited(BASE, "  summary: The", "  sumary: The")
    assert problems(text) == [
        f"{at(text, 'id: tiny')}: metadata: missing required field 'summary'",
        f"{at(text, 'sumary')}: metadata.sumary: unknown field 'sumary' (did you mean 'summary'?)",
    ]


def test_an_unknown_key_without_a_close_match_lists_the_allowed_ones() -> None:
    text = edited(BASE, "  relax: 0.1", "  relax: 0.1\n  zzz: 1")
    assert problems(text) == [
        f"{at(text, 'zzz')}: model.zzz: unknown field 'zzz'; allowed here: answer_credibility, "
        "answer_relief, backdown_cost, backdown_threshold, baseline, escalation, "
        "grievance_decay, grievance_decay_waiting, pressure_baseline, pressure_from_grievance, "
        "pressure_relax, reaction, relax, restraint_forgives, shock_pressure, shock_tension, "
        "standing_baseline, standing_relax, start, wait_pressure"
    ]


def test_a_wrong_type_says_what_was_expected_and_what_was_found() -> None:
    text = edited(BASE, "max_turns: 10", "max_turns: many")
    assert problems(text) == [
        f"{at(text, 'many')}: metadata.max_turns: expected a whole number, got 'many'"
    ]


def test_a_wrong_type_deep_inside_an_actor() -> None:
    text = edited(BASE, "{tension: 5, expel: 3}", "{tension: [5], expel: 3}")
    assert problems(text) == [
        f"{at(text, '[5]')}: {RETALIATE}.effects.tension: "
        "expected a number or an expression, got a list"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "message"),
    [
        ("max_turns: 10", "max_turns: 0", "0\n", "metadata.max_turns", "must be at least 1, got 0"),
        (
            "days_per_turn: 7",
            "days_per_turn: 400",
            "400",
            "metadata.days_per_turn",
            "must be at most 366, got 400",
        ),
        (
            "{hawkishness: 0.5}",
            "{hawkishness: 1.5}",
            "1.5",
            "actors[0].personality.hawkishness",
            "must be at most 1",
        ),
        ("severity: 5", "severity: 11", "11", f"{RETALIATE}.severity", "must be at most 10"),
    ],
)
def test_a_number_out_of_range(old: str, new: str, needle: str, path: str, message: str) -> None:
    text = edited(BASE, old, new)
    (problem,) = problems(text)
    assert problem.startswith(f"{at(text, needle)}: {path}: {message}")


def test_a_missing_field_is_reported_at_its_mapping() -> None:
    text = edited(BASE, "    leader: The Queen\n", "")
    assert problems(text) == [f"{at(text, 'id: west')}: actors[1]: missing required field 'leader'"]


def test_a_duplicate_key_names_both_positions() -> None:
    text = edited(BASE, "    leader: The Queen\n", "    leader: The Queen\n    leader: The King\n")
    first_line, first_column = locate(text, "leader: The Queen")
    assert problems(text) == [
        f"{at(text, 'leader: The King')}: actors[1]: duplicate key 'leader' "
        f"(first at line {first_line}, column {first_column})"
    ]


# -- expressions: the column points inside the string --------------------------------------------


@pytest.mark.parametrize(
    ("expression", "needle", "message"),
    [
        ("turn.real >= 1", "turn.real", "attribute access ('.') is not allowed"),
        ("open(1) >= 1", "open", "unknown function 'open' (known functions: abs, clip, max, min)"),
        ("turn[0] >= 1", "turn[0]", "indexing ('[...]') is not allowed"),
        ("__import__ >= 1", "__import__", "names starting with '_' are not allowed ('__import__')"),
        ("turn >= tenshun", "tenshun", "unknown variable 'tenshun' (did you mean 'tension'?)"),
    ],
)
def test_a_bad_expression_is_located_inside_its_string(
    expression: str, needle: str, message: str
) -> None:
    text = edited(BASE, '"turn >= 1"', f'"{expression}"')
    assert problems(text) == [f"{at(text, needle)}: {RETALIATE}.available_if: {message}"]


def test_an_unquoted_expression_is_located_too() -> None:
    text = edited(BASE, 'available_if: "turn >= 1"', "available_if: turn >= tenshun")
    assert problems(text) == [
        f"{at(text, 'tenshun')}: {RETALIATE}.available_if: "
        "unknown variable 'tenshun' (did you mean 'tension'?)"
    ]


def test_an_expression_in_an_event_uses_the_scenario_wide_names() -> None:
    """Events read every actor's gauges by `ACTOR_` names, such as `east_pressure`."""
    text = edited(BASE, "tension: -5", 'tension: "-east_presure"')
    assert problems(text) == [
        f"{at(text, 'east_presure')}: events[0].effects.tension: "
        "unknown variable 'east_presure' (did you mean 'east_pressure'?)"
    ]


# -- cross-references ------------------------------------------------------------------------


def test_an_unknown_actor_is_reported_with_a_suggestion() -> None:
    text = edited(BASE, "player_actor: east", "player_actor: eats")
    assert problems(text) == [
        f"{at(text, 'eats')}: metadata.player_actor: unknown actor 'eats' (did you mean 'east'?)"
    ]


def test_an_unknown_actor_in_an_opening_move() -> None:
    text = edited(BASE, "{actor: east, variant: expel}", "{actor: weast, variant: expel}")
    assert problems(text) == [
        f"{at(text, 'weast')}: opening[0].actor: unknown actor 'weast' (did you mean 'west'?)"
    ]


def test_an_unknown_actor_as_a_key_is_reported_at_the_key() -> None:
    text = edited(BASE, "        west: {pressure: 5}", "        wset: {pressure: 5}")
    assert problems(text) == [
        f"{at(text, 'wset')}: events[0].effects.actors.wset: "
        "unknown actor 'wset' (did you mean 'west'?)"
    ]


def test_an_unknown_variant_in_events_enable() -> None:
    text = edited(BASE, "enable: [east.talk]", "enable: [east.tlak]")
    assert problems(text) == [
        f"{at(text, 'east.tlak')}: events[0].effects.enable[0]: "
        "unknown variant for 'east': 'tlak' (did you mean 'talk'?)"
    ]


def test_an_unknown_headline_placeholder() -> None:
    text = edited(BASE, '"{capital} expels {n} diplomats"', '"{capitol} expels {n} diplomats"')
    where = at(text, '"{capitol}')
    assert problems(text) == [
        f"{where}: {RETALIATE}.headlines[0]: unknown placeholder "
        "'{capitol}'; use {actor}, {capital}, {date}, {leader}, {n}, {other}, "
        "{other_capital}, {turn}"
    ]


# -- every problem at once -------------------------------------------------------------------


def test_every_schema_problem_in_a_file_is_reported() -> None:
    text = edited(BASE, "max_turns: 10", "max_turns: many")
    text = edited(text, "{hawkishness: 0.5}", "{hawkishnes: 0.5}")
    text = edited(text, "    leader: The Queen\n", "")
    text = edited(text, "severity: 5", "severity: 11")
    found = problems(text)
    assert [p.split(": ")[1] for p in found] == [
        "metadata.max_turns",
        "actors[0].personality.hawkishnes",
        f"{RETALIATE}.severity",
        "actors[1]",
    ]


def test_every_reference_problem_in_a_file_is_reported() -> None:
    text = edited(BASE, '"turn >= 1"', '"turn >= tenshun"')
    text = edited(text, "player_actor: east", "player_actor: eats")
    text = edited(text, "enable: [east.talk]", "enable: [east.tlak]")
    text = edited(text, '"{capital} expels', '"{capitol} expels')
    found = problems(text)
    assert [p.split(": ")[1] for p in found] == [
        "metadata.player_actor",
        f"{RETALIATE}.available_if",
        f"{RETALIATE}.headlines[0]",
        "events[0].effects.enable[0]",
    ]


def test_schema_and_reference_problems_are_reported_together() -> None:
    text = edited(BASE, "max_turns: 10", "max_turns: many")
    text = edited(text, '"turn >= 1"', '"turn >= tenshun"')
    assert [p.split(": ")[1] for p in problems(text)] == [
        "metadata.max_turns",
        f"{RETALIATE}.available_if",
    ]


# -- hostile files ---------------------------------------------------------------------------


def test_a_python_tag_is_refused() -> None:
    text = edited(BASE, "  title: Tiny", '  title: !!python/object/apply:os.system ["echo hi"]')
    assert problems(text) == [
        f"{at(text, '!!python')}: metadata.title: "
        "tag '!!python/object/apply:os.system' is not allowed in scenario files"
    ]


def test_a_billion_laughs_file_is_refused() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        name, previous = chr(ord("a") + i), chr(ord("a") + i - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    (problem,) = problems("\n".join(lines) + "\n")
    assert "once its aliases are filled in" in problem


def test_deep_nesting_is_refused() -> None:
    (problem,) = problems(BASE + "history: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in problem


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(edited(BASE, "title: Tiny", "title: Caf\xe9").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and "UTF-8" in problem.message


def test_problems_name_the_file_as_given(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(edited(BASE, "max_turns: 10", "max_turns: many"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:7:14: metadata.max_turns: expected a whole number, got 'many'"
    ]


def test_a_range_with_one_bound_says_which_item_is_missing() -> None:
    text = (
        Path(__file__).resolve().parent.parent / "scenarios" / "expulsion_2016.yaml"
    ).read_text()
    broken = text.replace("  mean_turns: [6, 20]", "  mean_turns: [6]")
    assert broken != text
    found = problems(broken)
    assert len(found) == 1
    assert found[0].endswith("balance.mean_turns: has too few items: item 2 is missing")
