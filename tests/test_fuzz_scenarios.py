"""Structural fuzzing of the shipped scenarios: whatever an author (or an attacker) writes, the
loader answers with located one-line problems or a scenario that plays and writes valid JSON,
within a bounded time and memory per file.

Each example takes a shipped scenario's data and applies a few mutations: delete, duplicate or
replace keys and list items, huge and non-finite numbers, odd types, control characters, deep
nesting, many items, and raw YAML text a dumper would never write (sexagesimal numbers, tags,
aliases). The CI run is small; set PNG_FUZZ_EXAMPLES (say 20000) for a long one, and
PNG_FUZZ_SEED to vary it.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from game.engine.engine import Engine
from game.engine.records import opening_record, turn_record
from game.errors import ScenarioError
from game.match import advance, prepare
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario_text
from game.scenario.yaml_source import load_yaml_file
from game.simulate import RecordedGame
from game.strategies.registry import make_strategy

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = {path.name: load_yaml_file(path).data for path in sorted(SCENARIOS.glob("*.yaml"))}
EXAMPLES = int(os.environ.get("PNG_FUZZ_EXAMPLES", "120"))
SECONDS_PER_CASE = 5.0
BYTES_PER_CASE = 1 << 30
SIMULATED_TURNS = 12
FILE = "fuzz.yaml"

# -- what a mutation may put in a file -----------------------------------------------------------

_DEEP: Any = "x"
for _ in range(60):
    _DEEP = [_DEEP]

NUMBERS = [
    0,
    -1,
    1,
    2**31,
    2**31 - 1,
    -(2**31) - 1,
    2**63,
    10**18 - 1,
    10**40,
    1e6 + 1,
    1e12,
    1e308,
    -1e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
    0.5,
    100.0001,
]
TEXTS = [
    "",
    " ",
    "\x00",
    "\x1b[2J\x1b[31mred",
    "\x1b]0;title\x07",
    "\u200b",
    "\u202eevil",
    "\ufeff",
    "\u3164",
    "a\nb\tc\r",
    "\x9b31m",
    "x" * 5000,
    "turn_limit",
    "rus",
    "usa",
    "east.talk",
    "rus.wait",
    "tit_for_tat",
    "random:2.0",
    "lookahead:impossible",
    "wait_and_see:99999999999",
    "1e308 * pressure",
    "1e308 * pressure - 1e308 * pressure",
    "pressure / tension",
    "10 / max(pressure, 1)",
    "unknown_variable + 1",
    " + ".join(f"v{i}" for i in range(40)),
    "__import__('os').system('true')",
    "(" * 60 + "1" + ")" * 60,
    "{capital} {nope}",
    "{0}",
    "2016-13-45",
    "#123456",
]
ODD = [
    None,
    True,
    False,
    [],
    {},
    [1, 2, 3],
    {"unknown_key": 1},
    datetime.date(9999, 12, 31),
    datetime.date(1, 1, 1),
    datetime.date(2016, 12, 30),
    _DEEP,
]
# Unquoted YAML text put in place of a value after dumping.
RAW = [
    "1:" + "0:" * 3000 + "0",
    "1" + "0:" * 300_000 + "1",
    "1:30",
    "190:20:30.15",
    "1_000",
    "0b1010",
    "0o777",
    "0x7fffffff",
    "0755",
    ".nan",
    "-.inf",
    "1e309",
    "9" * 5000,
    "0." + "0" * 200 + "1",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!!int 1:30",
    "!!float .inf",
    "*undefined",
    "&anchor [*anchor]",
    "yes",
    "~",
    "2016-02-30",
    "10000-01-01",
    "[[[[[[[[[[[[[[[[[[[[",
    "{a: 1, a: 2}",
    '"\\e[2J\\0\\u200b"',
]

values = (
    st.sampled_from(NUMBERS)
    | st.sampled_from(TEXTS)
    | st.sampled_from(ODD)
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
)


# -- applying mutations --------------------------------------------------------------------------


def shows_cleanly(message: str) -> bool:
    """One line, with no control, escape or invisible format characters."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in message)


def paths_of(data: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_of(value, (*path, index))
    return found


def parent_of(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


MAX_GENERATED_VALUES = 60_000
"""Past this, the file is refused for its size anyway; more mutations only slow the generator."""
MAX_GENERATED_TEXT = 3_000_000
"""Roughly the largest file 'many' makes: three times the loader's limit is enough to test it."""


def mutate(data: Any, draw: st.DrawFn, raw: list[str]) -> Any:
    paths = paths_of(data)
    if len(paths) > MAX_GENERATED_VALUES or len(repr(data)) > MAX_GENERATED_TEXT:
        return data
    path = paths[draw(st.integers(0, len(paths) - 1))]
    operation = draw(
        st.sampled_from(
            ["delete", "duplicate", "replace", "raw", "rename", "add_key", "many", "swap"]
        )
    )
    if not path:  # the root: only whole-document changes
        if operation == "replace":
            return copy.deepcopy(draw(values))
        if operation == "add_key" and isinstance(data, dict):
            data["zz_unknown"] = copy.deepcopy(draw(values))
        return data
    parent, key = parent_of(data, path), path[-1]
    if operation == "delete":
        del parent[key]
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif operation == "duplicate":
        parent[f"{key}_copy"] = copy.deepcopy(parent[key])
    elif operation == "replace":
        parent[key] = copy.deepcopy(draw(values))
    elif operation == "raw":
        raw.append(draw(st.sampled_from(RAW)))
        parent[key] = f"zzraw{len(raw) - 1}zz"
    elif operation == "rename" and isinstance(parent, dict):
        parent[draw(st.sampled_from([f"{key}s", str(key)[:-1] or "k", "id", "when", "??"]))] = (
            parent.pop(key)
        )
    elif operation == "add_key" and isinstance(parent[key], dict):
        parent[key][draw(st.sampled_from(["severity", "zz", "id", "turn", "when"]))] = (
            copy.deepcopy(draw(values))
        )
    elif operation == "many":
        item = parent[key]
        size, weight = len(paths_of(item)), len(repr(item))
        count = min(
            draw(st.sampled_from([30, 200, 2000])),
            max(30, MAX_GENERATED_VALUES // size),
            max(2, MAX_GENERATED_TEXT // weight),
        )
        # Copies, not one shared item: a later mutation inside a shared item would multiply.
        parent[key] = [copy.deepcopy(item) for _ in range(count)]
    elif operation == "swap" and isinstance(parent, list) and len(parent) > 1:
        parent[0], parent[-1] = parent[-1], parent[0]
    return data


class _Dumper(yaml.SafeDumper):
    """Writes a repeated item out in full each time, so 'many items' really are many."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def to_text(data: Any, raw: list[str]) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    for index, replacement in enumerate(raw):
        # A duplicated placeholder is filled a few times only: a 600 KB number copied 2,000
        # times would be a 1.2 GB test input, not a scenario file.
        copies = max(1, MAX_GENERATED_TEXT // len(replacement))
        text = text.replace(f"zzraw{index}zz", replacement, copies)
    return text


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(SHIPPED)))
    data = copy.deepcopy(SHIPPED[name])
    raw: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        data = mutate(data, draw, raw)
    return to_text(data, raw)


# -- what must hold for every file ---------------------------------------------------------------


def play_briefly(scenario: CompiledScenario) -> RecordedGame:
    """The first turns of a `simulate` game: each actor's default strategy, else random."""
    names = []
    for actor in range(scenario.n_actors):
        name = scenario.default_strategy(actor) or "random"
        names.append("tit_for_tat" if name.startswith("lookahead") else name)
    strategies = [make_strategy(name) for name in names]
    engine = Engine(scenario)
    prepare(engine, strategies)
    state = engine.new_games(7, game_ids=[0])
    records = [opening_record(scenario, state)]
    while not state.over[0] and len(records) <= SIMULATED_TURNS:
        before = state
        state, report, _ = advance(engine, state, strategies)
        records.append(turn_record(scenario, before, state, report))
    last = records[-1]
    return RecordedGame(7, records, last.outcome or "", last.turn, last.scores)


def check_one(text: str) -> str:
    """Load (and play briefly); return 'error' or 'loaded'. Asserts everything promised."""
    lines = text.count("\n") + 2
    try:
        scenario = load_scenario_text(text, FILE)
    except ScenarioError as error:
        assert error.problems
        for problem in error.problems:
            shown = str(problem)
            assert shown.startswith(f"{FILE}:{problem.line}:{problem.column}: ")
            assert 1 <= problem.line <= lines and problem.column >= 1, shown
            assert shows_cleanly(shown), repr(shown)
            assert len(shown) < 1200, shown
        return "error"
    game = play_briefly(scenario)
    document = game.to_json(FILE, scenario.actor_ids[0], {})
    json.loads(json.dumps(document, allow_nan=False))
    return "loaded"


def bounded(text: str) -> str:
    """`check_one`, within SECONDS_PER_CASE of CPU time (a busy machine must not fail the test,
    so it is the processor's time, not the clock's) and BYTES_PER_CASE of memory at its peak.

    Tracing memory makes every allocation several times slower (a refused 900 KB file: 0.5 s
    untraced, 2.5 s traced), so the time is taken on a first, untraced run, and the memory on a
    second, traced one, which must give the same answer."""
    started = time.process_time()
    result = check_one(text)
    seconds = time.process_time() - started
    assert seconds < SECONDS_PER_CASE, f"{seconds:.1f} s of CPU time for one file"
    tracemalloc.start()
    try:
        again = check_one(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again == result, f"{result} the first time, {again} the second"
    assert peak < BYTES_PER_CASE, f"{peak / 2**20:.0f} MiB for one file"
    SLOWEST[0] = max(SLOWEST[0], seconds)
    LARGEST[0] = max(LARGEST[0], peak)
    return result


COUNTS: dict[str, int] = {"error": 0, "loaded": 0}
SLOWEST = [0.0]
"""The most CPU time one file took, in seconds."""
LARGEST = [0]
"""The most memory one file took at its peak, in bytes (as tracemalloc counts it)."""


def peak_rss_mib() -> float:
    """The test process's largest resident size so far, in MiB (0 where it cannot be read)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    largest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return largest / 2**20 if sys.platform == "darwin" else largest / 1024  # bytes vs KiB


@pytest.fixture(scope="module", autouse=True)
def compiled_rules() -> None:
    """Compile (or load) the engine's rules before any case is timed: that is a one-off cost of
    the first game after an install, not of a scenario file."""
    from game.engine.warmup import warm_up

    warm_up()


@seed(int(os.environ.get("PNG_FUZZ_SEED", "20161229")))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(mutated_scenarios())
def test_a_mutated_scenario_is_refused_with_located_lines_or_plays(text: str) -> None:
    COUNTS[bounded(text)] += 1


def test_the_fuzzer_reaches_both_answers() -> None:
    """A fuzzer whose files all fail the same early check would prove little."""
    if COUNTS["error"] + COUNTS["loaded"] < EXAMPLES // 2:
        pytest.skip("run together with the fuzz test")
    print(
        f"\nfuzzed scenarios: {sum(COUNTS.values())} cases, {COUNTS['error']} refused with"
        f" located lines, {COUNTS['loaded']} loaded and played; slowest case"
        f" {SLOWEST[0]:.2f} s of CPU time, largest {LARGEST[0] / 2**20:.0f} MiB traced;"
        f" peak RSS {peak_rss_mib():.0f} MiB"
    )
    assert COUNTS["error"] > 0 and COUNTS["loaded"] > 0, COUNTS


@pytest.mark.parametrize(
    "raw",
    ["1:" + "0:" * 300_000 + "0", "9" * 900_000, " + ".join(f"v{i}" for i in range(30))],
)
def test_the_reported_hostile_scalars_are_answered_within_bounds(raw: str) -> None:
    data = copy.deepcopy(SHIPPED["expulsion_2016.yaml"])
    data["metadata"]["max_turns"] = "zzraw0zz"
    assert bounded(to_text(data, [raw])) == "error"


def test_json_from_a_game_is_always_valid() -> None:
    from game.simulate import json_safe

    document = json_safe({"a": float("nan"), "b": [float("inf"), 1.5], "c": (True, 2)})
    assert json.loads(json.dumps(document, allow_nan=False)) == {
        "a": None,
        "b": [None, 1.5],
        "c": [True, 2],
    }
