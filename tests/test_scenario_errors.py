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
from game.scenario.variables import global_view_names

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
        "answer_relief, backdown_cost, backdown_threshold, baseline, credibility_headroom, "
        "credibility_relax, escalation, grievance_decay, grievance_decay_waiting, last_word, "
        "overreach_credibility, overreach_tension, pressure_baseline, pressure_from_grievance, "
        "pressure_relax, reaction, relax, repeat_effect, restraint_forgives, shock_pressure, "
        "shock_tension, standing_baseline, standing_relax, start, wait_pressure"
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
        "{other_capital}, {target}, {target_capital}, {turn}"
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
    broken = text.replace("  mean_turns: [8, 20]", "  mean_turns: [8]")
    assert broken != text
    found = problems(broken)
    assert len(found) == 1
    assert found[0].endswith("balance.mean_turns: has too few items: item 2 is missing")


# -- limits: every number and list is bounded ------------------------------------------------


def test_a_count_past_int32_is_refused_at_its_value() -> None:
    """It used to pass the schema and overflow the engine's int32 table."""
    text = edited(
        BASE, "          severity: 5\n", "          severity: 5\n          max_uses: 2147483648\n"
    )
    assert problems(text) == [
        f"{at(text, '2147483648')}: {RETALIATE}.max_uses: must be at most 1000, got 2147483648"
    ]


def test_a_number_where_an_expression_may_stand_is_bounded_in_one_message() -> None:
    text = edited(BASE, "effects: {tension: 5, expel: 3}", "effects: {tension: 5e9, expel: 3}")
    assert problems(text) == [
        f"{at(text, '5e9')}: {RETALIATE}.effects.tension: "
        "must be at most 1000000.0, got 5000000000.0"
    ]


def test_diplomats_are_bounded() -> None:
    text = edited(
        BASE,
        '    colour: "#123456"\n',
        '    colour: "#123456"\n    start: {diplomats: {west: 100001}}\n',
    )
    assert problems(text) == [
        f"{at(text, '100001')}: actors[0].start.diplomats.west: must be at most 100000, got 100001"
    ]


def _actor(name: str) -> str:
    return (
        f"  - id: {name}\n    name: {name.title()}\n    capital: C\n    leader: L\n"
        f'    colour: "#000000"\n    actions:\n      restrain:\n'
        f"        - {{id: talk, label: Talk, description: Talk., headlines: [x]}}\n"
    )


def test_at_most_six_actors() -> None:
    extra = "".join(_actor(f"a{i}") for i in range(5))
    text = edited(BASE, "opening:\n", extra + "opening:\n")
    assert problems(text)[0] == f"{at(text, '- id: east')}: actors: has too many items (at most 6)"


def _variants(count: int, kind: str = "restrain") -> str:
    items = "".join(
        f"        - {{id: {kind}{i}, label: V, description: V., headlines: [x]}}\n"
        for i in range(count)
    )
    return f"      {kind}:\n{items}"


def test_at_most_24_variants_of_one_kind() -> None:
    text = edited(BASE, _WEST_ACTIONS, "    actions:\n" + _variants(25))
    assert problems(text) == [
        f"{at(text, '- {id: restrain0')}: actors[1].actions.restrain: "
        "has too many items (at most 24)"
    ]


def test_at_most_24_variants_per_actor_over_all_kinds() -> None:
    """The engine's tables are as wide as the widest actor: 1,000 variants took 1.3 GB."""
    text = edited(BASE, _WEST_ACTIONS, "    actions:\n" + _variants(13) + _variants(12, "wait"))
    assert problems(text) == [
        f"{at(text, 'restrain:', 2)}: actors[1].actions: 'west' has 25 variants; "
        "an actor may have at most 24"
    ]


_WEST_ACTIONS = """    actions:
      restrain:
        - id: mediate
          label: Mediate
          description: Offer to mediate.
          headlines: ["{capital} mediates"]
"""


@pytest.mark.parametrize(
    ("anchor", "item", "count", "path", "limit"),
    [
        ("events:\n", "  - {id: e$, turn: 2, headline: H, text: T}\n", 65, "events", 64),
        ("outcomes:\n", "  - {id: o$, title: T, text: T, when: 'turn > 2'}\n", 16, "outcomes", 16),
        ("  east:\n", "    - {name: N$, value: 1}\n", 16, "scoring.east", 16),
    ],
)
def test_lists_the_engine_carries_are_bounded(
    anchor: str, item: str, count: int, path: str, limit: int
) -> None:
    items = "".join(item.replace("$", str(i)) for i in range(count))
    text = edited(BASE, anchor, anchor + items)
    assert f": {path}: has too many items (at most {limit})" in "\n".join(problems(text))


# -- the calendar ------------------------------------------------------------------------------


def test_a_calendar_that_runs_past_year_9999_is_refused() -> None:
    text = edited(BASE, "start_date: 2020-01-06", "start_date: 9999-12-01")
    assert problems(text) == [
        f"{at(text, '9999-12-01')}: metadata.start_date: the last turn would fall after the year "
        "9999; with max_turns 10 and days_per_turn 7, start on 9999-10-22 or earlier"
    ]


def test_the_latest_start_that_fits_loads_and_its_last_date_exists() -> None:
    text = edited(BASE, "start_date: 2020-01-06", "start_date: 9999-10-22")
    scenario = load_scenario_text(text, "x.yaml")
    assert scenario.date_of_turn(scenario.max_turns + 1).isoformat() == "9999-12-31"


def test_an_opening_before_year_1_is_refused() -> None:
    text = edited(BASE, "start_date: 2020-01-06", "start_date: 0001-01-01")
    assert problems(text) == [
        f"{at(text, '0001-01-01')}: metadata.start_date: the opening moves fall the day before "
        "start_date, which is before the year 1; start later or give opening_date"
    ]


# -- expressions that could overflow -----------------------------------------------------------


def test_an_expression_that_could_reach_infinity_is_refused_at_the_growing_part() -> None:
    """`1e308 * pressure` is finite as written and infinite at pressure 2: records crashed on it."""
    text = edited(BASE, "expel: 3}", "expel: '3 + 1e308 * pressure'}")
    assert problems(text) == [
        f"{at(text, '1e308')}: {RETALIATE}.effects.expel: this part can reach about 1e+308, "
        "more than the limit of 1e+12; use smaller numbers"
    ]


def test_dividing_by_a_gauge_is_refused_and_by_max_of_it_accepted() -> None:
    text = edited(BASE, "expel: 3}", "expel: '10 / pressure'}")
    assert problems(text) == [
        f"{at(text, 'pressure')}: {RETALIATE}.effects.expel: dividing by this can give any size "
        "of number, because it can come as close to 0 as it likes (x / 0 is 0, but x / 0.000001 "
        "is huge); divide by max(..., 1) instead"
    ]
    load_scenario_text(edited(BASE, "expel: 3}", "expel: '10 / max(pressure, 1)'}"), "x.yaml")


def test_dividing_by_a_whole_number_variable_is_bounded() -> None:
    """x / 0 is 0, and a whole number that is not 0 is at least 1 in size."""
    text = edited(BASE, "expel: 3}", "expel: 'hosted / diplomats + 100 * pressure / turn'}")
    load_scenario_text(text, "x.yaml")


def test_a_product_of_gauges_within_the_limit_loads() -> None:
    text = edited(BASE, "expel: 3}", "expel: 'pressure * credibility * standing / 10000'}")
    load_scenario_text(text, "x.yaml")


def test_every_variable_has_a_known_range() -> None:
    """A new variable must be given a range in game.scenario.bounds, not fall back to a guess."""
    from game.scenario.bounds import UNKNOWN, variable_ranges

    scenario = load_scenario_text(BASE, "x.yaml")
    ranges = variable_ranges(scenario.model)
    names = scenario.actor_view_names | global_view_names(scenario.actor_ids, ["thaw"])
    names -= {"event_EVENT"}  # the documentation's placeholder for event_thaw
    assert names <= set(ranges)
    assert [name for name in names if ranges[name] is UNKNOWN] == []


# -- the opening and the default strategies ----------------------------------------------------


def test_an_opening_variant_not_enabled_at_the_start_is_refused() -> None:
    text = edited(
        BASE, "          severity: 5\n", "          severity: 5\n          enabled: false\n"
    )
    assert problems(text) == [
        f"{at(text, 'expel}')}: opening[0].variant: the game cannot open with 'expel': "
        "it is not enabled at the start (enabled: false)"
    ]


def test_an_opening_variant_unavailable_before_turn_1_is_refused() -> None:
    text = edited(BASE, 'available_if: "turn >= 1"', 'available_if: "turn >= 5"')
    assert problems(text) == [
        f"{at(text, 'expel}')}: opening[0].variant: the game cannot open with 'expel': "
        "its available_if (turn >= 5) is false before turn 1"
    ]


def test_an_opening_cannot_use_a_variant_more_often_than_max_uses() -> None:
    text = edited(BASE, "          severity: 5\n", "          severity: 5\n          max_uses: 1\n")
    text = edited(
        text, "  - {actor: east, variant: expel}\n", "  - {actor: east, variant: expel}\n" * 2
    )
    assert problems(text) == [
        f"{at(text, 'expel}', 2)}: opening[1].variant: the game cannot open with 'expel' 2 times: "
        "its max_uses is 1"
    ]


def test_a_default_strategy_parameter_is_checked_as_simulate_does() -> None:
    text = edited(
        BASE,
        "    personality: {hawkishness: 0.5}\n",
        "    personality: {hawkishness: 0.5}\n    default_strategy: random:2.0\n",
    )
    assert problems(text) == [
        f"{at(text, 'random:2.0')}: actors[0].default_strategy: bad parameter in 'random:2.0': "
        "p must be between 0 and 1, got 2.0"
    ]
    load_scenario_text(text.replace("random:2.0", "random:0.2"), "x.yaml")


# -- text the terminal and the window print ----------------------------------------------------


@pytest.mark.parametrize(
    "name", ['"\\0"', '"\\u200b\\u200b"', '"\\e[31m"', '"\\u202e"', '" \\t "', '"\\u3164"']
)
def test_a_name_that_shows_nothing_is_refused(name: str) -> None:
    text = edited(BASE, "name: East", f"name: {name}")
    assert problems(text) == [
        f"{at(text, name)}: actors[0].name: must show some text (it is empty once invisible "
        "characters are removed)"
    ]


def test_escape_sequences_and_invisible_characters_are_stripped_from_texts() -> None:
    text = edited(BASE, "name: East", 'name: "\\e[2J\\e]0;owned\\aEa\\u200bst\\u202e\\0"')
    text = edited(text, "text: Channels reopen.", 'text: "Channels\\x9b31m\\nreopen.\\e[0m"')
    scenario = load_scenario_text(text, "x.yaml")
    assert scenario.actor_name(0) == "East"
    assert scenario.events[0].text == "Channels\nreopen."


def test_joiners_inside_words_are_kept() -> None:
    text = edited(BASE, "name: East", 'name: "Ea\\u200dst"')
    assert load_scenario_text(text, "x.yaml").actor_name(0) == "Ea\u200dst"


def test_a_name_stays_on_one_line() -> None:
    text = edited(BASE, "name: East", 'name: "Ea\\nst\\u2028x"')
    assert load_scenario_text(text, "x.yaml").actor_name(0) == "Ea st x"


def test_control_characters_in_a_reference_are_escaped_in_the_message() -> None:
    text = edited(BASE, "enable: [east.talk]", 'enable: ["east.\\e[2J"]')
    (line,) = problems(text)
    assert "\x1b" not in line and "\\x1b[2J" in line


@pytest.mark.parametrize("reference", ["\\0", "\\e[2J", "a\\u202eb", "x\\ny"])
def test_a_reference_without_a_dot_is_echoed_on_one_clean_line(reference: str) -> None:
    text = edited(BASE, "enable: [east.talk]", f'enable: ["{reference}"]')
    (line,) = problems(text)
    assert "expected 'actor.variant'" in line
    assert line.isprintable(), repr(line)


# -- many mistakes -----------------------------------------------------------------------------


def test_thousands_of_unknown_variables_stop_after_a_hundred_problems() -> None:
    """Each used to cost a "did you mean" search over every known name."""
    items = "".join(f"    - {{name: N, value: 'unknown_{i} + 1'}}\n" for i in range(3000))
    text = edited(BASE, "  east:\n", "  east:\n" + items)
    lines = problems(text)
    assert len(lines) == 101
    assert lines[-1].endswith(": stopped after 100 problems; fix these first")


def test_unknown_variables_in_a_valid_shape_stop_after_a_hundred_problems_too() -> None:
    events = "".join(
        f"  - {{id: e{i}, when: 'a{i} > 1', headline: H, text: T,"
        f" effects: {{tension: 'b{i}', actors: {{west: {{pressure: 'c{i}'}}}}}}}}\n"
        for i in range(64)
    )
    text = edited(BASE, "events:\n", "events:\n" + events)
    lines = problems(text)
    assert len(lines) == 101
    assert lines[-1].endswith(": stopped after 100 problems; fix these first")


def test_a_very_long_unknown_name_gets_no_suggestion_but_a_list() -> None:
    name = "pressur" + "e" * 400
    text = edited(BASE, 'available_if: "turn >= 1"', f'available_if: "{name} > 1"')
    (line,) = problems(text)
    assert "did you mean" not in line and "known variables:" in line


def test_an_id_the_schema_refuses_is_not_listed_among_known_variables() -> None:
    """A 900 KB actor id once came back in full in the list of known variables."""
    long_id = "a" * 5000  # its variables sort first among the known names
    text = edited(BASE, "  - id: east\n", f"  - id: {long_id}\n")
    text = edited(text, "  - id: turn_limit\n", "  - id: turn_limit\n    when: nope > 1\n")
    lines = problems(text)
    assert any("unknown variable 'nope'" in line for line in lines)
    assert all(len(line) < 1000 for line in lines)
