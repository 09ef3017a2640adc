"""The lab's findings as rich tables: profiles, the meta-game, the verdict, the targets."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from game.balance.analysis import Analysis
from game.balance.targets import TargetResult
from game.scenario.model import KINDS


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _share(value: float, interval) -> str:
    return f"{100 * value:.1f}% [{100 * interval[0]:.1f}–{100 * interval[1]:.1f}]"


def _mean(value: float, interval) -> str:
    return f"{value:.1f} ±{(interval[1] - interval[0]) / 2:.1f}"


def profiles_table(analysis: Analysis) -> Table:
    t = analysis.tournament
    sc = t.scenario
    table = Table(
        title=f"{len(analysis.profiles)} profiles — outcome shares [95% interval], mean scores, "
        "game lengths",
        title_justify="left",
        header_style="bold",
    )
    for actor_id in sc.actor_ids:
        table.add_column(actor_id)
    table.add_column("games", justify="right")
    for outcome in sc.outcomes:
        table.add_column(outcome.id, justify="right")
    for actor_id in sc.actor_ids:
        table.add_column(f"score {actor_id}", justify="right")
    table.add_column("turns (range)", justify="right")
    any_note = False
    for summary in analysis.profiles:
        games = str(summary.games)
        if summary.profile.note:
            games += "*"
            any_note = True
        lengths = [n for n, count in enumerate(summary.lengths) if count]
        turns = f"{summary.mean_turns:.1f} ({lengths[0]}–{lengths[-1]})"
        table.add_row(
            *summary.strategies,
            games,
            *(
                _share(summary.outcome_share[k], summary.outcome_interval[k])
                for k in range(len(sc.outcomes))
            ),
            *(_mean(summary.mean_score[i], summary.score_interval[i]) for i in range(sc.n_actors)),
            turns,
        )
    if any_note:
        table.caption = (
            f"* lookahead profiles play {t.lookahead_games} games each instead of {t.games}: "
            "every lookahead decision plays rollouts (--lookahead-games sets it)"
        )
        table.caption_justify = "left"
    return table


def overall_table(analysis: Analysis) -> Table:
    sc = analysis.tournament.scenario
    pooled = analysis.pooled
    table = Table(title="All profiles, weighted equally", title_justify="left", header_style="bold")
    table.add_column("figure")
    table.add_column("value [95% interval]", justify="right")
    for k, outcome in enumerate(sc.outcomes):
        table.add_row(
            f"share ending in {outcome.id}",
            _share(pooled.outcome_share[k], pooled.outcome_interval[k]),
        )
    for i, actor_id in enumerate(sc.actor_ids):
        table.add_row(f"{actor_id} wins", _share(pooled.win_share[i], pooled.win_interval[i]))
    lo, hi = pooled.turns_interval
    table.add_row("mean turns", f"{pooled.mean_turns:.2f} [{lo:.2f}–{hi:.2f}]")
    return table


def payoff_matrices(analysis: Analysis) -> Iterator[Table]:
    """For two actors: each actor's mean score by own strategy (rows) and the other's
    (columns); the best reply in each column is bold, pure equilibria are starred."""
    tables = analysis.tables
    if tables.n_actors != 2:
        return
    pure_cells = {
        tuple(int(m.argmax()) for m in e.mixture) for e in analysis.equilibria.found if e.pure
    }
    for actor in range(2):
        other = 1 - actor
        names = tables.strategies[actor]
        others = tables.strategies[other]
        mean = tables.mean[actor] if actor == 0 else tables.mean[actor].T
        table = Table(
            title=f"{tables.actors[actor]}'s mean score: rows {tables.actors[actor]}, "
            f"columns {tables.actors[other]} (bold: best reply; *: pure equilibrium)",
            title_justify="left",
            header_style="bold",
        )
        table.add_column("")
        for name in others:
            table.add_column(name, justify="right")
        for row, name in enumerate(names):
            cells = []
            for column in range(len(others)):
                value = mean[row, column]
                best = value >= mean[:, column].max() - 1e-9
                cell = (row, column) if actor == 0 else (column, row)
                star = "*" if cell in pure_cells else ""
                cells.append(Text(f"{value:.1f}{star}", style="bold" if best else ""))
            table.add_row(name, *cells)
        yield table


def dominance_table(analysis: Analysis) -> RenderableType:
    if not analysis.dominated:
        return Text("No strategy is dominated.")
    table = Table(title="Dominated strategies", title_justify="left", header_style="bold")
    for column in ("actor", "strategy", "dominated by", "how", "margin [95% interval]"):
        table.add_column(column)
    table.add_column("beyond noise")
    for d in analysis.dominated:
        lo, hi = d.margin_interval
        table.add_row(
            d.actor,
            d.dominated,
            d.by,
            "strictly" if d.strict else "weakly",
            f"{d.margin:.2f} [{lo:.2f}–{hi:.2f}]",
            "yes" if d.significant else "no",
        )
    return table


def best_response_table(analysis: Analysis) -> Table:
    table = Table(title="Best replies", title_justify="left", header_style="bold")
    for column in ("actor", "against", "best reply", "payoff", "lead over next"):
        table.add_column(column)
    for b in analysis.best_responses:
        lead = (
            "tie" if len(b.best) > 1 else f"{b.margin:.2f}" + ("" if b.significant else " (noise)")
        )
        table.add_row(b.actor, " / ".join(b.against), ", ".join(b.best), f"{b.payoff:.1f}", lead)
    return table


def equilibria_table(analysis: Analysis) -> RenderableType:
    t = analysis.tournament
    ids = t.scenario.actor_ids
    found = analysis.equilibria.found
    if not found:
        return Text(f"No equilibrium found ({analysis.equilibria.method}).")
    table = Table(
        title=f"Nash equilibria ({analysis.equilibria.method})",
        title_justify="left",
        header_style="bold",
    )
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
            mixes.append(", ".join(name if e.pure else f"{name} {p:.0%}" for p, name in parts))
        kind = "pure" if e.pure else "mixed"
        if e.regret > 1e-6:
            kind += f" (regret {e.regret:.2f})"
        table.add_row(
            str(number),
            kind,
            *mixes,
            " / ".join(f"{x:.1f}" for x in e.payoff),
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
    return (
        f"{status}: {result.label} = {result.value:.4g} "
        f"(95% interval {lo:.4g}–{hi:.4g}; target: {result.allowed})"
    )


def targets_table(analysis: Analysis) -> RenderableType:
    if not analysis.targets:
        return Text("The scenario declares no balance targets.")
    table = Table(title="Balance targets", title_justify="left", header_style="bold")
    for column in ("target", "allowed", "measured [95% interval]", ""):
        table.add_column(column)
    for r in analysis.targets:
        lo, hi = r.interval
        table.add_row(
            Text(r.label),
            r.allowed,
            f"{r.value:.4g} [{lo:.4g}–{hi:.4g}]",
            Text("met", style="green") if r.met else Text("MISSED", style="bold red"),
        )
    return table


def report(analysis: Analysis) -> Group:
    parts: list[RenderableType] = [profiles_table(analysis), overall_table(analysis)]
    parts.extend(payoff_matrices(analysis))
    parts += [
        dominance_table(analysis),
        best_response_table(analysis),
        equilibria_table(analysis),
        verdict_panel(analysis),
        targets_table(analysis),
    ]
    return Group(*parts)
