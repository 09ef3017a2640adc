"""Each strategy's behaviour, stated as the moves it makes against a scripted opponent.

Most sequences are played in the duel (helpers.DUEL_YAML: two sides, no randomness, no early
ending), where each side has two retaliations (strike, severity 6; jab, severity 2), two
restraints (talk, apologise) and one wait (hold), and a scheduled summit, where b's leader hands
over to a successor, fires before turn 5.
Sequences are written with `seq`: 'res ret*3' is restrain, then retaliate three times.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import (
    DUEL_YAML,
    ScriptedGames,
    decide,
    play_against_script,
    seq,
    versus,
)

from game.engine.engine import Engine
from game.engine.state import State
from game.match import play_batch, play_out, prepare
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT, CompiledScenario
from game.scenario.load import load_scenario_text
from game.strategies.lookahead import Lookahead
from game.strategies.reciprocity import GenerousTitForTat
from game.strategies.registry import STRATEGY_NAMES, UnknownStrategy, make_strategy

SCRIPTS = [
    "res*6",
    "ret*6",
    "wait*6",
    "res ret ret res ret res res",
    "ret res ret res ret res",
    "wait ret wait res ret ret",
]


def variant_ids(sc: CompiledScenario, actor: int, played: ScriptedGames, game: int = 0) -> list:
    return [sc.variant(actor, int(v)).id for v in played.variants[game] if v >= 0]


# -- strategies that ignore the other side -----------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(
    ("name", "token"),
    [("always_retaliate", "ret"), ("always_restrain", "res"), ("always_wait", "wait")],
)
def test_always_strategies_play_one_kind_whatever_happens(
    duel: CompiledScenario, name: str, token: str, script: str
) -> None:
    assert versus(duel, make_strategy(name), script) == [token] * len(seq(script))


def test_always_retaliate_answers_in_proportion_to_the_latest_blow(duel: CompiledScenario) -> None:
    """The retaliation whose severity is closest to the one suffered: strike (6) or jab (2)."""
    played = play_against_script(
        duel, make_strategy("always_retaliate"), ["talk", "strike", "jab", "strike", "hold"]
    )
    # Turn 1: nothing suffered yet (0 is closer to 2); then it answers the previous turn's blow.
    assert variant_ids(duel, 0, played) == ["jab", "jab", "strike", "jab", "strike"]


def test_restraint_and_waiting_use_the_first_legal_variant_listed(duel: CompiledScenario) -> None:
    restrained = play_against_script(duel, make_strategy("always_restrain"), "ret res wait")
    assert variant_ids(duel, 0, restrained) == ["talk"] * 3
    waited = play_against_script(duel, make_strategy("always_wait"), "ret res wait")
    assert variant_ids(duel, 0, waited) == ["hold"] * 3


# -- the tit-for-tat family ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "script", "expected"),
    [
        ("tit_for_tat", "res*4", "res*4"),
        ("tit_for_tat", "ret*4", "res ret*3"),
        ("tit_for_tat", "res ret ret res ret res res", "res res ret ret res ret res"),
        ("tit_for_tat", "wait wait ret wait", "res res res ret"),
        ("generous_tit_for_tat:0", "res ret ret res ret res res", "res res ret ret res ret res"),
        ("tit_for_two_tats", "ret res ret res ret res", "res*6"),
        ("tit_for_two_tats", "res ret ret res ret ret ret res", "res res res ret res res ret ret"),
        ("grim_trigger", "res res res res", "res*4"),
        ("grim_trigger", "res res ret res res res", "res res res ret ret ret"),
        ("grim_trigger", "wait wait wait", "res res res"),
    ],
)
def test_reciprocity_against_scripts(
    duel: CompiledScenario, name: str, script: str, expected: str
) -> None:
    assert versus(duel, make_strategy(name), script) == seq(expected)


def test_generous_tit_for_tat_that_always_forgives_never_retaliates(
    duel: CompiledScenario,
) -> None:
    played = play_against_script(duel, GenerousTitForTat(forgiveness=1.0), "ret*12", batch=20)
    assert (played.kinds == RESTRAIN).all()


def test_generous_tit_for_tat_forgives_about_a_third_of_the_blows(duel: CompiledScenario) -> None:
    """Against constant retaliation, turns 2-7 are each a fresh chance to forgive."""
    played = play_against_script(duel, make_strategy("generous_tit_for_tat"), "ret*7", batch=2000)
    assert (played.kinds[:, 0] == RESTRAIN).all()  # nothing to answer yet
    answers = played.kinds[:, 1:]
    assert np.isin(answers, [RETALIATE, RESTRAIN]).all()
    forgiven = (answers == RESTRAIN).mean()
    assert abs(forgiven - 1 / 3) < 0.03, forgiven  # standard error is about 0.005
    # Forgiveness is drawn per game and per turn, not once for everyone.
    per_turn = (answers == RESTRAIN).mean(axis=0)
    assert (np.abs(per_turn - 1 / 3) < 0.06).all(), per_turn


# -- random ------------------------------------------------------------------------------------


def test_random_with_p_0_never_retaliates_and_with_p_1_always_does(duel: CompiledScenario) -> None:
    never = play_against_script(duel, make_strategy("random:0"), "ret*20", batch=30)
    assert not (never.kinds == RETALIATE).any()
    assert (never.kinds == RESTRAIN).any() and (never.kinds == WAIT).any()
    always = play_against_script(duel, make_strategy("random:1"), "res*20", batch=30)
    assert (always.kinds == RETALIATE).all()
    # The retaliation itself is drawn among the legal ones: both strike and jab appear.
    strike, jab = (duel.variant_index(0, v) for v in ("strike", "jab"))
    share = (always.variants == strike).mean()
    assert (always.variants == jab).any() and 0.35 < share < 0.65, share


def test_random_is_stochastic_but_the_same_for_the_same_seed(duel: CompiledScenario) -> None:
    def kinds(seed: int) -> np.ndarray:
        return play_against_script(duel, make_strategy("random"), "res*30", seed=seed).kinds

    assert np.array_equal(kinds(4), kinds(4))
    assert not np.array_equal(kinds(4), kinds(5))
    many = play_against_script(duel, make_strategy("random"), "res*30", batch=100).kinds
    assert abs((many == RETALIATE).mean() - 0.5) < 0.05
    assert abs((many == RESTRAIN).mean() - 0.25) < 0.05


# -- wait and see ----------------------------------------------------------------------------


def test_wait_and_see_waits_for_the_summit_then_reciprocates(duel: CompiledScenario) -> None:
    """The summit fires after turn 4: four turns of waiting, then tit-for-tat."""
    assert versus(duel, make_strategy("wait_and_see"), "res res res res ret ret res res ret") == (
        seq("wait*4 res ret ret res res")
    )
    # With a horizon of 1 it only waits on the turn right before the summit.
    assert versus(duel, make_strategy("wait_and_see:1"), "ret ret res ret ret res res") == (
        seq("res ret ret wait ret ret res")
    )


def test_wait_and_see_waits_for_the_inauguration_then_reciprocates(
    sc2016: CompiledScenario,
) -> None:
    """Russia waits while the new administration is due (turns 1 and 2), then answers."""
    rus = sc2016.actor_index("rus")
    played = play_against_script(
        sc2016, make_strategy("wait_and_see"), "res res ret res ret", actor=rus
    )
    assert played.tokens() == seq("wait wait res ret res")
    assert variant_ids(sc2016, rus, played)[:2] == ["await_administration"] * 2


# -- the 2016 scenario: the opening expulsion counts as the other side's move -------------------


def test_tit_for_tat_as_russia_answers_the_opening_expulsion(sc2016: CompiledScenario) -> None:
    rus = sc2016.actor_index("rus")
    played = play_against_script(sc2016, make_strategy("tit_for_tat"), "res res ret res", actor=rus)
    assert played.tokens() == seq("ret res res ret")
    # The answer is proportional: the mirror expulsion (severity 7) for the 35 expelled (7).
    assert variant_ids(sc2016, rus, played)[0] == "mirror_expulsion"


def test_tit_for_tat_as_the_us_starts_by_restraining(sc2016: CompiledScenario) -> None:
    usa = sc2016.actor_index("usa")
    played = play_against_script(sc2016, make_strategy("tit_for_tat"), "ret res res", actor=usa)
    assert played.tokens() == seq("res ret res")
    assert variant_ids(sc2016, usa, played)[0] == "keep_channels_open"  # talks need turn 3


def test_grim_trigger_as_russia_never_forgives_the_opening(sc2016: CompiledScenario) -> None:
    played = play_against_script(sc2016, make_strategy("grim_trigger"), "res*4", actor="rus")
    assert played.tokens() == seq("ret*4")


# -- the variant-choice rule (game/strategies/base.py) -----------------------------------------


def with_received(state: State, actor: int, severity: float) -> State:
    received = state.received.copy()
    received[:, actor] = severity
    return state.replace(received=received)


def with_disabled(sc: CompiledScenario, state: State, actor: int, kinds: list[int]) -> State:
    enabled = state.enabled.copy()
    for kind in kinds:
        enabled[:, actor, sc.kind_table[actor] == kind] = False
    return state.replace(enabled=enabled)


def test_retaliation_is_proportional_and_the_first_listed_wins_a_tie(
    sc2016: CompiledScenario,
) -> None:
    rus = sc2016.actor_index("rus")
    mirror, token = (sc2016.variant_index(rus, v) for v in ("mirror_expulsion", "token_expulsion"))
    start = Engine(sc2016).new_games(1)
    strategy = make_strategy("always_retaliate")
    assert decide(sc2016, strategy, with_received(start, rus, 7), rus).tolist() == [mirror]
    assert decide(sc2016, strategy, with_received(start, rus, 4), rus).tolist() == [token]
    assert decide(sc2016, strategy, with_received(start, rus, 3), rus).tolist() == [token]
    assert decide(sc2016, strategy, with_received(start, rus, 6), rus).tolist() == [
        mirror
    ]  # a tie with the consulate closure (severity 5)


def test_restraint_skips_variants_that_are_not_available(sc2016: CompiledScenario) -> None:
    rus = sc2016.actor_index("rus")
    played = play_against_script(sc2016, make_strategy("always_restrain"), "res res", actor=rus)
    # The Kremlin party is only possible on turn 1; then the formal protest comes first.
    assert variant_ids(sc2016, rus, played) == ["kremlin_party", "formal_protest"]


@pytest.mark.parametrize(
    ("name", "missing", "expected"),
    [
        ("always_retaliate", [RETALIATE], WAIT),
        ("always_retaliate", [RETALIATE, WAIT], RESTRAIN),
        ("always_restrain", [RESTRAIN], WAIT),
        ("always_restrain", [RESTRAIN, WAIT], RETALIATE),
        ("always_wait", [WAIT], RESTRAIN),
        ("always_wait", [WAIT, RESTRAIN], RETALIATE),
        ("tit_for_tat", [RESTRAIN], WAIT),
    ],
)
def test_a_missing_kind_falls_back_by_the_documented_order(
    duel: CompiledScenario, name: str, missing: list[int], expected: int
) -> None:
    start = with_disabled(duel, Engine(duel).new_games(0), 0, missing)
    played = play_against_script(duel, make_strategy(name), "res res res", start=start)
    assert (played.kinds == expected).all(), played.kinds


def test_russia_waits_when_no_retaliation_is_left(sc2016: CompiledScenario) -> None:
    """Mirror used, no US diplomats left to expel, no US consulate left to close, no staff cap
    yet: every retaliation is out of stock or unavailable, so Russia waits."""
    rus, usa = sc2016.actor_index("rus"), sc2016.actor_index("usa")
    start = Engine(sc2016).new_games(2)
    uses = start.uses.copy()
    uses[:, rus, sc2016.variant_index(rus, "mirror_expulsion")] = 1
    diplomats = start.diplomats.copy()
    diplomats[:, usa, rus] = 0
    consulates = start.consulates.copy()
    consulates[:, usa, rus] = 0
    start = start.replace(uses=uses, diplomats=diplomats, consulates=consulates)
    chosen = decide(sc2016, make_strategy("always_retaliate"), start, rus)
    assert sc2016.variant(rus, int(chosen[0])).id == "await_administration"


def test_always_wait_cooperates_in_the_prisoners_dilemma(pd: CompiledScenario) -> None:
    """The prisoner's dilemma has no wait: the fallback is restraint, and it is legal."""
    played = play_against_script(pd, make_strategy("always_wait"), "ret res ret", actor="row")
    assert played.tokens() == seq("res res res")
    random = play_against_script(pd, make_strategy("random:0"), "ret*10", batch=5)
    assert (random.kinds == RESTRAIN).all()


# -- every strategy can play any actor -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", [*(n for n in STRATEGY_NAMES if n != "lookahead"), "lookahead:easy"]
)
def test_every_strategy_plays_every_actor_of_a_three_actor_scenario(
    three: CompiledScenario, name: str
) -> None:
    engine = Engine(three)
    for actor in range(three.n_actors):
        strategies = [make_strategy("random") for _ in range(three.n_actors)]
        strategies[actor] = make_strategy(name)
        final = play_batch(engine, strategies, seed=actor, batch=3)  # refuses illegal moves
        assert final.over.all()


# -- lookahead ---------------------------------------------------------------------------------


def settled_2016(
    sc: CompiledScenario,
    seed: int,
    *,
    tension: float,
    pressure: float,
    credibility: float,
    grievance: float,
    received: float,
    resting: float | None = None,
) -> State:
    """Russia before turn 5: the inauguration is past; its gauges and grievance set by hand,
    and, if given, the pair's resting tension (what lasting measures have left behind)."""
    rus, usa = sc.actor_index("rus"), sc.actor_index("usa")
    state = Engine(sc).new_games(seed)
    fired = state.fired.copy()
    for event in sc.events:
        if event.turn is not None and event.turn <= 5:
            fired[:, event.index] = 1
    enabled = state.enabled.copy()
    enabled[:, rus, sc.variant_index(rus, "await_administration")] = False
    gauges = state.gauges.copy()
    gauges[:, rus, :2] = pressure, credibility
    pairs = np.zeros_like(state.tension)
    pairs[:, rus, usa] = pairs[:, usa, rus] = tension
    grievances = np.zeros_like(state.grievance)
    grievances[:, rus, usa] = grievance
    suffered = np.zeros_like(state.received)
    suffered[:, rus] = received
    if resting is not None:
        state = state.replace(resting=np.where(pairs > 0, resting, 0.0))
    return state.replace(
        turn=np.array([4], dtype=np.int32),
        fired=fired,
        enabled=enabled,
        gauges=gauges,
        tension=pairs,
        grievance=grievances,
        received=suffered,
    )


@pytest.mark.parametrize("seed", range(4))
def test_lookahead_restrains_on_the_brink_of_rupture(sc2016: CompiledScenario, seed: int) -> None:
    """At tension 88, with lasting measures piled up and both missions cut, another expulsion
    against tit-for-tat risks rupture: the lookahead holds back (it restrains or waits)."""
    state = settled_2016(
        sc2016, seed, tension=88, pressure=30, credibility=60, grievance=0, received=0, resting=60
    )
    rus, usa = sc2016.actor_index("rus"), sc2016.actor_index("usa")
    diplomats = state.diplomats.copy()
    diplomats[:, rus, usa] = 380
    diplomats[:, usa, rus] = 200
    state = state.replace(diplomats=diplomats)
    chosen = decide(sc2016, Lookahead(noise=0.0), state, "rus", make_strategy("tit_for_tat"))
    assert sc2016.variant(0, int(chosen[0])).kind != RETALIATE


@pytest.mark.parametrize("seed", range(4))
def test_lookahead_retaliates_under_pressure_against_a_pushover(
    sc2016: CompiledScenario, seed: int
) -> None:
    """Pressure 90 and a fresh blow at low tension, against a side that never hits back."""
    state = settled_2016(
        sc2016, seed, tension=32, pressure=90, credibility=40, grievance=7, received=7
    )
    chosen = decide(sc2016, Lookahead(noise=0.0), state, "rus", make_strategy("always_restrain"))
    assert sc2016.variant(0, int(chosen[0])).kind == RETALIATE


def random_states(sc: CompiledScenario, seed: int, turns: int, batch: int) -> State:
    engine = Engine(sc)
    strategies = [make_strategy("random") for _ in range(sc.n_actors)]
    prepare(engine, strategies)
    return play_out(engine, engine.new_games(seed, batch=batch), strategies, max_steps=turns)


@pytest.mark.parametrize("scenario_name", ["sc2016", "three"])
def test_lookahead_picks_only_legal_moves_and_is_deterministic_for_a_seed(
    request: pytest.FixtureRequest, scenario_name: str
) -> None:
    sc: CompiledScenario = request.getfixturevalue(scenario_name)
    engine = Engine(sc)
    for turns in (0, 2, 5):
        state = random_states(sc, seed=turns, turns=turns, batch=6)
        state = state.take(np.flatnonzero(~state.over))
        legal = engine.legal(state)
        for actor in range(sc.n_actors):
            first = decide(sc, make_strategy("lookahead:easy"), state, actor)
            again = decide(sc, make_strategy("lookahead:easy"), state, actor)
            assert legal[np.arange(state.batch), actor, first].all()
            assert np.array_equal(first, again)


def test_whole_lookahead_games_repeat_for_a_seed(sc2016: CompiledScenario) -> None:
    engine = Engine(sc2016)

    def play() -> State:
        strategies = [make_strategy("lookahead:easy"), make_strategy("generous_tit_for_tat")]
        return play_batch(engine, strategies, seed=8, batch=2)

    a, b = play(), play()
    for name, array in a.arrays().items():
        assert np.array_equal(array, getattr(b, name)), name


# -- the registry ------------------------------------------------------------------------------


def test_the_registry_knows_the_command_line_names() -> None:
    assert set(STRATEGY_NAMES) == {
        "always_retaliate",
        "always_restrain",
        "always_wait",
        "tit_for_tat",
        "generous_tit_for_tat",
        "tit_for_two_tats",
        "grim_trigger",
        "random",
        "wait_and_see",
        "lookahead",
    }
    for name in STRATEGY_NAMES:
        strategy = make_strategy(name)
        assert strategy.name == name and strategy.description
    assert make_strategy("lookahead:hard").horizon > make_strategy("lookahead:easy").horizon
    assert make_strategy("random:0.2").p == 0.2


@pytest.mark.parametrize(
    "name", ["nope", "random:2", "random:x", "lookahead:insane", "grim_trigger:1"]
)
def test_unknown_strategies_are_refused_with_a_clear_message(name: str) -> None:
    with pytest.raises(UnknownStrategy) as info:
        make_strategy(name)
    assert name in str(info.value)


def test_wait_and_see_does_not_wait_for_news(duel: CompiledScenario) -> None:
    """A scheduled event that changes nothing in the game (a briefing) is not worth waiting for."""
    quiet = load_scenario_text(
        DUEL_YAML.replace("    effects:\n      actors:\n        b: {leader: Carol}\n", ""), "q.yaml"
    )
    assert not any(event.changes_the_game for event in quiet.events)
    engine = Engine(quiet)
    state = engine.new_games(seed=1)
    assert np.isinf(engine.turns_to_next_scheduled(state)).all()


@pytest.mark.parametrize("scenario", ["duel", "sc2016"])
def test_random_picks_a_legal_move_of_the_kind_it_drew_for_every_legal_set(
    scenario: str, request: pytest.FixtureRequest
) -> None:
    """For every set of legal variants (including none) and many draws, the random strategy
    plays a legal variant; when it may retaliate and p is 1, it retaliates."""
    from game.strategies import fixed
    from game.strategies.base import Situation

    sc: CompiledScenario = request.getfixturevalue(scenario)
    engine = Engine(sc)
    v = sc.n_variants
    masks = (np.arange(2**v)[:, None] >> np.arange(v)) & 1 == 1
    repeats = 40
    state = engine.new_games(seed=9, batch=len(masks) * repeats)
    legal = np.tile(masks, (repeats, 1))
    for p in (0.5, 0.2, 1.0):
        strategy = fixed.RandomKind(p)
        for actor in range(sc.n_actors):
            situation = Situation(engine, state, actor, legal & sc.exists[actor])
            chosen = strategy.choose(situation)
            has_legal = situation.legal.any(axis=1)
            assert situation.legal[np.arange(len(legal)), chosen][has_legal].all()
            can_retaliate = (situation.legal & (sc.kind_table[actor] == RETALIATE)).any(axis=1)
            if p == 1.0:
                kinds = sc.kind_table[actor][chosen]
                assert (kinds[can_retaliate] == RETALIATE).all()
            else:
                assert len(set(chosen[has_legal].tolist())) > 1
