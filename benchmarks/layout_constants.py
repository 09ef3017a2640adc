"""What a turn would cost if the rules were compiled for one scenario's layout.

The compiled rules read the layout (how many actors, variants, events; where each part of the
row and of the tables sits) from the scenario's int64 table at run time, so one machine code
serves every scenario. This measures the other choice, without a second copy of the rules: the
same functions, compiled again in this process with `layout_of` answering some or all of the
layout's numbers as constants, play the whole-game loop (`batch._play_loop`) of the 2016
scenario against the engine as it is. It checks that both give the same games bit for bit,
then prints, for each set of constants, the compile time of that loop and the nanoseconds a
turn takes on one thread; the last line is one JSON object, {constants: ns a turn}, with
"none" for the engine as it is. Nothing it compiles is cached.

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
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402
from numba.core.registry import CPUDispatcher  # noqa: E402

from game.engine import batch, choose, layout, program, rng, rules  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.engine.state import State  # noqa: E402
from game.engine.warmup import warm_up  # noqa: E402
from game.match import compiled_profile, prepare  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.strategies.registry import make_strategy  # noqa: E402

SCENARIO = ROOT / "scenarios" / "expulsion_2016.yaml"
MODULES = (rules, choose, batch, program, rng, layout)
FIELDS = layout.Layout._fields
BY_TEXT = ("stack", "code", "shortcuts", "event_turns", "constants")
"""The layout's numbers that change when an expression is added or its text changes (the
machine's stack depth, and the offsets that follow the expressions' instructions); every other
number follows the scenario's structure: its actors, variants, events, outcomes, objectives,
effects and length."""
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


def bound_loop(lay: layout.Layout, constant: tuple[str, ...]) -> Callable[..., None]:
    """`batch._play_loop` and everything it calls, compiled afresh with the `constant` fields
    of `layout_of` as constants; the arguments are the engine's."""
    values = ", ".join(
        str(int(lay[i])) if name in constant else f"ints[{i}]" for i, name in enumerate(FIELDS)
    )
    scope = {"Layout": layout.Layout}
    exec(f"def bound_layout(ints):\n    return Layout({values})\n", scope)
    bound_layout = numba.njit(inline="always")(scope["bound_layout"])
    namespaces = {module.__name__: dict(vars(module)) for module in MODULES}
    twins: dict[int, CPUDispatcher] = {}
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, CPUDispatcher) and id(value) not in twins:
                function = value.py_func
                clone = types.FunctionType(
                    function.__code__, namespaces[function.__module__], function.__name__
                )
                options = {k: v for k, v in value.targetoptions.items() if k != "nopython"}
                options.pop("cache", None)
                twins[id(value)] = numba.njit(**options)(clone)
    for namespace in namespaces.values():
        for name, value in list(namespace.items()):
            if isinstance(value, CPUDispatcher) and id(value) in twins:
                namespace[name] = twins[id(value)]
        if "layout_of" in namespace:
            namespace["layout_of"] = bound_layout
    # Compiled into a loop that keeps its own layout constant (a call would pass it as data).
    loop = batch._play_loop.py_func
    inlined = types.FunctionType(loop.__code__, namespaces[loop.__module__], loop.__name__)
    inner = numba.njit(inline="always", nogil=True, error_model="numpy", _nrt=False)(inlined)

    @numba.njit(nogil=True, error_model="numpy", _nrt=False)
    def play(
        coef: tuple,
        ints: np.ndarray,
        floats: np.ndarray,
        data: np.ndarray,
        streams: np.ndarray,
        ids: np.ndarray,
        key: np.uint64,
        codes: np.ndarray,
        params: np.ndarray,
        counts: np.ndarray,
        scratch: tuple,
    ) -> None:
        values, sim, models, model_params, legal, own, actions, chosen = scratch[:8]
        kinds, expelled, fired, work, stack, scores = scratch[8:]
        inner(
            bound_layout(ints), coef, ints, floats, data, streams, ids, key, codes, params,
            -1, counts, 1.0, values, sim, models, model_params,
            legal, own, actions, chosen, kinds, expelled, fired, work, stack, scores,
        )  # fmt: skip

    return play


def scratch_of(lay: layout.Layout, params: np.ndarray) -> tuple[np.ndarray, ...]:
    """The scratch arrays `batch.play_games` allocates, in `_play_loop`'s order."""
    n, v = lay.n, lay.v
    return (
        np.zeros(v),
        np.zeros(lay.row),
        np.zeros(n, dtype=np.int64),
        np.zeros((n, params.shape[1])),
        np.zeros(n * v, dtype=np.bool_),
        np.zeros(n * v, dtype=np.bool_),
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        np.zeros(n),
        np.zeros(max(lay.e, 1), dtype=np.bool_),
        np.zeros(rules.work_size(lay)),
        np.zeros(lay.stack),
        np.zeros(max(1, int(params[:, 0].max()))),
    )


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
    print(f"{'none':8s}  {figures['none']:7.0f} ns a turn", flush=True)
    for kind in args.only or CONSTANTS:
        play = bound_loop(tables.lay, CONSTANTS[kind])
        scratch = scratch_of(tables.lay, profile.params)

        def bound(
            start: State, play: Callable[..., None] = play, scratch: tuple = scratch
        ) -> np.ndarray:
            data = start.data.copy()
            play(
                tables.coefficients, tables.ints, tables.floats, data, start.streams,
                start.game_ids, start.key, profile.codes, profile.params, NO_COUNTS, scratch,
            )  # fmt: skip
            return data

        began = time.perf_counter()
        bound(engine.new_games(1, batch=2))
        compile_s = time.perf_counter() - began
        if bound(games).tobytes() != reference.tobytes():
            raise SystemExit(f"{kind}: the games differ from the engine's")
        figures[kind] = ns_a_turn(bound, games)
        print(f"{kind:8s}  {figures[kind]:7.0f} ns a turn  (compiled in {compile_s:.0f} s)")
    print(json.dumps({kind: round(ns, 1) for kind, ns in figures.items()}))


if __name__ == "__main__":
    main()
