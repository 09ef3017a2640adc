"""Persona Non Grata: a turn-based game of diplomatic reciprocity.

Kept light on purpose: the command line imports this package before it parses its arguments.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of shipped files called `name` ("scenarios" or "assets").

    An installed package carries them as package data in game/data/ (see pyproject.toml); a
    checkout keeps them in top-level folders beside game/, where the design wants them.
    """
    installed = _HERE / "data" / name
    return installed if installed.is_dir() else _HERE.parent / name
