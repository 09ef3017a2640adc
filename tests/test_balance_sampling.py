"""Balance runs with three and four actors: which profiles are played (every one, or each
actor's strategies against sampled line-ups), the per-actor summary that replaces the profile
rows, and the targets judged on a sample.

Runs are kept small: a few scripted strategies, a few dozen games, and --lineups to make a small
space sample.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from game.balance.plan import make_plan, samples
from game.balance.stats import Z95
from game.cli import main
from game.strategies.registry import STRATEGY_NAMES

ROOT = Path(__file__).resolve().parents[1]
FOUR = ROOT / "tests" / "data" / "four_actors.yaml"
THREE = ROOT / "tests" / "data" / "three_actors.yaml"
THREE_EXAMPLE = ROOT / "scenarios" / "worked_example_three.yaml"
FIVE = "always_retaliate,always_restrain,always_wait,tit_for_tat,grim_trigger"
SAMPLED = ["--strategies", FIVE, "--games", "12", "--lineups", "5", "--jobs", "1"]
"""Four actors, five strategies (625 profiles), five line-ups each: at most 100 profiles."""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["balance", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def document(capsys, tmp_path: Path, *argv: str, name: str = "report.json") -> dict:
    path = tmp_path / name
    status, _, err = run(capsys, *argv, "--json", str(path), "--quiet")
    assert status in (0, 1), err
    return json.loads(path.read_text(encoding="utf-8"))


def without_timing(doc: dict) -> dict:
    return {key: value for key, value in doc.items() if key != "timing"}


# -- which profiles --------------------------------------------------------------------------


def test_every_profile_is_played_while_a_sample_would_not_be_smaller():
    # N x L x S: two actors with the built-in strategies always play every profile.
    assert not samples(2, len(STRATEGY_NAMES))
    assert not samples(3, 7)  # 343 profiles; a sample would be 3 x 20 x 7 = 420
    assert samples(3, 8)  # 512 profiles; a sample, 480
    assert samples(4, 10)
    full = make_plan(3, ["a", "b", "c"], seed=1)
    assert not full.sampled
    assert len(full.profiles) == 27
    assert all(len(lineups) == 9 for lineups in full.lineups)


def test_sampled_lineups_are_balanced_distinct_and_played_with_every_strategy():
    plan = make_plan(4, STRATEGY_NAMES, seed=1)
    s = len(STRATEGY_NAMES)
    assert plan.sampled and plan.possible == s**4
    played = set(plan.profiles)
    assert len(played) <= 4 * 20 * s
    assert list(plan.profiles) == sorted(plan.profiles)
    for actor, lineups in enumerate(plan.lineups):
        assert len(lineups) == 20 and len(set(lineups)) == 20
        for position in range(3):  # each other actor plays each strategy twice (two rounds)
            counts = np.bincount([lineup[position] for lineup in lineups], minlength=s)
            assert counts.tolist() == [2] * s
        for lineup in lineups:
            for strategy in range(s):
                assert plan.profile(actor, strategy, lineup) in played


def test_the_sample_depends_on_the_seed_and_nothing_else():
    assert make_plan(4, STRATEGY_NAMES, seed=5) == make_plan(4, STRATEGY_NAMES, seed=5)
    assert make_plan(4, STRATEGY_NAMES, seed=5) != make_plan(4, STRATEGY_NAMES, seed=6)


def test_lookahead_games_keep_a_sampled_run_within_its_decision_budget(sc2016):
    from game.balance.defaults import SAMPLE_LOOKAHEAD_DECISIONS
    from game.balance.tournament import default_lookahead_games, lookahead_sides
    from game.scenario.load import load_scenario

    # The two-actor default is unchanged: 100 games of a 20-turn scenario.
    full = make_plan(2, STRATEGY_NAMES, seed=1)
    assert default_lookahead_games(sc2016, lookahead_sides(full, STRATEGY_NAMES)) == 100
    four = load_scenario(FOUR)
    plan = make_plan(4, STRATEGY_NAMES, seed=1)
    sides = lookahead_sides(plan, STRATEGY_NAMES)
    games = default_lookahead_games(four, sides, sampled=True)
    assert games >= 4 and games * sides * four.max_turns <= SAMPLE_LOOKAHEAD_DECISIONS


def test_a_sample_plays_fewer_games_per_profile_unless_told():
    from game.balance.tournament import run_tournament
    from game.scenario.load import load_scenario

    three = ["always_retaliate", "always_restrain", "tit_for_tat"]
    tournament = run_tournament(load_scenario(FOUR), strategies=three, lineups=2)
    assert tournament.plan.sampled
    assert {p.games for p in tournament.profiles} == {250}
    assert tournament.replays == 1000, "a history target still replays 1,000 seeds"


# -- a sampled run ---------------------------------------------------------------------------


def test_a_sampled_run_is_the_same_for_a_seed_whatever_the_jobs(tmp_path, capsys):
    one = document(capsys, tmp_path, str(FOUR), *SAMPLED, name="one.json")
    two = document(capsys, tmp_path, str(FOUR), *SAMPLED[:-1], "2", name="two.json")
    assert without_timing(one) == without_timing(two)
    assert one["plan"]["sampled"]
    other = document(capsys, tmp_path, str(FOUR), *SAMPLED, "--seed", "2", name="other.json")
    assert other["plan"]["lineups"] != one["plan"]["lineups"]


def test_four_actors_print_the_per_actor_summary_and_no_profile_rows(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # no width known: the full names are shown
    plot = tmp_path / "report.png"
    status, out, _ = run(capsys, str(FOUR), *SAMPLED, "--plot", str(plot))
    assert status == 0
    assert out.startswith("Sampled: ")
    assert "profiles —" not in out, "no per-profile table"
    assert "Each actor's strategies over its 5 sampled line-ups" in out
    assert "Best replies: the actor's best strategy" in out
    assert "none searched" in out
    for actor in ("rus", "gbr", "usa", "fra"):
        for strategy in FIVE.split(","):
            assert re.search(rf"│ {actor}\s+│ {strategy}\s+│", out), (actor, strategy)
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_at_80_columns_the_summary_fits(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = run(capsys, str(FOUR), *SAMPLED)
    assert status == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Short names:" in out


def test_the_document_carries_the_plan_and_the_summary(tmp_path, capsys):
    doc = document(capsys, tmp_path, str(FOUR), *SAMPLED)
    assert doc["schema"] == 2
    plan = doc["plan"]
    assert plan["sampled"] and plan["profiles_possible"] == 625
    assert plan["lineups_per_actor"] == 5
    assert plan["profiles_played"] == len(doc["profiles"]) <= 100
    assert doc["payoffs"] is None
    assert doc["equilibria"] == []
    strategies = FIVE.split(",")
    assert set(doc["actor_summary"]) == {"rus", "gbr", "usa", "fra"}
    for rows in doc["actor_summary"].values():
        assert list(rows) == strategies
        assert sum(row["best_reply_share"] for row in rows.values()) == pytest.approx(1.0)
        for row in rows.values():
            assert row["lineups"] == 5
            lo, hi = row["score_interval"]
            assert lo <= row["mean_score"] <= hi
            assert sum(row["outcomes"].values()) == pytest.approx(1.0)
    # Each actor answers each strategy of each of the three others.
    assert len(doc["marginal_best_responses"]) == 4 * 3 * len(strategies)
    assert doc["verdict"]["best_reply"] is not None
    assert doc["verdict"]["equilibrium"] is None
    assert len(doc["best_responses"]) == 4 * 5, "one per actor and sampled line-up"


def test_check_judges_the_targets_on_a_sample(tmp_path, capsys):
    status, out, _ = run(capsys, str(FOUR), *SAMPLED, "--check", "--quiet")
    assert status == 0
    assert out.splitlines()[-1] == "balance check: 10 of 10 targets met"
    text = FOUR.read_text(encoding="utf-8").replace("max_win_rate: 0.9", "max_win_rate: 0.05")
    strict = tmp_path / "four.yaml"
    strict.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, str(strict), *SAMPLED, "--check", "--quiet")
    assert status == 1
    missed = [line for line in out.splitlines() if line.startswith("MISSED")]
    assert "MISSED: max_win_rate[rus]" in out
    assert all(line.startswith("MISSED: max_win_rate[") for line in missed)
    assert out.splitlines()[-1] == f"balance check: {10 - len(missed)} of 10 targets met"


# -- the figures, checked by brute force ---------------------------------------------------


def by_brute_force(doc: dict, actor: str, lineups: list[dict]) -> dict[str, list[float]]:
    """Each strategy's mean scores against the given line-ups, read from the profiles."""
    scores = {
        tuple(p["strategies"].values()): (p["mean_scores"][actor], p["score_intervals"][actor])
        for p in doc["profiles"]
    }
    actors = doc["actors"]
    result: dict[str, list[float]] = {}
    for strategy in doc["strategies"]:
        for lineup in lineups:
            profile = tuple(strategy if a == actor else lineup[a] for a in actors)
            result.setdefault(strategy, []).append(scores[profile])
    return result


@pytest.mark.parametrize("scenario", [THREE, THREE_EXAMPLE], ids=lambda p: p.name)
def test_a_full_run_summary_is_the_mean_over_every_profile(tmp_path, capsys, scenario):
    strategies = "always_retaliate,always_restrain,tit_for_tat"
    doc = document(capsys, tmp_path, str(scenario), "--strategies", strategies, "--games", "30")
    assert not doc["plan"]["sampled"] and len(doc["profiles"]) == 27
    assert doc["equilibria"], "three actors and every profile: equilibria are searched"
    names = strategies.split(",")
    for actor in doc["actors"]:
        others = [a for a in doc["actors"] if a != actor]
        every = [dict(zip(others, pair, strict=True)) for pair in np.ndindex(3, 3)]
        every = [{a: names[s] for a, s in lineup.items()} for lineup in every]
        brute = by_brute_force(doc, actor, every)
        for strategy, row in doc["actor_summary"][actor].items():
            means = [m for m, _ in brute[strategy]]
            assert row["mean_score"] == pytest.approx(np.mean(means), abs=1e-5)
            # Every line-up played: only the games' noise, sqrt(sum of se^2) / L.
            se = [(hi - lo) / (2 * Z95) for _, (lo, hi) in brute[strategy]]
            half = Z95 * math.sqrt(sum(x * x for x in se)) / len(se)
            lo, hi = row["score_interval"]
            assert (hi - lo) / 2 == pytest.approx(half, rel=1e-3, abs=1e-4)
        # The best reply to each strategy of each other actor, averaged over the third.
        for reply in (r for r in doc["marginal_best_responses"] if r["actor"] == actor):
            ((other, played),) = reply["against"].items()
            cells = {
                s: np.mean(
                    [m for (m, _), lu in zip(brute[s], every, strict=True) if lu[other] == played]
                )
                for s in names
            }
            top = max(cells.values())
            assert reply["payoff"] == pytest.approx(top, abs=1e-5)
            assert reply["best"] == [s for s in names if cells[s] >= top - 1e-9]


def test_a_sampled_summary_is_the_mean_over_its_lineups(tmp_path, capsys):
    doc = document(capsys, tmp_path, str(FOUR), *SAMPLED)
    plan = doc["plan"]
    for actor in doc["actors"]:
        brute = by_brute_force(doc, actor, plan["lineups"][actor])
        best = {s: 0.0 for s in doc["strategies"]}
        for column in range(plan["lineups_per_actor"]):
            values = {s: brute[s][column][0] for s in doc["strategies"]}
            top = max(values.values())
            tied = [s for s, v in values.items() if v >= top - 1e-9]
            for s in tied:
                best[s] += 1 / len(tied) / plan["lineups_per_actor"]
        for strategy, row in doc["actor_summary"][actor].items():
            means = [m for m, _ in brute[strategy]]
            assert row["mean_score"] == pytest.approx(np.mean(means), abs=1e-5)
            # A sample of 5 of the 125 line-ups: the interval counts the spread between them
            # (two-stage: the games' noise weighs only as much as the share sampled).
            n, share = len(means), 5 / 125
            noise = np.mean([((hi - lo) / (2 * Z95)) ** 2 for _, (lo, hi) in brute[strategy]])
            variance = (1 - share) * np.var(means, ddof=1) / n + share * noise / n
            lo, hi = row["score_interval"]
            expected = Z95 * math.sqrt(max(variance, noise / n))
            assert (hi - lo) / 2 == pytest.approx(expected, rel=1e-3, abs=1e-4)
            assert row["best_reply_share"] == pytest.approx(best[strategy], abs=1e-6)
    # The overall share of an outcome: the actors' means of their line-ups' block means.
    outcome = doc["outcome_ids"][0]
    shares = {tuple(p["strategies"].values()): p["outcomes"][outcome] for p in doc["profiles"]}
    per_actor = []
    for actor in doc["actors"]:
        blocks = []
        for lineup in plan["lineups"][actor]:
            cells = [
                shares[tuple(s if a == actor else lineup[a] for a in doc["actors"])]
                for s in doc["strategies"]
            ]
            blocks.append(np.mean(cells))
        per_actor.append(np.mean(blocks))
    assert doc["overall"]["outcomes"][outcome] == pytest.approx(np.mean(per_actor), abs=1e-5)


def test_a_three_actor_run_that_samples_and_checks_its_targets(tmp_path, capsys):
    scenario = tmp_path / "three.yaml"
    targets = "\nbalance:\n  no_dominant_strategy: true\n  mean_turns: [1, 12]\n"
    scenario.write_text(THREE_EXAMPLE.read_text(encoding="utf-8") + targets, encoding="utf-8")
    options = ("--strategies", FIVE, "--games", "10", "--lineups", "4", "--jobs", "1")
    status, out, _ = run(capsys, str(scenario), *options, "--check", "--quiet")
    assert status in (0, 1)
    assert re.fullmatch(r"balance check: \d of 4 targets met", out.splitlines()[-1])
    doc = document(capsys, tmp_path, str(scenario), *options)
    assert doc["plan"]["sampled"]
    assert doc["plan"]["profiles_played"] <= 3 * 4 * 5
    assert [t["name"] for t in doc["targets"]].count("no_dominant_strategy") == 3
