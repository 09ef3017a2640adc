"""The command line: what each command prints, its exit status, and one line per user mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SCENARIO_2016, edited, locate

from game.cli import EXIT_NO_DISPLAY, main
from game.engine.engine import Engine
from game.match import play_batch
from game.scenario.load import load_scenario
from game.strategies.registry import STRATEGY_NAMES, make_strategy

SHIPPED = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `python main.py ARGV`, in this process."""
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse exits for --help and usage mistakes
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- no command: the game window -----------------------------------------------------------


@pytest.mark.entry_point
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is for X11")
@pytest.mark.parametrize("argv", [[], ["play"]])
def test_without_a_display_the_game_says_so_in_one_line_and_exits_3(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`main.py` and `main.py play` agree: one line on stderr naming the headless commands, and
    the documented status 3."""
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run(argv, capsys)
    assert code == EXIT_NO_DISPLAY == 3
    assert out == ""
    assert len(err.splitlines()) == 1 and "simulate" in err


@pytest.mark.entry_point
def test_main_py_opens_the_game_window_without_a_traceback() -> None:
    """Under the dummy video driver the window opens and keeps running until it is closed."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    process = subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        code = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None  # still running: the title screen is up
    finally:
        if process.poll() is None:
            process.terminate()
        _, err = process.communicate(timeout=60)
    assert code in (None, 0), err
    assert "Traceback" not in err


# -- validate --------------------------------------------------------------------------------


def test_validate_says_ok_for_every_shipped_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", *SHIPPED], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(SHIPPED)
    for line, path in zip(lines, SHIPPED, strict=True):
        assert line.split() == ["ok", path]


def broken_copy(tmp_path: Path) -> Path:
    """The 2016 scenario with two mistakes: a misspelt key and a value of the wrong type."""
    text = SCENARIO_2016.read_text(encoding="utf-8")
    text = edited(text, "  max_turns: 20", "  max_turns: twenty")
    text = edited(text, "  days_per_turn: 14", "  days_per_turns: 14")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_prints_every_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = broken_copy(tmp_path)
    code, out, _ = run(["validate", str(SCENARIO_2016), str(broken)], capsys)
    assert code == 1  # documented: 0 when every file is valid, 1 otherwise
    lines = out.splitlines()
    assert lines[0].split() == ["ok", str(SCENARIO_2016)]
    problems = lines[1:]
    assert all(line.startswith(f"{broken}:") for line in problems)
    assert any("metadata.max_turns: expected a whole number, got 'twenty'" in p for p in problems)
    assert any(
        "unknown field 'days_per_turns' (did you mean 'days_per_turn'?)" in p for p in problems
    )


def test_validate_checks_every_scenario_file_of_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = broken_copy(tmp_path)
    (tmp_path / "b_good.yml").write_text(SCENARIO_2016.read_text(encoding="utf-8"))
    (tmp_path / "notes.txt").write_text("not a scenario")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "c.yaml").write_text("not checked: folders are not searched")
    code, out, _ = run(["validate", str(tmp_path)], capsys)
    assert code == 1
    lines = out.splitlines()
    checked = [line.split()[1] if line.startswith("ok  ") else line.split(":")[0] for line in lines]
    assert sorted(set(checked)) == sorted([str(broken), str(tmp_path / "b_good.yml")])
    assert f"ok  {tmp_path / 'b_good.yml'}" in out.splitlines()
    (tmp_path / "broken.yaml").unlink()
    code, out, _ = run(["validate", str(tmp_path)], capsys)
    assert code == 0 and out == f"ok  {tmp_path / 'b_good.yml'}\n"


def test_validate_says_so_for_a_folder_without_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["validate", str(tmp_path), str(SCENARIO_2016)], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{tmp_path}: no scenario files (*.yaml, *.yml) in this folder",
        f"ok  {SCENARIO_2016}",
    ]


def test_validate_fails_for_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "no/such/file.yaml"], capsys)
    assert code == 1 and "no/such/file.yaml" in out


# -- simulate --------------------------------------------------------------------------------

RANDOM_PAIR = ["simulate", "--strategy", "random", "--vs", "random:0.3"]


def test_the_transcript_is_the_same_for_the_same_seed(capsys: pytest.CaptureFixture[str]) -> None:
    first = run([*RANDOM_PAIR, "--seed", "3"], capsys)
    again = run([*RANDOM_PAIR, "--seed", "3"], capsys)
    other = run([*RANDOM_PAIR, "--seed", "4"], capsys)
    assert first[0] == again[0] == other[0] == 0
    assert first[1] == again[1]
    assert first[1] != other[1]
    transcript = first[1]
    assert "29 December 2016 - opening moves" in transcript
    assert "Turn 1, 30 December 2016" in transcript
    assert "Washington expels 35 Russian diplomats" in transcript
    assert "Outcome after" in transcript and "Scores:" in transcript


def simulate_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = run(["simulate", "--json", *argv], capsys)
    assert code == 0 and err == ""
    return json.loads(out)


def test_simulate_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(["--seed", "5", "--strategy", "tit_for_tat", "--vs", "random"], capsys)
    assert {"scenario", "seed", "as", "strategies", "turns", "result"} <= set(document)
    assert document["seed"] == 5
    assert document["as"] == "rus"
    assert document["strategies"] == {"rus": "tit_for_tat", "usa": "random"}
    result = document["result"]
    assert {"outcome", "turns_played", "scores"} <= set(result)
    assert set(result["scores"]) == {"rus", "usa"}
    turns = document["turns"]
    assert turns[0]["turn"] == 0  # the opening moves
    assert [t["turn"] for t in turns] == list(range(len(turns)))
    assert result["turns_played"] == len(turns) - 1
    for record in turns:
        assert {"moves", "events", "headlines", "values", "changes"} <= set(record)
    assert turns[0]["moves"][0]["actor"] == "usa"
    assert turns[1]["moves"][0]["kind"] == "retaliate"  # tit-for-tat answers the opening
    assert any(e["id"] == "inauguration" for t in turns for e in t["events"])
    scenario = load_scenario(SCENARIO_2016)
    assert result["outcome"] in {o.id for o in scenario.outcomes}


def test_simulate_plays_the_same_game_as_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    """simulate is a front end: its result is game 0 of the seed on the shared engine."""
    document = simulate_json(
        ["--seed", "12", "--strategy", "random", "--vs", "grim_trigger"], capsys
    )
    scenario = load_scenario(SCENARIO_2016)
    engine = Engine(scenario)
    final = play_batch(engine, [make_strategy("random"), make_strategy("grim_trigger")], seed=12)
    assert document["result"]["turns_played"] == int(final.turn[0])
    assert document["result"]["outcome"] == engine.outcome_id(final, 0)
    scores = engine.scores(final)[0]
    assert document["result"]["scores"] == {
        "rus": pytest.approx(scores[0]),
        "usa": pytest.approx(scores[1]),
    }


def test_simulate_as_another_actor(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(["--as", "usa", "--strategy", "always_wait", "--vs", "random"], capsys)
    assert document["as"] == "usa"
    assert document["strategies"] == {"rus": "random", "usa": "always_wait"}
    assert all(
        m["kind"] == "wait"
        for t in document["turns"][1:]
        for m in t["moves"]
        if m["actor"] == "usa"
    )


def test_simulate_plays_other_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    pd = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    if not pd.exists():
        pytest.skip("scenarios/prisoners_dilemma.yaml does not exist yet")
    argv = ["--scenario", str(pd), "--strategy", "tit_for_tat", "--vs", "always_retaliate"]
    document = simulate_json(argv, capsys)
    assert document["as"] == "row"
    assert document["result"]["turns_played"] == 200
    assert document["result"]["scores"] == {"row": 199, "column": 204}


# -- user mistakes: one line on stderr, exit 2, no traceback -----------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["simulate", "--scenario", "no/such.yaml"], ["no/such.yaml"]),
        (["simulate", "--scenario", "scenarios"], ["scenarios"]),
        (["simulate", "--strategy", "tit_for_tatt"], ["tit_for_tatt", *STRATEGY_NAMES]),
        (["simulate", "--vs", "nobody"], ["nobody", *STRATEGY_NAMES]),
        (["simulate", "--strategy", "random:7"], ["random:7"]),
        (["simulate", "--seed", "abc"], ["--seed", "abc"]),
        (["simulate", "--seed", "-1"], ["--seed", "-1"]),
        (["simulate", "--seed", "1.5"], ["--seed", "1.5"]),
        (["simulate", "--as", "fra"], ["fra", "rus", "usa"]),
        (["simulate", "--bogus"], ["--bogus"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_a_user_mistake_is_one_line_and_exit_2(
    argv: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_a_broken_scenario_for_simulate_is_reported_like_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one_mistake.yaml"
    text = edited(SCENARIO_2016.read_text(encoding="utf-8"), "  max_turns: 20", "  max_turns: x")
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["simulate", "--scenario", str(path)], capsys)
    assert code == 2 and out == ""
    line, column = locate(text, "max_turns: x")
    where = f"{path}:{line}:{column + len('max_turns: ')}"
    assert err.splitlines() == [f"{where}: metadata.max_turns: expected a whole number, got 'x'"]


def test_a_user_mistake_in_a_real_process_has_no_traceback() -> None:
    result = run_process("simulate", "--seed", "abc")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_closed_pipe_is_not_a_traceback() -> None:
    """`python main.py simulate | head`: the reader going away is not an error."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    process = subprocess.Popen(
        [sys.executable, "main.py", "simulate", "--strategy", "random", "--vs", "random"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has already read enough
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["validate"], ["schema"], ["simulate"]])
def test_help_exists_for_every_command(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0 and "usage:" in out


@pytest.mark.parametrize("command", [["balance"], ["history"], ["play"]])
def test_help_exists_for_the_other_commands(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0 and "usage:" in out and "--scenario" in out


# -- the parser stays light --------------------------------------------------------------------

HEAVY = ("numpy", "pydantic", "game.engine", "game.balance.tournament", "game.balance.analysis")


@pytest.mark.parametrize(
    "command", [[], ["balance"], ["history"], ["simulate"], ["play"], ["validate"]]
)
def test_help_imports_neither_the_engine_nor_the_lab_nor_pydantic(command: list[str]) -> None:
    """--help answers at once because building the parser imports nothing heavy."""
    code = (
        "import sys\n"
        "from game.cli import main\n"
        "try:\n"
        f"    main({[*command, '--help']!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "usage:" in done.stdout
    loaded = set(done.stderr.split())
    assert not {m for m in loaded for h in HEAVY if m == h or m.startswith(h + ".")}


# -- arguments shared by every command ---------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("010", 10), ("0", 0), ("7", 7), ("0x2a", 42)])
def test_seeds_in_decimal_with_leading_zeros_or_in_hex(
    text: str, value: int, capsys: pytest.CaptureFixture[str]
) -> None:
    document = simulate_json(["--seed", text, "--strategy", "random", "--vs", "random"], capsys)
    assert document["seed"] == value


def test_vs_gives_each_actor_its_own_strategy(capsys: pytest.CaptureFixture[str]) -> None:
    three = str(ROOT / "tests" / "data" / "three_actors.yaml")
    argv = ["--scenario", three, "--as", "rus", "--strategy", "always_wait"]
    document = simulate_json([*argv, "--vs", "gbr=always_restrain,usa=always_retaliate"], capsys)
    assert document["strategies"] == {
        "rus": "always_wait",
        "gbr": "always_restrain",
        "usa": "always_retaliate",
    }
    kinds = {
        m["actor"]: m["kind"] for t in document["turns"][1:2] for m in t["moves"] if "kind" in m
    }
    assert kinds == {"rus": "wait", "gbr": "restrain", "usa": "retaliate"}
    # An actor left out keeps its default; one strategy still means every other actor.
    partial = simulate_json([*argv, "--vs", "usa=random"], capsys)
    assert partial["strategies"]["usa"] == "random"
    assert partial["strategies"]["gbr"] != "random"
    every = simulate_json([*argv, "--vs", "grim_trigger"], capsys)
    assert every["strategies"] == {
        "rus": "always_wait",
        "gbr": "grim_trigger",
        "usa": "grim_trigger",
    }


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["simulate", "--strategy", "tit_for_tatt"], ["did you mean 'tit_for_tat'?"]),
        (["simulate", "--vs", "lookahed:hard"], ["did you mean 'lookahead:hard'?"]),
        (["simulate", "--vs", "usz=random"], ["unknown actor 'usz'", "did you mean 'usa'?"]),
        (["simulate", "--as", "rsu"], ["did you mean 'rus'?"]),
        (["simulate", "--vs", "rus=random"], ["rus", "--as"]),
        (["simulate", "--vs", "usa"], ["unknown strategy 'usa'"]),
        (["simulate", "--vs", "usa=random,usa=random"], ["twice"]),
        (["balance", "--strategies", "grim_triger"], ["did you mean 'grim_trigger'?"]),
        (["balance", "--plot", "report.txt"], ["--plot", ".png"]),
        (["balance", "--jobs", "2", "--dask", "tcp://127.0.0.1:9"], ["--jobs", "--dask"]),
        (["balance", str(SCENARIO_2016), "--scenario", "other.yaml"], ["once"]),
        (["validate"], ["at least one"]),
    ],
)
def test_mistakes_name_the_fix(
    argv: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    for word in words:
        assert word in err


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "--scenario", "no/such.yaml"],
        ["simulate", "no/such.yaml"],
        ["balance", "--scenario", "no/such.yaml"],
        ["balance", "no/such.yaml"],
        ["history", "no/such.yaml"],
        ["play", "--scenario", "no/such.yaml"],
        ["play", "no/such.yaml"],
        ["play", "--load", "no/such.yaml"],
    ],
)
def test_a_missing_file_is_worded_the_same_by_every_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.endswith(": no/such.yaml: no such file\n"), err
    code, out, _ = run(["validate", "no/such.yaml"], capsys)
    assert code == 1 and out == "no/such.yaml: no such file\n"


def test_scenario_is_an_option_of_every_command_that_reads_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["validate", "--scenario", str(SCENARIO_2016)], capsys)
    assert code == 0 and out.split() == ["ok", str(SCENARIO_2016)]
    # balance: parsed and checked, then stopped before the games by an impossible output file.
    argv = ["balance", "--scenario", str(SCENARIO_2016), "--json", "/no/such/dir/x.json"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "directory /no/such/dir does not exist" in err
    pd = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    assert simulate_json(["--scenario", str(pd)], capsys)["as"] == "row"


def test_every_command_that_reads_a_scenario_takes_it_as_a_bare_file_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pd = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    document = simulate_json([str(pd)], capsys)
    assert document["as"] == "row" and document["scenario"] == str(pd)
    tutorial = ROOT / "scenarios" / "tutorial.yaml"
    code, out, _ = run(["history", str(tutorial), "--seeds", "3", "--json"], capsys)
    assert code == 0 and json.loads(out)["scenario"] == "tutorial"


@pytest.mark.parametrize("command", ["simulate", "balance", "history", "play"])
def test_a_scenario_named_twice_differently_is_refused(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pd = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    code, out, err = run([command, str(pd), "--scenario", str(SCENARIO_2016)], capsys)
    assert code == 2 and out == ""
    assert err.endswith("name the scenario once: --scenario FILE or SCENARIO, not both\n"), err


def test_the_installed_command_names_itself() -> None:
    from game.cli import program_name

    assert program_name("/usr/local/bin/persona-non-grata") == "persona-non-grata"
    assert program_name("main.py") == "main.py"
    assert program_name("/x/game/__main__.py") == "python -m game"


def _script_target() -> str:
    """What the installed `persona-non-grata` runs, as pyproject.toml declares it."""
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, function = scripts["persona-non-grata"].split(":")
    return f"import importlib; sys.exit(importlib.import_module({module!r}).{function}())"


@pytest.mark.parametrize(
    "start",
    [
        "runpy.run_path('main.py', run_name='__main__')",
        "runpy.run_module('game', run_name='__main__')",
        _script_target(),
    ],
    ids=["main.py", "python -m game", "persona-non-grata"],
)
def test_every_way_to_start_the_program_exits_with_its_status_and_leaves_the_rest_to_the_os(
    start: str, tmp_path: Path
) -> None:
    """Each entry point passes the command's status and output on, and freezes what the
    collector tracks before shutting down (else the exit collects the compiled rules' objects,
    a quarter of a second after every command)."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\n")
    code = (
        "import atexit, gc, runpy, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        f"sys.argv = ['main.py', 'validate', {str(broken)!r}]\n"
        f"{start}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert str(broken) in done.stdout + done.stderr
    assert done.stderr.splitlines()[-1] == "frozen True"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_game_starts_no_idle_linear_algebra_threads() -> None:
    probe = (
        "import os, game, numpy, scipy.linalg; "
        "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["1", "1"], out.stderr
    env["OPENBLAS_NUM_THREADS"] = "2"
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert out.stdout.split()[0] == "2", out.stderr
