"""Balance targets: the scenario's `balance:` section, judged against 95% intervals.

The rule: a target is missed only when the whole 95% interval of the measured figure lies outside
what the target allows; while the interval still reaches the allowed range, the target is met.
So a figure near a boundary does not flip from one seed to the next on noise, and a miss means
the data are clear. `every_action_used` is the one count: it is met when every variant was played
in at least one game, the scenario's opening moves included (its interval is shown for
information). `verdict: balanced` follows the balance verdict, which has no interval (it reads
equilibrium play and the lookahead AI's moves as they are). `history_outcome_share` is the share
of replays of the real moves (one per game of a profile) that reach the real ending, judged
against its Wilson interval like every other share.

Figures pool every profile with equal weight (see game.balance.pooled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.balance.metagame import DominantCandidate
from game.balance.pooled import Pooled
from game.balance.verdict import Verdict
from game.scenario.compiled import CompiledScenario
from game.scenario.model import BalanceTargets, ShareBounds

if TYPE_CHECKING:
    from game.history.figures import HistoryFigures


@dataclass(frozen=True)
class TargetResult:
    name: str  # the key in the scenario's balance section
    subject: str | None  # the actor, outcome or variant the figure is about
    met: bool
    value: float
    interval: tuple[float, float]
    allowed: str  # the target in words, e.g. "at most 0.7"

    @property
    def label(self) -> str:
        return f"{self.name}[{self.subject}]" if self.subject else self.name


def load_targets(scenario: CompiledScenario) -> BalanceTargets | None:
    """The scenario's targets; the loader has already checked their outcomes and ranges."""
    return scenario.model.balance


def _outside(interval: tuple[float, float], lo: float, hi: float) -> bool:
    return interval[1] < lo or interval[0] > hi


def _bounds(bounds: ShareBounds) -> str:
    if bounds.min is not None and bounds.max is not None:
        return f"between {bounds.min:g} and {bounds.max:g}"
    return f"at least {bounds.min:g}" if bounds.min is not None else f"at most {bounds.max:g}"


def weakest_kind_share(verdict: Verdict) -> float:
    """The verdict as one figure: the share of moves of the least-played kind, in whichever of
    equilibrium play (best-reply play in a sampled run) and the lookahead AI's moves gives it
    more (0 with neither). The verdict says balanced exactly when this reaches its threshold."""
    sources = [
        s for s in (verdict.equilibrium, verdict.best_reply, verdict.lookahead) if s is not None
    ]
    return max((min(s[k] for k in verdict.kinds) for s in sources if verdict.kinds), default=0.0)


def judge(
    scenario: CompiledScenario,
    targets: BalanceTargets | None,
    pooled: Pooled,
    dominant: list[DominantCandidate],
    *,
    verdict: Verdict | None = None,
    history: HistoryFigures | None = None,
) -> list[TargetResult]:
    """Every declared target, met or missed, with the figure and interval it was judged on.

    `verdict: balanced` needs the verdict and `history_outcome_share` the replays of the real
    moves; a target whose figure is not given is not judged."""
    if targets is None:
        return []
    results: list[TargetResult] = []
    if targets.no_dominant_strategy:
        for candidate in dominant:
            results.append(
                TargetResult(
                    "no_dominant_strategy",
                    f"{candidate.actor}.{candidate.strategy}",
                    met=not candidate.interval[0] > 0,
                    value=candidate.margin,
                    interval=candidate.interval,
                    allowed="worst-case advantage of the best strategy at most 0",
                )
            )
    if targets.max_win_rate is not None:
        for actor, actor_id in enumerate(scenario.actor_ids):
            interval = tuple(float(x) for x in pooled.win_interval[actor])
            results.append(
                TargetResult(
                    "max_win_rate",
                    actor_id,
                    met=not interval[0] > targets.max_win_rate,
                    value=float(pooled.win_share[actor]),
                    interval=(interval[0], interval[1]),
                    allowed=f"at most {targets.max_win_rate:g}",
                )
            )
    if targets.mean_turns is not None:
        lo, hi = targets.mean_turns
        results.append(
            TargetResult(
                "mean_turns",
                None,
                met=not _outside(pooled.turns_interval, lo, hi),
                value=pooled.mean_turns,
                interval=pooled.turns_interval,
                allowed=f"between {lo:g} and {hi:g}",
            )
        )
    outcome_ids = [o.id for o in scenario.outcomes]
    for outcome, (lo, hi) in targets.outcome_share.items():
        k = outcome_ids.index(outcome)
        interval = (float(pooled.outcome_interval[k, 0]), float(pooled.outcome_interval[k, 1]))
        results.append(
            TargetResult(
                "outcome_share",
                outcome,
                met=not _outside(interval, lo, hi),
                value=float(pooled.outcome_share[k]),
                interval=interval,
                allowed=f"between {lo:g} and {hi:g}",
            )
        )
    if targets.every_action_used:
        least: tuple[float, str, tuple[float, float]] = (math.inf, "", (0.0, 1.0))
        unused = []
        opening = {(actor, variant) for actor, variant, _ in scenario.opening}
        for actor, variants in enumerate(scenario.variants):
            for variant in variants:
                if (actor, variant.index) in opening:
                    continue  # played at the start of every game
                subject = f"{scenario.actor_ids[actor]}.{variant.id}"
                share = float(pooled.variant_share[actor, variant.index])
                interval = pooled.variant_interval[actor, variant.index]
                if pooled.variant_games[actor, variant.index] == 0:
                    unused.append(subject)
                if share < least[0]:
                    least = (share, subject, (float(interval[0]), float(interval[1])))
        results.append(
            TargetResult(
                "every_action_used",
                ", ".join(unused) if unused else least[1],
                met=not unused,
                value=least[0],
                interval=least[2],
                allowed="every variant played in at least one game",
            )
        )
    if targets.history_outcome_share is not None and history is not None:
        bounds = targets.history_outcome_share
        lo = 0.0 if bounds.min is None else bounds.min
        hi = 1.0 if bounds.max is None else bounds.max
        results.append(
            TargetResult(
                "history_outcome_share",
                history.outcome,
                met=not _outside(history.interval, lo, hi),
                value=history.share,
                interval=history.interval,
                allowed=_bounds(bounds),
            )
        )
    if targets.verdict is not None and verdict is not None:
        weakest = weakest_kind_share(verdict)
        results.append(
            TargetResult(
                "verdict",
                None,
                met=verdict.balanced,
                value=weakest,
                interval=(weakest, weakest),
                allowed=f"balanced: every kind at least {verdict.threshold:.0%} of the moves in "
                f"{verdict.sources}",
            )
        )
    return results
