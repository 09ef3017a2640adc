"""Model 2's rules, each shown on a small scenario built for it: acts reach their targets only,
allies are spared, stocks run out with a reason, repeats wear off, over-answering costs, an
exchange closes on the last word, lasting measures hold tension up, and reversals are moves.

Every number checked here is one the rules compute and the engine reports; the tests play moves
through the public surface (`Engine.step`, `legal`, `legal_targets`, `why_not`).
"""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.engine import Engine, IllegalMove
from game.engine.records import turn_record
from game.engine.state import State
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario_text

BLOC = """\
metadata:
  id: bloc
  title: A bloc and its adversary
  summary: Two allies and one adversary, to check whom each act reaches.
  start_date: 2021-04-01
  days_per_turn: 7
  max_turns: 10
  player_actor: cze

tension_bands:
  - {name: calm, up_to: 50}
  - {name: crisis, up_to: 100}

model:
  baseline: 20
  relax: 0
  reaction: 0
  escalation: 0
  grievance_decay: 0
  grievance_decay_waiting: 0
  pressure_from_grievance: 0
  pressure_relax: 0
  wait_pressure: 0
  standing_relax: 0
  shock_tension: 0
  shock_pressure: 0
  answer_credibility: 0
  restraint_forgives: 0

pairs:
  - {between: [cze, rus], tension: 60, baseline: 40}
  - {between: [cze, svk], tension: 10, baseline: 10}

alignments:
  - {name: EU, members: [cze, svk]}

actors:
  - id: cze
    name: Czechia
    capital: Prague
    leader: The Prime Minister
    colour: "#112233"
    start: {diplomats: 20, consulates: 1, properties: 2}
    actions:
      retaliate:
        - id: expel
          label: Expel
          description: Send diplomats of the chosen side home.
          severity: 5
          effects: {tension: 10, expel: 8, seize_properties: 1, lasting: 2, other: {pressure: 5}}
          headlines: ["{capital} expels {n} diplomats of {target}"]
        - id: close
          label: Close a consulate
          description: Close a consulate of the adversaries.
          target: adversaries
          severity: 4
          effects: {tension: 6, close_consulates: 1}
          headlines: ["{capital} closes a consulate of {target}"]
      restrain:
        - id: talk
          label: Talk
          description: Talk to whoever hit hardest.
          effects: {tension: -3}
          headlines: ["{capital} talks to {target_capital}"]
        - id: give_back
          label: Give back property
          description: Hand back what was seized.
          target: rus
          effects: {return_properties: 1, lasting: -5}
          headlines: ["{capital} hands property back to {target}"]
      wait:
        - id: hold
          label: Hold
          description: Hold.
          headlines: ["{capital} waits"]
  - id: svk
    name: Slovakia
    capital: Bratislava
    leader: The President
    colour: "#445566"
    start: {diplomats: 20}
    actions:
      retaliate:
        - id: solidarity
          label: Expel in solidarity
          description: Expel diplomats of the bloc's adversary.
          target: adversaries
          severity: 3
          effects: {tension: 5, expel: 3}
          headlines: ["{capital} expels {n} in solidarity"]
      wait:
        - id: hold
          label: Hold
          description: Hold.
          headlines: ["{capital} waits"]
  - id: rus
    name: Russia
    capital: Moscow
    leader: The President
    colour: "#778899"
    start: {diplomats: 20, consulates: 2, properties: 2}
    actions:
      retaliate:
        - id: expel
          label: Expel
          description: Expel diplomats of the chosen side.
          severity: 5
          effects: {tension: 10, expel: 8, seize_properties: 1}
          headlines: ["{capital} expels {n} diplomats of {target}"]
        - id: everyone
          label: Expel from everyone
          description: Expel from every other capital.
          target: everyone
          severity: 2
          effects: {tension: 2, expel: 1}
          headlines: ["{capital} expels diplomats of {target}"]
      wait:
        - id: hold
          label: Hold
          description: Hold.
          headlines: ["{capital} waits"]

outcomes:
  - {id: turn_limit, title: Over, text: The crisis runs its course.}

scoring:
  cze: [{name: Standing, value: standing}]
  svk: [{name: Standing, value: standing}]
  rus: [{name: Standing, value: standing}]
"""

CZE, SVK, RUS = 0, 1, 2


def bloc_text(**model: float) -> str:
    """The scenario with some model coefficients changed or added."""
    text = BLOC
    for name, value in model.items():
        line = f"  {name}: {value}\n"
        existing = f"  {name}: 0\n"
        text = (
            text.replace(existing, line)
            if existing in text
            else text.replace("model:\n", "model:\n" + line, 1)
        )
    return text


def bloc(**model: float) -> CompiledScenario:
    return load_scenario_text(bloc_text(**model), "bloc.yaml")


@pytest.fixture(scope="module")
def scenario() -> CompiledScenario:
    return bloc()


def moves(sc: CompiledScenario, **chosen: str) -> np.ndarray:
    """One game's moves: every actor holds unless told otherwise."""
    row = [sc.variant_index(a, "hold") for a in range(sc.n_actors)]
    for actor_id, variant in chosen.items():
        actor = sc.actor_index(actor_id)
        row[actor] = sc.variant_index(actor, variant)
    return np.array([row])


def play(
    engine: Engine, state: State, targets: dict[str, str] | None = None, **chosen: str
) -> State:
    sc = engine.scenario
    aims = np.full((1, sc.n_actors), -1)
    for actor_id, target_id in (targets or {}).items():
        aims[0, sc.actor_index(actor_id)] = sc.actor_index(target_id)
    after, _ = engine.step(state, moves(sc, **chosen), targets=aims)
    return after


def test_pairs_start_at_their_own_tension_and_baseline(scenario: CompiledScenario) -> None:
    state = Engine(scenario).new_games(1)
    assert state.tension[0, CZE, RUS] == 60 and state.tension[0, CZE, SVK] == 10
    assert state.tension[0, SVK, RUS] == 20  # the model's baseline
    assert state.resting[0, CZE, RUS] == 40 and state.resting[0, SVK, RUS] == 20


def test_an_act_reaches_its_target_only(scenario: CompiledScenario) -> None:
    engine = Engine(scenario)
    start = engine.new_games(1)
    after = play(engine, start, targets={"cze": "rus"}, cze="expel")
    assert after.tension[0, CZE, RUS] == 70  # +10, tension between the two only
    assert after.tension[0, CZE, SVK] == 10  # the ally is spared
    assert after.diplomats[0, RUS, CZE] == 12 and after.diplomats[0, SVK, CZE] == 20
    assert after.grievance[0, RUS, CZE] == 5 and after.grievance[0, SVK, CZE] == 0
    assert after.gauges[0, RUS, 0] == start.gauges[0, RUS, 0] + 5
    assert after.gauges[0, SVK, 0] == start.gauges[0, SVK, 0]
    assert after.resting[0, CZE, RUS] == 42 and after.resting[0, CZE, SVK] == 10
    assert engine.aimed_at(after, 0, CZE) == [RUS]


def test_a_group_target_spares_allies_and_a_solidarity_act_is_its_own(
    scenario: CompiledScenario,
) -> None:
    engine = Engine(scenario)
    after = play(engine, engine.new_games(1), svk="solidarity")
    assert after.tension[0, SVK, RUS] == 25 and after.tension[0, SVK, CZE] == 10
    assert after.diplomats[0, RUS, SVK] == 17 and after.diplomats[0, CZE, SVK] == 20
    everyone = play(engine, engine.new_games(1), rus="everyone")
    assert everyone.diplomats[0, CZE, RUS] == 19 and everyone.diplomats[0, SVK, RUS] == 19


def test_the_rules_aim_at_whoever_hit_hardest(scenario: CompiledScenario) -> None:
    engine = Engine(scenario)
    calm = play(engine, engine.new_games(1), cze="talk")  # nobody hit Czechia: an adversary
    assert engine.aimed_at(calm, 0, CZE) == [RUS]
    hit = play(engine, engine.new_games(1), targets={"cze": "svk"}, cze="expel")
    answer = play(engine, hit, svk="hold")  # the ally that hit it comes before the adversary
    assert engine.aimed_at(answer, 0, SVK) == [CZE]


def test_only_legal_targets_can_be_chosen(scenario: CompiledScenario) -> None:
    engine = Engine(scenario)
    state = engine.new_games(1)
    expel = scenario.variant_index(CZE, "expel")
    assert engine.legal_targets(state, 0, CZE, expel).tolist() == [False, True, True]
    with pytest.raises(IllegalMove, match="set by the scenario"):
        play(engine, state, targets={"cze": "rus"}, cze="close")


def test_an_exhausted_stock_takes_the_rung_away_with_a_reason(scenario: CompiledScenario) -> None:
    engine = Engine(scenario)
    state = engine.new_games(1)
    close = scenario.variant_index(CZE, "close")
    assert engine.legal(state)[0, CZE, close]
    state = play(engine, state, cze="close")
    state = play(engine, state, cze="close")
    assert state.consulates[0, RUS, CZE] == 0
    assert not engine.legal(state)[0, CZE, close]
    reason = engine.why_not(state, 0, CZE, close)
    assert reason is not None and "consulates" in reason
    with pytest.raises(IllegalMove, match="consulates"):
        play(engine, state, cze="close")


def test_a_cap_cuts_local_staff_first_and_counts_everyone_sent_home() -> None:
    text = bloc_text().replace(
        "start: {diplomats: 20, consulates: 2, properties: 2}",
        "start: {diplomats: 20, staff: 30, consulates: 2, properties: 2}",
    )
    text = text.replace(
        "effects: {tension: 10, expel: 8, seize_properties: 1, lasting: 2, other: {pressure: 5}}",
        "effects: {tension: 10, cap: 25, lasting: 2}",
    )
    sc = load_scenario_text(text, "cap.yaml")
    engine = Engine(sc)
    state = engine.new_games(1)
    aims = np.array([[RUS, -1, -1]])
    after, report = engine.step(state, moves(sc, cze="expel"), targets=aims)
    assert after.staff[0, RUS, CZE] == 5 and after.diplomats[0, RUS, CZE] == 20
    assert report.expelled[0, CZE] == 25
    capped = sc.variant_index(CZE, "expel")
    assert not engine.legal_targets(after, 0, CZE, capped)[RUS]  # within the ceiling now
    assert "within the ceiling" in engine.why_not_target(after, 0, CZE, capped, RUS)
    record = turn_record(sc, state, after, report)
    assert record.moves[0].targets == ["rus"]


def test_returning_property_reverses_a_lasting_measure_but_not_below_the_baseline(
    scenario: CompiledScenario,
) -> None:
    engine = Engine(scenario)
    state = engine.new_games(1)
    give_back = scenario.variant_index(CZE, "give_back")
    assert not engine.legal(state)[0, CZE, give_back]  # nothing seized yet
    seized = play(engine, state, targets={"cze": "rus"}, cze="expel")
    assert seized.resting[0, CZE, RUS] == 42
    assert seized.properties[0, RUS, CZE] == 1
    assert engine.legal(seized)[0, CZE, give_back]
    returned = play(engine, seized, cze="give_back")
    assert returned.properties[0, RUS, CZE] == 2
    assert returned.resting[0, CZE, RUS] == 40  # back to the pre-crisis baseline, not 37


def test_repeats_wear_off() -> None:
    engine = Engine(bloc(repeat_effect=0.5))
    state = engine.new_games(1)
    first = play(engine, state, targets={"cze": "rus"}, cze="expel")
    second = play(engine, first, targets={"cze": "rus"}, cze="expel")
    assert first.tension[0, CZE, RUS] - state.tension[0, CZE, RUS] == 10
    assert second.tension[0, CZE, RUS] - first.tension[0, CZE, RUS] == 5
    assert second.grievance[0, RUS, CZE] - first.grievance[0, RUS, CZE] == 2.5


def test_over_answering_costs_credibility_and_adds_tension() -> None:
    engine = Engine(bloc(overreach_credibility=1, overreach_tension=1))
    state = engine.new_games(1)
    # Russia hits Czechia with severity 5; Czechia answers with severity 5 and closes a
    # consulate (4) too much: the closure answers nothing.
    hit = play(engine, state, targets={"rus": "cze"}, rus="expel")
    answered = play(engine, hit, targets={"cze": "rus"}, cze="expel")
    assert answered.gauges[0, CZE, 1] == hit.gauges[0, CZE, 1]  # in proportion: no cost
    over = play(engine, answered, cze="close")
    assert over.gauges[0, CZE, 1] == answered.gauges[0, CZE, 1] - 4
    assert over.tension[0, CZE, RUS] == answered.tension[0, CZE, RUS] + 6 + 4


def test_credibility_gains_shrink_near_the_top() -> None:
    flat = Engine(bloc(answer_credibility=1))
    room = Engine(bloc(answer_credibility=1, credibility_headroom=1))
    gains = []
    for engine in (flat, room):
        hit = play(engine, engine.new_games(1), targets={"rus": "cze"}, rus="expel")
        answer = play(engine, hit, targets={"cze": "rus"}, cze="expel")
        gains.append(answer.gauges[0, CZE, 1] - hit.gauges[0, CZE, 1])
    assert gains[0] == 5 and gains[1] == pytest.approx(5 * (1 - 0.6))


def test_the_last_word_settles_an_exchange() -> None:
    kept = Engine(bloc())
    settles = Engine(bloc(last_word=0.5))
    results = []
    for engine in (kept, settles):
        hit = play(engine, engine.new_games(1), targets={"rus": "cze"}, rus="expel")
        quiet = play(engine, hit)  # Czechia does not answer, Russia makes no new act
        results.append(quiet.grievance[0, CZE, RUS])
    assert results == [5, 2.5]


def test_tension_settles_toward_the_resting_level_lasting_measures_leave() -> None:
    engine = Engine(bloc(relax=0.5))
    state = play(engine, engine.new_games(1), targets={"cze": "rus"}, cze="expel")
    for _ in range(8):
        state = play(engine, state)
    assert state.tension[0, CZE, RUS] == pytest.approx(42, abs=0.5)
    assert state.tension[0, CZE, SVK] == pytest.approx(10, abs=0.5)


def test_headlines_name_the_target(scenario: CompiledScenario) -> None:
    engine = Engine(scenario)
    state = engine.new_games(1)
    after, report = engine.step(
        state, moves(scenario, cze="expel"), targets=np.array([[RUS, -1, -1]])
    )
    record = turn_record(scenario, state, after, report)
    assert "Prague expels 8 diplomats of Russia" in record.headlines


def test_outcome_progress_counts_the_turns_a_condition_has_held() -> None:
    text = bloc_text().replace(
        "  - {id: turn_limit, title: Over, text: The crisis runs its course.}",
        "  - {id: thaw, title: Thaw, text: Calm., when: 'tension_cze_svk <= 10', for_turns: 3}\n"
        "  - {id: turn_limit, title: Over, text: The crisis runs its course.}",
    )
    sc = load_scenario_text(text, "thaw.yaml")
    engine = Engine(sc)
    state = play(engine, engine.new_games(1))
    (thaw,) = engine.outcome_progress(state)
    assert (thaw.holds, thaw.turns_left) == (True, 2)
    state = play(engine, state)
    assert engine.outcome_progress(state)[0].turns_left == 1


def refusals(text: str) -> list[str]:
    from game.errors import ScenarioError

    try:
        load_scenario_text(text, "bloc.yaml")
    except ScenarioError as error:
        return [p.message for p in error.problems]
    return []


def test_a_side_whose_only_sure_move_can_run_out_is_refused() -> None:
    """Slovakia's hold is its only move without conditions; make it expel, and a game could
    leave Slovakia with nothing legal once Russia's diplomats are gone."""
    text = bloc_text().replace(
        '          description: Hold.\n          headlines: ["{capital} waits"]\n  - id: rus',
        "          description: Hold.\n          effects: {expel: 1}\n"
        '          headlines: ["{capital} waits"]\n  - id: rus',
    )
    assert text != bloc_text()
    assert any("'svk' needs at least one variant" in m for m in refusals(text))


def test_a_group_that_is_always_empty_is_refused() -> None:
    text = bloc_text().replace(
        "          target: adversaries\n          severity: 3",
        "          target: allies\n          severity: 3",
    )
    assert refusals(text) == []  # Slovakia has an ally: Czechia
    lonely = bloc_text().replace(
        "          description: Expel diplomats of the chosen side.\n",
        "          description: Expel diplomats of the chosen side.\n          target: allies\n",
    )
    assert "this actor has no allies: add an alignment" in refusals(lonely)


def test_an_opening_target_needs_a_variant_whose_target_is_picked() -> None:
    text = bloc_text().replace(
        "alignments:", "opening:\n  - {actor: cze, variant: close, target: rus}\n\nalignments:"
    )
    assert any("target is set in the scenario" in m for m in refusals(text))
    chosen = bloc_text().replace(
        "alignments:", "opening:\n  - {actor: cze, variant: expel, target: svk}\n\nalignments:"
    )
    engine = Engine(load_scenario_text(chosen, "bloc.yaml"))
    assert engine.aimed_at(engine.new_games(1), 0, CZE) == [SVK]


def test_every_blow_of_the_opening_is_there_to_answer() -> None:
    text = bloc_text().replace(
        "alignments:",
        "opening:\n  - {actor: cze, variant: expel, target: rus}\n"
        "  - {actor: svk, variant: solidarity}\n\nalignments:",
    )
    engine = Engine(load_scenario_text(text, "bloc.yaml"))
    state = engine.new_games(1)
    assert state.hit[0, RUS, CZE] == 5 and state.hit[0, RUS, SVK] == 3
    assert state.received[0, RUS] == 8
