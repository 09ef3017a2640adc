"""The PNG report: outcomes per profile, each actor's payoff table, tension fan charts.

Made with matplotlib's Agg backend (no display needed). Read from the top: how each profile
ends, what each strategy earns against each other (best replies outlined, pure equilibria
starred), and how tension moves turn by turn in a few telling profiles. A report that does not
list every profile (game.balance.tables.per_profile) shows how games end per actor and strategy
instead, and a sampled run, which has no payoff tables, each strategy's mean score with its
interval.
"""

from __future__ import annotations

import math
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from game.balance.analysis import Analysis
from game.balance.summary import ProfileSummary, pair_labels
from game.balance.tables import per_profile, short_name
from game.balance.tournament import is_lookahead

_OUTCOME_COLOURS = {"rupture": "#c0392b", "normalisation": "#2e8b57", "turn_limit": "#9aa5b1"}
_OTHER_COLOURS = ["#e69f00", "#56b4e9", "#cc79a7", "#f0e442", "#0072b2", "#d55e00"]
_FAN = "#34495e"


def _section_title(fig: SubFigure, title: str) -> None:
    """A section's title, at its top left, as every section of the report has it."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)


def _outcome_colours(outcome_ids: list[str]) -> list[str]:
    others = iter(_OTHER_COLOURS * 4)
    return [_OUTCOME_COLOURS.get(o) or next(others) for o in outcome_ids]


def fan_profiles(analysis: Analysis, limit: int = 3) -> list[tuple[ProfileSummary, str]]:
    """Profiles worth a fan chart: the scenario's own AI, the main equilibrium, the most
    escalatory one."""
    sc = analysis.tournament.scenario
    by_strategies = {p.strategies: p for p in analysis.profiles}
    chosen: list[tuple[ProfileSummary, str]] = []

    def add(summary: ProfileSummary | None, why: str) -> None:
        if summary is not None and all(summary is not c for c, _ in chosen):
            chosen.append((summary, why))

    defaults = tuple(sc.default_strategy(a) or "lookahead" for a in range(sc.n_actors))
    add(by_strategies.get(defaults), "the scenario's default strategies")
    if analysis.equilibria.found:
        e = analysis.equilibria.found[0]
        cell = tuple(analysis.tournament.strategies[int(m.argmax())] for m in e.mixture)
        add(by_strategies.get(cell), "equilibrium" if e.pure else "main equilibrium strategies")
    outcome_ids = [o.id for o in sc.outcomes]
    if "rupture" in outcome_ids:
        k = outcome_ids.index("rupture")
        add(max(analysis.profiles, key=lambda p: p.outcome_share[k]), "most ruptures")
    add(min(analysis.profiles, key=lambda p: p.mean_turns), "shortest games")
    add(max(analysis.profiles, key=lambda p: p.mean_turns), "longest games")
    return chosen[:limit]


def _profile_title(analysis: Analysis, summary: ProfileSummary) -> str:
    """`rus: tit_for_tat vs usa: lookahead`; with more than two actors, short names (TFT)."""
    ids = analysis.tournament.scenario.actor_ids
    names = summary.strategies if len(ids) == 2 else [short_name(s) for s in summary.strategies]
    return " vs ".join(f"{a}: {s}" for a, s in zip(ids, names, strict=True))


def _outcome_panels(fig: SubFigure, analysis: Analysis) -> None:
    t = analysis.tournament
    sc = t.scenario
    outcome_ids = [o.id for o in sc.outcomes]
    colours = _outcome_colours(outcome_ids)
    names = t.strategies
    per_first = len(analysis.profiles) // len(names)
    columns = min(len(names), 5)
    rows = math.ceil(len(names) / columns)
    inner = fig.add_gridspec(rows, columns)
    others = [" / ".join(p.strategies[1:]) for p in analysis.profiles[:per_first]]
    for index, first in enumerate(names):
        ax = fig.add_subplot(inner[index // columns, index % columns])
        block = analysis.profiles[index * per_first : (index + 1) * per_first]
        y = np.arange(len(block))
        left = np.zeros(len(block))
        for k, colour in enumerate(colours):
            share = np.array([p.outcome_share[k] for p in block])
            ax.barh(y, share, left=left, color=colour, height=0.8, edgecolor="white", lw=0.4)
            left += share
        for row, p in enumerate(block):
            if p.profile.note:
                ax.text(1.01, row, "*", va="center", fontsize=9, color="#555")
        ax.set_xlim(0, 1)
        ax.set_ylim(len(block) - 0.5, -0.5)
        ax.set_xticks([0, 0.5, 1], ["0", "50%", "100%"], fontsize=7)
        ax.set_title(f"{sc.actor_ids[0]}: {first}", fontsize=9, loc="left")
        ax.tick_params(axis="y", length=0)
        if index % columns == 0:
            ax.set_yticks(y, others, fontsize=7.5)
            ax.set_ylabel(" / ".join(sc.actor_ids[1:]) + " plays", fontsize=8)
        else:
            ax.set_yticks(y, [])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [Patch(color=c, label=o) for o, c in zip(outcome_ids, colours, strict=True)]
    fig.legend(handles=handles, loc="outside upper right", ncol=len(handles), frameon=False)
    note = ""
    if any(p.profile.note for p in analysis.profiles):
        note = f"  (* lookahead profiles: {t.lookahead_games} games each)"
    _section_title(fig, f"How games end, per profile{note}")


def _strategy_outcome_panels(fig: SubFigure, analysis: Analysis) -> None:
    """One panel per actor: how games end when it plays each strategy (over its line-ups)."""
    t = analysis.tournament
    sc = t.scenario
    outcome_ids = [o.id for o in sc.outcomes]
    colours = _outcome_colours(outcome_ids)
    n = sc.n_actors
    columns = min(n, 3)
    inner = fig.add_gridspec(math.ceil(n / columns), columns)
    for actor, actor_id in enumerate(sc.actor_ids):
        ax = fig.add_subplot(inner[actor // columns, actor % columns])
        rows = [r for r in analysis.strategies if r.actor == actor_id]
        y = np.arange(len(rows))
        left = np.zeros(len(rows))
        for k, colour in enumerate(colours):
            share = np.array([r.outcome_share[k] for r in rows])
            ax.barh(y, share, left=left, color=colour, height=0.8, edgecolor="white", lw=0.4)
            left += share
        ax.set_xlim(0, 1)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xticks([0, 0.5, 1], ["0", "50%", "100%"], fontsize=7)
        ax.set_yticks(y, [r.strategy for r in rows], fontsize=7.5)
        ax.set_title(f"{actor_id} plays", fontsize=9, loc="left")
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [Patch(color=c, label=o) for o, c in zip(outcome_ids, colours, strict=True)]
    fig.legend(handles=handles, loc="outside upper right", ncol=len(handles), frameon=False)
    lineups = len(analysis.lineups.lineups[0])
    which = "sampled " if analysis.sampled else ""
    _section_title(
        fig,
        f"How games end, per actor and strategy (over its {lineups} {which}line-ups)",
    )


def _score_panels(fig: SubFigure, analysis: Analysis) -> None:
    """One panel per actor: each strategy's mean score with its 95% interval, and the share of
    line-ups in which it is the best reply."""
    sc = analysis.tournament.scenario
    n = sc.n_actors
    columns = min(n, 4)
    inner = fig.add_gridspec(math.ceil(n / columns), columns)
    for actor, actor_id in enumerate(sc.actor_ids):
        ax = fig.add_subplot(inner[actor // columns, actor % columns])
        rows = [r for r in analysis.strategies if r.actor == actor_id]
        y = np.arange(len(rows))
        means = np.array([r.mean_score for r in rows])
        lows = means - np.array([r.score_interval[0] for r in rows])
        highs = np.array([r.score_interval[1] for r in rows]) - means
        ax.errorbar(means, y, xerr=[lows, highs], fmt="o", color=_FAN, ms=4, capsize=2, lw=1)
        labels = [f"{r.strategy} ({r.best_reply_share:.0%})" for r in rows]
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(y, labels, fontsize=7.5)
        ax.set_title(f"{actor_id}'s mean score", fontsize=10, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    _section_title(
        fig,
        "What each strategy earns over the sampled line-ups (95% intervals; in brackets, the "
        "share of line-ups where it is the best reply)",
    )


def _payoff_panels(fig: SubFigure, analysis: Analysis) -> None:
    tables = analysis.tables
    assert tables is not None
    n = tables.n_actors
    inner = fig.add_gridspec(1, n)
    pure = {tuple(int(m.argmax()) for m in e.mixture) for e in analysis.equilibria.found if e.pure}
    for actor in range(n):
        other = (actor + 1) % n
        mean = np.moveaxis(tables.mean[actor], (actor, other), (0, 1))
        mean = mean.reshape(mean.shape[0], mean.shape[1], -1).mean(axis=2)
        ax = fig.add_subplot(inner[0, actor])
        image = ax.imshow(mean, cmap="viridis", aspect="auto")
        rows, cols = mean.shape
        spread = float(mean.max() - mean.min()) or 1.0
        for r in range(rows):
            for c in range(cols):
                dark = (mean[r, c] - mean.min()) / spread < 0.55
                cell = [0] * n
                cell[actor], cell[other] = r, c
                star = "*" if n == 2 and tuple(cell) in pure else ""
                ax.text(
                    c,
                    r,
                    f"{mean[r, c]:.0f}{star}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
        for c in range(cols):
            best = int(np.argmax(mean[:, c]))
            ax.add_patch(
                Rectangle((c - 0.5, best - 0.5), 1, 1, fill=False, edgecolor="#ff4136", lw=1.8)
            )
        labels_rows = list(tables.strategies[actor])
        labels_cols = list(tables.strategies[other])
        ax.set_yticks(range(rows), labels_rows, fontsize=7.5)
        ax.set_xticks(range(cols), labels_cols, fontsize=7.5, rotation=40, ha="right")
        ax.set_ylabel(f"{tables.actors[actor]} plays", fontsize=8)
        ax.set_xlabel(f"{tables.actors[other]} plays", fontsize=8)
        rest = "" if n == 2 else " (mean over the other actors)"
        ax.set_title(f"{tables.actors[actor]}'s mean score{rest}", fontsize=10, loc="left")
        fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02).ax.tick_params(labelsize=7)
    _section_title(
        fig,
        "What each strategy earns against each other (red box: best reply to that column; "
        "*: pure Nash equilibrium)",
    )


def _fan_panels(fig: SubFigure, analysis: Analysis) -> None:
    sc = analysis.tournament.scenario
    chosen = fan_profiles(analysis)
    inner = fig.add_gridspec(1, max(len(chosen), 1))
    pair = pair_labels(sc)[0]
    for index, (summary, why) in enumerate(chosen):
        ax = fig.add_subplot(inner[0, index])
        bands = summary.tension_percentiles[:, 0, :]
        alive = summary.running >= max(1, 0.02 * summary.games)
        turns = np.arange(bands.shape[0])[alive]
        b = bands[alive]
        ax.fill_between(turns, b[:, 0], b[:, 4], color=_FAN, alpha=0.18, lw=0, label="5–95%")
        ax.fill_between(turns, b[:, 1], b[:, 3], color=_FAN, alpha=0.38, lw=0, label="25–75%")
        ax.plot(turns, b[:, 2], color=_FAN, lw=2, label="median")
        previous = 0.0
        for name, up_to in sc.bands:
            ax.axhline(up_to, color="#bbb", lw=0.6, ls="--")
            ax.text(
                turns[-1] if len(turns) else 0,
                (previous + up_to) / 2,
                name,
                fontsize=7,
                color="#888",
                ha="right",
                va="center",
            )
            previous = up_to
        ax.set_ylim(0, 100)
        ax.set_xlim(0, max(turns[-1] if len(turns) else 1, 1))
        ax.set_xlabel("turn", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if index == 0:
            ax.set_ylabel(f"tension {pair}", fontsize=8)
            ax.legend(fontsize=7, loc="upper left", frameon=False)
        else:
            ax.set_yticklabels([])
        lookahead = any(is_lookahead(s) for s in summary.strategies)
        games = f"{summary.games} games" + (" (lookahead)" if lookahead else "")
        ax.set_title(
            f"{why}:\n{_profile_title(analysis, summary)}\n{games}", fontsize=8.5, loc="left"
        )
        ax.tick_params(labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    _section_title(
        fig,
        "Tension by turn: percentile bands over the games still running "
        "(drawn while at least 2% are)",
    )


def report_figure(analysis: Analysis) -> Figure:
    t = analysis.tournament
    sc = t.scenario
    listed = per_profile(analysis)
    if listed:
        per_first = len(analysis.profiles) // len(t.strategies)
        columns = min(len(t.strategies), 5)
        rows = math.ceil(len(t.strategies) / columns)
        outcome_height = rows * (0.24 * per_first + 0.9)
    else:
        outcome_height = math.ceil(sc.n_actors / 3) * (0.24 * len(t.strategies) + 0.9)
    payoff_height = 0.42 * len(t.strategies) + 2.2
    if analysis.tables is None:
        payoff_height = math.ceil(sc.n_actors / 4) * (0.3 * len(t.strategies) + 1.2)
    fan_height = 3.6
    fig = plt.figure(
        figsize=(16, outcome_height + payoff_height + fan_height + 0.8), layout="constrained"
    )
    verdict = "balanced" if analysis.verdict.balanced else "not balanced"
    sample = ""
    if analysis.sampled:
        sample = f"{len(analysis.profiles):,} of {t.plan.possible:,} profiles sampled, "
    fig.suptitle(
        f"Balance report: {sc.title}   (seed {t.seed}, {sample}{t.games} games per profile; "
        f"verdict: {verdict})",
        fontsize=14,
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    top, middle, bottom = fig.subfigures(
        3, 1, height_ratios=[outcome_height, payoff_height, fan_height], hspace=0.02
    )
    (_outcome_panels if listed else _strategy_outcome_panels)(top, analysis)
    (_score_panels if analysis.tables is None else _payoff_panels)(middle, analysis)
    _fan_panels(bottom, analysis)
    return fig


PLOT_SUFFIX = ".png"
"""The one kind of file `save_png` writes; `--plot` refuses any other name."""


def save_png(figure: Figure, stream: BinaryIO) -> None:
    figure.savefig(stream, format="png")
    plt.close(figure)
