"""How the engine's rules are compiled: numba, ahead of the first game, cached on disk.

Every rule is plain per-game code compiled with `kernel` (numba's `njit`, releasing the GIL, no
object mode). Compiled code is cached, so only the first run after an install pays for it; the
cache goes next to the source when that is writable (a checkout) and to the user's cache folder
otherwise (an installed package).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_PACKAGE = Path(__file__).resolve().parent.parent


def _choose_cache_dir() -> None:
    """Point numba's cache at a writable folder before numba is imported."""
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    if os.access(_PACKAGE, os.W_OK):
        return
    import platformdirs

    os.environ["NUMBA_CACHE_DIR"] = str(
        Path(platformdirs.user_cache_dir("persona-non-grata")) / "numba"
    )


_choose_cache_dir()

import numba  # noqa: E402  (the cache folder must be chosen before numba reads it)

F = TypeVar("F", bound=Callable[..., Any])


def kernel(function: F) -> F:
    """Compile a rule: no Python objects, the GIL released, the machine code cached."""
    return numba.njit(nogil=True, cache=True, error_model="numpy")(function)  # type: ignore[return-value]


def rule(function: F) -> F:
    """Compile a rule that allocates nothing and is called from other compiled code.

    It runs without numba's reference counting: a call that passes arrays would otherwise
    update a reference count on each of them, which cost four times the work of evaluating a
    small expression. Its caller owns every array it touches.
    """
    return numba.njit(nogil=True, cache=True, error_model="numpy", _nrt=False)(function)  # type: ignore[return-value]


def inline(function: F) -> F:
    """Compile a small rule into the code that calls it. A call between compiled functions
    that pass arrays costs reference counting on every array; inlining removes the call."""
    return numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")(function)  # type: ignore[return-value]
