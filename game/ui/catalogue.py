"""The scenarios as the title screen offers them: the tutorial first, then the historical crises
in the order they happened, then games of pure strategy, then everything else, each described by
its date, its sides and one line of its summary.

A scenario's group is read from what the file already says about itself, so a new file finds
its place without a list to update:

- the tutorial is the scenario whose `metadata.id` is `tutorial`;
- a game of pure strategy hides the gauges (`presentation.gauges: false`), as the prisoner's
  dilemma does: only the points count;
- a historical crisis records what really happened move by move (`history.moves`), which is
  what lets the end screen set a player's game beside the real one;
- anything else (the worked examples, a scenario of one's own) comes after, and a file that
  cannot be read comes last, with its error.

The title screen only reads the files against the schema (a few milliseconds each, and no
engine): loading a scenario whole runs the engine, which a first run has still to compile. The
new-game screen loads the chosen one whole and shows any error the schema cannot see; it lists
the scenarios in the same order (`ordered` takes either screen's entries).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import ValidationError

from game.errors import ScenarioError
from game.scenario.model import Scenario
from game.scenario.schema_errors import translate_validation_error
from game.scenario.yaml_source import load_yaml_file
from game.ui.loading import SCENARIOS, first_error

TUTORIAL_ID = "tutorial"

GROUPS: tuple[tuple[str, str], ...] = (
    ("tutorial", "Start here"),
    ("historical", "Historical crises"),
    ("game_theory", "Game theory"),
    ("other", "More scenarios"),
    ("broken", "Cannot be played"),
)
"""(key, heading) of each group, in the order the title screen shows them."""

SHORT_SENTENCE = 5
"""A summary's opening sentence of fewer words than this (a dateline such as "29 December
2016.") says too little for the one line; the next sentence is shown instead."""


class Listed(Protocol):
    """What ordering needs of a scenario file: its path, and its description if it reads (the
    title screen's `Listing` and the new-game screen's loaded entries both have them)."""

    @property
    def path(self) -> Path: ...

    @property
    def model(self) -> Scenario | None: ...

    @property
    def title(self) -> str: ...


L = TypeVar("L", bound=Listed)


@dataclass(frozen=True)
class Listing:
    """A scenario file as the title screen lists it: its description, or why it cannot be read."""

    path: Path
    model: Scenario | None
    error: str | None = None

    @property
    def title(self) -> str:
        return self.model.metadata.title if self.model is not None else self.path.name


@dataclass(frozen=True)
class Shelf:
    """One group of scenarios, in the order it is shown."""

    key: str
    heading: str
    listings: tuple[Listing, ...]


def read_listing(path: Path) -> Listing:
    """A file read against the schema only (no engine, so it is quick on a first run too)."""
    try:
        document = load_yaml_file(path)
    except ScenarioError as error:
        return Listing(path, None, first_error(error))
    except OSError as error:
        return Listing(path, None, error.strerror or str(error))
    try:
        return Listing(path, Scenario.model_validate(document.data))
    except ValidationError as error:
        problems = translate_validation_error(error, document, Scenario)
        return Listing(path, None, first_error(ScenarioError(sorted(problems))))


def read_folder(folder: Path = SCENARIOS) -> list[Listing]:
    """Every scenario file in a folder, read for the title screen."""
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return [read_listing(path) for path in paths]


def group_of(listing: Listed) -> str:
    """The key of the group a scenario file belongs to (see the module's docstring)."""
    model = listing.model
    if model is None:
        return "broken"
    if model.metadata.id == TUTORIAL_ID:
        return "tutorial"
    if not model.presentation.gauges:
        return "game_theory"
    if model.history is not None and model.history.moves:
        return "historical"
    return "other"


def ordered(listings: Iterable[L]) -> list[L]:
    """Every listing in the order the screens show them: by group, then by date, then by
    title."""
    rank = {key: i for i, (key, _) in enumerate(GROUPS)}
    return sorted(listings, key=lambda item: (rank[group_of(item)], *_order(item)))


def shelves(listings: list[Listing]) -> list[Shelf]:
    """The groups that have scenarios, in order; within each, by date, then by title."""
    found = []
    in_order = ordered(listings)
    for key, heading in GROUPS:
        members = tuple(item for item in in_order if group_of(item) == key)
        if members:
            found.append(Shelf(key, heading, members))
    return found


def _order(listing: Listed) -> tuple[str, str, str]:
    if listing.model is None:
        return ("", "", listing.path.name)
    return (opening_date(listing.model).isoformat(), listing.title.lower(), listing.path.name)


def opening_date(model: Scenario) -> datetime.date:
    """The day of the opening moves (the day before turn 1 unless the file says)."""
    meta = model.metadata
    return meta.opening_date or meta.start_date - datetime.timedelta(days=1)


def when(model: Scenario) -> str:
    """The scenario's date: the day of its opening moves, or only the year of its first round
    for a game of pure strategy, whose calendar is a convention rather than a day something
    happened."""
    if not model.presentation.gauges:
        return str(model.metadata.start_date.year)
    date = opening_date(model)
    return f"{date.day} {date:%B %Y}"


def sides(model: Scenario) -> str:
    """The sides by name: "Russia and United States", "A, B and C"."""
    names = [actor.name for actor in model.actors]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def facts(model: Scenario) -> str:
    """Date and sides in one line, for the card beside a scenario's name."""
    return f"{when(model)}  ·  {sides(model)}"


def one_line(summary: str) -> str:
    """The first sentence of a summary that says what happens (a bare dateline is skipped)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(summary.split())) if s]
    for sentence in sentences:
        if len(sentence.split()) >= SHORT_SENTENCE:
            return sentence
    return sentences[0] if sentences else ""


__all__ = [
    "GROUPS",
    "Listed",
    "Listing",
    "Shelf",
    "facts",
    "group_of",
    "one_line",
    "opening_date",
    "ordered",
    "read_folder",
    "read_listing",
    "shelves",
    "sides",
    "when",
]
