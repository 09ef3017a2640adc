"""Saved games: the seed and every move, as versioned JSON, replayed through the engine.

A save stores no engine arrays, only what a game is made of (scenario, seed, who plays which side
and the moves of each turn), so a loaded game is the very game that was saved: replaying the moves
through the engine gives the same state bit for bit, and engine changes cannot corrupt old saves.

Save files are shared and edited by people, so reading one treats it as hostile: JSON only
(never pickle), a size cap, a strict schema with bounded lists and numbers, and every problem
reported as a one-line `SaveError` naming the file. Writing is atomic: a crash mid-write leaves
the previous save intact.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from game import printable
from game.engine.engine import Engine, IllegalMove
from game.engine.records import TurnRecord, opening_record, turn_record
from game.engine.state import State
from game.errors import UserError
from game.scenario.compiled import CompiledScenario
from game.scenario.model import Identifier
from game.scenario.schema_errors import constraint_message
from game.strategies.registry import UnknownStrategy, make_strategy

SAVE_VERSION = 1
SLOTS: tuple[str, ...] = ("autosave", "slot1", "slot2", "slot3", "slot4", "slot5")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TURNS = 1000
MAX_ACTORS = 16
MAX_VARIANT = 255
MAX_SEED = 2**63 - 1
_APP_NAME = "persona-non-grata"


class SaveError(UserError):
    """A save that cannot be read or used; the message is one line naming the file and the fault."""


@dataclass(frozen=True)
class SaveGame:
    """One game as it is stored: enough to rebuild it exactly, nothing the engine computes."""

    version: int
    scenario_path: str
    scenario_sha256: str
    seed: int
    player_actors: list[str]  # actor ids controlled by people
    strategies: dict[str, str]  # actor id -> strategy name, for the actors the computer plays
    moves: list[list[int]]  # per turn played, the variant index of every actor (engine order)
    created: str  # ISO 8601 time the game was started
    targets: list[list[int]] = dataclasses.field(default_factory=list)
    """Per turn played, the actor each move was aimed at, or -1 where the rules aimed it. Left
    out (as in a file without targets), every move was aimed by the rules."""

    def __post_init__(self) -> None:
        # One form for "aimed by the rules", so that equal games are equal saves.
        if not self.targets and self.moves:
            object.__setattr__(self, "targets", [[-1] * len(row) for row in self.moves])


# -- the file format ----------------------------------------------------------------------------

Variant = Annotated[int, Field(ge=0, le=MAX_VARIANT)]
MoveRow = Annotated[list[Variant], Field(min_length=1, max_length=MAX_ACTORS)]
Target = Annotated[int, Field(ge=-1, le=MAX_ACTORS - 1)]
TargetRow = Annotated[list[Target], Field(min_length=1, max_length=MAX_ACTORS)]
StrategyName = Annotated[str, Field(min_length=1, max_length=64)]


class _SaveFileV1(BaseModel):
    """Save format 1, exactly as it is on disk; strict, so nothing is coerced or ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    version: int
    scenario_path: str = Field(min_length=1, max_length=4096)
    scenario_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    seed: int = Field(ge=0, le=MAX_SEED)
    player_actors: list[Identifier] = Field(max_length=MAX_ACTORS)
    strategies: dict[Identifier, StrategyName] = Field(max_length=MAX_ACTORS)
    moves: list[MoveRow] = Field(max_length=MAX_TURNS)
    created: str = Field(min_length=1, max_length=64)
    targets: list[TargetRow] = Field(default_factory=list, max_length=MAX_TURNS)

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != 1:
            raise ValueError(f"expected save format 1, got {value}")
        return value

    @field_validator("strategies")
    @classmethod
    def _known_strategies(cls, value: dict[str, str]) -> dict[str, str]:
        for actor, name in value.items():
            try:
                make_strategy(name)
            except UnknownStrategy as error:
                raise ValueError(f"{actor}: {error}") from None
        return value

    @field_validator("created")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 time, got {_short(value)}") from None
        return value

    @model_validator(mode="after")
    def _sides_consistent(self) -> _SaveFileV1:
        if len(set(self.player_actors)) != len(self.player_actors):
            raise ValueError("player_actors lists an actor twice")
        both = sorted(set(self.player_actors) & set(self.strategies))
        if both:
            raise ValueError(f"actor '{both[0]}' is both a player and a computer strategy")
        if len({len(row) for row in self.moves}) > 1:
            raise ValueError("the turns in moves do not all have the same number of actors")
        if self.targets:
            if len(self.targets) != len(self.moves):
                raise ValueError("targets must have one row per turn in moves")
            if any(len(t) != len(m) for t, m in zip(self.targets, self.moves, strict=True)):
                raise ValueError("each row of targets must have one entry per actor")
        return self


# -- where saves live ---------------------------------------------------------------------------


def save_dir() -> Path:
    """The saves folder: PNG_SAVE_DIR if set, else the user's data folder for the game."""
    override = os.environ.get("PNG_SAVE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(_APP_NAME)) / "saves"


def _slot_path(slot: str) -> Path:
    if slot not in SLOTS:
        raise ValueError(f"unknown save slot {slot!r}; slots are {', '.join(SLOTS)}")
    return save_dir() / f"{slot}.json"


# -- writing ------------------------------------------------------------------------------------


def write_save(save: SaveGame, slot: str) -> Path:
    """Write the save to its slot atomically and return the file's path.

    The text goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the slot's file, so a crash leaves either the old save or the new one, never half of one.
    An invalid slot or save is a bug (ValueError); a disk problem is a SaveError for the player.
    """
    path = _slot_path(slot)
    _validate_for_writing(save)
    data = _to_text(save).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{slot}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise SaveError(f"cannot write save {path}: {_os_reason(error)}") from None
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise SaveError(f"cannot write save {path}: {_os_reason(error)}") from None
        raise
    _sync_directory(path.parent)
    return path


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _to_text(save: SaveGame) -> str:
    """Indented JSON with one line per turn, so that a person can read and edit the moves."""
    fields = dataclasses.asdict(save)
    if not any(t >= 0 for row in save.targets for t in row):
        del fields["targets"]  # every move aimed by the rules: the file stays as it always was
    lines = []
    for name, value in fields.items():
        if name in ("moves", "targets"):
            rows = [f"    {json.dumps(row)}" for row in value]
            text = "[\n" + ",\n".join(rows) + "\n  ]" if rows else "[]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        lines.append(f"  {json.dumps(name)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _validate_for_writing(save: SaveGame) -> None:
    """Refuse to write what could not be read back."""
    try:
        _SaveFileV1.model_validate(dataclasses.asdict(save))
    except ValidationError as error:
        raise ValueError(f"invalid save: {_describe(error)}") from None


# -- reading ------------------------------------------------------------------------------------


class _DuplicateKey(Exception):
    pass


class _BadConstant(Exception):
    pass


def read_save(path_or_slot: str | Path) -> SaveGame:
    """Read and check a save; a slot name ("autosave", "slot1"...) or a file path.

    A str that is a slot name means that slot; anything else is a path. Raises SaveError.
    """
    if isinstance(path_or_slot, str) and path_or_slot in SLOTS:
        path = _slot_path(path_or_slot)
    else:
        path = Path(path_or_slot)
    try:
        return _parse(_read_bytes(path))
    except SaveError as error:
        raise SaveError(_one_line(f"cannot load save {path}: {error}")) from None


def _read_bytes(path: Path) -> bytes:
    # Non-blocking, so that a named pipe posing as a save is refused instead of hanging the game.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SaveError("not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                raise SaveError(_too_big(info.st_size))
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SaveError("no such file") from None
    except OSError as error:
        raise SaveError(_os_reason(error)) from None
    if len(data) > MAX_FILE_BYTES:
        raise SaveError(_too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return f"the file is too large ({size} bytes; a save is at most {MAX_FILE_BYTES} bytes)"


def _parse(data: bytes) -> SaveGame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SaveError(f"not UTF-8 text (bad byte at offset {error.start})") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SaveError(f"not valid JSON ({error.msg} at {where})") from None
    except RecursionError:
        raise SaveError("not a save file (the JSON is nested too deeply)") from None
    except _DuplicateKey as error:
        raise SaveError(f"the key '{_short(str(error), quote=False)}' appears twice") from None
    except _BadConstant as error:
        raise SaveError(f"{error} is not allowed in a save") from None
    except ValueError:  # an integer with more digits than Python agrees to parse
        raise SaveError("not a save file (a number in it is far too long)") from None
    if not isinstance(document, dict):
        raise SaveError("not a save file (expected a JSON object with the save's fields)")
    _check_version(document.get("version"))
    try:
        model = _SaveFileV1.model_validate(document)
    except ValidationError as error:
        raise SaveError(_describe(error)) from None
    return SaveGame(
        version=model.version,
        scenario_path=model.scenario_path,
        scenario_sha256=model.scenario_sha256,
        seed=model.seed,
        player_actors=list(model.player_actors),
        strategies=dict(model.strategies),
        moves=[list(row) for row in model.moves],
        created=model.created,
        targets=[list(row) for row in model.targets],
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise _BadConstant(name)


def _check_version(version: Any) -> None:
    """Name the version problem before any field problem: it explains all of them."""
    if not isinstance(version, int) or isinstance(version, bool) or version == SAVE_VERSION:
        return
    if version > SAVE_VERSION:
        raise SaveError(
            f"it was saved by a newer version of the game (save format "
            f"{_short(str(version), quote=False)}; this version reads format {SAVE_VERSION})"
        )
    raise SaveError(f"unknown save format {version} (this version reads format {SAVE_VERSION})")


def _describe(error: ValidationError) -> str:
    """The first schema problem as 'field: what is wrong', plus how many more there are."""
    problems = error.errors(include_url=False)
    first = problems[0]
    location = _location(first["loc"])
    if first["type"] == "extra_forbidden":
        text = f"unexpected key '{_short(str(first['loc'][-1]), quote=False)}'"
        if len(first["loc"]) > 1:
            text += f" in {_location(first['loc'][:-1])}"
    elif first["type"] == "missing":
        text = f"missing key '{location}'"
    else:
        message = _explain(
            first["type"], first.get("ctx") or {}, str(first["msg"]), first.get("input")
        )
        text = f"{location}: {message}" if location else message
    more = len(problems) - 1
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''})"
    return text


_EXPECTED = {
    "int_type": "expected a whole number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected an object",
}
_PATTERNS = {
    r"^[a-z][a-z0-9_]{0,31}$": "expected an actor id of lower-case letters, digits and underscores",
    r"^[0-9a-f]{64}$": "expected 64 lower-case hexadecimal digits",
}


def _explain(kind: str, context: dict[str, Any], message: str, value: Any) -> str:
    """Pydantic's message in the player's words, for the kinds a hand-edited save runs into."""
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(context["pattern"], "not a valid value here")
    worded = constraint_message({"type": kind, "ctx": context, "input": value})
    return worded or message.removeprefix("Value error, ")


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = _short(part, quote=False)
            text += f".{part}" if text else part
    return text


def _short(text: str, quote: bool = True, limit: int = 40) -> str:
    """Text from a hostile file, cut short and on one line, fit to quote in a message."""
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text) if quote else text


def _one_line(text: str) -> str:
    """No line breaks, terminal control codes or invisible characters from a hostile file reach
    the player's screen."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", printable.one_line(text))


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def list_saves() -> list[tuple[str, SaveGame | SaveError]]:
    """Every slot that has a file, in slot order; a broken save comes back as its error.

    Nothing is deleted or rewritten, so a player can still repair a file by hand.
    """
    folder = save_dir()
    found: list[tuple[str, SaveGame | SaveError]] = []
    for slot in SLOTS:
        path = folder / f"{slot}.json"
        if not os.path.lexists(path):
            continue
        try:
            found.append((slot, read_save(path)))
        except SaveError as error:
            found.append((slot, error))
    return found


# -- using a save -------------------------------------------------------------------------------


def replay(save: SaveGame, scenario: CompiledScenario) -> tuple[State, list[TurnRecord]]:
    """Rebuild the saved game by playing its moves: the state now, and every turn's record.

    Raises SaveError when the save does not fit the scenario (unknown actor, a move the rules
    refuse, turns after the end). It does not compare the scenario's checksum: the caller asks
    `scenario_changed` and decides whether to warn.
    """
    mismatch = "the save does not match this scenario"
    _check_sides(save, scenario, mismatch)
    engine = Engine(scenario)
    state = engine.new_games(save.seed, game_ids=[0])
    records = [opening_record(scenario, state)]
    n = scenario.n_actors
    for turn, row in enumerate(save.moves, start=1):
        if len(row) != n:
            raise SaveError(f"{mismatch}: turn {turn} has {len(row)} moves for {n} actors")
        if state.over[0]:
            raise SaveError(f"{mismatch}: turn {turn} comes after the game ended")
        for actor, variant in enumerate(row):
            if not 0 <= variant < len(scenario.variants[actor]):
                name = scenario.actor_name(actor)
                raise SaveError(f"{mismatch}: turn {turn}: {name} has no move number {variant}")
        before = state
        aims = save.targets[turn - 1] if save.targets else [-1] * n
        try:
            state, report = engine.step(
                state, np.array([row], dtype=np.int64), targets=np.array([aims], dtype=np.int64)
            )
        except IllegalMove as error:
            raise SaveError(_one_line(f"{mismatch}: turn {turn}: {error}")) from None
        records.append(turn_record(scenario, before, state, report))
    return state, records


def _check_sides(save: SaveGame, scenario: CompiledScenario, mismatch: str) -> None:
    """Every actor of the scenario is played by a person or a strategy, and no other actor is."""
    for actor in [*save.player_actors, *save.strategies]:
        if actor not in scenario.actor_ids:
            raise SaveError(f"{mismatch}: it has no actor '{actor}'")
    for actor in scenario.actor_ids:
        if actor not in save.player_actors and actor not in save.strategies:
            raise SaveError(
                f"{mismatch}: nobody plays '{actor}' (it is in neither player_actors nor "
                "strategies)"
            )


def scenario_changed(save: SaveGame, scenario: CompiledScenario) -> bool:
    """Whether the scenario file differs from the one the game was saved with."""
    return save.scenario_sha256 != scenario.sha256


def new_save(
    scenario: CompiledScenario,
    seed: int,
    player_actors: Sequence[str],
    strategies: dict[str, str],
    scenario_path: str | os.PathLike[str],
) -> SaveGame:
    """A save for a game about to start (no moves yet); every actor is a player or a strategy."""
    players = list(player_actors)
    covered = set(players) | set(strategies)
    unknown = sorted(covered - set(scenario.actor_ids))
    if unknown:
        raise ValueError(f"unknown actor '{unknown[0]}' for this scenario")
    missing = [a for a in scenario.actor_ids if a not in covered]
    if missing:
        raise ValueError(f"actor '{missing[0]}' has neither a player nor a strategy")
    save = SaveGame(
        version=SAVE_VERSION,
        scenario_path=str(scenario_path),
        scenario_sha256=scenario.sha256,
        seed=int(seed),
        player_actors=players,
        strategies=dict(strategies),
        moves=[],
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    )
    _validate_for_writing(save)
    return save


def with_move(
    save: SaveGame, actions: Sequence[int], targets: Sequence[int] | None = None
) -> SaveGame:
    """A copy of the save with one more turn: every actor's variant index, in engine order, and
    the actor each move was aimed at (-1, or None for all, where the rules aimed it)."""
    row = [int(a) for a in np.asarray(actions).reshape(-1)]
    aims = [-1] * len(row) if targets is None else [int(t) for t in targets]
    if not 1 <= len(row) <= MAX_ACTORS or not all(0 <= a <= MAX_VARIANT for a in row):
        raise ValueError(f"invalid move row {row}")
    if save.moves and len(row) != len(save.moves[0]):
        raise ValueError(
            f"move row {row} has {len(row)} actors, earlier turns have a different count"
        )
    if len(save.moves) >= MAX_TURNS:
        raise ValueError(f"a save holds at most {MAX_TURNS} turns")
    if len(aims) != len(row) or not all(-1 <= t < MAX_ACTORS for t in aims):
        raise ValueError(f"invalid target row {aims}")
    earlier = [list(r) for r in save.targets] or [[-1] * len(r) for r in save.moves]
    return dataclasses.replace(
        save, moves=[*(list(r) for r in save.moves), row], targets=[*earlier, aims]
    )
