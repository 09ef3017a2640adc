"""Structural fuzzing of save files: a mutated save is read and replayed, or refused with one
line; never a traceback, whatever was deleted, duplicated or replaced.

`play --load` reads a save, then replays its moves through the scenario; both steps are run
here. PNG_FUZZ_EXAMPLES sets the number of examples (the CI run is small).
"""

from __future__ import annotations

import copy
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from game.saves import SaveError, read_save, replay
from game.scenario.load import load_scenario

SCENARIO = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "expulsion_2016.yaml")
VALID = {
    "version": 1,
    "scenario_path": "scenarios/expulsion_2016.yaml",
    "scenario_sha256": SCENARIO.sha256,
    "seed": 3,
    "player_actors": ["usa"],
    "strategies": {"rus": "tit_for_tat"},
    "moves": [[4, 4], [6, 3], [0, 0]],
    "created": "2024-05-01T12:00:00+00:00",
}
EXAMPLES = max(60, int(os.environ.get("PNG_FUZZ_EXAMPLES", "120")) // 4)
ODD = [
    None, True, 0, -1, 2**64, 1.5, float("nan"), "", "\x1b[2J", "x" * 5000, [], {}, [[]],
    ["usa", "usa"], {"usa": "random:2.0"}, {"chn": "tit_for_tat"}, [[4, 4, 4]], [[999, 0]],
    "usa", "rus", "lookahead:hard", "2024-13-01",
]  # fmt: skip


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


@st.composite
def mutated_saves(draw: st.DrawFn) -> str:
    data: Any = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in paths_of(data) if p]
        if not paths:
            break
        path = paths[draw(st.integers(0, len(paths) - 1))]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        operation = draw(st.sampled_from(["delete", "replace", "duplicate", "many"]))
        if operation == "delete":
            del parent[key]
        elif operation == "replace":
            value = draw(st.sampled_from(ODD) | st.integers() | st.text(max_size=20))
            parent[key] = copy.deepcopy(value)  # ODD's lists must stay as they are
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif operation == "many":
            parent[key] = [parent[key]] * draw(st.sampled_from([17, 300, 1001]))
    return json.dumps(data)


@seed(1229)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mutated_saves())
def test_a_mutated_save_loads_or_is_refused_in_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "save.json"
    path.write_text(text)
    try:
        replay(read_save(path), SCENARIO)
    except SaveError as error:
        message = str(error)
        assert message and shows_cleanly(message) and len(message) < 400, repr(message)


@pytest.mark.parametrize("key", ["player_actors", "strategies"])
def test_a_save_without_a_side_is_one_line(tmp_path: Path, key: str) -> None:
    path = tmp_path / "save.json"
    path.write_text(json.dumps({k: v for k, v in VALID.items() if k != key}))
    with pytest.raises(SaveError, match=f"missing key '{key}'"):
        read_save(path)
