"""`python main.py balance`: targets with --check, reproducible JSON, executors, bad input.

Runs are kept small: the April 2021 scenario (8 turns), three strategies, a few dozen games.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "worked_example.yaml"
FAST = ["--strategies", "always_retaliate,always_restrain,tit_for_tat", "--games", "40"]


def scenario_with_targets(tmp_path: Path, targets: str) -> Path:
    """The April 2021 scenario with its balance section replaced by `targets`."""
    text = SCENARIO.read_text(encoding="utf-8").split("\nbalance:")[0].rstrip("\n")
    path = tmp_path / "scenario.yaml"
    path.write_text(f"{text}\n\nbalance:\n{targets}", encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["balance", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def without_timing(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert "timing" in document
    del document["timing"]
    return document


# -- the JSON document -------------------------------------------------------------------------


def test_json_document_carries_seed_hash_version_and_every_profile(tmp_path, capsys):
    from game import __version__
    from game.scenario.load import load_scenario

    out = tmp_path / "report.json"
    status, _, _ = run(
        capsys, str(SCENARIO), *FAST, "--seed", "7", "--jobs", "1", "--json", str(out), "--quiet"
    )
    assert status == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["seed"] == 7
    assert document["version"] == __version__
    assert document["scenario_sha256"] == load_scenario(SCENARIO).sha256
    profiles = document["profiles"]
    assert len(profiles) == 9
    assert profiles[1]["strategies"] == {"rus": "always_retaliate", "usa": "always_restrain"}
    for profile in profiles:
        assert profile["games"] == 40
        assert sum(profile["outcomes"].values()) == pytest.approx(1.0)
        assert sum(profile["lengths"]) == 40
        assert set(profile["mean_scores"]) == {"rus", "usa"}
        lo, hi = profile["turns_interval"]
        assert lo <= profile["mean_turns"] <= hi
    assert document["equilibria"], "every finite game has an equilibrium"
    assert set(document["verdict"]) >= {"balanced", "equilibrium", "lookahead", "text"}


def test_same_seed_gives_the_same_document_whatever_the_jobs(tmp_path, capsys):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(one), "--quiet")[0] == 0
    assert run(capsys, str(SCENARIO), *FAST, "--jobs", "2", "--json", str(two), "--quiet")[0] == 0
    assert without_timing(one) == without_timing(two)


def test_another_seed_plays_other_games(tmp_path, capsys):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(one), "--quiet")
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--seed", "2", "--json", str(two), "--quiet")
    assert without_timing(one)["profiles"] != without_timing(two)["profiles"]


def test_a_profile_plays_the_same_games_whatever_else_is_in_the_run(tmp_path, capsys):
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    run(
        capsys,
        str(SCENARIO),
        "--strategies",
        "tit_for_tat",
        "--games",
        "40",
        "--jobs",
        "1",
        "--json",
        str(small),
        "--quiet",
    )
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(large), "--quiet")
    alone = without_timing(small)["profiles"][0]
    among = [
        p
        for p in without_timing(large)["profiles"]
        if p["strategies"] == {"rus": "tit_for_tat", "usa": "tit_for_tat"}
    ]
    assert among == [alone]


def test_dask_executor_gives_the_same_document(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local.json", tmp_path / "dask.json"
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(local), "--quiet")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        status, _, _ = run(
            capsys,
            str(SCENARIO),
            *FAST,
            "--dask",
            cluster.scheduler_address,
            "--json",
            str(remote),
            "--quiet",
        )
    assert status == 0
    assert without_timing(local) == without_timing(remote)
    assert json.loads(remote.read_text())["timing"]["workers"].startswith("dask")


def test_lookahead_profiles_play_fewer_games_and_say_so(tmp_path, capsys):
    out = tmp_path / "report.json"
    status, _, _ = run(
        capsys,
        str(SCENARIO),
        "--strategies",
        "always_wait,lookahead:easy",
        "--games",
        "6",
        "--lookahead-games",
        "2",
        "--jobs",
        "1",
        "--json",
        str(out),
        "--quiet",
    )
    assert status == 0
    games = {
        tuple(p["strategies"].values()): (p["games"], p["note"])
        for p in json.loads(out.read_text())["profiles"]
    }
    assert games[("always_wait", "always_wait")] == (6, None)
    for profile in [("always_wait", "lookahead:easy"), ("lookahead:easy", "lookahead:easy")]:
        assert games[profile][0] == 2
        assert "lookahead" in games[profile][1]


def test_tables_and_plot(tmp_path, capsys):
    plot = tmp_path / "report.png"
    status, out, _ = run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--plot", str(plot))
    assert status == 0
    assert plot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    for heading in ("profiles", "Dominated", "Best replies", "Nash equilibria", "verdict"):
        assert heading in out
    assert not list(tmp_path.glob(".*tmp")), "no temporary file is left behind"


# -- balance targets ---------------------------------------------------------------------------

PASSING = """\
  no_dominant_strategy: false
  mean_turns: [1, 8]
  outcome_share: {rupture: [0, 1], turn_limit: [0, 1]}
"""
FAILING = """\
  max_win_rate: 0.2
  mean_turns: [7.9, 8]
  outcome_share: {rupture: [0, 0.01], thaw: [0, 1]}
"""


def test_check_passes_when_every_target_is_met(tmp_path, capsys):
    path = scenario_with_targets(tmp_path, PASSING)
    status, out, _ = run(capsys, str(path), *FAST, "--jobs", "1", "--check", "--quiet")
    assert status == 0
    assert "3 of 3 targets met" in out
    assert "MISSED" not in out


def test_check_fails_naming_each_missed_target_with_figure_and_interval(tmp_path, capsys):
    path = scenario_with_targets(tmp_path, FAILING)
    status, out, _ = run(capsys, str(path), *FAST, "--jobs", "1", "--check", "--quiet")
    assert status == 1
    missed = [line for line in out.splitlines() if line.startswith("MISSED")]
    names = {line.split(" = ")[0].removeprefix("MISSED: ") for line in missed}
    assert {"max_win_rate[usa]", "mean_turns", "outcome_share[rupture]"} <= names
    assert "outcome_share[thaw]" not in names
    assert all("95% interval" in line for line in missed)


def test_target_judged_on_the_interval_not_the_point(tmp_path, capsys):
    # Find the measured rupture share, then set a target just beyond it but inside its interval.
    out = tmp_path / "report.json"
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(out), "--quiet")
    overall = json.loads(out.read_text())["overall"]
    share = overall["outcomes"]["rupture"]
    lo, hi = overall["outcome_intervals"]["rupture"]
    assert lo < share < hi
    upper = (lo + share) / 2  # below the estimate, above the interval's lower end
    path = scenario_with_targets(tmp_path, f"  outcome_share: {{rupture: [0, {upper:.6f}]}}\n")
    assert run(capsys, str(path), *FAST, "--jobs", "1", "--check", "--quiet")[0] == 0
    path = scenario_with_targets(tmp_path, f"  outcome_share: {{rupture: [0, {lo / 2:.6f}]}}\n")
    assert run(capsys, str(path), *FAST, "--jobs", "1", "--check", "--quiet")[0] == 1


def test_every_action_used(tmp_path, capsys):
    path = scenario_with_targets(tmp_path, "  every_action_used: true\n")
    status, out, _ = run(capsys, str(path), *FAST, "--jobs", "1", "--check", "--quiet")
    # Three strategies never wait, so no waiting variant is ever played.
    assert status == 1
    assert "every_action_used" in out


# -- bad input ---------------------------------------------------------------------------------


def assert_one_line_error(status: int, err: str, *words: str) -> None:
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0]


def expect_exit(capsys, *argv: str) -> tuple[int, str]:
    """Parse errors exit through SystemExit; later ones return a status."""
    try:
        status = main(["balance", *argv])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, capsys.readouterr().err


@pytest.mark.parametrize("games", ["0", "-3", "many"])
def test_bad_game_count(capsys, games):
    status, err = expect_exit(capsys, str(SCENARIO), "--games", games)
    assert_one_line_error(status, err, "--games")


def test_unknown_strategy(capsys):
    status, err = expect_exit(capsys, str(SCENARIO), "--strategies", "tit_for_tat,tit_for_tot")
    assert_one_line_error(status, err, "tit_for_tot")


def test_unwritable_output_writes_nothing(tmp_path, capsys):
    target = tmp_path / "missing" / "report.json"
    status, err = expect_exit(capsys, str(SCENARIO), *FAST, "--json", str(target))
    assert_one_line_error(status, err, str(target))
    assert not target.parent.exists()


def test_output_into_a_directory_is_refused(tmp_path, capsys):
    status, err = expect_exit(capsys, str(SCENARIO), *FAST, "--plot", str(tmp_path))
    assert_one_line_error(status, err, "directory")


def test_invalid_scenario(capsys):
    broken = ROOT / "tests" / "data" / "broken" / "wrong_type.yaml"
    status, err = expect_exit(capsys, str(broken), *FAST)
    assert_one_line_error(status, err, "wrong_type.yaml", "max_turns")


def test_missing_scenario(tmp_path, capsys):
    status, err = expect_exit(capsys, str(tmp_path / "nowhere.yaml"), *FAST)
    assert_one_line_error(status, err, "nowhere.yaml")


def test_unknown_outcome_in_targets_is_located(tmp_path, capsys):
    path = scenario_with_targets(tmp_path, "  outcome_share: {ruptur: [0, 0.5]}\n")
    status, err = expect_exit(capsys, str(path), *FAST)
    assert_one_line_error(status, err, "balance.outcome_share.ruptur", "unknown outcome")
    line = int(err.split(":")[1])
    assert path.read_text().splitlines()[line - 1].lstrip().startswith("outcome_share")


def test_check_without_targets(tmp_path, capsys):
    text = SCENARIO.read_text(encoding="utf-8").split("\nbalance:")[0]
    path = tmp_path / "plain.yaml"
    path.write_text(text, encoding="utf-8")
    status, err = expect_exit(capsys, str(path), *FAST, "--check")
    assert_one_line_error(status, err, "no balance targets")


def test_unreachable_dask_scheduler(capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("game.balance.command.DASK_CONNECT_TIMEOUT", 1)
    status, err = expect_exit(capsys, str(SCENARIO), *FAST, "--dask", "tcp://127.0.0.1:9")
    assert_one_line_error(status, err, "Dask")


def test_batch_size_changes_the_speed_not_the_counts(tmp_path, capsys, monkeypatch):
    whole, pieces = tmp_path / "whole.json", tmp_path / "pieces.json"
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(whole), "--quiet")
    monkeypatch.setattr("game.balance.tournament.CHUNK", 7)
    run(capsys, str(SCENARIO), *FAST, "--jobs", "1", "--json", str(pieces), "--quiet")
    exact = ("games", "outcomes", "lengths", "kinds", "variants", "variant_games", "win_shares")
    profiles = zip(
        without_timing(whole)["profiles"], without_timing(pieces)["profiles"], strict=True
    )
    for a, b in profiles:
        assert {key: a[key] for key in exact} == {key: b[key] for key in exact}
        assert a["tension_percentiles"] == b["tension_percentiles"]
        for actor, score in a["mean_scores"].items():
            assert b["mean_scores"][actor] == pytest.approx(score, abs=1e-6)


def test_reversed_range_in_targets(tmp_path, capsys):
    path = scenario_with_targets(tmp_path, "  mean_turns: [8, 3]\n")
    status, err = expect_exit(capsys, str(path), *FAST)
    assert_one_line_error(status, err, "balance.mean_turns", "lower bound")


# -- the terminal ------------------------------------------------------------------------------


def test_at_80_columns_the_tables_fit_with_short_names_and_whole_numbers(capsys, monkeypatch):
    from game.balance.tables import SHORT_NAMES

    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = run(capsys, str(SCENARIO), *FAST, "--jobs", "1")
    assert status == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in out
    assert "always_" not in "\n".join(line for line in lines if not line.startswith("Short"))
    tables = out[: out.index("Short names:")]
    assert not re.search(r"\d\.\d", tables), "every number in the tables is whole"
    for name in ("always_retaliate", "always_restrain", "tit_for_tat"):
        assert f"{SHORT_NAMES[name]} = {name}" in " ".join(lines)


def test_a_wide_terminal_gets_full_names_and_intervals(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    status, out, _ = run(capsys, str(SCENARIO), *FAST, "--jobs", "1")
    assert status == 0
    assert "always_retaliate" in out and "Short names" not in out
    assert re.search(r"\d+\.\d% \[\d+\.\d–\d+\.\d\]", out)


def test_short_names_are_unique_and_cover_every_strategy():
    from game.balance.tables import SHORT_NAMES, short_name
    from game.strategies.registry import STRATEGY_NAMES

    assert set(SHORT_NAMES) == set(STRATEGY_NAMES)
    assert len(set(SHORT_NAMES.values())) == len(SHORT_NAMES)
    assert short_name("lookahead:hard") == "Look:hard"


# -- Ctrl-C ------------------------------------------------------------------------------------


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _threads(pid: int) -> int:
    path = Path(f"/proc/{pid}/task")
    return len(list(path.iterdir())) if path.exists() else 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_at_once_without_traceback_workers_or_output(tmp_path, jobs):
    """The terminal sends SIGINT to the whole foreground group; nothing of it may be left."""
    report = tmp_path / "report.json"
    process = subprocess.Popen(
        [
            *(sys.executable, "main.py", "balance", str(SCENARIO), "--games", "1000000"),
            *("--strategies", "tit_for_tat,always_wait", "--jobs", jobs, "--json", str(report)),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As in a terminal: a suite started in the background (`pytest &`, nohup) ignores
        # SIGINT, and its children would inherit that and never see the Ctrl-C.
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    deadline = time.monotonic() + 60
    # With --jobs 2 the games run on two more threads: wait for them.
    threads = 1 if jobs == "1" else 1 + int(jobs)
    while time.monotonic() < deadline and _threads(process.pid) < threads:
        time.sleep(0.1)
    time.sleep(2)  # into the games
    assert process.poll() is None, process.communicate()
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    seconds = time.monotonic() - sent
    assert process.returncode == 130
    assert out == ""
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert not report.exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing left of the group
    # The promise is 2 s (measured: under 0.1 s); the margin is for a busy machine.
    assert seconds < 5, seconds


def test_six_actors_are_sampled_and_a_sample_too_large_is_refused_in_one_line(tmp_path, capsys):
    """Six actors and every strategy are a million profiles; a run samples line-ups instead
    (it used to refuse, and before that to exhaust memory), and only a --lineups that would
    play more than MAX_PROFILES profiles is refused, before any game."""
    import yaml

    from game.balance.command import MAX_PROFILES
    from game.balance.plan import make_plan
    from game.strategies.registry import STRATEGY_NAMES

    data = yaml.safe_load((ROOT / "tests" / "data" / "three_actors.yaml").read_text())
    for number in range(3, 6):
        actor = {**data["actors"][2], "id": f"extra{number}", "name": f"Extra {number}"}
        data["actors"].append(actor)
        data["scoring"][actor["id"]] = data["scoring"][data["actors"][2]["id"]]
    path = tmp_path / "six.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = make_plan(6, STRATEGY_NAMES, seed=1)
    assert plan.sampled
    assert len(plan.profiles) <= 6 * 20 * len(STRATEGY_NAMES) < MAX_PROFILES
    status, err = expect_exit(capsys, str(path), "--lineups", "1000")
    assert_one_line_error(status, err, "--lineups 1000", "6 actors", "give fewer")
