"""Scenario loading speed: YAML with positions, schema, checks and compilation.

    python benchmarks/loader.py

The last line is one JSON object with the median milliseconds per shipped scenario.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.scenario.load import load_scenario
from game.scenario.yaml_source import load_yaml_file

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


def median_ms(action, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    figures = {}
    for path in SCENARIOS:
        yaml_ms = median_ms(lambda path=path: load_yaml_file(path))
        full_ms = median_ms(lambda path=path: load_scenario(path))
        size = path.stat().st_size / 1024
        print(
            f"{path.name:28s} {size:6.1f} KB  yaml {yaml_ms:6.1f} ms  full load {full_ms:6.1f} ms"
        )
        figures[path.stem] = round(full_ms, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
