"""The balance lab: tournaments between strategies, meta-game analysis and balance targets.

    from game.balance import analyse, run_tournament
    analysis = analyse(run_tournament(scenario, games=500, seed=3))

The names below load on first use, so that the command line can register `balance` without
importing the engine.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "run_tournament": "game.balance.tournament",
    "Tournament": "game.balance.tournament",
    "analyse": "game.balance.analysis",
    "Analysis": "game.balance.analysis",
    "PayoffTables": "game.balance.metagame",
    "nash_equilibria": "game.balance.metagame",
    "wilson": "game.balance.stats",
    "build_document": "game.balance.document",
    "report_figure": "game.balance.plot",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'game.balance' has no attribute '{name}'")
    import importlib

    return getattr(importlib.import_module(module), name)
