"""Tests for saved games: round trips, atomic writes, exact replays and hostile files."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.engine import Engine
from game.engine.state import State
from game.match import advance, prepare
from game.saves import (
    MAX_FILE_BYTES,
    SAVE_VERSION,
    SaveError,
    SaveGame,
    list_saves,
    new_save,
    read_save,
    replay,
    save_dir,
    scenario_changed,
    with_move,
    write_save,
)
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario, load_scenario_text
from game.strategies.registry import make_strategy

SCENARIO_FILE = Path(__file__).resolve().parents[1] / "scenarios" / "expulsion_2016.yaml"


@pytest.fixture(autouse=True)
def saves_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "saves"
    monkeypatch.setenv("PNG_SAVE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def scenario() -> CompiledScenario:
    return load_scenario(SCENARIO_FILE)


def a_save(scenario: CompiledScenario, seed: int = 7) -> SaveGame:
    save = new_save(
        scenario, seed, ["usa"], {"rus": "tit_for_tat"}, "scenarios/expulsion_2016.yaml"
    )
    return with_move(with_move(save, [4, 4]), [6, 3])


def assert_same_state(a: State, b: State) -> None:
    """Bit for bit: same key, and every array with the same dtype, shape and bytes."""
    assert a.key == b.key
    for name, array in a.arrays().items():
        other = b.arrays()[name]
        assert array.dtype == other.dtype, name
        assert np.array_equal(array, other), name
        assert array.tobytes() == other.tobytes(), name


def play_live(scenario: CompiledScenario, save: SaveGame, turns: int | None, state=None):
    """Play with real strategies, autosaving after every turn as the UI does."""
    engine = Engine(scenario)
    strategies = [make_strategy("tit_for_tat"), make_strategy("random")]
    prepare(engine, strategies)
    if state is None:
        state = engine.new_games(save.seed, game_ids=[0])
    played = 0
    while not state.over[0] and (turns is None or played < turns):
        state, _, actions = advance(engine, state, strategies)
        save = with_move(save, actions[0])
        write_save(save, "autosave")
        played += 1
    return state, save


# -- writing and reading ------------------------------------------------------------------------


def test_round_trip_by_slot_and_by_path(scenario, saves_in_tmp):
    save = a_save(scenario)
    path = write_save(save, "slot1")
    assert path == saves_in_tmp / "slot1.json" == save_dir() / "slot1.json"
    assert read_save("slot1") == save
    assert read_save(path) == save
    assert json.loads(path.read_text("utf-8"))["version"] == SAVE_VERSION


def test_invalid_slot_is_refused(scenario, saves_in_tmp):
    for slot in ("slot6", "../evil", "autosave.json", ""):
        with pytest.raises(ValueError):
            write_save(a_save(scenario), slot)
    assert not saves_in_tmp.exists() or not any(saves_in_tmp.iterdir())


@settings(max_examples=30, deadline=None)
@given(
    path=st.text(min_size=1, max_size=60),
    seed=st.integers(0, 2**63 - 1),
    moves=st.lists(st.lists(st.integers(0, 255), min_size=2, max_size=2), max_size=30),
)
def test_any_valid_save_reads_back_equal(path, seed, moves):
    save = SaveGame(
        version=SAVE_VERSION,
        scenario_path=path,
        scenario_sha256="ab" * 32,
        seed=seed,
        player_actors=["usa", "rus"],
        strategies={},
        moves=moves,
        created="2024-05-01T12:00:00+00:00",
    )
    assert read_save(write_save(save, "slot2")) == save


def test_a_failed_write_leaves_the_previous_save(scenario, saves_in_tmp, monkeypatch):
    old = a_save(scenario)
    path = write_save(old, "slot1")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="slot1"):
        write_save(with_move(old, [4, 4]), "slot1")
    assert path.read_bytes() == before
    assert read_save("slot1") == old
    assert sorted(p.name for p in saves_in_tmp.iterdir()) == ["slot1.json"]


# -- replays ------------------------------------------------------------------------------------


def test_autosave_after_a_crash_replays_to_the_live_game(scenario):
    save = new_save(scenario, 11, [], {"rus": "tit_for_tat", "usa": "random"}, "s.yaml")
    live, save = play_live(scenario, save, turns=4)
    assert not live.over[0]
    # The process dies here; a new one has only the file on disk.
    restored, records = replay(read_save("autosave"), scenario)
    assert_same_state(restored, live)
    assert [r.turn for r in records] == [0, 1, 2, 3, 4]

    final, save = play_live(scenario, save, turns=None, state=live)
    assert final.over[0]
    restored, records = replay(read_save("autosave"), scenario)
    assert_same_state(restored, final)
    assert records[-1].outcome == Engine(scenario).outcome_id(final)


def test_scenario_changed_follows_the_scenario_text(scenario):
    text = SCENARIO_FILE.read_text("utf-8")
    save = new_save(scenario, 1, ["usa", "rus"], {}, str(SCENARIO_FILE))
    assert not scenario_changed(save, scenario)
    assert not scenario_changed(save, load_scenario_text(text))
    edited = text.replace("max_turns: 20", "max_turns: 21")
    assert edited != text
    assert scenario_changed(save, load_scenario_text(edited))


def illegal_at_start(scenario: CompiledScenario) -> list[int]:
    """A row whose first actor plays an existing variant the rules refuse on turn 1."""
    engine = Engine(scenario)
    legal = engine.legal(engine.new_games(0, game_ids=[0]))[0]
    row = [int(np.flatnonzero(legal[a])[0]) for a in range(scenario.n_actors)]
    refused = [v for v in range(len(scenario.variants[0])) if not legal[0, v]]
    assert refused, "the test needs a variant that is unavailable on turn 1"
    row[0] = refused[0]
    return row


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("illegal", "turn 2"),
        ([[5, 6, 6]], "turn 1 has 3 moves"),
        ([[5]], "turn 1 has 1 moves"),
        ([[5, 6], [9, 6]], "turn 2: Russia has no move number 9"),
        ([[5, 6], [5, 10]], "turn 2: United States has no move number 10"),
    ],
)
def test_moves_that_do_not_fit_the_scenario(scenario, rows, expected):
    """Row [5, 6] is legal on turn 1: Russia protests, the United States keeps channels open."""
    if rows == "illegal":
        rows = [[5, 6], illegal_at_start(scenario)]
    save = new_save(scenario, 3, ["usa", "rus"], {}, "s.yaml")
    save = dataclasses.replace(save, moves=rows)
    with pytest.raises(SaveError, match=f"does not match this scenario: {expected}"):
        replay(save, scenario)


def test_moves_after_the_end_are_refused(scenario):
    save = new_save(scenario, 5, [], {"rus": "tit_for_tat", "usa": "random"}, "s.yaml")
    _, save = play_live(scenario, save, turns=None)
    replay(save, scenario)
    with pytest.raises(SaveError, match=f"turn {len(save.moves) + 1} comes after the game ended"):
        replay(with_move(save, save.moves[-1]), scenario)


def test_an_actor_the_scenario_lacks_is_refused(scenario):
    save = dataclasses.replace(a_save(scenario), strategies={"chn": "tit_for_tat"})
    with pytest.raises(SaveError, match="no actor 'chn'"):
        replay(save, scenario)


@pytest.mark.parametrize(
    ("players", "strategies", "nobody"),
    [([], {}, "rus"), (["usa"], {}, "rus"), ([], {"rus": "tit_for_tat"}, "usa")],
)
def test_a_save_that_leaves_a_side_unplayed_is_refused(scenario, players, strategies, nobody):
    """`play --load` used to crash with a KeyError on such a save."""
    save = dataclasses.replace(a_save(scenario), player_actors=players, strategies=strategies)
    with pytest.raises(SaveError) as caught:
        replay(save, scenario)
    assert str(caught.value) == (
        f"the save does not match this scenario: nobody plays '{nobody}' "
        "(it is in neither player_actors nor strategies)"
    )


def test_a_save_that_leaves_a_side_unplayed_is_refused_before_the_game_opens(
    scenario, saves_in_tmp
):
    from game.ui.loading import read_game

    path = saves_in_tmp / "sides.json"
    saves_in_tmp.mkdir(parents=True, exist_ok=True)
    document = valid_document() | {"strategies": {}, "scenario_path": str(SCENARIO_FILE)}
    path.write_text(json.dumps(document))
    with pytest.raises(SaveError, match="nobody plays 'rus'"):
        read_game(path).session()


# -- hostile files ------------------------------------------------------------------------------


def valid_document() -> dict:
    return {
        "version": 1,
        "scenario_path": "scenarios/expulsion_2016.yaml",
        "scenario_sha256": "0" * 64,
        "seed": 3,
        "player_actors": ["usa"],
        "strategies": {"rus": "lookahead:hard"},
        "moves": [[4, 4], [6, 3]],
        "created": "2024-05-01T12:00:00+00:00",
    }


def document_with(**changes) -> bytes:
    document = valid_document()
    document.update(changes)
    return json.dumps(document).encode()


class _Trap:
    """Unpickling this would create a file: proof that a save is never unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (self.marker.touch, ())


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE = {
    "empty": (b"", "not valid JSON"),
    "huge": (b" " * (MAX_FILE_BYTES + 1), "too large"),
    "invalid JSON": (b'{"version": 1,', "not valid JSON"),
    "non-UTF-8": (document_with(scenario_path="x").replace(b'"x"', b'"\xff\xfe"'), "UTF-8"),
    "not an object": (b"[1, 2, 3]", "not a save file"),
    "seed as text": (document_with(seed="3"), "seed"),
    "seed as bool": (document_with(seed=True), "seed"),
    "seed as float": (document_with(seed=3.0), "seed"),
    "seed NaN": (document_with(scenario_path="x").replace(b'"seed": 3', b'"seed": NaN'), "NaN"),
    "moves as object": (document_with(moves={"1": [4, 4]}), "moves"),
    "row as text": (document_with(moves=["44"]), "moves"),
    "extra key": (document_with(extra="rm -rf /"), "unexpected key 'extra'"),
    "missing key": (json.dumps({"version": 1}).encode(), "missing key"),
    "duplicate key": (b'{"version": 1, "version": 1}', "appears twice"),
    "negative seed": (document_with(seed=-1), "seed"),
    "huge seed": (document_with(seed=2**64), "seed"),
    "negative move": (document_with(moves=[[4, -1]]), r"moves\[0\]\[1\]"),
    "huge move": (document_with(moves=[[4, 10**12]]), r"moves\[0\]\[1\]"),
    "endless digits": (
        document_with(seed=0).replace(b'"seed": 0', b'"seed": ' + b"9" * 5000),
        "not a save file",
    ),
    "too many turns": (document_with(moves=[[4, 4]] * 1001), "moves"),
    "too many actors": (document_with(moves=[[0] * 17]), "moves"),
    "ragged rows": (document_with(moves=[[4, 4], [4]]), "same number of actors"),
    "bad actor id": (document_with(player_actors=["../../etc"]), "player_actors"),
    "player twice": (document_with(player_actors=["usa", "usa"]), "twice"),
    "player and computer": (document_with(player_actors=["rus"]), "both a player"),
    "unknown strategy": (document_with(strategies={"rus": "__import__('os')"}), "strategies"),
    "control codes": (document_with(strategies={"rus": "x\n\x1b[2J"}), "strategies"),
    "bad checksum": (document_with(scenario_sha256="xyz"), "scenario_sha256"),
    "bad time": (document_with(created="yesterday"), "ISO 8601"),
    "newer version": (document_with(version=2, future_field=1), "newer version"),
    "older version": (document_with(version=0), "unknown save format 0"),
    "deep nesting": (nested(200_000).encode(), "nested too deeply"),
    "deep nesting in moves": (
        document_with(moves=[[4, 4]]).replace(b"[[4, 4]]", b"[" + nested(900).encode() + b"]"),
        "moves",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_with_one_line(tmp_path, name):
    content, expected = HOSTILE[name]
    path = tmp_path / "shared save.json"
    path.write_bytes(content)
    with pytest.raises(SaveError, match=expected) as caught:
        read_save(path)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message and "\x1b" not in message and len(message) < 400


def test_a_pickle_is_never_unpickled(tmp_path):
    marker = tmp_path / "code ran"
    for protocol in (0, pickle.HIGHEST_PROTOCOL):
        path = tmp_path / f"pickle{protocol}.json"
        path.write_bytes(pickle.dumps(_Trap(marker), protocol=protocol))
        with pytest.raises(SaveError):
            read_save(path)
    assert not marker.exists()


def test_missing_file_and_folder_are_save_errors(tmp_path):
    with pytest.raises(SaveError, match="no such file"):
        read_save(tmp_path / "nothing.json")
    with pytest.raises(SaveError, match="slot3"):
        read_save("slot3")
    with pytest.raises(SaveError, match="directory"):
        read_save(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        with pytest.raises(SaveError, match="not a regular file"):
            read_save(tmp_path / "pipe.json")


def test_a_corrupt_save_leaves_the_others_alone(scenario, saves_in_tmp):
    good = a_save(scenario)
    write_save(good, "slot1")
    write_save(with_move(good, [4, 4]), "slot3")
    (saves_in_tmp / "autosave.json").write_bytes(b"\x00garbage")
    (saves_in_tmp / "slot2.json").write_bytes(document_with(seed=-5))
    (saves_in_tmp / "notes.txt").write_text("not a slot")
    files = {p.name: p.read_bytes() for p in saves_in_tmp.iterdir()}

    listed = list_saves()

    assert [slot for slot, _ in listed] == ["autosave", "slot1", "slot2", "slot3"]
    found = dict(listed)
    assert isinstance(found["autosave"], SaveError)
    assert isinstance(found["slot2"], SaveError) and "slot2.json" in str(found["slot2"])
    assert found["slot1"] == good
    assert found["slot3"] == with_move(good, [4, 4])
    assert {p.name: p.read_bytes() for p in saves_in_tmp.iterdir()} == files


def test_no_saves_yet(saves_in_tmp):
    assert list_saves() == []
    assert not saves_in_tmp.exists()


# -- aimed moves ---------------------------------------------------------------------------------


def test_a_move_aimed_by_hand_is_saved_and_replayed_at_the_same_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Targets travel with the moves; a file without them (every move aimed by the rules) keeps
    the old layout, and both replay to the very game that was played."""
    monkeypatch.setenv("PNG_SAVE_DIR", str(tmp_path))
    three = load_scenario(Path(__file__).resolve().parent / "data" / "three_actors.yaml")
    engine = Engine(three)
    save = new_save(three, 4, [], {a: "always_retaliate" for a in three.actor_ids}, "t.yaml")
    state = engine.new_games(4, game_ids=[0])
    legal = engine.legal(state)[0]
    row = [int(np.flatnonzero(legal[a])[0]) for a in range(three.n_actors)]
    aimed = [-1] * three.n_actors
    for actor, variant in enumerate(row):
        if three.variant(actor, variant).player_picks_target:
            options = np.flatnonzero(engine.legal_targets(state, 0, actor, variant))
            aimed[actor] = int(options[-1])
    assert any(t >= 0 for t in aimed), "the test needs a move whose target can be picked"
    played, _ = engine.step(state, np.array([row]), targets=np.array([aimed]))
    by_hand = with_move(save, row, aimed)
    path = write_save(by_hand, "slot1")
    assert '"targets"' in path.read_text()
    loaded = read_save(path)
    assert loaded.targets == [aimed]
    replayed, _ = replay(loaded, three)
    assert np.array_equal(replayed.data, played.data)
    by_rules = with_move(save, row)
    assert '"targets"' not in write_save(by_rules, "slot2").read_text()


def test_a_save_whose_targets_do_not_match_its_moves_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PNG_SAVE_DIR", str(tmp_path))
    scenario = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml")
    sides = {"corvia": "random", "arland": "random"}
    save = with_move(new_save(scenario, 1, [], sides, "t"), [0, 0])
    document = json.loads(write_save(save, "slot1").read_text())
    document["targets"] = [[1, -1], [0, -1]]
    (tmp_path / "bad.json").write_text(json.dumps(document))
    with pytest.raises(SaveError, match="targets must have one row per turn"):
        read_save(tmp_path / "bad.json")
