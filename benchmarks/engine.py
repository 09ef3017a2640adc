"""Engine speed on the default scenario: game-turns per second and one lookahead decision.

Random strategies play whole games at B = 1, 1,000 and 100,000 with `game.match.play_batch`,
which steps up to 65,536 games at once, one chunk per thread and core. A game-turn is one turn
of one running game; each figure is the best of a few seeds. The last line is one JSON object
for scripts and CI dashboards.

    python benchmarks/engine.py
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.engine import Engine
from game.match import play_batch, prepare
from game.scenario.load import load_scenario
from game.strategies.base import Situation
from game.strategies.registry import make_strategy

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "expulsion_2016.yaml"


def turns_per_second(engine: Engine, batch: int, repeats: int) -> float:
    strategies = [make_strategy("random") for _ in range(engine.scenario.n_actors)]
    best = 0.0
    for seed in range(repeats):
        start = time.perf_counter()
        state = play_batch(engine, strategies, seed=seed, batch=batch)
        elapsed = time.perf_counter() - start
        best = max(best, float(state.turn.sum()) / elapsed)
    return best


def lookahead_decision_ms(engine: Engine, repeats: int = 20) -> float:
    sc = engine.scenario
    lookahead = make_strategy("lookahead")
    strategies = [lookahead] + [make_strategy("tit_for_tat") for _ in range(sc.n_actors - 1)]
    prepare(engine, strategies)
    state = engine.new_games(seed=1)
    situation = Situation(engine, state, 0, engine.legal(state)[:, 0])
    lookahead.choose(situation)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        lookahead.choose(situation)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000)


def main() -> None:
    engine = Engine(load_scenario(SCENARIO))
    figures = {
        "turns_per_s_b1": turns_per_second(engine, 1, repeats=20),
        "turns_per_s_b1000": turns_per_second(engine, 1000, repeats=5),
        "turns_per_s_b100000": turns_per_second(engine, 100_000, repeats=3),
        "lookahead_decision_ms": lookahead_decision_ms(engine),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(f"game-turns/s at B=1:       {figures['turns_per_s_b1']:>12,.0f}")
    print(f"game-turns/s at B=1,000:   {figures['turns_per_s_b1000']:>12,.0f}")
    print(
        f"game-turns/s at B=100,000: {figures['turns_per_s_b100000']:>12,.0f}  (target 3,000,000)"
    )
    print(f"lookahead decision:        {figures['lookahead_decision_ms']:>12.1f} ms  (target 100)")
    print(f"peak memory:               {figures['peak_rss_mb']:>12.0f} MB")
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
