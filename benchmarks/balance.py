"""Benchmark the balance lab on the default scenario.

A full balance run without the lookahead strategy (every other strategy for every actor),
1,000,000 games spread evenly over the profiles, at --jobs 1 and --jobs 2 (threads, as `balance
--jobs` runs them: the compiled rules release the GIL); then the lookahead
strategy's cost on its own, in decisions per second. Prints games/s and game-turns/s per run,
peak memory, and as its last line one JSON object with the keys seconds_1m_games_jobs1,
seconds_1m_games_jobs2, seconds_1m_games_jobs2_bind (the same run with the rules bound to the
scenario's structure, `balance --bind`, once they are compiled: the median of three runs, as
this figure sits near its target and a shared machine's speed moves from minute to minute),
cpu_seconds_1m_games_jobs2_bind (the processor time of that median run, all threads: what the
work costs, whatever else the machine runs), peak_rss_mb and lookahead_decisions_per_s.

    python benchmarks/balance.py [--games 1000000] [--seed 1]

Target: 1,000,000 games in at most 3 s with --jobs 2 on a 2-core machine, under 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.balance.analysis import analyse  # noqa: E402
from game.balance.tally import play_chunk  # noqa: E402
from game.balance.tournament import derived_seed, run_tournament  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.strategies.registry import STRATEGY_NAMES  # noqa: E402

SCENARIO = ROOT / "scenarios" / "expulsion_2016.yaml"


def peak_rss_mb() -> float:
    """The largest resident set of this process or any worker it waited for (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def full_run(jobs: int, games_total: int, seed: int, bind: bool = False) -> tuple[float, float]:
    """Wall and processor seconds of one run."""
    scenario = load_scenario(SCENARIO)
    text = SCENARIO.read_text(encoding="utf-8")
    names = [n for n in STRATEGY_NAMES if n != "lookahead"]
    per_profile = math.ceil(games_total / len(names) ** scenario.n_actors)
    began, began_cpu = time.perf_counter(), time.process_time()
    if jobs == 1:
        tournament = run_tournament(
            scenario, games=per_profile, seed=seed, strategies=names, bind=bind
        )
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            tournament = run_tournament(
                scenario,
                text,
                games=per_profile,
                seed=seed,
                strategies=names,
                executor=pool,
                bind=bind,
            )
    played = time.perf_counter() - began
    analyse(tournament)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    games = sum(p.games for p in tournament.profiles)
    turns = sum(t.game_turns for t in tournament.tallies)
    label = f"jobs {jobs}{' --bind' if bind else ''}"
    print(
        f"{label}: {games:,} games ({len(tournament.profiles)} profiles x {per_profile:,}) "
        f"in {seconds:.2f} s (playing {played:.2f} s, analysis {seconds - played:.2f} s; "
        f"{cpu:.2f} s of processor time): "
        f"{games / seconds:,.0f} games/s, {turns / seconds:,.0f} game-turns/s"
    )
    return seconds, cpu


def lookahead_rate(seed: int, games: int = 128) -> float:
    """Decisions per second of the default lookahead against tit-for-tat and against itself."""
    engine = Engine(load_scenario(SCENARIO))
    decisions, seconds = 0, 0.0
    for profile in (("lookahead", "tit_for_tat"), ("lookahead", "lookahead")):
        tally = play_chunk(engine, profile, derived_seed(seed, profile), 0, games)
        decisions += tally.lookahead_decisions
        seconds += tally.seconds
    rate = decisions / seconds
    print(f"lookahead: {decisions:,} decisions in {seconds:.1f} s: {rate:,.0f} decisions/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1_000_000, help="games in all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scale = 1_000_000 / args.games
    jobs1 = full_run(1, args.games, args.seed)[0] * scale
    jobs2 = full_run(2, args.games, args.seed)[0] * scale
    began = time.perf_counter()
    Engine(load_scenario(SCENARIO)).bind_to_structure()
    print(f"rules bound to the scenario's structure in {time.perf_counter() - began:.1f} s")
    bound, bound_cpu = statistics.median_low(
        full_run(2, args.games, args.seed, bind=True) for _ in range(3)
    )
    rate = lookahead_rate(args.seed)
    rss = peak_rss_mb()
    print(f"peak RSS: {rss:,.0f} MB (largest of this process and its workers)")
    print(
        json.dumps(
            {
                "seconds_1m_games_jobs1": round(jobs1, 2),
                "seconds_1m_games_jobs2": round(jobs2, 2),
                "seconds_1m_games_jobs2_bind": round(bound * scale, 2),
                "cpu_seconds_1m_games_jobs2_bind": round(bound_cpu * scale, 2),
                "peak_rss_mb": round(rss, 1),
                "lookahead_decisions_per_s": round(rate, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
