"""The balance lab's JSON document (schema in docs/balance.md).

Two runs with the same seed, scenario and options give identical documents apart from the
"timing" key, whatever the number of jobs or the executor: nothing here depends on timing or on
where the games ran, and floats are rounded so that the document reads well.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game import __version__
from game.balance.analysis import Analysis
from game.balance.summary import PERCENTILES, ProfileSummary, pair_labels
from game.scenario.model import KINDS

SCHEMA_VERSION = 2
"""2: the plan (every profile or a sample of line-ups), the per-actor summary, best replies
against each strategy of each other actor, best-reply play in the verdict; `payoffs` is null in
a sampled run, whose `profiles` are the ones it played."""


def _num(value: float, digits: int = 6) -> float | None:
    value = float(value)
    return None if math.isnan(value) else round(value, digits)


def _interval(pair: Any) -> list[float | None]:
    return [_num(pair[0]), _num(pair[1])]


def _profile(analysis: Analysis, summary: ProfileSummary) -> dict[str, Any]:
    sc = analysis.tournament.scenario
    ids = sc.actor_ids
    outcome_ids = [o.id for o in sc.outcomes]
    pairs = pair_labels(sc)
    tension: dict[str, dict[str, list[float | None]]] = {}
    for p, label in enumerate(pairs):
        tension[label] = {
            f"p{q}": [_num(v, 3) for v in summary.tension_percentiles[:, p, column]]
            for column, q in enumerate(PERCENTILES)
        }
    return {
        "strategies": dict(zip(ids, summary.strategies, strict=True)),
        "games": summary.games,
        "note": summary.profile.note,
        "outcomes": {o: _num(summary.outcome_share[k]) for k, o in enumerate(outcome_ids)},
        "outcome_intervals": {
            o: _interval(summary.outcome_interval[k]) for k, o in enumerate(outcome_ids)
        },
        "mean_scores": {a: _num(summary.mean_score[i]) for i, a in enumerate(ids)},
        "score_intervals": {a: _interval(summary.score_interval[i]) for i, a in enumerate(ids)},
        "win_shares": {a: _num(summary.win_share[i]) for i, a in enumerate(ids)},
        "win_intervals": {a: _interval(summary.win_interval[i]) for i, a in enumerate(ids)},
        "mean_turns": _num(summary.mean_turns),
        "turns_interval": _interval(summary.turns_interval),
        "lengths": [int(x) for x in summary.lengths],
        "kinds": {
            a: {kind: _num(summary.kind_share[i, k]) for k, kind in enumerate(KINDS)}
            for i, a in enumerate(ids)
        },
        "variants": {
            a: {v.id: _num(summary.variant_share[i, v.index]) for v in sc.variants[i]}
            for i, a in enumerate(ids)
        },
        "variant_games": {
            a: {v.id: int(summary.variant_games[i, v.index]) for v in sc.variants[i]}
            for i, a in enumerate(ids)
        },
        "tension_percentiles": tension,
    }


def _plan(analysis: Analysis) -> dict[str, Any]:
    t = analysis.tournament
    plan = t.plan
    ids = t.scenario.actor_ids
    lineups = {}
    for actor, actor_id in enumerate(ids):
        others = [a for a in ids if a != actor_id]
        lineups[actor_id] = [
            dict(zip(others, (t.strategies[s] for s in lineup), strict=True))
            for lineup in plan.lineups[actor]
        ]
    return {
        "sampled": plan.sampled,
        "profiles_possible": plan.possible,
        "profiles_played": len(plan.profiles),
        "lineups_per_actor": len(plan.lineups[0]),
        "lineups_possible": plan.possible_lineups,
        "lineups": lineups,
    }


def _actor_summary(analysis: Analysis) -> dict[str, dict[str, Any]]:
    outcome_ids = [o.id for o in analysis.tournament.scenario.outcomes]
    result: dict[str, dict[str, Any]] = {}
    for r in analysis.strategies:
        result.setdefault(r.actor, {})[r.strategy] = {
            "lineups": r.lineups,
            "games": r.games,
            "mean_score": _num(r.mean_score),
            "score_interval": _interval(r.score_interval),
            "win_share": _num(r.win_share),
            "win_interval": _interval(r.win_interval),
            "outcomes": {o: _num(r.outcome_share[k]) for k, o in enumerate(outcome_ids)},
            "outcome_intervals": {
                o: _interval(r.outcome_interval[k]) for k, o in enumerate(outcome_ids)
            },
            "best_reply_share": _num(r.best_reply_share),
        }
    return result


def build_document(analysis: Analysis, timing: bool = True) -> dict[str, Any]:
    t = analysis.tournament
    sc = t.scenario
    ids = sc.actor_ids
    pooled = analysis.pooled
    outcome_ids = [o.id for o in sc.outcomes]
    doc: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "program": "persona-non-grata",
        "version": __version__,
        "seed": t.seed,
        "scenario": sc.model.metadata.id,
        "scenario_sha256": sc.sha256,
        "games": t.games,
        "lookahead_games": t.lookahead_games,
        "actors": list(ids),
        "strategies": list(t.strategies),
        "outcome_ids": outcome_ids,
        "plan": _plan(analysis),
        "profiles": [_profile(analysis, s) for s in analysis.profiles],
        "overall": {
            "outcomes": {o: _num(pooled.outcome_share[k]) for k, o in enumerate(outcome_ids)},
            "outcome_intervals": {
                o: _interval(pooled.outcome_interval[k]) for k, o in enumerate(outcome_ids)
            },
            "win_shares": {a: _num(pooled.win_share[i]) for i, a in enumerate(ids)},
            "win_intervals": {a: _interval(pooled.win_interval[i]) for i, a in enumerate(ids)},
            "mean_turns": _num(pooled.mean_turns),
            "turns_interval": _interval(pooled.turns_interval),
        },
        "actor_summary": _actor_summary(analysis),
        "payoffs": None
        if analysis.tables is None
        else {a: np.round(analysis.tables.mean[i], 6).tolist() for i, a in enumerate(ids)},
        "dominated": [
            {
                "actor": d.actor,
                "strategy": d.dominated,
                "by": d.by,
                "strict": d.strict,
                "margin": _num(d.margin),
                "margin_interval": _interval(d.margin_interval),
                "significant": d.significant,
            }
            for d in analysis.dominated
        ],
        "best_responses": [
            {
                "actor": b.actor,
                "against": dict(zip([a for a in ids if a != b.actor], b.against, strict=True)),
                "best": list(b.best),
                "payoff": _num(b.payoff),
                "margin": _num(b.margin),
                "significant": b.significant,
            }
            for b in analysis.best_responses
        ],
        "marginal_best_responses": [
            {
                "actor": r.actor,
                "against": {r.other: r.other_strategy},
                "best": list(r.best),
                "payoff": _num(r.payoff),
                "margin": _num(r.margin),
                "significant": r.significant,
                "lineups": r.lineups,
            }
            for r in analysis.marginal_replies
        ],
        "equilibrium_method": analysis.equilibria.method,
        "equilibria": [
            {
                "pure": e.pure,
                "method": e.method,
                "strategies": {
                    a: {
                        name: _num(p)
                        for name, p in zip(t.strategies, e.mixture[i], strict=True)
                        if p > 1e-9
                    }
                    for i, a in enumerate(ids)
                },
                "payoffs": {a: _num(e.payoff[i]) for i, a in enumerate(ids)},
                "regret": _num(e.regret),
                "kinds": {kind: _num(kinds[k]) for k, kind in enumerate(KINDS)},
            }
            for e, kinds in zip(analysis.equilibria.found, analysis.equilibrium_kinds, strict=True)
        ],
        "verdict": {
            "balanced": analysis.verdict.balanced,
            "threshold": analysis.verdict.threshold,
            "kinds": list(analysis.verdict.kinds),
            "equilibrium": _shares(analysis.verdict.equilibrium),
            "lookahead": _shares(analysis.verdict.lookahead),
            "best_reply": _shares(analysis.verdict.best_reply),
            "short_in_equilibrium": list(analysis.verdict.short_in_equilibrium),
            "short_by_lookahead": list(analysis.verdict.short_by_lookahead),
            "short_in_best_reply": list(analysis.verdict.short_in_best_reply),
            "text": analysis.verdict.text,
        },
        "targets": [
            {
                "name": r.name,
                "subject": r.subject,
                "met": r.met,
                "value": _num(r.value),
                "interval": _interval(r.interval),
                "allowed": r.allowed,
            }
            for r in analysis.targets
        ],
    }
    doc["history"] = _history(analysis)
    if timing:
        doc["timing"] = timing_figures(analysis)
    return doc


def _history(analysis: Analysis) -> dict[str, Any] | None:
    """The replays of the real moves the `history_outcome_share` target was judged on, as
    `python main.py history --json` gives them (without the scenario's id and hash, which the
    document already has); None when the scenario declares no such target."""
    if analysis.history is None:
        return None
    from game.history.figures import document

    replays = document(analysis.history)
    del replays["scenario"], replays["scenario_sha256"]
    return replays


def _shares(shares: dict[str, float] | None) -> dict[str, float | None] | None:
    return None if shares is None else {k: _num(v) for k, v in shares.items()}


def timing_figures(analysis: Analysis) -> dict[str, Any]:
    """Wall-clock figures: the only part of the document that differs between equal runs."""
    t = analysis.tournament
    games = sum(p.games for p in analysis.profiles)
    turns = sum(tally.game_turns for tally in t.tallies)
    look = sum(p.lookahead_decisions for p in analysis.profiles)
    look_seconds = sum(p.seconds for p in analysis.profiles if p.lookahead_decisions)
    seconds = max(t.seconds, 1e-9)
    return {
        "seconds": round(t.seconds, 3),
        "workers": t.workers,
        "bound_rules": t.bound,
        "games_per_s": round(games / seconds, 1),
        "game_turns_per_s": round(turns / seconds, 1),
        "lookahead_decisions_per_s": round(look / look_seconds, 1) if look_seconds else None,
    }
