"""`python main.py balance`: a thin command over the balance lab (docs/balance.md).

Every check that can fail on user input (options, scenario, targets, strategy names, output
paths, the Dask scheduler) runs before the first game, so a mistake costs nothing and leaves
nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game.arguments import seed
from game.balance.tournament import DEFAULT_GAMES, LOOKAHEAD_TURNS, MIN_LOOKAHEAD_GAMES
from game.errors import UserError

EXIT_OK, EXIT_MISSED = 0, 1
DASK_CONNECT_TIMEOUT = 10
"""Seconds to wait for a Dask scheduler before giving up."""


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("name at least one strategy, e.g. tit_for_tat,always_wait")
    return names


def add_balance_parser(commands: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "balance",
        help="play every strategy profile and judge balance",
        description="Play every combination of one strategy per actor N times, report outcomes, "
        "scores, lengths, moves and tension with 95% intervals, analyse the meta-game "
        "(dominance, best replies, Nash equilibria), and judge the scenario's balance targets.",
    )
    parser.add_argument("scenario", type=Path, help="scenario file")
    parser.add_argument(
        "--games",
        type=_count,
        default=DEFAULT_GAMES,
        metavar="N",
        help=f"games per profile (default: {DEFAULT_GAMES})",
    )
    parser.add_argument(
        "--lookahead-games",
        type=_count,
        metavar="N",
        help="at most this many games in profiles with a lookahead strategy, whose every "
        f"decision plays rollouts (default: {LOOKAHEAD_TURNS} divided by the scenario's "
        f"max_turns, at least {MIN_LOOKAHEAD_GAMES}: 100 for a 20-turn scenario)",
    )
    parser.add_argument("--seed", type=seed, default=1, metavar="S", help="seed (default: 1)")
    parser.add_argument(
        "--strategies",
        type=_names,
        metavar="A,B,...",
        help="strategies to try for every actor (default: every built-in strategy and every "
        "strategy the scenario names)",
    )
    parser.add_argument(
        "--jobs",
        type=_count,
        default=os.cpu_count() or 1,
        metavar="J",
        help="worker processes (default: one per core); results do not depend on it",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the games on an existing Dask cluster, e.g. tcp://scheduler:8786",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--plot", type=Path, metavar="FILE", help="write a PNG report")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 if any balance target of the scenario is missed",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no tables and no progress bar (--check still reports)"
    )
    return parser


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read {path}: {error}") from None


@contextmanager
def _executor(args: argparse.Namespace) -> Iterator[tuple[Executor | None, str]]:
    if args.dask:
        try:
            from distributed import Client
        except ImportError:
            raise UserError(
                "--dask needs the optional package 'distributed': pip install 'dask[distributed]'"
            ) from None
        try:
            client = Client(args.dask, timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as error:
            raise UserError(f"cannot reach the Dask scheduler at {args.dask}: {error}") from None
        try:
            yield client.get_executor(), f"dask {args.dask}"
        finally:
            client.close()
    elif args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            yield pool, f"{args.jobs} processes"
    else:
        yield None, "1 process"


@contextmanager
def _progress(show: bool) -> Iterator[Any]:
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("playing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("games"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("games", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def run_balance(args: argparse.Namespace) -> int:
    from game.balance.analysis import analyse
    from game.balance.output import check_writable, write_atomic
    from game.balance.targets import load_targets
    from game.balance.tournament import BadStrategy, run_tournament, strategy_set
    from game.scenario.load import load_scenario

    scenario = load_scenario(args.scenario)
    text = _read_text(args.scenario)
    targets = load_targets(scenario)
    if args.check and targets is None:
        raise UserError(
            f"--check: {args.scenario} declares no balance targets (add a 'balance:' section)"
        )
    try:
        strategy_set(scenario, args.strategies)
    except BadStrategy as error:
        raise UserError(f"--strategies: {error}") from None
    for path, option in ((args.json, "--json"), (args.plot, "--plot")):
        if path is not None:
            check_writable(path, option)

    with _executor(args) as (executor, workers), _progress(not args.quiet) as progress:
        tournament = run_tournament(
            scenario,
            text,
            games=args.games,
            seed=args.seed,
            strategies=args.strategies,
            lookahead_games=args.lookahead_games,
            executor=executor,
            progress=progress,
        )
    tournament.workers = workers
    analysis = analyse(tournament)

    if args.json is not None:
        from game.balance.document import build_document

        data = json.dumps(build_document(analysis), indent=1, ensure_ascii=False) + "\n"
        write_atomic(args.json, lambda stream: stream.write(data.encode("utf-8")))
    if args.plot is not None:
        from game.balance.plot import report_figure, save_png

        figure = report_figure(analysis)
        write_atomic(args.plot, lambda stream: save_png(figure, stream))

    if not args.quiet:
        _print_report(analysis)
    if args.check:
        return _check(analysis)
    return EXIT_OK


def _print_report(analysis: Any) -> None:
    from rich.console import Console

    from game.balance.tables import report

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    console.print(report(analysis))
    seconds = analysis.tournament.seconds
    games = sum(p.games for p in analysis.profiles)
    console.print(f"{games} games in {seconds:.1f} s ({analysis.tournament.workers}).")


def _check(analysis: Any) -> int:
    from game.balance.tables import target_line

    missed = [r for r in analysis.targets if not r.met]
    for result in missed:
        print(target_line(result))
    total = len(analysis.targets)
    print(f"balance check: {total - len(missed)} of {total} targets met")
    return EXIT_MISSED if missed else EXIT_OK


__all__ = ["add_balance_parser", "run_balance"]
