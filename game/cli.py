"""The command line: play, validate, schema, simulate, balance, history.

This is the one place where errors meant for people are caught and printed as single lines;
anything else that escapes is a bug and shows its traceback. Building the parser imports
nothing heavy (no engine, no balance lab, no pydantic), so `--help` answers at once; each
command imports what it needs when it runs.

Exit status, the same for every command: 0 success; 1 invalid input found by `validate` or a
missed target under `balance --check`; 2 a mistake in the command or its files; 3 the game
window cannot open (no display); 130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from game import __version__, data_dir
from game.arguments import (
    add_scenario_arguments,
    check_actor,
    check_strategy,
    missing_file,
    named_scenario,
    opponents,
    require_file,
    scenario_path,
    seed,
)
from game.errors import ScenarioError, UserError

DEFAULT_SCENARIO = data_dir("scenarios") / "expulsion_2016.yaml"
SCHEMA_PATH = data_dir("scenarios") / "scenario.schema.json"

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NO_DISPLAY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def program_name(argv0: str | None = None) -> str:
    """How the user started us, for usage lines and error messages: `main.py` from a checkout,
    `persona-non-grata` when installed, `python -m game` as a module."""
    name = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "")).name
    if name == "__main__.py":
        return "python -m game"
    return name if name in ("main.py", "persona-non-grata") else "persona-non-grata"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog or program_name(),
        description="Persona Non Grata: a turn-based game of diplomatic reciprocity. "
        "Without a command, the game starts.",
        epilog="Exit status: 0 success; 1 invalid scenario (validate) or missed target "
        "(balance --check); 2 a mistake in the command or its files; 3 no display for the "
        "game window; 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    validate = commands.add_parser("validate", help="check scenario files and list every problem")
    validate.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="scenario files, or folders whose scenario files are all checked",
    )
    validate.add_argument(
        "--scenario",
        dest="more_files",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a scenario file to check (may be repeated; same as FILE)",
    )

    schema = commands.add_parser("schema", help="write the JSON Schema editors use")
    schema.add_argument(
        "--output",
        type=Path,
        default=SCHEMA_PATH,
        help="where to write (default: scenario.schema.json beside the shipped scenarios)",
    )

    simulate = commands.add_parser(
        "simulate", help="play one game between strategies and print it turn by turn"
    )
    add_scenario_arguments(simulate, DEFAULT_SCENARIO)
    simulate.add_argument("--seed", type=seed, default=1, help="random seed (default: 1)")
    simulate.add_argument(
        "--as", dest="actor", help="actor played by --strategy (default: the scenario's player)"
    )
    simulate.add_argument(
        "--strategy",
        help="strategy of the --as actor (default: the scenario's default for it, else lookahead)",
    )
    simulate.add_argument(
        "--vs",
        type=opponents,
        metavar="STRATEGY | ACTOR=STRATEGY,...",
        help="one strategy for every other actor, or one per actor, e.g. usa=tit_for_tat,"
        "chn=random (default: each one's scenario default, else tit_for_tat)",
    )
    simulate.add_argument("--json", action="store_true", help="print one JSON document instead")

    from game.balance.command import add_balance_parser
    from game.history.command import add_history_parser
    from game.ui.command import add_play_parser

    add_balance_parser(commands, DEFAULT_SCENARIO)
    add_history_parser(commands, DEFAULT_SCENARIO)
    add_play_parser(commands, DEFAULT_SCENARIO)
    return parser


def run() -> int:
    """The program itself (`python main.py`, `python -m game`, `persona-non-grata`): `main` on
    the process's arguments, then a quick exit. Shutting down, Python collects every object it
    tracks, and once the compiled rules are loaded there are so many that this took 0.15 to
    0.25 s after each command (a `simulate` took 1.04 s instead of 0.87); frozen, they
    are left to the operating system, which takes the whole memory back at once. Only the
    collection of cycles is skipped: files are closed and the output flushed as before."""
    status = main()
    gc.freeze()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return _dispatch(args, parser.prog)
    except KeyboardInterrupt:
        # Ctrl-C: whatever was running has been stopped and nothing was written.
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace, prog: str) -> int:
    try:
        if args.command is None:
            from game.ui.command import run_default

            return run_default()
        if args.command == "play":
            from game.saves import SLOTS
            from game.ui.command import run_play

            given = named_scenario(args)
            if given is not None:
                require_file(given)
            if args.load is not None and args.load not in SLOTS:
                require_file(args.load)
            return run_play(args)
        if args.command == "validate":
            return _validate([*args.files, *args.more_files])
        if args.command == "schema":
            return _schema(args.output)
        if args.command == "simulate":
            _prepare_engine()
            return _simulate(args)
        if args.command == "balance":
            from game.balance.command import run_balance

            _prepare_engine()
            return run_balance(args)
        if args.command == "history":
            from game.history.command import run_history

            _prepare_engine()
            return run_history(args)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    except UserError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    raise AssertionError(f"unhandled command {args.command}")


def _prepare_engine() -> None:
    """The first run after an install compiles the rules: say so on stderr before the wait,
    so the terminal never seems stuck (stdout stays the command's own output)."""
    from game.engine.warmup import ensure_prepared

    ensure_prepared(lambda notice: print(notice, file=sys.stderr, flush=True))


def _validate(files: Sequence[Path]) -> int:
    if not files:
        raise UserError("validate: name at least one scenario file")
    from game.scenario.load import load_scenario

    status = EXIT_OK
    for file in _scenario_files(files):
        if file.is_dir():
            status = EXIT_INVALID
            print(f"{file}: no scenario files (*.yaml, *.yml) in this folder")
            continue
        if not file.is_file():
            status = EXIT_INVALID
            print(missing_file(file))
            continue
        try:
            scenario = load_scenario(file)
        except ScenarioError as error:
            status = EXIT_INVALID
            for problem in error.problems:
                print(problem)
        else:
            for warning in scenario.warnings:
                print(warning)
            print(f"ok  {file}")
    return status


def _scenario_files(paths: Sequence[Path]) -> list[Path]:
    """The files to check: each file named, and the scenario files of each folder named (not its
    subfolders), in name order, as authors keep a folder of them. A folder without any stays
    in the list, to be reported."""
    files: list[Path] = []
    for path in paths:
        found = (
            sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if path.is_dir()
            else []
        )
        files.extend(found or [path])
    return files


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _schema(output: Path) -> int:
    from game.scenario.schema import schema_text

    try:
        output.write_text(schema_text(), encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror}") from None
    print(f"wrote {_shown(output)}")
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from game.scenario.load import load_scenario
    from game.simulate import run_game, transcript
    from game.strategies.registry import make_strategy

    path = require_file(scenario_path(args))
    scenario = load_scenario(path)
    actors = scenario.actor_ids
    actor_id = args.actor or scenario.model.metadata.player_actor
    check_actor(actor_id, actors, "--as")
    per_actor = args.vs if isinstance(args.vs, dict) else {}
    for other in per_actor:
        check_actor(other, actors, "--vs")
        if other == actor_id:
            raise UserError(
                f"--vs: {other} is the --as actor, whose strategy --strategy sets; "
                "name the other actors"
            )
    names = {}
    for index, actor in enumerate(actors):
        if actor == actor_id:
            chosen, option, fallback = args.strategy, "--strategy", "lookahead"
        else:
            chosen = per_actor.get(actor) if per_actor else args.vs
            option, fallback = "--vs", "tit_for_tat"
        if chosen is not None:
            check_strategy(chosen, option)
        names[actor] = chosen or scenario.default_strategy(index) or fallback
    strategies = [make_strategy(names[a]) for a in actors]
    game = run_game(scenario, strategies, seed=args.seed)
    if args.json:
        document = game.to_json(scenario_path=str(path), as_actor=actor_id, names=names)
        print(json.dumps(document, indent=1, ensure_ascii=False))
    else:
        print(transcript(scenario, game, names, seed=args.seed))
    return EXIT_OK
