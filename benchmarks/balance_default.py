"""Time default balance runs as a user runs them: `python main.py balance --scenario FILE`.

Two runs, each in its own process, with every default (every strategy, the lookahead AI
included, 1,000 games per profile, threads on every core): the two-actor 2016 scenario, which
plays all 100 profiles, and the four-actor test scenario, which samples its 10,000 (see "Which
profiles" in docs/balance.md). For each it prints the wall-clock time, the CPU time of the
process (user + system, all threads) and the load average just before, since on a shared
machine the wall-clock time depends on what else runs; then the 2016 run again with `--no-bind`,
and one JSON object. First of all, one `--bind` run of the 2016 scenario (timed, not in the
JSON) compiles the rules for its structure, or loads them if an earlier run did: every later
default run of it uses them, as on a designer's machine after the first `--bind`, and the
`--no-bind` run shows a machine where they were never compiled. (The four-actor scenario's
structure is not bound here: its run is the general rules' figure.)

    python benchmarks/balance_default.py [--repeat 1] [--compare PATH]

`--compare PATH` times another checkout of the game (an older version, say) on the two-actor run
the same way, its runs alternating with this one's so that both see the same load. (Not on the
four-actor run: a version that plays every profile would play 10,000 of them, for hours.)

Targets: the 2016 run in at most 6 s and the four-actor run in at most 60 s, on a 2-core
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = {
    "two_actors_2016": ROOT / "scenarios" / "expulsion_2016.yaml",
    "four_actors": ROOT / "tests" / "data" / "four_actors.yaml",
}


def timed(checkout: Path, scenario: Path, *options: str) -> dict[str, float]:
    """Wall and CPU seconds of one default balance run of `scenario` by `checkout`."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "main.py", "balance", "--scenario", str(scenario), "--quiet", *options],
        cwd=checkout,
        check=True,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "load_before": round(load, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (default: 1)")
    parser.add_argument("--compare", type=Path, help="another checkout to time the same way")
    args = parser.parse_args()
    checkouts = {"this": ROOT}
    if args.compare is not None:
        checkouts["compare"] = args.compare.resolve()
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    scenario = RUNS["two_actors_2016"]
    first = timed(ROOT, scenario, "--bind")
    print(f"this two_actors_2016 --bind, first run: {first['wall_s']:.1f} s wall", flush=True)
    for name, scenario in RUNS.items():
        for _ in range(args.repeat):
            for label, checkout in checkouts.items():
                if label == "compare" and name != "two_actors_2016":
                    continue
                figures = timed(checkout, scenario)
                results.setdefault(label, {}).setdefault(name, []).append(figures)
                print(
                    f"{label} {name}: {figures['wall_s']:.1f} s wall, {figures['cpu_s']:.1f} s "
                    f"CPU (load average before: {figures['load_before']:.2f})",
                    flush=True,
                )
    scenario = RUNS["two_actors_2016"]
    for _ in range(args.repeat):
        figures = timed(ROOT, scenario, "--no-bind")
        results["this"].setdefault("two_actors_2016_no_bind", []).append(figures)
        print(
            f"this two_actors_2016 --no-bind: {figures['wall_s']:.1f} s wall, "
            f"{figures['cpu_s']:.1f} s CPU (load average before: {figures['load_before']:.2f})",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
