"""A fingerprint of how the engine plays: digests of every turn's report and of final states.

The rules were ported from vectorized numpy to a compiled per-game kernel; this fingerprint was
taken from the numpy engine before it was retired, and the kernel must reproduce it bit for bit.
It stays as a regression test: any change to what a game does, however small, changes a digest.
A change to the rules that is meant (a rebalanced scenario, a new mechanic) regenerates it with
`python tests/fingerprint.py`, and the diff shows which cases moved.

Each case is (scenario, one strategy per actor, seed). It is played twice through the public
surface: turn by turn with `advance` (the interactive path: every turn's moves and report are
digested) and whole with `play_batch` (the balance lab's path: final states are digested).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT_FILE = ROOT / "tests" / "data" / "engine_fingerprint.json"

STATE_ARRAYS = (
    "game_ids",
    "streams",
    "turn",
    "tension",
    "gauges",
    "diplomats",
    "grievance",
    "personality",
    "leader",
    "enabled",
    "uses",
    "last_variant",
    "prev_variant",
    "received",
    "wronged",
    "fired",
    "streak",
    "score_accum",
    "final_score",
    "over",
    "outcome",
)
"""The state every engine must keep, by name: the fingerprint reads these arrays."""

TWO_ACTOR_SCENARIOS = (
    "expulsion_2016",
    "expulsions_1986",
    "tutorial",
    "prisoners_dilemma",
    "worked_example",
)
STRATEGIES = (
    "always_retaliate",
    "always_restrain",
    "always_wait",
    "tit_for_tat",
    "generous_tit_for_tat",
    "tit_for_two_tats",
    "grim_trigger",
    "random",
    "wait_and_see",
    "lookahead",
)
THREE_ACTOR_PROFILES = (
    ("random", "random", "random"),
    ("tit_for_tat", "lookahead", "grim_trigger"),
    ("wait_and_see", "generous_tit_for_tat", "always_retaliate"),
    ("lookahead:easy", "random:0.2", "tit_for_two_tats"),
)
SEEDS = (7, 20161229)
GAMES = 12
"""Games per case: enough for stochastic strategies and chance events to diverge."""
LARGE_GAMES = 4_000
"""Games of the random-against-random cases, whose final states cover most of what can happen."""


def cases() -> Iterator[tuple[str, Path, tuple[str, ...], int, int]]:
    """(key, scenario path, strategies, seed, games) for every case of the fingerprint."""
    for name in TWO_ACTOR_SCENARIOS:
        path = ROOT / "scenarios" / f"{name}.yaml"
        for seed in SEEDS:
            for first in STRATEGIES:
                for second in STRATEGIES:
                    yield f"{name}|{first},{second}|{seed}", path, (first, second), seed, GAMES
            yield f"{name}|random,random|{seed}|large", path, ("random",) * 2, seed, LARGE_GAMES
    path = ROOT / "tests" / "data" / "three_actors.yaml"
    for seed in SEEDS:
        for profile in THREE_ACTOR_PROFILES:
            yield f"three_actors|{','.join(profile)}|{seed}", path, profile, seed, GAMES


def _canonical(array: np.ndarray) -> bytes:
    """Bytes that depend on an array's values and shape, not on its dtype width or layout."""
    array = np.asarray(array)
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    elif array.dtype.kind == "f":
        array = array.astype(np.float64)
    elif array.dtype.kind in "iu" and array.dtype != np.uint64:
        array = array.astype(np.int64)
    return repr(array.shape).encode() + np.ascontiguousarray(array).tobytes()


def _digest_state(digest: hashlib._Hash, state: object) -> None:
    for name in STATE_ARRAYS:
        digest.update(name.encode())
        digest.update(_canonical(getattr(state, name)))


def play_case(path: Path, strategy_names: tuple[str, ...], seed: int, games: int) -> dict:
    """The digests of one case: turn by turn, then whole games."""
    from game.engine.engine import Engine
    from game.match import advance, play_batch, prepare
    from game.scenario.load import load_scenario
    from game.strategies.registry import make_strategy

    scenario = load_scenario(path)
    engine = Engine(scenario)
    result = {}
    if games <= GAMES:
        strategies = [make_strategy(name) for name in strategy_names]
        prepare(engine, strategies)
        state = engine.new_games(seed, batch=games)
        turns = hashlib.sha256()
        _digest_state(turns, state)
        while not state.over.all():
            state, report, actions = advance(engine, state, strategies)
            for array in (actions, report.kinds, report.expelled, report.fired, report.ended):
                turns.update(_canonical(array))
        _digest_state(turns, state)
        result["turns"] = turns.hexdigest()
    strategies = [make_strategy(name) for name in strategy_names]
    final = play_batch(engine, strategies, seed, batch=games)
    whole = hashlib.sha256()
    _digest_state(whole, final)
    result["whole"] = whole.hexdigest()
    return result


def compute(selected: str = "") -> dict[str, dict]:
    return {
        key: play_case(path, profile, seed, games)
        for key, path, profile, seed, games in cases()
        if selected in key
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    fingerprint = compute()
    FINGERPRINT_FILE.write_text(json.dumps(fingerprint, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(fingerprint)} cases to {FINGERPRINT_FILE.relative_to(ROOT)}")
