"""How the engine's rules are compiled: numba, ahead of the first game, cached on disk.

Every rule is plain per-game code compiled with numba's `njit` (the GIL released, no object
mode). Compiled code is cached on disk, so only the first run after an install or an update pays
for it. numba keys its cache by each function's own file, but a compiled function carries copies
of the functions it calls from other files; so the cache lives in a folder named by a digest of
every file of the rules (and numba's version), and any change to any of them starts afresh.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

_PACKAGE = Path(__file__).resolve().parent.parent
_COMPILED_MARKS = (b"@kernel", b"@rule", b"@inline")
SOURCES = (
    *(
        path
        for path in sorted((_PACKAGE / "engine").glob("*.py"))
        if path.name == "jit.py" or any(mark in path.read_bytes() for mark in _COMPILED_MARKS)
    ),
    _PACKAGE / "scenario" / "opcodes.py",
)
"""The files whose text the compiled code depends on: every engine module that holds compiled
functions, the decorators' options, and the instruction numbers. A Python-only module (the
Engine class, records, tables) can change without a recompile."""


def _digest() -> str:
    digest = hashlib.sha256(metadata.version("numba").encode())
    for path in SOURCES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_root() -> Path:
    given = os.environ.get("NUMBA_CACHE_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("persona-non-grata")) / "engine"


def _cache_dir() -> Path:
    root, digest = _cache_root(), _digest()
    # A child process inherits NUMBA_CACHE_DIR as this module set it: it is the folder already.
    return root if root.name == digest else root / digest


CACHE_DIR = _cache_dir()
"""Where this version of the rules keeps its machine code (see the module's docstring)."""
os.environ["NUMBA_CACHE_DIR"] = str(CACHE_DIR)

import numba  # noqa: E402  (the cache folder must be chosen before numba reads it)
from numba.core import types  # noqa: E402
from numba.core.compiler_lock import global_compiler_lock  # noqa: E402
from numba.np import arrayobj  # noqa: E402

from game.engine import lazy_link  # noqa: E402

lazy_link.install()

F = TypeVar("F", bound=Callable[..., Any])
_OPTIONS: dict[str, Any] = {"nogil": True, "cache": True, "error_model": "numpy"}

# -- indices without wrap-around -----------------------------------------------------------
#
# numba reads a[i] for a signed i as Python does, a[len(a) + i] when i < 0, and so adds a
# test to every array access whose index the compiler cannot prove non-negative. The rules'
# indices are offsets read from the scenario's table plus loop counters, never negative by
# construction, so nearly every access of the general rules carried the test: without it a
# turn costs 18% less (22% more turns a second; 12% more with the rules bound to a structure,
# whose offsets are constants). So while one of the rules compiles, an integer index is
# taken as it is. numba holds its compiler lock through a compile, so no other code compiles
# meanwhile, and numba code outside the rules keeps Python's meaning, except numba's own
# implementations of the numpy functions the rules call (np.zeros, np.floor, ...), compiled
# while a rule compiles and kept for the process; none indexes with a number it is given. A
# numba without this hook compiles the rules with the test: slower, the same games.

_compiling_rules = 0
"""How many compiles of the rules are under way (a rule compiles the rules it calls)."""


def _index_as_given(wrapping: Callable[..., Any]) -> Callable[..., Any]:
    def fix_integer_index(context: Any, builder: Any, idxty: Any, idx: Any, size: Any) -> Any:
        if _compiling_rules and idxty.signed:
            return context.cast(builder, idx, idxty, types.intp)
        return wrapping(context, builder, idxty, idx, size)

    fix_integer_index.wrapping = wrapping  # type: ignore[attr-defined]
    return fix_integer_index


INDICES_AS_GIVEN = hasattr(arrayobj, "fix_integer_index")
"""Whether this numba lets the rules index without wrap-around (see above)."""
if INDICES_AS_GIVEN and not hasattr(arrayobj.fix_integer_index, "wrapping"):
    arrayobj.fix_integer_index = _index_as_given(arrayobj.fix_integer_index)


def compiled(function: F, **options: Any) -> F:
    """`numba.njit(**options)(function)`, compiled as a rule: every compile of it (and of what
    it calls) takes indices as given."""
    dispatcher = numba.njit(**options)(function)
    compile_with_wrap = dispatcher.compile

    def compile_as_rule(signature: Any) -> Any:
        global _compiling_rules
        with global_compiler_lock:
            _compiling_rules += 1
            try:
                return compile_with_wrap(signature)
            finally:
                _compiling_rules -= 1

    dispatcher.compile = compile_as_rule
    return dispatcher  # type: ignore[no-any-return]


def kernel(function: F) -> F:
    """Compile an entry point of the rules: no Python objects, the GIL released, cached."""
    return compiled(function, **_OPTIONS)


def rule(function: F) -> F:
    """Compile a rule that allocates nothing and is called from other compiled code.

    It runs without numba's reference counting: a call that passes arrays would otherwise
    update a reference count on each of them, which cost four times the work of evaluating a
    small expression. Its caller owns every array it touches.
    """
    return compiled(function, **_OPTIONS, _nrt=False)


def inline(function: F) -> F:
    """Compile a small rule into the code that calls it, so that no call is made at all."""
    return compiled(function, **_OPTIONS, inline="always")
