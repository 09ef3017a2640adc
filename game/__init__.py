"""Persona Non Grata: a turn-based game of diplomatic reciprocity.

Kept light on purpose: the command line imports this package before it parses its arguments.
"""

from __future__ import annotations

import os
from pathlib import Path

__version__ = "0.1.0"

# numpy's and scipy's linear-algebra libraries (OpenBLAS) each start a thread per extra core as
# they load, and those threads spin for a while before they sleep: 0.2 s of processor time at
# every start on a 2-core machine (a `simulate` used 1.0 s of it instead of 0.8), which a busy
# machine takes from everything else. Nothing here needs threaded linear algebra (the rules are
# compiled loops; the equilibria solve small matrices), so one thread it is, unless the user
# chose otherwise. It must be set before numpy loads, which is why it is here: every way to
# start the game imports this package first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of shipped files called `name` ("scenarios" or "assets").

    An installed package carries them as package data in game/data/ (see pyproject.toml); a
    checkout keeps them in top-level folders beside game/, where the design wants them.
    """
    installed = _HERE / "data" / name
    return installed if installed.is_dir() else _HERE.parent / name
