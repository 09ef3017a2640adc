"""What a turn would cost if the rules were compiled for one scenario's layout.

The compiled rules read the layout (how many actors, variants, events; where each part of the
row and of the tables sits) from the scenario's int64 table at run time, so one machine code
serves every scenario. This measures the other choice, without a second copy of the rules: the
same functions, compiled again with `layout_of` answering some or all of the layout's numbers
as constants (`game.engine.bound`; `Engine.bind_to_structure` uses the kind `structure`), play
whole games of the 2016 scenario against the engine as it is. It checks that both give the same
games bit for bit, then prints, for each set of constants, the time to compile (or, on a later
run, to load from the cache) and the nanoseconds a turn takes on one thread; the last line is
one JSON object, {constants: ns a turn}, with "none" for the engine as it is.

    python benchmarks/layout_constants.py [--strategy random] [--games 20000] [--only all]

The kinds of constants: `actors` (the number of actors), `sizes` (every count), `row` (the
counts and where each part of a game's row sits), `structure` (every number that an edit of an
expression's text cannot change: all but the machine's stack depth and the offsets after the
expressions' instructions), `all` (every number).
With `--strategy lookahead` every actor decides by rollouts (use a few hundred games).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine import layout  # noqa: E402
from game.engine.bound import BY_TEXT, bound_play_games  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.engine.state import State  # noqa: E402
from game.engine.warmup import warm_up  # noqa: E402
from game.match import compiled_profile, prepare  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.strategies.registry import make_strategy  # noqa: E402

SCENARIO = ROOT / "scenarios" / "expulsion_2016.yaml"
FIELDS = layout.Layout._fields
CONSTANTS = {
    "actors": FIELDS[:1],
    "sizes": FIELDS[: FIELDS.index("row")],
    "row": FIELDS[: FIELDS.index("kind")],
    "structure": tuple(name for name in FIELDS if name not in BY_TEXT),
    "all": FIELDS,
}
"""Which of the layout's numbers each kind makes constant (the sizes come first in the layout,
then the row's parts, then the tables' offsets)."""
NO_COUNTS = np.zeros((0, 0, 0), dtype=np.int64)
"""No tension histogram: the engine's loop counts only when the balance lab asks."""


def ns_a_turn(play: Callable[[State], np.ndarray], games: State, repeats: int = 3) -> float:
    """The fastest of `repeats` runs, in nanoseconds a game-turn."""
    best = np.inf
    for _ in range(repeats):
        began = time.perf_counter()
        data = play(games)
        seconds = time.perf_counter() - began
        best = min(best, seconds / data[:, games.lay.turn].sum() * 1e9)
    return float(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strategy", default="random")
    parser.add_argument("--games", type=int, default=20_000)
    parser.add_argument("--only", choices=sorted(CONSTANTS), action="append")
    args = parser.parse_args()
    warm_up()
    engine = Engine(load_scenario(SCENARIO))
    tables = engine.tables
    strategies = [make_strategy(args.strategy) for _ in range(engine.scenario.n_actors)]
    prepare(engine, strategies)
    profile = compiled_profile(strategies)
    games = engine.new_games(5, batch=args.games)

    def as_it_is(start: State) -> np.ndarray:
        data = start.data.copy()
        engine.play_in_place(data, start, profile)
        return data

    reference = as_it_is(games)
    figures = {"none": ns_a_turn(as_it_is, games)}
    print(f"{'none':10s}  {figures['none']:7.0f} ns a turn", flush=True)
    for kind in args.only or CONSTANTS:
        structure = tuple(
            int(value) if name in CONSTANTS[kind] else None
            for name, value in zip(FIELDS, tables.lay, strict=True)
        )
        whole_games = bound_play_games(structure)

        def bound(start: State, whole_games: Callable[..., None] = whole_games) -> np.ndarray:
            data = start.data.copy()
            whole_games(
                tables.lay, tables.coefficients, tables.ints, tables.floats, data,
                start.streams, start.game_ids, start.key, profile.codes, profile.params,
                -1, NO_COUNTS, 1.0,
            )  # fmt: skip
            return data

        began = time.perf_counter()
        bound(engine.new_games(1, batch=2))
        compile_s = time.perf_counter() - began
        if bound(games).tobytes() != reference.tobytes():
            raise SystemExit(f"{kind}: the games differ from the engine's")
        figures[kind] = ns_a_turn(bound, games)
        print(
            f"{kind:10s}  {figures[kind]:7.0f} ns a turn  (compiled or loaded in {compile_s:.0f} s)"
        )
    print(json.dumps({kind: round(ns, 1) for kind, ns in figures.items()}))


if __name__ == "__main__":
    main()
