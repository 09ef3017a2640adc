"""The three-capital worked example (scenarios/worked_example_three.yaml) plays by the rules of
targeted acts that docs/scenario-format.md states: a move reaches its targets and no one else, an
ally's solidarity touches only its own pair with the adversary, a ladder of measures shortens as
its stocks run out (and says why), a target the player picks takes the blow alone, strategies
answer only blows aimed at them, and games that run out end in the outcome marked
`at_turn_limit`.

Each test plays one turn or a few from the opening, through the engine's public surface. Where
random shocks could blur a comparison, a move is compared with a quiet move in the same game
(same seed, same turn): the shocks are drawn alike, so whatever the move does not reach comes out
exactly equal.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import SCENARIOS, decide, scenario_file

from game.engine.engine import Engine, IllegalMove
from game.engine.rules import CAUSE_PARTS
from game.engine.state import CREDIBILITY, PRESSURE, STANDING, State
from game.match import play_batch
from game.scenario.compiled import RETALIATE, CompiledScenario
from game.strategies.registry import make_strategy

EXAMPLE = SCENARIOS / "worked_example_three.yaml"
QUIET = {"vst": "keep_channels", "ost": "wait_for_a_line", "bor": "promise_an_answer"}
"""A move for each actor that changes no tension and hits no one (Vestria's is aimed at Borea
explicitly, so that it cannot touch the allies' pair)."""
SEED = 5


@pytest.fixture(scope="module")
def sc() -> CompiledScenario:
    return scenario_file(EXAMPLE)


@pytest.fixture(scope="module")
def engine(sc: CompiledScenario) -> Engine:
    return Engine(sc)


@pytest.fixture(scope="module")
def ids(sc: CompiledScenario) -> dict[str, int]:
    return {actor_id: sc.actor_index(actor_id) for actor_id in ("vst", "ost", "bor")}


def play(
    engine: Engine, state: State, targets: dict[str, str] | None = None, **moves: str
) -> tuple[State, object]:
    """One turn of game 0: each actor plays the variant named in `moves`, else its quiet move;
    `targets` aims `choose` moves (Vestria's quiet move always goes to Borea)."""
    sc = engine.scenario
    chosen = {**QUIET, **moves}
    aims = {"vst": "bor"} if chosen["vst"] == "keep_channels" else {}
    aims.update(targets or {})
    actions = np.zeros((1, sc.n_actors), dtype=np.int64)
    aimed = np.full((1, sc.n_actors), -1, dtype=np.int64)
    for actor_id, variant_id in chosen.items():
        actor = sc.actor_index(actor_id)
        actions[0, actor] = sc.variant_index(actor, variant_id)
        if actor_id in aims:
            aimed[0, actor] = sc.actor_index(aims[actor_id])
    return engine.step(state, actions, targets=aimed)


def variant(sc: CompiledScenario, actor_id: str, variant_id: str) -> tuple[int, int]:
    actor = sc.actor_index(actor_id)
    return actor, sc.variant_index(actor, variant_id)


def test_the_example_validates_without_warnings_and_declares_its_blocs(
    sc: CompiledScenario, ids: dict[str, int]
) -> None:
    assert sc.warnings == ()
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    assert sc.allied[vst, ost] and sc.allied[ost, vst]
    assert not sc.allied[vst, bor] and not sc.allied[ost, bor]
    assert "turn_limit" not in [outcome.id for outcome in sc.outcomes]


def test_pairs_start_at_their_own_tension_and_rest_at_their_own_baseline(
    engine: Engine, ids: dict[str, int]
) -> None:
    blank = engine.blank_games(SEED)
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    assert blank.tension[0, vst, bor] == blank.tension[0, bor, vst] == 45
    assert blank.tension[0, ost, bor] == 30
    assert blank.tension[0, vst, ost] == 10
    assert blank.resting[0, vst, bor] == 20 and blank.resting[0, vst, ost] == 10
    opened = engine.new_games(SEED)
    # The opening expulsion is aimed at Borea: its lasting effect moves that pair only.
    assert opened.resting[0, vst, bor] == opened.resting[0, bor, vst] == 22
    assert opened.resting[0, ost, bor] == 20 and opened.resting[0, vst, ost] == 10
    assert opened.tension[0, ost, bor] == 30 and opened.tension[0, vst, ost] == 10
    assert opened.grievance[0, bor, vst] == 7 and opened.grievance[0, ost, vst] == 0


def test_an_act_aimed_at_the_adversary_leaves_the_allies_pair_alone(
    engine: Engine, ids: dict[str, int]
) -> None:
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    start = engine.new_games(SEED)
    quiet, _ = play(engine, start)
    expelled, _ = play(engine, start, vst="expel_officers")

    assert engine.aimed_at(expelled, 0, vst) == [bor]
    assert expelled.tension[0, vst, ost] == quiet.tension[0, vst, ost]
    assert expelled.tension[0, ost, bor] == quiet.tension[0, ost, bor]
    assert expelled.tension[0, vst, bor] > quiet.tension[0, vst, bor] + 5
    # Only Borea suffers it: its diplomats, its grievance, its pressure.
    assert expelled.diplomats[0, bor, vst] == start.diplomats[0, bor, vst] - 6
    assert expelled.diplomats[0, ost, vst] == start.diplomats[0, ost, vst]
    assert expelled.grievance[0, bor, vst] > quiet.grievance[0, bor, vst]
    assert expelled.grievance[0, ost, vst] == quiet.grievance[0, ost, vst] == 0
    assert expelled.gauges[0, bor, PRESSURE] > quiet.gauges[0, bor, PRESSURE]
    for gauge in (PRESSURE, CREDIBILITY, STANDING):
        assert expelled.gauges[0, ost, gauge] == quiet.gauges[0, ost, gauge]


def test_a_solidarity_expulsion_raises_only_the_allys_tension_with_the_adversary(
    engine: Engine, ids: dict[str, int]
) -> None:
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    start = engine.new_games(SEED)
    quiet, _ = play(engine, start)
    solidarity, report = play(engine, start, ost="expel_in_solidarity")

    assert engine.aimed_at(solidarity, 0, ost) == [bor]  # 'adversaries': Borea, not Vestria
    assert solidarity.tension[0, ost, bor] > quiet.tension[0, ost, bor] + 3
    assert solidarity.tension[0, vst, bor] == quiet.tension[0, vst, bor]
    assert solidarity.tension[0, vst, ost] == quiet.tension[0, vst, ost]
    assert solidarity.diplomats[0, bor, ost] == start.diplomats[0, bor, ost] - 3
    assert int(report.expelled[0, ost]) == 3
    assert solidarity.grievance[0, bor, ost] > 0 == quiet.grievance[0, bor, ost]
    assert solidarity.grievance[0, bor, vst] == quiet.grievance[0, bor, vst]
    assert solidarity.grievance[0, vst, ost] == 0
    assert solidarity.resting[0, ost, bor] == start.resting[0, ost, bor] + 1
    assert solidarity.resting[0, vst, bor] == start.resting[0, vst, bor]


def test_an_exhausted_consulate_takes_the_rung_off_the_table_and_says_why(
    engine: Engine, sc: CompiledScenario, ids: dict[str, int]
) -> None:
    vst, bor = ids["vst"], ids["bor"]
    _, close = variant(sc, "vst", "close_consulate")
    _, expel = variant(sc, "vst", "expel_officers")
    start = engine.new_games(SEED)
    assert start.consulates[0, bor, vst] == 1
    assert engine.legal(start)[0, vst, close]
    assert engine.why_not(start, 0, vst, close) is None

    after, _ = play(engine, start, vst="close_consulate")
    assert after.consulates[0, bor, vst] == 0
    legal = engine.legal(after)
    assert not legal[0, vst, close]
    assert legal[0, vst, expel]  # the other rungs stay
    assert not engine.legal_targets(after, 0, vst, close).any()
    reason = engine.why_not(after, 0, vst, close)
    assert reason is not None and "no consulates left" in reason
    assert engine.why_not_target(after, 0, vst, close, bor) == (
        "Borea has no consulates left in Vestria."
    )
    with pytest.raises(IllegalMove, match="Close the consulate in Kesten"):
        play(engine, after, vst="close_consulate")


def test_a_chosen_target_takes_the_blow_alone(engine: Engine, ids: dict[str, int]) -> None:
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    start = engine.new_games(SEED)
    quiet, _ = play(engine, start)
    at_ostrania, _ = play(engine, start, targets={"bor": "ost"}, bor="expel_in_kind")
    by_default, _ = play(engine, start, bor="expel_in_kind")

    assert engine.aimed_at(at_ostrania, 0, bor) == [ost]
    assert at_ostrania.diplomats[0, ost, bor] == start.diplomats[0, ost, bor] - 3
    assert at_ostrania.diplomats[0, vst, bor] == start.diplomats[0, vst, bor]
    assert at_ostrania.hit[0, ost, bor] == 5 and at_ostrania.hit[0, vst, bor] == 0
    assert at_ostrania.tension[0, ost, bor] > quiet.tension[0, ost, bor]
    assert at_ostrania.tension[0, vst, bor] == quiet.tension[0, vst, bor]
    assert at_ostrania.tension[0, vst, ost] == quiet.tension[0, vst, ost]
    # Left to the rules, the move goes to whoever hit Borea hardest: Vestria, in the opening.
    assert engine.aimed_at(by_default, 0, bor) == [vst]
    assert by_default.diplomats[0, vst, bor] == start.diplomats[0, vst, bor] - 3
    assert by_default.diplomats[0, ost, bor] == start.diplomats[0, ost, bor]


def test_a_target_cannot_be_given_to_a_move_whose_target_is_fixed(engine: Engine) -> None:
    start = engine.new_games(SEED)
    with pytest.raises(IllegalMove, match="its target is set by the scenario"):
        play(engine, start, targets={"bor": "ost"}, bor="expel_twenty")


def test_legal_targets_list_only_actors_with_something_left(
    engine: Engine, sc: CompiledScenario, ids: dict[str, int]
) -> None:
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    _, expel = variant(sc, "bor", "expel_in_kind")
    state = engine.new_games(SEED)
    options = engine.legal_targets(state, 0, bor, expel)
    assert options[vst] and options[ost] and not options[bor]

    for _ in range(2):  # Ostrania has six diplomats in Borea; three go each time
        state, _ = play(engine, state, targets={"bor": "ost"}, bor="expel_in_kind")
    assert state.diplomats[0, ost, bor] == 0
    options = engine.legal_targets(state, 0, bor, expel)
    assert options[vst] and not options[ost]
    assert engine.legal(state)[0, bor, expel]  # Vestria is still a target
    with pytest.raises(IllegalMove, match="No diplomats of Ostrania are left in Borea to expel"):
        play(engine, state, targets={"bor": "ost"}, bor="expel_in_kind")


def test_a_move_aimed_at_adversaries_reaches_each_one_with_staff_then_runs_out(
    engine: Engine, sc: CompiledScenario, ids: dict[str, int]
) -> None:
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    _, ban = variant(sc, "bor", "ban_local_staff")
    start = engine.new_games(SEED)
    reach = engine.legal_targets(start, 0, bor, ban)
    assert reach[vst] and reach[ost] and not reach[bor]

    after, report = play(engine, start, bor="ban_local_staff")
    assert engine.aimed_at(after, 0, bor) == [vst, ost]
    assert after.staff[0, vst, bor] == 0 and after.staff[0, ost, bor] == 0
    assert int(report.expelled[0, bor]) == start.staff[0, vst, bor] + start.staff[0, ost, bor]
    assert after.grievance[0, vst, bor] > 0 and after.grievance[0, ost, bor] > 0
    assert not engine.legal(after)[0, bor, ban]
    assert engine.why_not(after, 0, bor, ban) == (
        "Vestria has no local staff left in Borea. Ostrania has no local staff left in Borea."
    )


def test_a_pair_shock_moves_only_its_pair(
    engine: Engine, sc: CompiledScenario, ids: dict[str, int]
) -> None:
    """The charges (an event dated for turn 3) raise Vestria and Borea's tension and resting
    tension; the causes show the event's part in that pair alone."""
    vst, ost, bor = ids["vst"], ids["ost"], ids["bor"]
    charged = next(e.index for e in sc.events if e.id == "officers_charged")
    state, report = play(engine, engine.new_games(SEED))
    assert not report.fired[0, charged]
    before = state
    state, report = play(engine, state)
    assert report.fired[0, charged]
    assert state.resting[0, vst, bor] == before.resting[0, vst, bor] + 2
    assert state.resting[0, ost, bor] == before.resting[0, ost, bor]
    assert state.resting[0, vst, ost] == before.resting[0, vst, ost]
    n = sc.n_actors
    events = n + CAUSE_PARTS.index("events")
    lines = {
        (i, j): line
        for line, (i, j) in enumerate((i, j) for i in range(n) for j in range(i + 1, n))
    }
    assert report.causes[0, lines[min(vst, bor), max(vst, bor)], events] == 5
    assert report.causes[0, lines[min(ost, bor), max(ost, bor)], events] == 0
    assert report.causes[0, lines[min(vst, ost), max(vst, ost)], events] == 0


def test_tit_for_tat_answers_only_a_blow_aimed_at_it(
    engine: Engine, sc: CompiledScenario, ids: dict[str, int]
) -> None:
    """Borea expels twenty Vestrians: Vestria's tit-for-tat answers, Ostrania's does not."""
    state, _ = play(engine, engine.new_games(SEED), bor="expel_twenty")
    tit_for_tat = make_strategy("tit_for_tat")
    for actor_id, answers in (("vst", True), ("ost", False)):
        chosen = int(decide(sc, tit_for_tat, state, actor_id)[0])
        kind = sc.variant(ids[actor_id], chosen).kind
        assert (kind == RETALIATE) == answers, actor_id


def test_games_that_run_out_end_in_the_at_turn_limit_outcome(
    engine: Engine, sc: CompiledScenario
) -> None:
    """Everyone waits: nothing breaks or thaws, and every game ends at turn 12 in a cold peace."""
    waiting = [make_strategy("always_wait") for _ in range(sc.n_actors)]
    final = play_batch(engine, waiting, seed=1, batch=8)
    assert final.over.all()
    assert (final.turn == sc.max_turns).all()
    assert {engine.outcome_id(final, game) for game in range(final.batch)} == {"cold_peace"}
