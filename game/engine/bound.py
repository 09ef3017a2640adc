"""The rules compiled for one scenario structure: the same functions, faster for long runs.

The compiled rules read the scenario's layout (how many actors, variants and events; where each
part of a game's row and of the tables sits) from its int64 table at run time, so one machine
code serves every scenario and an edited scenario never waits for a compile. A long run of one
scenario can instead take `bound_play_games(structure_of(lay))`: every compiled function of the
engine, compiled again with `layout_of` answering the layout's numbers as constants, which
plays a turn of random strategies 1.6 times as fast (6.3 against 3.95 M game-turns/s in
`benchmarks/engine.py`; 1.8 times before the rules took indices as given, see `jit`), with
the same games bit for bit. Nothing of the rules is written twice:
the functions are the engine's own, given another `layout_of`.

The constants are every number of the layout that an edit of an expression's text cannot
change (`BY_TEXT` stay read from the table), so tuning coefficients or conditions keeps the
compiled code; adding a variant, an event or an outcome needs a new compile (about a minute).
That code is cached on disk beside the engine's. numba keys its cache by a function's file,
name and first line, so each structure's functions are given small files of their own to be
keyed by, whose text names the structure (and this module's own text, which shapes them).
A structure's first compile holds a lock (`first_compile`), so two processes binding it at
once compile it once, and leaves a mark, so a caller can tell a bind that loads in a second
from one that compiles for a minute (`is_compiled`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock
from numba.core.registry import CPUDispatcher

from game.engine import batch, choose, layout, program, rng, rules
from game.engine.jit import CACHE_DIR, compiled
from game.engine.layout import Layout

BY_TEXT = ("stack", "code", "shortcuts", "event_turns", "constants")
"""The layout's numbers that change when an expression is added or its text changes (the
machine's stack depth, and the offsets after the expressions' instructions, which the tables
put last); every other number follows the scenario's structure."""
_MODULES = (layout, program, rng, rules, choose, batch)

Structure = tuple[int | None, ...]
"""A layout's numbers, None where a number is to be read from the table."""


def structure_of(lay: Layout) -> Structure:
    """The numbers a kernel is compiled for: the layout's, but `BY_TEXT`."""
    return tuple(
        None if name in BY_TEXT else int(value)
        for name, value in zip(Layout._fields, lay, strict=True)
    )


def _bound_layout(structure: Structure) -> CPUDispatcher:
    """A `layout_of` that answers the structure's numbers as constants. numba folds a
    function's literals into its machine code, so the function is written out: its text is
    made of whole numbers and table reads only (`int` refuses anything else), never of a
    scenario's text."""
    values = ", ".join(
        f"ints[{at}]" if value is None else str(int(value)) for at, value in enumerate(structure)
    )
    scope = {"Layout": Layout}
    exec(f"def layout_of(ints):\n    return Layout({values})\n", scope)
    return compiled(scope["layout_of"], inline="always")


def _key_text(structure: Structure) -> str:
    return f"# {structure}\n# {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}\n"


def _digest(structure: Structure) -> str:
    return hashlib.sha256(_key_text(structure).encode()).hexdigest()[:16]


def _folder() -> Path:
    folder = CACHE_DIR / "structures"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_compiled(structure: Structure) -> bool:
    """Whether this structure's rules were compiled on this machine, for this version of the
    engine and of numba (the cache folder is theirs): binding it then loads in a second.

    The mark alone is not enough: someone clearing numba's files by hand (or a disk cleaner)
    leaves it behind, and a run trusting it would compile for a minute unannounced. So numba's
    index and machine code of the structure's loop of whole games must be there too; that
    loop carries a copy of every function it calls, so it is the whole of what a bind loads."""
    digest = _digest(structure)
    if not (_folder() / f"{digest}.compiled").exists():
        return False
    stem = f"batch_{digest}.play_games__{digest}-"
    return all(any(CACHE_DIR.glob(f"*/{stem}*.{ext}")) for ext in ("nbi", "nbc"))


@contextmanager
def first_compile(structure: Structure) -> Iterator[None]:
    """Hold the structure's lock while its rules compile or load (another process binding the
    same structure waits, then loads what this one compiled), and mark it compiled once the
    block succeeds."""
    folder, digest = _folder(), _digest(structure)
    with FileLock(folder / f"{digest}.lock"):
        yield
        (folder / f"{digest}.compiled").touch()


def _key_files(structure: Structure) -> dict[str, Path]:
    """One small file per engine module for numba's cache to key this structure's functions
    by (so two structures' functions, or two modules' functions of one name, never meet)."""
    text, digest, folder = _key_text(structure), _digest(structure), _folder()
    files = {}
    for module in _MODULES:
        path = folder / f"{module.__name__.rsplit('.', 1)[-1]}_{digest}.py"
        if not path.exists() or path.read_text() != text:
            # Whole or not at all: another process may be reading it for numba's cache.
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temporary.write_text(text)
            os.replace(temporary, path)
        files[module.__name__] = path
    return files


@functools.cache
def bound_play_games(structure: Structure) -> Callable[..., None]:
    """`batch.play_games` for scenarios of this structure (same arguments, same games); it
    compiles on its first call, or loads from the cache. Any structure works, even one with
    more numbers left to the table than `structure_of` leaves (as the benchmark measures)."""
    files, digest = _key_files(structure), _digest(structure)
    namespaces = {module.__name__: dict(vars(module)) for module in _MODULES}
    twins: dict[int, CPUDispatcher] = {}
    for module in _MODULES:
        for value in vars(module).values():
            if not isinstance(value, CPUDispatcher) or id(value) in twins:
                continue
            function = value.py_func
            if function.__module__ not in namespaces:
                continue
            code = function.__code__.replace(co_filename=str(files[function.__module__]))
            twin = types.FunctionType(code, namespaces[function.__module__], function.__name__)
            # numba names a function's machine code by its module, its qualified name and a
            # number counted afresh in each process, and links code of one name as one: two
            # structures' functions compiled in two processes, then loaded into one, would
            # call each other's. The structure's digest in the name keeps them apart.
            twin.__qualname__ = f"{function.__qualname__}__{digest}"
            options = {k: v for k, v in value.targetoptions.items() if k != "nopython"}
            twins[id(value)] = compiled(twin, **options, cache=True)
    bound_layout = _bound_layout(structure)
    for namespace in namespaces.values():
        for name, value in list(namespace.items()):
            if isinstance(value, CPUDispatcher) and id(value) in twins:
                namespace[name] = twins[id(value)]
        if "layout_of" in namespace:
            namespace["layout_of"] = bound_layout
    return twins[id(batch.play_games)]
