"""The iterated prisoner's dilemma as a tournament: five classic strategies, round-robin.

Every pair of always_restrain (cooperate), always_retaliate (defect), tit_for_tat, grim_trigger
and tit_for_two_tats, each with itself too (15 matches, as Axelrod's tournaments count them),
plays 200 games of 200 turns through the Python API (`game.match.play_batch`). The time excludes
imports and the one-off preparation of the compiled rules. These strategies draw no random
number and neither does this scenario, so every game of a match is the same game and the
engine plays it once (`Engine.plays_alike`), as the Axelrod library caches a deterministic
match. The last line is one JSON object with
the key `ipd_seconds_r200`; the target is 0.05 s.

    python benchmarks/ipd.py
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine.engine import Engine  # noqa: E402
from game.engine.warmup import warm_up  # noqa: E402
from game.match import play_batch  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.strategies.registry import make_strategy  # noqa: E402

CLASSICS = (
    "always_restrain",
    "always_retaliate",
    "tit_for_tat",
    "grim_trigger",
    "tit_for_two_tats",
)
GAMES = 200


def tournament(engine: Engine) -> dict[tuple[str, str], tuple[float, float]]:
    """Mean scores of each match."""
    results = {}
    for first, second in itertools.combinations_with_replacement(CLASSICS, 2):
        final = play_batch(engine, [make_strategy(first), make_strategy(second)], 0, batch=GAMES)
        scores = final.final_score.mean(axis=0)
        results[(first, second)] = (float(scores[0]), float(scores[1]))
    return results


def main() -> None:
    warm_up()
    engine = Engine(load_scenario(ROOT / "scenarios" / "prisoners_dilemma.yaml"))
    tournament(engine)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        results = tournament(engine)
        times.append(time.perf_counter() - start)
    for (first, second), (a, b) in results.items():
        print(f"{first:>18} vs {second:<18} {a:6.0f} {b:6.0f}")
    best = min(times)
    print(f"15 matches x {GAMES} games x 200 turns: {best:.4f} s (best of 5; target 0.05)")
    print(json.dumps({"ipd_seconds_r200": round(best, 5)}))


if __name__ == "__main__":
    main()
