"""`python main.py history`: replay a scenario's real moves and report how often the model
reaches the real ending, when its events fire, and which real moves it could not play on time.

Building the parser imports nothing but argparse and the shared argument types, so that
`--help` stays fast; the engine loads only when the command runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from game.arguments import add_scenario_arguments, require_file, scenario_path
from game.errors import UserError

DEFAULT_SEEDS = 200
MAX_SEEDS = 100_000
"""A bound on one run: a hundred thousand replays of a 20-turn scenario take about 15 s."""


def seed_count(text: str) -> int:
    """`--seeds`: a whole number from 1 to MAX_SEEDS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if not 1 <= value <= MAX_SEEDS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_SEEDS:,}, got {value}")
    return value


def add_history_parser(commands: Any, default_scenario: Path) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "history",
        help="replay what really happened and compare the model's endings and events with it",
        description="Play the scenario's real moves (history.moves) under seeds 1 to N and "
        "report the share of seeds reaching the real ending (history.outcome) with a 95% "
        "interval, the share of every ending, when each event fires against its real date, and "
        "the real moves that could not be played on their turn.",
    )
    add_scenario_arguments(parser, default_scenario)
    parser.add_argument(
        "--seeds",
        type=seed_count,
        default=DEFAULT_SEEDS,
        metavar="N",
        help=f"replay seeds 1 to N (default: {DEFAULT_SEEDS})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead")
    return parser


def run_history(args: argparse.Namespace) -> int:
    from game.history.figures import document, figures
    from game.history.replay import replay, seeds_for
    from game.scenario.load import load_scenario

    path = require_file(scenario_path(args))
    scenario = load_scenario(path)
    history = scenario.model.history
    missing = [
        field
        for field, given in (
            ("history.moves", history is not None and bool(history.moves)),
            ("history.outcome", history is not None and history.outcome is not None),
        )
        if not given
    ]
    if missing:
        raise UserError(
            f"{path}: nothing to replay: add {' and '.join(missing)} (see 'History' in "
            "docs/scenario-format.md)"
        )
    report = figures(replay(scenario, seeds_for(args.seeds)))
    if args.json:
        print(json.dumps(document(report), indent=1, ensure_ascii=False))
    else:
        from rich.console import Console

        Console(width=_report_width() or 200, highlight=False).print(_report(report))
    return 0


def _report_width() -> int | None:
    """The columns the tables must fit: the terminal's, or $COLUMNS when output goes to a file
    or a pipe; None (no limit) when neither is known."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _share(value: float | None, interval: tuple[float, float] | None = None) -> str:
    if value is None:
        return "-"
    text = f"{100 * value:.1f}%"
    return text if interval is None else f"{text} [{100 * interval[0]:.1f}–{100 * interval[1]:.1f}]"


def _day(date: datetime.date | None) -> str:
    return "-" if date is None else f"{date.day} {date:%b %Y}"


def _turn(turn: int | None, date: datetime.date | None) -> str:
    return "-" if turn is None else f"{turn} ({_day(date)})"


def _report(report: Any) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    sc = report.scenario
    last = report.first_seed + report.seeds - 1
    title = sc.title
    real = next(o for o in report.outcomes if o.id == report.outcome)
    parts: list[Any] = [
        Text(f"{title} — the real moves replayed under seeds {report.first_seed}–{last}"),
        Text(
            f"The real ending, {real.id} ({real.title}), in {_share(real.share)} of seeds "
            f"(95% interval {_share(real.interval[0])}–{_share(real.interval[1])})"
        ),
    ]

    outcomes = Table(title="Endings", title_justify="left")
    for column in ("outcome", "title", "seeds", "share [95% interval]", ""):
        outcomes.add_column(column, justify="right" if column in ("seeds",) else "left")
    for o in report.outcomes:
        mark = "the real ending" if o.id == report.outcome else ""
        outcomes.add_row(o.id, o.title, str(o.games), _share(o.share, o.interval), mark)
    parts.append(outcomes)

    events = Table(title="Events", title_justify="left")
    for column in ("event", "fired", "median turn (date)", "real turn (date)", "within ±1 turn"):
        events.add_column(column)
    for e in report.events:
        events.add_row(
            e.id,
            _share(e.fired),
            _turn(e.median_turn, e.median_date),
            _turn(e.real_turn, e.real_date),
            _share(e.near),
        )
    parts.append(events)

    held = [m for m in report.moves if m.held]
    if held:
        moves = Table(title="Real moves not played on their turn", title_justify="left")
        for column in ("turn", "move", "on time", "late (median delay)", "never", "ended first"):
            moves.add_column(column, justify="left" if column == "move" else "right")
        for m in held:
            late = str(m.late)
            if m.median_delay is not None:
                late += f" (+{m.median_delay})"
            moves.add_row(
                str(m.turn),
                f"{m.actor}.{m.variant}",
                str(m.on_time),
                late,
                str(m.never),
                str(m.ended_before),
            )
        parts.append(moves)
        parts.append(
            Text(
                "Counts of seeds. late: held until a later turn where it was legal (median delay "
                "in turns); never: held until the game ended; ended first: the game ended before "
                "its turn."
            )
        )
    else:
        parts.append(Text("Every real move was played on its turn in every replay."))
    scores = ", ".join(f"{a} {s:.1f}" for a, s in report.mean_scores.items())
    parts.append(Text(f"Mean score of the real moves: {scores}."))
    return Group(*parts)
