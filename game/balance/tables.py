"""The lab's findings as rich tables: profiles, the meta-game, the verdict, the targets.

A run that played every profile and has at most PROFILE_ROWS of them gets one row per profile;
any other (a sampled run, or too many profiles to read) gets one row per actor and strategy
instead, averaged over the actor's line-ups, and its best replies against each strategy of each
other actor rather than against every line-up.

The tables fit the terminal. `report(analysis, width)` tries three layouts and keeps the first
whose widest table fits: full strategy names with one decimal and 95% intervals; then the short
names below (a key under the report spells them out); then, for narrow terminals such as 80
columns, whole numbers only, without the profiles' intervals (the JSON report has every figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from game.balance.analysis import Analysis
from game.balance.targets import TargetResult
from game.scenario.model import KINDS

SHORT_NAMES = {
    "always_retaliate": "AllR",
    "always_restrain": "AllS",
    "always_wait": "AllW",
    "tit_for_tat": "TFT",
    "generous_tit_for_tat": "GTFT",
    "tit_for_two_tats": "TF2T",
    "grim_trigger": "Grim",
    "random": "Rand",
    "wait_and_see": "W&S",
    "lookahead": "Look",
}
"""The short form of each built-in strategy, used when the full names do not fit (documented in
docs/balance.md). R, S and W are the game's keys for retaliate, restrain and wait; a parameter
stays as it is: `lookahead:hard` is `Look:hard`."""

PROFILE_ROWS = 125
"""The most profiles listed one per row: two actors with up to 11 strategies, three with up to
5 (documented in docs/balance.md)."""

_SHARE_TARGETS = ("max_win_rate", "outcome_share", "every_action_used", "history_outcome_share")


@dataclass(frozen=True)
class Layout:
    """How much the tables say: full or short names, decimals or whole numbers."""

    short_names: bool = False
    whole: bool = False

    def name(self, strategy: str) -> str:
        if not self.short_names:
            return strategy
        return short_name(strategy)

    def number(self, value: float, decimals: int = 1) -> str:
        text = f"{value:.0f}" if self.whole else f"{value:.{decimals}f}"
        return text.removeprefix("-") if text.strip("-0.") == "" else text  # no "-0", "-0.0"

    def span(self, lo: float, hi: float, decimals: int = 1) -> str:
        """An interval: `2.1–2.5`, or `-3.0 to -1.2` when a dash would read as a minus sign."""
        joint = " to " if lo < 0 or hi < 0 else "–"
        return f"{self.number(lo, decimals)}{joint}{self.number(hi, decimals)}"

    def share(self, value: float, interval: Sequence[float] | None = None) -> str:
        text = f"{self.number(100 * value)}%"
        if interval is None:
            return text
        return f"{text} [{self.span(100 * interval[0], 100 * interval[1])}]"


FULL = Layout()
SHORT = Layout(short_names=True)
COMPACT = Layout(short_names=True, whole=True)
LAYOUTS = (FULL, SHORT, COMPACT)


def short_name(strategy: str) -> str:
    """`lookahead:hard` -> `Look:hard`; a name without a short form stays as it is."""
    base, colon, parameter = strategy.partition(":")
    return SHORT_NAMES.get(base, base) + colon + parameter


class _Table(Table):
    """A rich table whose cells fold rather than end in an ellipsis when space runs out: a cut
    name such as `always_…` could be any of three strategies."""

    def add_column(self, *args, **kwargs) -> None:  # type: ignore[override]
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def _table(title: str, layout: Layout) -> Table:
    return _Table(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD if layout.whole else box.HEAVY_HEAD,
        pad_edge=not layout.whole,
        collapse_padding=layout.whole,
    )


def profiles_table(analysis: Analysis, layout: Layout = FULL) -> Table:
    t = analysis.tournament
    sc = t.scenario
    what = "outcome shares [95% interval], mean scores, game lengths"
    if layout.whole:
        # No games column: it only differs for lookahead profiles, which are starred.
        what = f"outcome shares, mean scores, turns ({t.games} games each, rounded)"
    table = _table(f"{len(analysis.profiles)} profiles — {what}", layout)
    for actor_id in sc.actor_ids:
        table.add_column(actor_id)
    if not layout.whole:
        table.add_column("games", justify="right")
    for outcome in sc.outcomes:
        table.add_column(outcome.id, justify="right")
    # Two-line headers where a narrow layout needs the room.
    gap = "\n" if layout.whole else " "
    for actor_id in sc.actor_ids:
        table.add_column(f"score{gap}{actor_id}", justify="right")
    table.add_column(f"turns{gap}(range)", justify="right")
    any_note = False
    for summary in analysis.profiles:
        names = [layout.name(name) for name in summary.strategies]
        games = [str(summary.games)]
        if summary.profile.note:
            any_note = True
            games[0] += "*"
        if layout.whole:
            names[-1] += "*" if summary.profile.note else ""
            games = []
        lengths = [n for n, count in enumerate(summary.lengths) if count]
        turns = f"{layout.number(summary.mean_turns)} ({lengths[0]}–{lengths[-1]})"
        if layout.whole:
            shares = [layout.share(summary.outcome_share[k]) for k in range(len(sc.outcomes))]
            scores = [layout.number(summary.mean_score[i]) for i in range(sc.n_actors)]
        else:
            shares = [
                layout.share(summary.outcome_share[k], summary.outcome_interval[k])
                for k in range(len(sc.outcomes))
            ]
            scores = [
                f"{layout.number(mean)} ±{layout.number((hi - lo) / 2)}"
                for mean, (lo, hi) in zip(summary.mean_score, summary.score_interval, strict=True)
            ]
        table.add_row(*names, *games, *shares, *scores, turns)
    if any_note:
        table.caption = (
            f"* lookahead profiles play {t.lookahead_games} games each instead of {t.games}: "
            "every lookahead decision plays rollouts (--lookahead-games sets it)"
        )
        table.caption_justify = "left"
    return table


def per_profile(analysis: Analysis) -> bool:
    """Whether the report lists every profile (else it summarises by actor and strategy)."""
    return not analysis.sampled and len(analysis.profiles) <= PROFILE_ROWS


def plan_text(analysis: Analysis) -> Text:
    """What the run played, when it is not one row per profile."""
    t = analysis.tournament
    plan = t.plan
    s, n = plan.n_strategies, plan.n_actors
    if plan.sampled:
        lineups = len(plan.lineups[0])
        text = (
            f"Sampled: {len(t.profiles):,} of {plan.possible:,} profiles. Each actor played its "
            f"{s} strategies against the same {lineups} line-ups of the others' strategies, "
            f"drawn with seed {t.seed} ({lineups} of {plan.possible_lineups:,}; --lineups sets "
            "how many), so the figures below are estimates for every profile, with intervals "
            "that count the spread between line-ups."
        )
    else:
        text = (
            f"Every profile played: {len(t.profiles):,} ({s} strategies for {n} actors), too "
            f"many to list (more than {PROFILE_ROWS}); the figures below are per actor and "
            "strategy, over every line-up of the others' strategies (--json lists every profile)."
        )
    return Text(text)


def strategies_table(analysis: Analysis, layout: Layout = FULL) -> Table:
    """One row per actor and strategy, averaged over the actor's line-ups."""
    sc = analysis.tournament.scenario
    lineups = len(analysis.lineups.lineups[0])
    which = "sampled line-ups" if analysis.sampled else "line-ups (every one)"
    table = _table(
        f"Each actor's strategies over its {lineups} {which}: mean score, win share, share "
        "of line-ups where it is the best reply, outcome shares",
        layout,
    )
    table.add_column("actor")
    table.add_column("strategy")
    if not layout.whole:
        table.add_column("games", justify="right")
    bracket = "" if layout.whole else " [95%]"
    gap = "\n" if layout.whole else " "
    table.add_column(f"score{bracket}", justify="right")
    table.add_column(f"wins{bracket}", justify="right")
    table.add_column(f"best{gap}reply", justify="right")
    for outcome in sc.outcomes:
        table.add_column(outcome.id, justify="right")
    last = len(analysis.strategies) - 1
    for row, record in enumerate(analysis.strategies):
        lo, hi = record.score_interval
        # Outcome shares without intervals, which would make the table too wide for most
        # terminals (the JSON report has them).
        outcomes = [layout.share(x) for x in record.outcome_share]
        if layout.whole:
            score = layout.number(record.mean_score)
            wins = layout.share(record.win_share)
        else:
            score = f"{layout.number(record.mean_score)} [{layout.span(lo, hi)}]"
            wins = layout.share(record.win_share, record.win_interval)
        games = [] if layout.whole else [str(record.games)]
        following = analysis.strategies[row + 1].actor if row < last else None
        table.add_row(
            record.actor,
            layout.name(record.strategy),
            *games,
            score,
            wins,
            layout.share(record.best_reply_share),
            *outcomes,
            end_section=following is not None and following != record.actor,
        )
    return table


def marginal_table(analysis: Analysis, layout: Layout = FULL) -> Table:
    """Each actor's best reply to each strategy of each other actor, the rest averaged out.

    A grid of strategy names, so always in short names (the key under the report spells them
    out)."""
    strategies = analysis.tournament.strategies
    table = _table(
        "Best replies: the actor's best strategy when the other actor plays the column's (the "
        "rest of the line-up averaged out)",
        layout,
    )
    table.add_column("actor")
    table.add_column("other")
    for name in strategies:
        table.add_column(short_name(name), justify="right")
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for reply in analysis.marginal_replies:
        cell = "/".join(short_name(name) for name in reply.best)
        if len(reply.best) == 1 and not reply.significant:
            cell += "?"
        rows.setdefault((reply.actor, reply.other), {})[reply.other_strategy] = cell
    for (actor, other), cells in rows.items():
        table.add_row(actor, other, *(cells.get(name, "") for name in strategies))
    table.caption = "?: the lead over the next best is within noise; A/B: an exact tie"
    table.caption_justify = "left"
    return table


def overall_table(analysis: Analysis, layout: Layout = FULL) -> Table:
    sc = analysis.tournament.scenario
    pooled = analysis.pooled
    title = "All profiles, weighted equally"
    if analysis.sampled:
        title += " (estimated from the sampled line-ups)"
    table = _table(title, layout)
    table.add_column("figure")
    table.add_column("value [95% interval]", justify="right")
    for k, outcome in enumerate(sc.outcomes):
        table.add_row(
            f"share ending in {outcome.id}",
            layout.share(pooled.outcome_share[k], pooled.outcome_interval[k]),
        )
    for i, actor_id in enumerate(sc.actor_ids):
        table.add_row(f"{actor_id} wins", layout.share(pooled.win_share[i], pooled.win_interval[i]))
    lo, hi = pooled.turns_interval
    table.add_row("mean turns", f"{layout.number(pooled.mean_turns, 2)} [{layout.span(lo, hi, 2)}]")
    return table


def payoff_matrices(analysis: Analysis, layout: Layout = FULL) -> Iterator[Table]:
    """For two actors: each actor's mean score by own strategy (rows) and the other's
    (columns); the best reply in each column is bold, pure equilibria are starred."""
    tables = analysis.tables
    if tables is None or tables.n_actors != 2:
        return
    pure_cells = {
        tuple(int(m.argmax()) for m in e.mixture) for e in analysis.equilibria.found if e.pure
    }
    for actor in range(2):
        other = 1 - actor
        names = tables.strategies[actor]
        others = tables.strategies[other]
        mean = tables.mean[actor] if actor == 0 else tables.mean[actor].T
        table = _table(
            f"{tables.actors[actor]}'s mean score: rows {tables.actors[actor]}, "
            f"columns {tables.actors[other]} (bold: best reply; *: pure equilibrium)",
            layout,
        )
        table.add_column("")
        for name in others:
            table.add_column(layout.name(name), justify="right")
        for row, name in enumerate(names):
            cells = []
            for column in range(len(others)):
                value = mean[row, column]
                best = value >= mean[:, column].max() - 1e-9
                cell = (row, column) if actor == 0 else (column, row)
                star = "*" if cell in pure_cells else ""
                cells.append(Text(f"{layout.number(value)}{star}", style="bold" if best else ""))
            table.add_row(layout.name(name), *cells)
        yield table


def dominance_table(analysis: Analysis, layout: Layout = FULL) -> RenderableType:
    where = " on the sampled line-ups" if analysis.sampled else ""
    if not analysis.dominated:
        return Text(f"No strategy is dominated{where}.")
    table = _table(f"Dominated strategies{where}", layout)
    for column in ("actor", "strategy", "dominated by", "how", "margin [95% interval]"):
        table.add_column(column)
    table.add_column("beyond noise")
    for d in analysis.dominated:
        lo, hi = d.margin_interval
        table.add_row(
            d.actor,
            layout.name(d.dominated),
            layout.name(d.by),
            "strictly" if d.strict else "weakly",
            f"{layout.number(d.margin, 2)} [{layout.span(lo, hi, 2)}]",
            "yes" if d.significant else "no",
        )
    return table


def best_response_table(analysis: Analysis, layout: Layout = FULL) -> Table:
    table = _table("Best replies", layout)
    for column in ("actor", "against", "best reply", "payoff", "lead over next"):
        table.add_column(column)
    for b in analysis.best_responses:
        if len(b.best) > 1:
            lead = "tie"
        else:
            lead = layout.number(b.margin, 2) + ("" if b.significant else " (noise)")
        table.add_row(
            b.actor,
            " / ".join(layout.name(name) for name in b.against),
            ", ".join(layout.name(name) for name in b.best),
            layout.number(b.payoff),
            lead,
        )
    return table


def equilibria_table(analysis: Analysis, layout: Layout = FULL) -> RenderableType:
    t = analysis.tournament
    ids = t.scenario.actor_ids
    found = analysis.equilibria.found
    if analysis.sampled:
        return Text(f"Nash equilibria: {analysis.equilibria.method}.")
    if not found:
        return Text(f"No equilibrium found ({analysis.equilibria.method}).")
    table = _table(f"Nash equilibria ({analysis.equilibria.method})", layout)
    table.add_column("#", justify="right")
    table.add_column("type")
    for actor_id in ids:
        table.add_column(actor_id)
    table.add_column("payoffs", justify="right")
    table.add_column("moves: " + " / ".join(KINDS), justify="right")
    for number, (e, kinds) in enumerate(
        zip(found, analysis.equilibrium_kinds, strict=True), start=1
    ):
        mixes = []
        for i in range(len(ids)):
            parts = [
                (p, name) for name, p in zip(t.strategies, e.mixture[i], strict=True) if p > 1e-6
            ]
            parts.sort(reverse=True)
            mixes.append(
                ", ".join(
                    layout.name(name) if e.pure else f"{layout.name(name)} {p:.0%}"
                    for p, name in parts
                )
            )
        kind = "pure" if e.pure else "mixed"
        if e.regret > 1e-6:
            kind += f" (regret {layout.number(e.regret, 2)})"
        table.add_row(
            str(number),
            kind,
            *mixes,
            " / ".join(layout.number(x) for x in e.payoff),
            " / ".join(f"{100 * x:.0f}%" for x in kinds),
        )
    return table


def verdict_panel(analysis: Analysis) -> Panel:
    verdict = analysis.verdict
    style = "green" if verdict.balanced else "red"
    return Panel(Text(verdict.text), title="Balance verdict", border_style=style)


def target_line(result: TargetResult) -> str:
    lo, hi = result.interval
    status = "met" if result.met else "MISSED"
    if result.name == "verdict":  # judged as the verdict is, without an interval
        return (
            f"{status}: verdict = {'balanced' if result.met else 'not balanced'} (the "
            f"least-played kind has {result.value:.1%} of the moves; target: {result.allowed})"
        )
    return (
        f"{status}: {result.label} = {result.value:.4g} "
        f"(95% interval {lo:.4g}–{hi:.4g}; target: {result.allowed})"
    )


def _as_percent(match: re.Match[str]) -> str:
    return f"{100 * float(match.group()):.0f}%"


def targets_table(analysis: Analysis, layout: Layout = FULL) -> RenderableType:
    if not analysis.targets:
        return Text("The scenario declares no balance targets.")
    table = _table("Balance targets", layout)
    # Narrow: the verdict first and the wordy allowed range last, where it can wrap.
    columns = ["", "target", "measured [95% interval]", "allowed"]
    if not layout.whole:
        columns = ["target", "allowed", "measured [95% interval]", ""]
    for column in columns:
        table.add_column(column)
    for r in analysis.targets:
        lo, hi = r.interval
        allowed = r.allowed
        if r.name == "verdict":
            judged = "balanced" if r.met else "not balanced"
            measured = f"{judged} (least-played kind {layout.share(r.value)})"
        elif layout.whole and r.name in _SHARE_TARGETS:
            measured = layout.share(r.value, r.interval)
            allowed = re.sub(r"\d+\.\d+|\b[01]\b", _as_percent, allowed)
        elif layout.whole:
            measured = f"{layout.number(r.value)} [{layout.span(lo, hi)}]"
        else:
            measured = f"{r.value:.4g} [{lo:.4g}{' to ' if lo < 0 or hi < 0 else '–'}{hi:.4g}]"
        verdict = Text("met", style="green") if r.met else Text("MISSED", style="bold red")
        label = r.label
        if r.name == "no_dominant_strategy" and r.subject:  # subject: actor.strategy
            actor, _, strategy = r.subject.partition(".")
            label = f"{r.name}[{actor}.{layout.name(strategy)}]"
        if layout.whole:
            label = label.replace("[", "\n[")
        cells = {"": verdict, "target": Text(label), "allowed": allowed}
        cells["measured [95% interval]"] = measured
        table.add_row(*(cells[column] for column in columns))
    return table


def _tables(analysis: Analysis, layout: Layout) -> list[RenderableType]:
    if per_profile(analysis):
        parts: list[RenderableType] = [
            profiles_table(analysis, layout),
            overall_table(analysis, layout),
        ]
    else:
        parts = [
            plan_text(analysis),
            strategies_table(analysis, layout),
            overall_table(analysis, layout),
        ]
    parts.extend(payoff_matrices(analysis, layout))
    replies = best_response_table if per_profile(analysis) else marginal_table
    parts += [
        dominance_table(analysis, layout),
        replies(analysis, layout),
        equilibria_table(analysis, layout),
    ]
    return parts


def _natural_width(parts: Sequence[RenderableType]) -> int:
    """The width the widest of `parts` takes when nothing limits it."""
    measure = Console(width=10_000, file=_NullFile())
    return max(measure.measure(part).maximum for part in parts if isinstance(part, Table))


class _NullFile:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def choose_layout(analysis: Analysis, width: int | None) -> Layout:
    """The most detailed layout whose tables fit in `width` columns (any, when None)."""
    if width is None:
        return FULL
    for layout in LAYOUTS[:-1]:
        if _natural_width(_tables(analysis, layout)) <= width:
            return layout
    return LAYOUTS[-1]


def names_key(analysis: Analysis) -> str:
    """The short names used in the report, spelled out."""
    used = dict.fromkeys(short_name(name) for name in analysis.tournament.strategies)
    full = {short_name(name): name for name in analysis.tournament.strategies}
    return "Short names: " + ", ".join(f"{short} = {full[short]}" for short in used) + "."


def report(analysis: Analysis, width: int | None = None) -> Group:
    """Every table, in the most detailed layout that fits in `width` columns."""
    layout = choose_layout(analysis, width)
    parts = _tables(analysis, layout)
    parts += [verdict_panel(analysis), targets_table(analysis, layout)]
    if layout.short_names or not per_profile(analysis):
        parts.append(Text(names_key(analysis)))
    return Group(*parts)
