"""History as a test: the `history` block is checked against the scenario, the real moves are
replayed by the stated rule, `python main.py history` reports shares with Wilson intervals, and
`balance --check` holds a scenario to `history_outcome_share` and `verdict: balanced`.

Most tests use tests/data/history.yaml: nothing random but two events, so that what the replay
must do in each seed follows from when those events fired, and each side's score spells out the
kinds of move it played (a point per wait, ten per restraint, a hundred per retaliation).
"""

from __future__ import annotations

import datetime
import json
import threading
from concurrent.futures import Executor, Future
from pathlib import Path

import numpy as np
import pytest
from helpers import ROOT, SCENARIO_2016, edited, locate

from game.balance.stats import wilson
from game.balance.tournament import run_tournament
from game.cli import main
from game.engine.engine import Engine
from game.errors import ScenarioError
from game.history.replay import (
    NEVER,
    Cancelled,
    NoHistory,
    real_scores,
    replay,
    replayable,
    seeds_for,
)
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario, load_scenario_text

HISTORY_FILE = ROOT / "tests" / "data" / "history.yaml"
TEXT = HISTORY_FILE.read_text(encoding="utf-8")
FAST = ["--strategies", "always_wait,tit_for_tat", "--games", "60", "--jobs", "1"]
NO_TREATY = ('when: "turn >= 6"\n    probability: 0.5', 'when: "turn >= 6"\n    probability: 0')
"""An edit that makes the ending certain: without the treaty every game runs to turn 8."""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `python main.py ARGV`, in this process."""
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse exits for usage mistakes
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def written(tmp_path: Path, text: str, name: str = "history.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def history_json(capsys: pytest.CaptureFixture[str], path: Path, seeds: int) -> dict:
    code, out, err = run(["history", str(path), "--seeds", str(seeds), "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def scenario() -> CompiledScenario:
    return load_scenario(HISTORY_FILE)


def rounded(pair: tuple[float, float]) -> list[float]:
    return [round(pair[0], 6), round(pair[1], 6)]


# -- the replay rule ---------------------------------------------------------------------------


def test_a_move_not_yet_legal_is_held_until_it_is_and_the_turns_own_move_goes_first(
    scenario: CompiledScenario,
) -> None:
    """'a' strikes on turn 2 in the record, but the strike is legal only once the provocation
    has fired, which in most seeds is later: it is held and played at the first turn it is legal,
    except on turn 4, which has a listed move of its own (the jab), so the strike waits one more."""
    played = replay(scenario, seeds_for(300))
    provocation = [e.id for e in scenario.events].index("provocation")
    fired = played.fired[:, provocation]
    expected = np.where(fired == 4, 5, fired)  # the jab listed for turn 4 goes first
    expected = np.where((fired == NEVER) | (expected > played.turns), NEVER, expected)
    strike, jab = played.moves
    assert np.array_equal(played.played[:, strike.index], expected)
    assert np.all(played.played[:, jab.index] == 4)
    # The seeds cover every case the rule distinguishes.
    assert {3, 4, 5} <= set(fired.tolist()) and NEVER in expected and 5 in expected


def test_each_side_plays_its_real_moves_and_otherwise_its_quiet_move(
    scenario: CompiledScenario,
) -> None:
    """The scores count what the engine was given: 'a' retaliates once or twice and waits on
    every other turn; 'b', with no real move, waits while it may (turns 1 to 6) and then plays
    its first legal restraint, as the quiet move says."""
    played = replay(scenario, seeds_for(300))
    strike = played.moves[0]
    retaliations = 1 + (played.played[:, strike.index] != NEVER)
    turns = played.turns
    assert np.array_equal(played.scores[:, 0], 100 * retaliations + (turns - retaliations))
    expected_b = np.minimum(turns, 6) + 10 * np.maximum(turns - 6, 0)
    assert np.array_equal(played.scores[:, 1], expected_b)
    assert set(turns.tolist()) == {6, 7, 8}  # the treaty ends some games early


def test_a_seed_replays_alone_as_in_a_batch_and_as_the_game_the_ui_starts() -> None:
    """The end screen's figure: the real moves under the player's seed are the game the UI
    starts with that seed, and the same whatever other seeds share the batch."""
    sc = load_scenario(SCENARIO_2016)
    engine = Engine(sc)
    seeds = [5, 1, 17, 3]
    batch = replay(sc, seeds, engine)
    for i, seed in enumerate(seeds):
        alone = real_scores(sc, seed, engine)
        assert alone == {a: float(batch.scores[i, k]) for k, a in enumerate(sc.actor_ids)}
    started = engine.first_games(np.array([5, 17]))
    ui = engine.new_games(17, game_ids=[0])
    assert np.array_equal(started.data[1:], ui.data)
    assert np.array_equal(started.streams[1:], ui.streams)
    assert np.array_equal(started.game_ids, [0, 0])
    chunked = replay(sc, seeds, engine, chunk=3)
    assert np.array_equal(chunked.scores, batch.scores)
    assert np.array_equal(chunked.fired, batch.fired)


def test_the_real_moves_of_2016_reach_the_real_ending_in_some_seeds_and_not_in_all() -> None:
    sc = load_scenario(SCENARIO_2016)
    played = replay(sc, seeds_for(100))
    real = [o.id for o in sc.outcomes].index(sc.model.history.outcome)
    share = float(np.mean(played.outcome == real))
    assert 0 < share < 1
    assert np.all(played.played[:, 0] == 1)  # the Kremlin party, legal on turn 1 only


def test_without_real_moves_there_is_nothing_to_replay() -> None:
    sc = load_scenario(ROOT / "scenarios" / "worked_example.yaml")
    assert sc.model.history is not None and sc.model.history.text  # a plain text loads as text
    assert not replayable(sc)
    with pytest.raises(NoHistory):
        real_scores(sc, 1)


# -- the command -------------------------------------------------------------------------------


def test_an_impossible_ending_has_share_zero_and_the_wilson_interval(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = history_json(capsys, HISTORY_FILE, 120)
    assert {"scenario", "seeds", "outcome", "share", "interval", "outcomes"} <= set(document)
    assert document["scenario"] == "history_test"
    assert document["seeds"] == 120
    assert document["outcome"] == "war"
    assert document["share"] == 0.0
    assert document["interval"] == rounded(wilson(0, 120))
    assert list(document["outcomes"]) == ["war", "peace", "turn_limit"]
    assert sum(document["outcomes"].values()) == pytest.approx(1.0)
    for outcome, share in document["outcomes"].items():
        interval = document["outcome_intervals"][outcome]
        assert interval == rounded(wilson(round(share * 120), 120))


def test_a_certain_ending_has_share_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited(edited(TEXT, *NO_TREATY), "outcome: war", "outcome: turn_limit")
    document = history_json(capsys, written(tmp_path, text), 80)
    assert document["share"] == 1.0
    assert document["interval"] == rounded(wilson(80, 80))
    assert document["outcomes"] == {"war": 0.0, "peace": 0.0, "turn_limit": 1.0}


def test_events_are_compared_with_their_real_turn(
    scenario: CompiledScenario, capsys: pytest.CaptureFixture[str]
) -> None:
    document = history_json(capsys, HISTORY_FILE, 200)
    played = replay(scenario, seeds_for(200))
    provocation, treaty = document["events"]
    fired = played.fired[:, 0]
    assert provocation["id"] == "provocation"
    assert provocation["fired"] == pytest.approx(np.mean(fired != NEVER))
    assert provocation["real_turn"] == 2 and provocation["real_date"] == "2020-01-13"
    # It cannot fire before it greets turn 3; within one turn of turn 2 means exactly then.
    assert provocation["near_real_turn"] == pytest.approx(np.mean(fired == 3))
    turns = np.sort(fired[fired != NEVER])
    median = int(turns[(turns.size - 1) // 2])  # the lower middle value: a turn that happened
    assert provocation["median_turn"] == median
    assert provocation["median_date"] == str(datetime.date(2020, 1, 6 + 7 * (median - 1)))
    assert treaty["real_turn"] is None and treaty["near_real_turn"] is None


def test_moves_held_or_never_played_are_counted(capsys: pytest.CaptureFixture[str]) -> None:
    document = history_json(capsys, HISTORY_FILE, 200)
    strike, jab = document["moves"]
    assert (strike["turn"], strike["actor"], strike["variant"], strike["target"]) == (
        2,
        "a",
        "strike",
        "b",
    )
    counts = ("on_time", "late", "never_played", "ended_before")
    assert sum(strike[c] for c in counts) == 200
    assert strike["on_time"] == 0 and strike["late"] > 0 and strike["never_played"] > 0
    assert jab["on_time"] == 200 and jab["target"] is None
    code, out, _ = run(["history", str(HISTORY_FILE), "--seeds", "200"], capsys)
    assert code == 0
    assert "Real moves not played on their turn" in out
    row = next(line for line in out.splitlines() if "a.strike" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    delay = f"{strike['late']} (+{strike['median_delay']})"
    assert cells == ["2", "a.strike", "0", delay, str(strike["never_played"]), "0"]
    assert "a.jab" not in out


def test_the_same_seeds_give_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(["history", str(HISTORY_FILE), "--seeds", "150", "--json"], capsys)
    again = run(["history", "--scenario", str(HISTORY_FILE), "--seeds", "150", "--json"], capsys)
    assert first == again
    fewer = run(["history", str(HISTORY_FILE), "--seeds", "149", "--json"], capsys)
    assert json.loads(fewer[1])["seeds"] == 149
    tables = run(["history", str(HISTORY_FILE), "--seeds", "150"], capsys)
    assert tables == run(["history", str(HISTORY_FILE), "--seeds", "150"], capsys)
    assert "The real ending, war (War), in 0.0% of seeds" in tables[1]


@pytest.mark.parametrize(
    ("old", "new", "missing"),
    [
        ("  outcome: war\n", "", "history.outcome"),
        ("  moves:\n", "  old_moves:\n", None),  # not a field: refused by the loader
    ],
)
def test_a_scenario_with_nothing_to_replay_gets_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, missing: str | None
) -> None:
    path = written(tmp_path, edited(TEXT, old, new))
    code, out, err = run(["history", str(path)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and str(path) in err
    assert "Traceback" not in err
    if missing:
        assert missing in err


def test_a_shipped_scenario_without_real_moves_is_refused_and_the_2016_one_replays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prisoners = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    code, _, err = run(["history", str(prisoners)], capsys)
    assert code == 2
    assert err.strip().endswith(
        "nothing to replay: add history.moves and history.outcome (see 'History' in "
        "docs/scenario-format.md)"
    )
    assert str(prisoners) in err
    document = history_json(capsys, SCENARIO_2016, 30)
    assert document["outcome"] == "long_chill" and document["seeds"] == 30
    assert document["share"] >= 0.6, "the 2016 scenario reproduces its history"


@pytest.mark.parametrize("seeds", ["0", "-3", "many", "100001"])
def test_bad_seed_counts_are_usage_mistakes(seeds: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["history", str(HISTORY_FILE), "--seeds", seeds], capsys)
    assert code == 2 and out == "" and "--seeds" in err and len(err.splitlines()) == 1


def test_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["history", str(tmp_path / "nowhere.yaml")], capsys)
    assert code == 2 and err.strip().endswith("nowhere.yaml: no such file")


# -- the loader's checks -----------------------------------------------------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "h.yaml")
    return [str(p) for p in caught.value.problems]


def at(text: str, needle: str, path: str, message: str) -> str:
    """The problem line for `path`, at `needle` in `text`, or at the '|' inside it."""
    before, bar, _ = needle.partition("|")
    line, column = locate(text, needle.replace("|", ""))
    return f"h.yaml:{line}:{column + (len(before) if bar else 0)}: {path}: {message}"


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "message"),
    [
        (
            "{turn: 4, actor: a, variant: jab}",
            "{turn: 4, actor: bb, variant: jab}",
            "actor: |bb,",
            "history.moves[1].actor",
            "unknown actor 'bb' (did you mean 'b'?)",
        ),
        (
            "{turn: 4, actor: a, variant: jab}",
            "{turn: 4, actor: a, variant: jabb}",
            "variant: |jabb",
            "history.moves[1].variant",
            "unknown variant for 'a': 'jabb' (did you mean 'jab'?)",
        ),
        (
            "{turn: 4, actor: a, variant: jab}",
            "{turn: 4, actor: b, variant: jab}",
            "actor: b, variant: |jab}",
            "history.moves[1].variant",
            "unknown variant for 'b': 'jab'; known: answer, apologise, watch",
        ),
        (
            "variant: strike, target: b}",
            "variant: strike, target: a}",
            "target: |a}",
            "history.moves[0].target",
            "'a' cannot aim a move at itself; aim it at b",
        ),
        (
            "variant: strike, target: b}",
            "variant: strike, target: bc}",
            "target: |bc}",
            "history.moves[0].target",
            "unknown actor 'bc' (did you mean 'b'?)",
        ),
        (
            "{turn: 4, actor: a, variant: jab}",
            "{turn: 9, actor: a, variant: jab}",
            "turn: |9, actor",
            "history.moves[1].turn",
            "turn must be between 1 and max_turns (8)",
        ),
        (
            "{turn: 4, actor: a, variant: jab}",
            "{turn: 0, actor: a, variant: jab}",
            "turn: |0, actor",
            "history.moves[1].turn",
            "must be at least 1, got 0",
        ),
        (
            "outcome: war",
            "outcome: wa",
            "outcome: |wa\n",
            "history.outcome",
            "unknown outcome 'wa' (did you mean 'war'?)",
        ),
        (
            "provocation: 2020-01-13",
            "provocaton: 2020-01-13",
            "provocaton:",
            "history.events.provocaton",
            "unknown event 'provocaton' (did you mean 'provocation'?)",
        ),
        (
            "provocation: 2020-01-13",
            "provocation: 2020-03-03",
            "2020-03-03",
            "history.events.provocation",
            "2020-03-03 is outside the scenario's calendar, which runs from the opening "
            "(2020-01-05) to the day after the last turn (2020-03-02)",
        ),
        (
            "provocation: 2020-01-13",
            "provocation: 2020-01-04",
            "2020-01-04",
            "history.events.provocation",
            "2020-01-04 is outside the scenario's calendar, which runs from the opening "
            "(2020-01-05) to the day after the last turn (2020-03-02)",
        ),
        (
            "  outcome: war\n",
            "  outcome: war\n  outcom: war\n",
            "outcom:",
            "history.outcom",
            "unknown field 'outcom' (did you mean 'outcome'?)",
        ),
    ],
)
def test_each_bad_reference_in_history_is_one_located_line(
    old: str, new: str, needle: str, path: str, message: str
) -> None:
    text = edited(TEXT, old, new)
    assert problems_of(text) == [at(text, needle, path, message)]


def test_two_moves_of_one_actor_on_one_turn_are_one_located_line() -> None:
    text = edited(TEXT, "{turn: 4, actor: a, variant: jab}", "{turn: 2, actor: a, variant: jab}")
    line, column = locate(text, "{turn: 2, actor: a, variant: strike")
    message = (
        f"'a' already moves on turn 2 (first at line {line}, column {column}); an actor makes "
        "one move a turn"
    )
    assert problems_of(text) == [
        at(text, "{turn: 2, actor: a, variant: jab}", "history.moves[1]", message)
    ]


def test_every_problem_in_history_is_listed_at_once() -> None:
    text = edited(TEXT, "outcome: war", "outcome: wa")
    text = edited(text, "variant: jab}", "variant: jabb}")
    text = edited(text, "provocation: 2020-01-13", "provocaton: 2020-01-13")
    assert len(problems_of(text)) == 3


def test_a_plain_text_history_still_loads_as_text() -> None:
    start = TEXT.index("history:\n")
    text = TEXT[:start] + "history: >-\n  What happened, in a few words.\n"
    sc = load_scenario_text(text, "h.yaml")
    assert sc.model.history is not None
    assert sc.model.history.text == "What happened, in a few words."
    assert sc.model.history.moves == [] and sc.model.history.outcome is None


def with_balance(text: str, balance: str) -> str:
    return f"{text}\nbalance:\n{balance}"


def test_history_outcome_share_needs_something_to_replay() -> None:
    text = with_balance(edited(TEXT, "  outcome: war\n", ""), "  history_outcome_share: {min: 0.5}")
    assert problems_of(text) == [
        at(
            text,
            "history_outcome_share",
            "balance.history_outcome_share",
            "needs the real moves and ending to replay: add history.moves and history.outcome",
        )
    ]


@pytest.mark.parametrize(
    ("bounds", "message"),
    [("{}", "give min, max or both"), ("{min: 0.8, max: 0.2}", "min exceeds max")],
)
def test_history_outcome_share_needs_a_bound_that_makes_sense(bounds: str, message: str) -> None:
    text = with_balance(TEXT, f"  history_outcome_share: {bounds}")
    assert problems_of(text) == [at(text, bounds, "balance.history_outcome_share", message)]


def test_verdict_target_takes_only_balanced() -> None:
    text = with_balance(TEXT, "  verdict: fair")
    (problem,) = problems_of(text)
    assert problem.startswith(at(text, "fair", "balance.verdict", "").rstrip())
    assert "balanced" in problem


# -- balance --check -----------------------------------------------------------------------------


def balance_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *extra: str
) -> tuple[int, str, dict]:
    path = written(tmp_path, text, "balanced.yaml")
    report = tmp_path / "report.json"
    code, out, err = run(
        ["balance", str(path), *FAST, "--check", "--quiet", "--json", str(report), *extra], capsys
    )
    assert code in (0, 1), err
    return code, out, json.loads(report.read_text(encoding="utf-8"))


def target(document: dict, name: str) -> dict:
    (found,) = [t for t in document["targets"] if t["name"] == name]
    return found


def test_check_passes_when_the_real_ending_is_certain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(edited(TEXT, *NO_TREATY), "outcome: war", "outcome: turn_limit")
    code, out, document = balance_run(
        tmp_path, capsys, with_balance(text, "  history_outcome_share: {min: 0.9}")
    )
    assert code == 0
    assert out.splitlines() == ["balance check: 1 of 1 targets met"]
    result = target(document, "history_outcome_share")
    assert result["subject"] == "turn_limit" and result["met"] is True
    assert result["value"] == 1.0 and result["interval"] == rounded(wilson(60, 60))
    assert document["history"]["seeds"] == 60 and document["history"]["share"] == 1.0


def test_check_fails_when_the_real_ending_cannot_happen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, document = balance_run(
        tmp_path, capsys, with_balance(TEXT, "  history_outcome_share: {min: 0.1, max: 0.9}")
    )
    assert code == 1
    lo, hi = wilson(0, 60)
    assert out.splitlines() == [
        f"MISSED: history_outcome_share[war] = 0 (95% interval {lo:.4g}–{hi:.4g}; target: "
        "between 0.1 and 0.9)",
        "balance check: 0 of 1 targets met",
    ]
    assert target(document, "history_outcome_share")["met"] is False


def test_the_share_is_judged_on_its_interval_not_its_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real ending 'peace' happens in some seeds: a minimum above the share but below the
    interval's upper end is met; a minimum above the whole interval is missed."""
    text = edited(TEXT, "outcome: war", "outcome: peace")
    replays = history_json(capsys, written(tmp_path, text, "peace.yaml"), 60)
    share, (lo, hi) = replays["share"], replays["interval"]
    assert 0 < lo < share < hi < 1
    for minimum, met in (((share + hi) / 2, True), (hi + 0.01, False)):
        bounds = f"  history_outcome_share: {{min: {minimum:.6f}}}"
        code, _, document = balance_run(tmp_path, capsys, with_balance(text, bounds))
        assert (code == 0) is met
        assert target(document, "history_outcome_share")["met"] is met
    for maximum, met in (((lo + share) / 2, True), (lo - 0.01, False)):
        bounds = f"  history_outcome_share: {{max: {maximum:.6f}}}"
        code, _, document = balance_run(tmp_path, capsys, with_balance(text, bounds))
        assert (code == 0) is met


@pytest.mark.parametrize(
    ("strategies", "balanced"),
    [
        # Nobody ever waits, so no equilibrium of these can give waiting 10% of the moves.
        ("always_retaliate,always_restrain", False),
        # Random play uses every kind.
        ("random", True),
    ],
)
def test_the_verdict_target_follows_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], strategies: str, balanced: bool
) -> None:
    text = with_balance(TEXT, "  verdict: balanced")
    code, out, document = balance_run(tmp_path, capsys, text, "--strategies", strategies)
    assert document["verdict"]["balanced"] is balanced
    result = target(document, "verdict")
    assert result["met"] is balanced and code == (0 if balanced else 1)
    assert document["history"] is None  # nothing asked for the replay
    verdict = document["verdict"]
    shares = [verdict[s] for s in ("equilibrium", "lookahead") if verdict[s] is not None]
    assert result["value"] == pytest.approx(max(min(s.values()) for s in shares), abs=1e-6)
    assert (result["value"] >= 0.1) is balanced
    summary = (
        "balance check: 1 of 1 targets met" if balanced else "balance check: 0 of 1 targets met"
    )
    missed = [] if balanced else [line for line in out.splitlines() if line.startswith("MISSED")]
    assert out.splitlines() == [*missed, summary]
    if not balanced:
        assert missed[0].startswith("MISSED: verdict = not balanced (the least-played kind has ")


def test_balance_replays_beside_its_games_what_history_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = with_balance(TEXT, "  history_outcome_share: {min: 0.1, max: 0.9}")
    for jobs in ("1", "2"):  # the replay runs beside the main thread's games, or the pool's
        _, _, document = balance_run(tmp_path, capsys, text, "--jobs", jobs)
        path = tmp_path / "balanced.yaml"
        reported = history_json(capsys, path, 60)
        del reported["scenario"], reported["scenario_sha256"]  # the balance document's own
        assert document["history"] == reported


class _Refusing(Executor):
    """A pool that refuses the first chunk, as a run interrupted at once."""

    def submit(self, *args: object, **kwargs: object) -> Future:
        raise RuntimeError("stopped")


def test_a_run_that_stops_does_not_wait_for_its_replay(tmp_path: Path) -> None:
    text = with_balance(TEXT, "  history_outcome_share: {min: 0.1}")
    scenario = load_scenario_text(text, str(tmp_path / "long.yaml"))
    # 2,000,000 replays would take minutes; a stopped run leaves the replay within one batch.
    with pytest.raises(RuntimeError, match="stopped"):
        run_tournament(
            scenario, text, games=2_000_000, strategies=["always_wait"], executor=_Refusing()
        )
    replays = [t for t in threading.enumerate() if t.name.startswith("history")]
    for thread in replays:
        thread.join(timeout=20)
    assert replays and not any(thread.is_alive() for thread in replays)


def test_a_stopped_replay_plays_no_further_batch(scenario: CompiledScenario) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        replay(scenario, seeds_for(10), stop=stop)
    assert replay(scenario, seeds_for(10), stop=threading.Event()).count == 10


@pytest.mark.parametrize(
    ("move", "message"),
    [((1, 0, 99, -1), "no variant 99"), ((1, 5, 0, -1), "of actor 5"), ((1, 0, 0, 7), "actor 7")],
)
def test_the_engine_refuses_a_real_move_the_scenario_does_not_have(
    scenario: CompiledScenario, move: tuple[int, ...], message: str
) -> None:
    engine = Engine(scenario)
    with pytest.raises(ValueError, match=message):
        engine.play_real_moves(engine.first_games(np.array([1])), np.array([move]))
