"""Errors meant for people, as opposed to bugs.

They are caught once, at the command-line edge (or shown in a UI panel), and printed as one line
each. Anything else that escapes is a bug and may show a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a scenario file, located precisely enough for an editor to jump to it."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        shown = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return _escaped(shown)


def _escaped(text: str) -> str:
    """The text with every unprintable character written as an escape, so it stays one line.

    Messages quote what an author wrote, and a hostile file can hold a NUL, a terminal escape or a
    line break in any name; a message must still print as one clean line, whoever built it.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ScenarioError(Exception):
    """A scenario file could not be used; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UserError(Exception):
    """A mistake on the command line or in a saved file: one line for the user, exit status 2."""
