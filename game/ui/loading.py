"""Opening games and scenarios for the screens: saves, the scenario list, paths.

Every failure here is a person's problem (a broken file, a missing scenario), so it comes back
as one line to show, never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from game import data_dir, saves
from game.errors import ScenarioError, UserError
from game.scenario.compiled import CompiledScenario
from game.scenario.load import load_scenario
from game.ui.session import GameSession

if TYPE_CHECKING:
    from game.scenario.model import Scenario

# The folder that holds scenarios/: a checkout, or the installed package's data folder.
ROOT = data_dir("scenarios").parent
SCENARIOS = ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIOS / "expulsion_2016.yaml"


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario file as the setup screen lists it: loaded, or with its first error."""

    path: Path
    scenario: CompiledScenario | None
    error: str | None

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else self.path.name

    @property
    def model(self) -> Scenario | None:
        """The scenario as the file describes it (what the screens order the list by)."""
        return self.scenario.model if self.scenario else None


def first_error(error: ScenarioError) -> str:
    problem = error.problems[0]
    more = len(error.problems) - 1
    suffix = f" (+{more} more)" if more else ""
    return f"line {problem.line}: {problem.message}{suffix}"


def open_scenario(path: str | Path) -> CompiledScenario:
    """Load a scenario; raises UserError with one line for a missing or invalid file."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        raise UserError(f"{path}: {first_error(error)}") from None
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None


def scenario_entries(folder: Path = SCENARIOS) -> list[ScenarioEntry]:
    entries = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        try:
            entries.append(ScenarioEntry(path, load_scenario(path), None))
        except ScenarioError as error:
            entries.append(ScenarioEntry(path, None, first_error(error)))
        except OSError as error:
            entries.append(ScenarioEntry(path, None, error.strerror or str(error)))
    return entries


def scenario_names(path: Path) -> tuple[str, dict[str, str]]:
    """A scenario's title and its actors' names by id, for lists of saves (the file name and
    the ids if the file cannot be read)."""
    import yaml

    try:
        with path.open(encoding="utf-8") as file:
            data = yaml.safe_load(file)
        names = {str(a["id"]): str(a.get("name", a["id"])) for a in data["actors"]}
        return str(data["metadata"]["title"]), names
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return path.stem, {}


def finished(slot: str) -> bool | None:
    """Whether the saved game has ended (None if it cannot be loaded)."""
    try:
        return read_game(slot).session().over
    except (UserError, ScenarioError):
        return None


def resolve_scenario_path(recorded: str) -> Path:
    """A save's scenario path: as recorded, else relative to the game's folder."""
    path = Path(recorded)
    if path.is_file() or path.is_absolute():
        return path
    candidate = ROOT / path
    return candidate if candidate.is_file() else path


@dataclass(frozen=True)
class LoadedSave:
    save: saves.SaveGame
    scenario: CompiledScenario
    changed: bool

    def session(self) -> GameSession:
        """The game rebuilt from the save; raises saves.SaveError if it does not fit."""
        return GameSession.from_save(self.save, self.scenario)


def read_game(slot_or_path: str | Path) -> LoadedSave:
    """Read a save and its scenario; raises UserError (SaveError is one) with one line."""
    save = saves.read_save(slot_or_path)
    scenario = open_scenario(resolve_scenario_path(save.scenario_path))
    return LoadedSave(save, scenario, saves.scenario_changed(save, scenario))
