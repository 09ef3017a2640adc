"""`python main.py balance`: a thin command over the balance lab (docs/balance.md).

Every check that can fail on user input (options, scenario, targets, strategy names, output
paths, the Dask scheduler and its workers) runs before the first game, so a mistake costs
nothing and leaves nothing half-written. Ctrl-C stops the run at once: worker processes are
ended rather than waited for, and nothing is printed or written.

Building the parser imports nothing from the lab, so that `--help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game.arguments import add_scenario_arguments, count, names, scenario_path, seed
from game.balance.defaults import (
    DEFAULT_GAMES,
    LINEUPS,
    LOOKAHEAD_DECISIONS,
    LOOKAHEAD_TURNS,
    MIN_LOOKAHEAD_GAMES,
    SAMPLE_GAMES,
    SAMPLE_LOOKAHEAD_DECISIONS,
    SAMPLE_MIN_LOOKAHEAD_GAMES,
)
from game.errors import UserError

EXIT_OK, EXIT_MISSED = 0, 1
DASK_CONNECT_TIMEOUT = 10
"""Seconds to wait for a Dask scheduler, and for its first worker, before giving up."""
BIND_NOTICE = (
    "Preparing the rules for this scenario's structure "
    "(about a minute, once for each structure; later runs load them)..."
)
BIND_HINT = (
    "Tip: --bind compiles the rules for this scenario's structure once (about a minute); "
    "every run after that takes about 40% less time, without being asked."
)
HINT_AFTER_SECONDS = 5.0
"""A run shorter than this does not suggest --bind: the compile would not repay itself soon."""


def add_balance_parser(commands: Any, default_scenario: Path) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "balance",
        help="play the strategy profiles and judge balance",
        description="Play every combination of one strategy per actor N times (or, when there "
        "are too many, every strategy of each actor against a seeded sample of the others' "
        "line-ups), report outcomes, scores, lengths, moves and tension with 95% intervals, "
        "analyse the meta-game (dominance, best replies, Nash equilibria), and judge the "
        "scenario's balance targets.",
    )
    add_scenario_arguments(parser, default_scenario)
    parser.add_argument(
        "--games",
        type=count,
        metavar="N",
        help=f"games per profile (default: {DEFAULT_GAMES}, or {SAMPLE_GAMES} when the run "
        "samples)",
    )
    parser.add_argument(
        "--lookahead-games",
        type=count,
        metavar="N",
        help="at most this many games in profiles with a lookahead strategy, whose every "
        f"decision plays rollouts (default: {LOOKAHEAD_TURNS} divided by the scenario's "
        "max_turns, 100 for a 20-turn scenario, or fewer to keep the run's lookahead decisions "
        f"under {LOOKAHEAD_DECISIONS:,}, at least {MIN_LOOKAHEAD_GAMES}; in a sample under "
        f"{SAMPLE_LOOKAHEAD_DECISIONS:,}, at least {SAMPLE_MIN_LOOKAHEAD_GAMES})",
    )
    parser.add_argument(
        "--lineups",
        type=count,
        metavar="L",
        help="when there are more profiles than actors x L x strategies, play each actor's "
        "strategies against L line-ups of the others' strategies drawn with the seed instead "
        f"of every profile (default: {LINEUPS})",
    )
    parser.add_argument("--seed", type=seed, default=1, metavar="S", help="seed (default: 1)")
    parser.add_argument(
        "--strategies",
        type=names,
        metavar="A,B,...",
        help="strategies to try for every actor (default: every built-in strategy and every "
        "strategy the scenario names)",
    )
    parser.add_argument(
        "--jobs",
        type=count,
        metavar="J",
        help="threads on this machine (default: one per core); results do not depend on it; "
        "not with --dask",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the games on an existing Dask cluster, e.g. tcp://scheduler:8786",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--plot", type=Path, metavar="FILE", help="write a PNG report (.png)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 if any balance target of the scenario is missed",
    )
    parser.add_argument(
        "--bind",
        action=argparse.BooleanOptionalAction,
        help="play with the rules compiled for this scenario's structure: the same results, "
        "in about 40%% less time; the first run for a structure compiles them (about a minute). "
        "By default a run uses them once they are compiled on this machine (not with --dask)",
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
def _threads(jobs: int) -> Iterator[ThreadPoolExecutor]:
    """Local jobs are threads: the compiled rules release the GIL, so chunks on threads use
    every core with no process to start, no module to import again and nothing to pickle. On
    Ctrl-C the chunks not yet started are dropped; those playing finish within moments."""
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="balance")
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _executor(args: argparse.Namespace) -> Iterator[tuple[Executor | None, str]]:
    if args.dask:
        from game.balance.cluster import dask_client

        with dask_client(args.dask, DASK_CONNECT_TIMEOUT) as client:
            yield client.get_executor(), f"dask {args.dask}"
        return
    jobs = args.jobs or os.cpu_count() or 1
    if jobs > 1:
        with _threads(jobs) as pool:
            yield pool, f"{jobs} threads"
    else:
        yield None, "1 thread"


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


MAX_PROFILES = 20_000
"""The most profiles a run plays. Every profile is played only when a sample would play as many,
so only a large --lineups gets here."""


def _check_profile_count(strategies: int, actors: int, lineups: int | None) -> None:
    from game.balance.plan import sample_size, samples

    profiles = strategies**actors
    if samples(actors, strategies, lineups):
        profiles = sample_size(actors, strategies, lineups or LINEUPS)
    if profiles > MAX_PROFILES:
        raise UserError(
            f"--lineups {lineups}: {actors} actors x {lineups} line-ups x {strategies} "
            f"strategies make {profiles:,} profiles, more than {MAX_PROFILES:,}; give fewer"
        )


def run_balance(args: argparse.Namespace) -> int:
    from game.arguments import check_strategy, require_file
    from game.balance.analysis import analyse
    from game.balance.output import check_writable, write_atomic
    from game.balance.targets import load_targets
    from game.balance.tournament import BadStrategy, run_tournament, strategy_set
    from game.scenario.load import load_scenario

    if args.dask and args.jobs is not None:
        raise UserError(
            "--jobs and --dask cannot be combined: the Dask cluster's workers play the games "
            "(start more workers for more speed)"
        )
    path = require_file(scenario_path(args))
    if args.plot is not None:
        from game.balance.plot import PLOT_SUFFIX

        if args.plot.suffix.lower() != PLOT_SUFFIX:
            raise UserError(
                f"--plot {args.plot}: the report is a PNG image; give a file name ending in "
                f"{PLOT_SUFFIX}"
            )
    for name in args.strategies or ():
        check_strategy(name, "--strategies")
    scenario = load_scenario(path)
    text = _read_text(path)
    targets = load_targets(scenario)
    if args.check and targets is None:
        raise UserError(f"--check: {path} declares no balance targets (add a 'balance:' section)")
    try:
        names = strategy_set(scenario, args.strategies)
    except BadStrategy as error:
        raise UserError(f"--strategies: {error}") from None
    _check_profile_count(len(names), scenario.n_actors, args.lineups)
    for output, option in ((args.json, "--json"), (args.plot, "--plot")):
        if output is not None:
            check_writable(output, option)

    compiled = _structure_compiled(scenario)
    # By default, the rules compiled for the structure once they are on this machine (loading
    # them takes a second; a Dask worker may be on another machine).
    bind = (compiled and not args.dask) if args.bind is None else args.bind
    if bind and not compiled and not args.quiet:
        print(BIND_NOTICE, file=sys.stderr, flush=True)
    with _executor(args) as (executor, workers), _progress(not args.quiet) as progress:
        tournament = run_tournament(
            scenario,
            text,
            games=args.games,
            seed=args.seed,
            strategies=args.strategies,
            lookahead_games=args.lookahead_games,
            lineups=args.lineups,
            executor=executor,
            progress=progress,
            bind=bind,
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
        if args.bind is None and not bind and tournament.seconds >= HINT_AFTER_SECONDS:
            print(BIND_HINT, file=sys.stderr)
    if args.check:
        return _check(analysis)
    return EXIT_OK


def _structure_compiled(scenario: Any) -> bool:
    from game.engine.engine import Engine

    return Engine(scenario).structure_compiled


def _report_width() -> int | None:
    """The columns the tables must fit: the terminal's, or $COLUMNS when output goes to a file
    or a pipe; None (no limit) when neither is known."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _print_report(analysis: Any) -> None:
    from rich.console import Console

    from game.balance.tables import choose_layout, report

    width = _report_width()
    console = Console(width=width or 200)
    console.print(report(analysis, width))
    seconds = analysis.tournament.seconds
    games = sum(p.games for p in analysis.profiles)
    shown = f"{seconds:.0f}" if choose_layout(analysis, width).whole else f"{seconds:.1f}"
    rules = ", rules compiled for this structure" if analysis.tournament.bound else ""
    console.print(f"{games} games in {shown} s ({analysis.tournament.workers}{rules}).")


def _check(analysis: Any) -> int:
    from game.balance.tables import target_line

    missed = [r for r in analysis.targets if not r.met]
    for result in missed:
        print(target_line(result))
    total = len(analysis.targets)
    print(f"balance check: {total - len(missed)} of {total} targets met")
    return EXIT_MISSED if missed else EXIT_OK


__all__ = ["add_balance_parser", "run_balance"]
