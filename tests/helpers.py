"""Shared test helpers: small scenarios written for tests, and a scripted opponent.

`versus` is the one way the strategy tests play: a strategy for one actor against opponents that
follow a fixed script, returning the strategy's own moves, so that each strategy's behaviour can
be stated as an expected sequence (in the manner of Axelrod's `versus_test`).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.engine.engine import Engine
from game.engine.state import State
from game.match import advance, prepare
from game.scenario.compiled import KINDS, RESTRAIN, RETALIATE, WAIT, CompiledScenario
from game.scenario.load import load_scenario, load_scenario_text
from game.strategies.base import Situation, Strategy, pick_variants
from game.strategies.lookahead import Lookahead
from game.strategies.reciprocity import GenerousTitForTat

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SCENARIO_2016 = SCENARIOS / "expulsion_2016.yaml"
PRISONERS_DILEMMA = SCENARIOS / "prisoners_dilemma.yaml"
THREE_ACTORS_FILE = ROOT / "tests" / "data" / "three_actors.yaml"


def fresh_process_output(code: str) -> str:
    """What `code` prints when run by a new Python process in the checkout: nothing this test
    session compiled or loaded is in it, as at a player's next start."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


TOKENS = {"ret": RETALIATE, "res": RESTRAIN, "wait": WAIT}
"""Short names for the kinds in expected sequences: 'ret', 'res', 'wait'."""
TOKEN_OF = {kind: token for token, kind in TOKENS.items()}


def seq(text: str) -> list[str]:
    """'res ret ret' -> ['res', 'ret', 'ret']; `ret*3` repeats a token."""
    tokens: list[str] = []
    for word in text.split():
        token, _, count = word.partition("*")
        tokens.extend([token] * (int(count) if count else 1))
    return tokens


@functools.cache
def scenario_file(path: Path) -> CompiledScenario:
    """A shipped scenario, loaded once per test run (compiled scenarios are immutable)."""
    return load_scenario(path)


def scenario_2016() -> CompiledScenario:
    return scenario_file(SCENARIO_2016)


# -- scenarios written for the tests ---------------------------------------------------------

THREE_ACTORS_YAML = """\
metadata:
  id: three_capitals
  title: Three capitals
  summary: A small three-sided crisis with large effects, to push every gauge to its limits.
  start_date: 2020-01-06
  days_per_turn: 7
  max_turns: 12
  player_actor: north

tension_bands:
  - {name: calm, up_to: 40}
  - {name: crisis, up_to: 100}

model:
  start: 55
  baseline: 45
  relax: 0.05
  reaction: 1.5
  escalation: 15
  grievance_decay: 0.1
  grievance_decay_waiting: 0.0
  answer_credibility: 3
  restraint_forgives: 0.9
  pressure_from_grievance: 2
  wait_pressure: 20
  backdown_threshold: 20
  backdown_cost: 60
  shock_tension: 8
  shock_pressure: 6

actors:
  - id: north
    name: North
    capital: Nordstadt
    leader: The Chancellor
    colour: "#112233"
    start: {pressure: 95, credibility: 5, standing: 97, diplomats: {east: 12, west: 3}}
    personality: {hawkishness: 0.9, volatility: 0.8}
    actions:
      retaliate:
        - id: expel_all
          label: Expel everyone
          description: Send every foreign diplomat home.
          severity: 10
          max_uses: 2
          effects:
            tension: 40
            expel: 1000
            own: {pressure: -60, credibility: 50, standing: -80}
            other: {pressure: 70, credibility: -50, standing: -30}
          headlines: ["{capital} expels {n} diplomats of {other}"]
        - id: expel_some
          label: Expel a few
          description: A measured answer, scaled by the grievance.
          severity: 3
          available_if: "hosted >= 1"
          effects:
            tension: "5 + grievance"
            expel: "1 + grievance / 7"
            own: {pressure: "-grievance", credibility: 10}
          headlines: ["{capital} expels {n}"]
      restrain:
        - id: talk
          label: Talk
          description: Offer talks.
          effects:
            tension: -45
            own: {pressure: 40, credibility: -30, standing: 60}
          headlines: ["{leader} offers talks"]
      wait:
        - id: hold
          label: Hold
          description: Keep every option open.
          headlines: ["{capital} waits"]

  - id: east
    name: East
    capital: Ostburg
    leader: The President
    colour: "#445566"
    start: {pressure: 2, credibility: 99, standing: 3, diplomats: 7}
    personality: {hawkishness: 0.1, patience: 1.0, forgiveness: 0.0, volatility: 0.0}
    actions:
      retaliate:
        - id: sanction
          label: Sanction
          description: Sanctions, and a few expulsions.
          severity: 6
          effects:
            tension: 25
            expel: 2
            own: {pressure: -40}
            other: {pressure: 30, standing: -40}
          headlines: ["{capital} sanctions {other}"]
      restrain:
        - id: concede
          label: Concede
          description: Give way.
          effects:
            tension: -30
            own: {pressure: 50, credibility: -60}
          headlines: ["{capital} concedes"]
      wait:
        - id: watch
          label: Watch
          description: See what happens.
          effects: {tension: "tension / 10 - 5"}
          headlines: ["{capital} watches"]

  - id: west
    name: West
    capital: Westhafen
    leader: The Queen
    colour: "#778899"
    start: {pressure: 50, credibility: 50, standing: 50, diplomats: {north: 0, east: 40}}
    actions:
      retaliate:
        - id: embargo
          label: Embargo
          description: Stop all trade.
          severity: 8
          enabled: false
          effects:
            tension: 30
            expel: 40
            other: {pressure: 40}
          headlines: ["{capital} imposes an embargo"]
      restrain:
        - id: mediate
          label: Mediate
          description: Offer to mediate.
          effects:
            tension: -20
            own: {standing: 30}
            other: {pressure: -20}
          headlines: ["{capital} offers to mediate"]

opening:
  - {actor: north, variant: expel_some}
  - {actor: east, variant: sanction}

events:
  - id: coup
    turn: 3
    headline: A new government in Westhafen
    text: The new government is less patient.
    effects:
      tension: 30
      actors:
        west:
          leader: The General
          personality: {hawkishness: 1.0, patience: 0.0}
          pressure: 60
      enable: [west.embargo]
  - id: flare_up
    when: "mean_tension > 50"
    probability: 0.5
    repeat: true
    headline: Border incident
    text: Shots are fired at a border post.
    effects:
      tension: "10 + north_grievance"
      actors:
        east: {pressure: 25, credibility: -20}
        north: {standing: -15}
  - id: thaw
    when: "tension < 30"
    probability: 0.7
    headline: A thaw
    text: Channels reopen.
    effects:
      tension: -25
      disable: [west.embargo]

outcomes:
  - id: war
    title: War
    when: "mean_tension >= 90"
    for_turns: 2
    text: It ends badly.
  - id: peace
    title: Peace
    when: "mean_tension <= 10"
    for_turns: 2
    text: It ends well.
  - id: turn_limit
    title: Stalemate
    text: Nothing is settled.

scoring:
  north:
    - {name: Credibility, value: credibility, weight: 0.5}
    - {name: Calm, value: "100 - tension", weight: 0.2, every_turn: true}
    - {name: War, value: outcome_war, weight: -50}
  east:
    - {name: Standing, value: standing}
    - {name: Diplomats, value: "100 * diplomats_kept", weight: 0.3}
  west:
    - {name: Pressure, value: "100 - pressure", every_turn: true}
"""
"""Three actors with uneven diplomat tables, expression effects, a scheduled event that
enables a variant and changes a leader, repeatable random events, and early endings."""

DUEL_YAML = """\
metadata:
  id: duel
  title: Duel
  summary: Two sides, no randomness and no early ending, for testing strategies move by move.
  start_date: 2020-01-06
  days_per_turn: 7
  max_turns: 40
  player_actor: a

tension_bands:
  - {name: any, up_to: 100}

model:
  start: 30
  baseline: 30
  shock_tension: 0
  shock_pressure: 0

actors:
  - id: a
    name: A
    capital: Aville
    leader: Ann
    colour: "#000001"
    actions: &moves
      retaliate:
        - id: strike
          label: Strike
          description: A heavy blow.
          severity: 6
          effects: {tension: 3, expel: 1}
          headlines: ["{actor} strikes"]
        - id: jab
          label: Jab
          description: A light blow.
          severity: 2
          effects: {tension: 1}
          headlines: ["{actor} jabs"]
      restrain:
        - id: talk
          label: Talk
          description: Talk.
          effects: {tension: -2}
          headlines: ["{actor} talks"]
        - id: apologise
          label: Apologise
          description: Say sorry.
          headlines: ["{actor} apologises"]
      wait:
        - id: hold
          label: Hold
          description: Wait.
          headlines: ["{actor} waits"]
  - id: b
    name: B
    capital: Bville
    leader: Bob
    colour: "#000002"
    actions: *moves

events:
  - id: summit
    turn: 5
    headline: A summit
    text: The leaders meet, and b's leader hands over to a successor.
    effects:
      actors:
        b: {leader: Carol}

outcomes:
  - id: turn_limit
    title: Over
    text: The duel is over.

scoring:
  a: &score
    - {name: Calm, value: "100 - tension"}
  b: *score
"""
"""Two actors, two variants of each kind (retaliations of severity 6 and 2), no randomness, no
ending but the turn limit, and a scheduled event before turn 5."""


@functools.cache
def three_actor_scenario() -> CompiledScenario:
    return load_scenario_text(THREE_ACTORS_YAML, "three_actors.yaml")


@functools.cache
def duel_scenario() -> CompiledScenario:
    return load_scenario_text(DUEL_YAML, "duel.yaml")


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    """`text` with `old` replaced by `new`, failing loudly if `old` is not there `count` times."""
    found = text.count(old)
    assert found == count, f"expected {old!r} {count} time(s) in the text, found {found}"
    return text.replace(old, new)


def locate(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the n-th occurrence of `needle` in `text`."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    assert len(starts) >= occurrence, f"{needle!r} occurs {len(starts)} time(s)"
    index = starts[occurrence - 1]
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


# -- state checks ----------------------------------------------------------------------------


def assert_same_games(a: State, b: State, where: str = "") -> None:
    """Every array of two states is bit-identical (same dtype, shape and bytes)."""
    for name, left in a.arrays().items():
        right = getattr(b, name)
        assert left.dtype == right.dtype, f"{where}{name}: dtype {left.dtype} != {right.dtype}"
        assert left.shape == right.shape, f"{where}{name}: shape {left.shape} != {right.shape}"
        assert np.ascontiguousarray(left).tobytes() == np.ascontiguousarray(right).tobytes(), (
            f"{where}{name} differs"
        )


# -- a scripted opponent and the versus helper -----------------------------------------------


class Scripted(Strategy):
    """Plays a fixed script: on turn t (1-based) the t-th entry, the last one after the end.

    An entry is a kind token ('ret', 'res', 'wait'), played as the strategies' variant rule
    picks it, or a variant id, played as it is (it must be legal then).
    """

    name = "scripted"
    description = "Plays a fixed sequence of moves."

    def __init__(self, script: Sequence[str]) -> None:
        if not script:
            raise ValueError("a script needs at least one move")
        self.script = list(script)

    def choose(self, situation: Situation) -> np.ndarray:
        sc = situation.engine.scenario
        turn = situation.state.turn  # turns played so far: entry `turn` is this turn's move
        chosen = np.zeros(situation.batch, dtype=np.int64)
        for t in np.unique(turn):
            entry = self.script[min(int(t), len(self.script) - 1)]
            games = turn == t
            if entry in TOKENS:
                wanted = np.full(situation.batch, TOKENS[entry])
                chosen[games] = pick_variants(situation, wanted)[games]
            else:
                chosen[games] = sc.variant_index(situation.actor, entry)
        return chosen


@dataclass(frozen=True)
class ScriptedGames:
    """What a strategy did in B games against a script: kinds and variants per turn."""

    kinds: np.ndarray  # (B, T) kind played each turn, -1 after a game ended
    variants: np.ndarray  # (B, T) variant index each turn, -1 after a game ended
    final: State

    def tokens(self, game: int = 0) -> list[str]:
        return [TOKEN_OF[int(k)] for k in self.kinds[game] if k >= 0]


def play_against_script(
    scenario: CompiledScenario,
    strategy: Strategy,
    script: Sequence[str] | str,
    *,
    actor: int | str = 0,
    seed: int = 0,
    batch: int = 1,
    start: State | None = None,
) -> ScriptedGames:
    """Play `strategy` for `actor` while every other actor follows `script`, one turn per entry.

    Games start from `start` if given (a state built for the test), else fresh from the seed.
    Play stops when the script is used up or every game is over.
    """
    if isinstance(script, str):
        script = seq(script)
    if isinstance(actor, str):
        actor = scenario.actor_index(actor)
    engine = Engine(scenario)
    state = engine.new_games(seed, batch=batch) if start is None else start
    opponent = Scripted(script)
    strategies: list[Strategy] = [opponent] * scenario.n_actors
    strategies[actor] = strategy
    prepare(engine, strategies)
    first_turn = int(state.turn.min())
    kinds, variants = [], []
    for _ in range(len(script) - first_turn):
        if state.over.all():
            break
        running = ~state.over
        state, report, actions = advance(engine, state, strategies)
        kinds.append(np.where(running, report.kinds[:, actor], -1))
        variants.append(np.where(running, actions[:, actor], -1))
    empty = np.zeros((state.batch, 0), dtype=np.int64)
    return ScriptedGames(
        kinds=np.stack(kinds, axis=1) if kinds else empty,
        variants=np.stack(variants, axis=1) if variants else empty,
        final=state,
    )


def versus(
    scenario: CompiledScenario,
    strategy: Strategy,
    script: Sequence[str] | str,
    *,
    actor: int | str = 0,
    seed: int = 0,
    start: State | None = None,
) -> list[str]:
    """The strategy's kinds, as tokens, in one game against the scripted opponents."""
    played = play_against_script(scenario, strategy, script, actor=actor, seed=seed, start=start)
    return played.tokens(0)


def decide(
    scenario: CompiledScenario,
    strategy: Strategy,
    state: State,
    actor: int | str,
    others: Strategy | None = None,
) -> np.ndarray:
    """(B,) the variants `strategy` picks for `actor` in `state` (others play `others`)."""
    if isinstance(actor, str):
        actor = scenario.actor_index(actor)
    engine = Engine(scenario)
    strategies = [others or Scripted(["res"])] * scenario.n_actors
    strategies[actor] = strategy
    prepare(engine, strategies)
    legal = engine.legal(state)[:, actor]
    return strategy.choose(Situation(engine, state, actor, legal))


# -- the dilemma tests: is each kind of move the best somewhere? --------------------------------


def play_moves(engine: Engine, moves: Sequence[Sequence[str]], seed: int = 7) -> State:
    """One game after the given turns, each a variant id per actor in the scenario's order; it
    must still be running."""
    sc = engine.scenario
    state = engine.new_games(seed=seed)
    for turn in moves:
        actions = np.array([[sc.variant_index(a, v) for a, v in enumerate(turn)]])
        state, _ = engine.step(state, actions)
    assert not state.over[0]
    return state


def best_value_by_kind(engine: Engine, state: State, actor_id: str) -> dict[str, float]:
    """The best expected score of each kind of move for one side, as a careful lookahead (600
    rollouts, 6 turns, no noise or tilt) sees it against generous tit-for-tat everywhere else."""
    sc = engine.scenario
    actor = sc.actor_index(actor_id)
    judge = Lookahead(rollouts=600, horizon=6, noise=0.0, tilt=0.0)
    judge.prepare(engine, actor, {o: GenerousTitForTat() for o in range(sc.n_actors) if o != actor})
    values = judge.values(Situation(engine, state, actor, engine.legal(state)[:, actor]))[0]
    best: dict[str, float] = {}
    for variant in sc.variants[actor]:
        kind = KINDS[variant.kind]
        best[kind] = max(best.get(kind, -np.inf), float(values[variant.index]))
    return best
