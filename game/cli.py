"""The command line: play, validate, schema, simulate.

This is the one place where errors meant for people are caught and printed as single lines;
anything else that escapes is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from game import __version__
from game.arguments import seed
from game.errors import ScenarioError, UserError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "expulsion_2016.yaml"
SCHEMA_PATH = ROOT / "scenarios" / "scenario.schema.json"

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
        description="Persona Non Grata: a turn-based game of diplomatic reciprocity. "
        "Without a command, the game starts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    validate = commands.add_parser("validate", help="check scenario files and list every problem")
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")

    schema = commands.add_parser("schema", help="write the JSON Schema editors use")
    schema.add_argument(
        "--output", type=Path, default=SCHEMA_PATH, help=f"where to write (default: {SCHEMA_PATH})"
    )

    simulate = commands.add_parser(
        "simulate", help="play one game between strategies and print it turn by turn"
    )
    simulate.add_argument(
        "--scenario", type=Path, default=DEFAULT_SCENARIO, help="scenario file (default: 2016)"
    )
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
        help="strategy of every other actor (default: each one's scenario default, else "
        "tit_for_tat)",
    )
    simulate.add_argument("--json", action="store_true", help="print one JSON document instead")

    from game.balance.command import add_balance_parser
    from game.ui.command import add_play_parser

    add_balance_parser(commands)
    add_play_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    try:
        if args.command is None:
            from game.ui.command import run_default

            return run_default()
        if args.command == "play":
            from game.ui.command import run_play

            return run_play(args)
        if args.command == "validate":
            return _validate(args.files)
        if args.command == "schema":
            return _schema(args.output)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "balance":
            from game.balance.command import run_balance

            return run_balance(args)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    except UserError as error:
        print(f"main.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    raise AssertionError(f"unhandled command {args.command}")


def _validate(files: Sequence[str]) -> int:
    from game.scenario.load import load_scenario

    status = EXIT_OK
    for file in files:
        try:
            load_scenario(file)
        except ScenarioError as error:
            status = EXIT_INVALID
            for problem in error.problems:
                print(problem)
        else:
            print(f"ok  {file}")
    return status


def _schema(output: Path) -> int:
    from game.scenario.schema import schema_text

    try:
        output.write_text(schema_text(), encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror}") from None
    print(f"wrote {output}")
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from game.scenario.load import load_scenario
    from game.simulate import run_game, transcript
    from game.strategies.registry import UnknownStrategy, make_strategy

    scenario = load_scenario(args.scenario)
    actor_id = args.actor or scenario.model.metadata.player_actor
    if actor_id not in scenario.actor_ids:
        raise UserError(
            f"unknown actor '{actor_id}' for --as; choose from {', '.join(scenario.actor_ids)}"
        )
    try:
        names = {}
        for index, actor in enumerate(scenario.actor_ids):
            chosen = args.strategy if actor == actor_id else args.vs
            fallback = "lookahead" if actor == actor_id else "tit_for_tat"
            names[actor] = chosen or scenario.default_strategy(index) or fallback
        strategies = [make_strategy(names[a]) for a in scenario.actor_ids]
    except UnknownStrategy as error:
        raise UserError(str(error)) from None
    game = run_game(scenario, strategies, seed=args.seed)
    if args.json:
        document = game.to_json(scenario_path=str(args.scenario), as_actor=actor_id, names=names)
        print(json.dumps(document, indent=1, ensure_ascii=False))
    else:
        print(transcript(scenario, game, names, seed=args.seed))
    return EXIT_OK
