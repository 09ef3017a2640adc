"""Load the compiled rules from numba's disk cache callees first, so that they run at full speed.

numba caches a compiled function as one object file that also holds a copy of every compiled
function it calls (so that it can be loaded alone). Those copies are optimized a second time
with their caller, and ran slower: the same games took 18,800 samples of machine code loaded
from the cache against 14,000 in the process that had compiled them. In the compiling process
the copies never run: the loader links a name to its first definition, and each called
function was compiled, and loaded, on its own before its caller. A process that loads from the
cache instead met each entry point first, and so ran its copies: every start after the first
ran the slower code.

`load_cached` restores the compiling process's order before anything runs: every function
whose machine code is cached is loaded after each compiled function it calls, so a caller's
copies link to the functions loaded before it. It costs about 0.3 s per start (the called
functions are loaded on their own as well as inside their callers).
"""

from __future__ import annotations

import gc
import importlib
import threading
import types
from collections.abc import Iterable, Iterator
from graphlib import TopologicalSorter
from pathlib import Path

from numba.core.registry import CPUDispatcher


def _names_used(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _names_used(constant)


def _callees(function: CPUDispatcher) -> set[CPUDispatcher]:
    """The compiled functions `function` may call: a global name, or an attribute of a module
    named globally (`rng.uniforms`), that is a compiled function."""
    scope = function.py_func.__globals__
    modules = [value for value in scope.values() if isinstance(value, types.ModuleType)]
    found = set()
    for name in set(_names_used(function.py_func.__code__)):
        for value in (scope.get(name), *(getattr(module, name, None) for module in modules)):
            if isinstance(value, CPUDispatcher) and value is not function:
                found.add(value)
    return found


def load_order(functions: Iterable[CPUDispatcher]) -> list[CPUDispatcher]:
    """`functions` and every compiled function they call, each after all it calls (a function
    inlined into its callers still orders what it calls before them)."""
    graph: dict[CPUDispatcher, list[CPUDispatcher]] = {}
    waiting = list(functions)
    while waiting:
        function = waiting.pop()
        if function in graph:
            continue
        # By name, so that every process loads in the same order.
        graph[function] = sorted(_callees(function), key=lambda callee: callee.py_func.__qualname__)
        waiting.extend(graph[function])
    return list(TopologicalSorter(graph).static_order())


def compiled_functions(modules: Iterable[types.ModuleType]) -> list[CPUDispatcher]:
    """Every compiled function defined in `modules`."""
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, CPUDispatcher) and value.py_func.__module__ == module.__name__
    ]


def _cached_signatures(function: CPUDispatcher) -> list:
    """The signatures of `function` whose machine code the cache holds for this machine and
    this text of the function (loading them compiles nothing)."""
    if function.targetoptions.get("inline") == "always":
        return []
    # numba has no public way to list a cache's signatures, so its cache's own index is read.
    # An unreadable index (numba compiles afresh), or a numba whose cache is laid out
    # otherwise, loads nothing here: the rules then load on their first call, slower.
    try:
        cache, codegen = function._cache, function.targetctx.codegen()
        index = cache._cache_file._load_index()
        return [key[0] for key in index if key == cache._index_key(key[0], codegen)]
    except Exception:
        return []


def load_cached(functions: Iterable[CPUDispatcher]) -> int:
    """Load every cached signature of `functions` and of what they call, callees first;
    returns how many were loaded. Only what the cache holds is asked for: a function that is
    not cached is left to compile on its first call, as before (and a cached file that cannot
    be read is compiled afresh, as numba does on a first call)."""
    loaded = 0
    for function in load_order(functions):
        for signature in _cached_signatures(function):
            if signature not in function.overloads:
                function.compile(signature)
                loaded += 1
    return loaded


_loading = threading.Lock()
_loaded: int | None = None


def load_engine_rules() -> int:
    """`load_cached` for every compiled function of the engine, once per process; returns how
    many signatures were loaded. An `Engine` asks before its first game; a window asks on a
    thread of its own while the title screen shows, so that starting a game does not wait.
    A second caller meanwhile waits for the first."""
    global _loaded
    with _loading:
        if _loaded is None:
            _loaded = _load_engine_rules()
        return _loaded


def _load_engine_rules() -> int:
    from game.engine.jit import SOURCES

    modules = [
        importlib.import_module(f"game.engine.{path.stem}")
        for path in SOURCES
        if path.parent == Path(__file__).parent and path.stem != "jit"
    ]
    loaded = load_cached(compiled_functions(modules))
    # What is alive now (about 130,000 objects: modules, and numba's records of the loaded
    # code) lives as long as the process. Frozen, it is never walked again by Python's
    # collector, which did so at every full collection and once more at exit: 0.4 s at the end
    # of every command.
    gc.freeze()
    return loaded
