"""Argument types and checks shared by every command, so that a seed, a file or a strategy name
means the same everywhere and a mistake is worded the same way whichever command made it.

This module is imported while the parser is built, so it imports nothing heavy at module level:
`--help` must not pay for the engine, the balance lab or pydantic.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

from game.errors import UserError


def seed(text: str) -> int:
    """A seed: a whole number from 0 to 2**63-1, in decimal (leading zeros are fine, so 010 is
    ten) or with a 0x, 0o or 0b prefix."""
    stripped = text.strip().replace("_", "")
    try:
        value = int(stripped, 10) if stripped.isdigit() else int(stripped, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be a whole number, got '{text}'") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"the seed must be between 0 and 2**63-1, got {value}")
    return value


def count(text: str) -> int:
    """A count of games or processes: a whole number, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def names(text: str) -> list[str]:
    """A comma-separated list of strategy names."""
    found = [name.strip() for name in text.split(",") if name.strip()]
    if not found:
        raise argparse.ArgumentTypeError("name at least one strategy, e.g. tit_for_tat,always_wait")
    return found


def opponents(text: str) -> dict[str, str] | str:
    """`--vs`: one strategy for every other actor (`tit_for_tat`), or one per actor
    (`usa=tit_for_tat,chn=random:0.2`); the actors are checked once the scenario is known."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("name a strategy, or ACTOR=STRATEGY,... for each actor")
    if len(parts) == 1 and "=" not in parts[0]:
        return parts[0]
    chosen: dict[str, str] = {}
    for part in parts:
        actor, equals, strategy = (piece.strip() for piece in part.partition("="))
        if not equals or not actor or not strategy:
            raise argparse.ArgumentTypeError(
                f"expected ACTOR=STRATEGY,... (e.g. usa=tit_for_tat,chn=random), got '{part}'"
            )
        if actor in chosen:
            raise argparse.ArgumentTypeError(f"actor '{actor}' is given twice")
        chosen[actor] = strategy
    return chosen


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_actor(actor: str, actors: Sequence[str], option: str) -> None:
    """Raise UserError for an actor id the scenario does not have."""
    if actor not in actors:
        raise UserError(
            f"{option}: unknown actor '{actor}'{did_you_mean(actor, actors)}; "
            f"this scenario's actors: {', '.join(actors)}"
        )


def check_strategy(name: str, option: str) -> None:
    """Raise UserError unless `name` builds a strategy (`tit_for_tat`, `lookahead:hard`...)."""
    from game.strategies.registry import STRATEGY_NAMES, UnknownStrategy, make_strategy

    try:
        make_strategy(name)
    except UnknownStrategy as error:
        base, colon, parameter = name.partition(":")
        if base in STRATEGY_NAMES:  # the name is right, its parameter is not
            raise UserError(f"{option}: {error}") from None
        hint = did_you_mean(base, STRATEGY_NAMES)
        if hint and colon:
            hint = hint.replace("'?)", f":{parameter}'?)")
        raise UserError(
            f"{option}: unknown strategy '{name}'{hint}; choose from {', '.join(STRATEGY_NAMES)}"
        ) from None


def missing_file(path: Path | str) -> str:
    """The one wording for a file that is not there (or is not a file), used by every command."""
    path = Path(path)
    if path.is_dir():
        return f"{path}: is a directory, not a file"
    return f"{path}: no such file"


def require_file(path: Path | str) -> Path:
    """`path` if it is a readable file; otherwise UserError in the one wording."""
    path = Path(path)
    if not path.is_file():
        raise UserError(missing_file(path))
    return path


def add_scenario_arguments(parser: argparse.ArgumentParser, default_scenario: Path) -> None:
    """The scenario of a command that studies one: `--scenario FILE` or a bare SCENARIO, as
    people type either (`balance scenarios/x.yaml`); `scenario_path` reads them."""
    parser.add_argument(
        "scenario_file", nargs="?", type=Path, metavar="SCENARIO", help="same as --scenario"
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        metavar="FILE",
        help=f"scenario file (default: {default_scenario.name})",
    )
    parser.set_defaults(default_scenario=default_scenario)


def named_scenario(args: argparse.Namespace) -> Path | None:
    """The scenario named by `--scenario` or the positional SCENARIO (not both), or None if
    neither was given (`play` then offers its own default and the title shows it as such)."""
    both = args.scenario is not None and args.scenario_file is not None
    if both and args.scenario != args.scenario_file:
        raise UserError("name the scenario once: --scenario FILE or SCENARIO, not both")
    return args.scenario or args.scenario_file


def scenario_path(args: argparse.Namespace) -> Path:
    """The scenario named on the command line, else the command's default one."""
    return named_scenario(args) or args.default_scenario
