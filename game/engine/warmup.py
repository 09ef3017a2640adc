"""Load (or, on the first run after an install, compile) every compiled rule before play.

numba compiles a function the first time it is called and caches the machine code on disk. The
first run after an install therefore spends tens of seconds compiling; every later run loads the
cache in about a second. `warm_up` calls every entry point once on a small scenario, so that the
cost is paid at a moment the front end chooses and can announce ("preparing the engine, first
run only"), never in the middle of a turn.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _stamps_by_content() -> bool:
    """Whether numba knows its cached code by each source file's text (0.68 and later) rather
    than by its time and size (earlier versions, which `requirements.txt` allows)."""
    from importlib import metadata

    major, minor = (int(part) for part in metadata.version("numba").split(".")[:2])
    return (major, minor) >= (0, 68)


def _marker() -> Path:
    """The mark a finished warm-up leaves. numba finds its cached code by each source file's
    path and its stamp, the text or the time and size, so the mark names them too: another
    checkout or a reinstall of the same rules is prepared again, behind its notice, instead of
    compiling in the middle of a game; and where numba reads the text, a checkout that only
    rewrites the files unchanged is not announced as a first run."""
    from game.engine.jit import CACHE_DIR, SOURCES

    by_content = _stamps_by_content()
    stamp = hashlib.sha256()
    for path in SOURCES:
        if by_content:
            mark = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            status = path.stat()
            mark = f"{status.st_mtime_ns}|{status.st_size}"
        stamp.update(f"{path}|{mark}\n".encode())
    return CACHE_DIR / f"prepared-{stamp.hexdigest()[:16]}"


def is_prepared() -> bool:
    """Whether the compiled rules were prepared by an earlier run (so starting is quick).

    Asking counts as using this version's cache: the mark's time is brought up to now, so
    that `forget_old_versions`, run by another version, leaves it alone."""
    marker = _marker()
    if not marker.exists():
        return False
    with contextlib.suppress(OSError):  # a read-only cache is still a prepared one
        os.utime(marker)
    return True


UNUSED_DAYS = 30
"""How long a version of the rules that no run has used keeps its machine code."""
_VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")


def forget_old_versions(cache_dir: Path, unused_days: float = UNUSED_DAYS) -> list[Path]:
    """Delete the machine code of other versions of the rules that no run has used for
    `unused_days`; returns the folders deleted.

    Every update of the game compiles its rules into a folder of its own (100 MB or more), and
    nothing else would ever remove the old ones. A version's last use is its newest `prepared-`
    mark (`is_prepared` touches it at each start), or the newest time of its folder and of the
    folders numba writes in, whichever is later: a version being prepared at this moment (by
    another checkout, whose mark comes at the end) is writing there, so it is never deleted
    mid-compile. A version deleted while still installed somewhere only prepares itself
    again, announced."""
    root, now = cache_dir.parent, time.time()
    forgotten = []
    try:
        siblings = [path for path in root.iterdir() if path != cache_dir]
    except OSError:
        return forgotten
    for folder in siblings:
        if not (folder.is_dir() and _VERSION_FOLDER.fullmatch(folder.name)):
            continue
        try:
            last_use = max(
                path.stat().st_mtime
                for path in (folder, *folder.iterdir())
                if path.is_dir() or path.name.startswith("prepared-")
            )
        except OSError:
            continue  # being written or deleted by another process
        if now - last_use > unused_days * 86400:
            shutil.rmtree(folder, ignore_errors=True)
            forgotten.append(folder)
    return forgotten


NOTICE = "Preparing the engine (first run only; two to four minutes)"


class Preparation:
    """`warm_up` running in a separate Python process, so the caller's threads (a window's
    frame loop) keep running while it compiles; the cache it writes serves the caller next."""

    def __init__(self) -> None:
        import subprocess
        import sys

        code = "from game.engine.warmup import warm_up; warm_up()"
        root = str(Path(__file__).resolve().parent.parent.parent)
        self._process = subprocess.Popen([sys.executable, "-c", code], cwd=root)

    def wait(self) -> int:
        """Wait until it has finished; returns the process's exit status."""
        return self._process.wait()

    def stop(self) -> None:
        """End it now (the window is closing); what it compiled so far stays cached."""
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait()


def ensure_prepared(notify: Callable[[str], None] | None = None) -> None:
    """Prepare the compiled rules if no earlier run did, saying so first through `notify`."""
    if is_prepared():
        return
    if notify is not None:
        notify(NOTICE + "...")
    warm_up()


def warm_up() -> None:
    """Run every compiled entry point once; compiles on the first run, loads the cache after."""
    from game import data_dir
    from game.engine import batch as kernels
    from game.engine import rng
    from game.engine.engine import Engine
    from game.match import advance, play_batch, prepare
    from game.scenario.expressions import compile_expression
    from game.scenario.load import load_scenario
    from game.strategies.base import profile_of
    from game.strategies.registry import STRATEGY_NAMES, make_strategy

    scenario = load_scenario(data_dir("scenarios") / "tutorial.yaml")
    engine = Engine(scenario)
    n = scenario.n_actors
    strategies = [make_strategy("lookahead:easy")] + [make_strategy("random")] * (n - 1)
    prepare(engine, strategies)
    state = engine.new_games(0, batch=2)
    state, _, _ = advance(engine, state, strategies)
    engine.scores(state)
    engine.score_parts(state, 0, 0)
    engine.turns_to_next_scheduled(state)
    engine.rollouts(state, 0, 0, 0, 2, profile_of([make_strategy("tit_for_tat")] * n), 2, 1)
    play_batch(engine, [make_strategy(STRATEGY_NAMES[0])] * n, seed=0, batch=2)
    rng.uniforms(state.streams, state.turn, rng.CHANNEL_STRATEGY, 1)
    rng.shocks(state.streams, state.turn, rng.CHANNEL_SHOCKS, 1)
    legal = engine.legal(state)
    engine.play_real_moves(engine.first_games(np.array([1])), np.zeros((0, 4), np.int64))
    # The entry points a player reaches later: why a move is refused, whom a move may be
    # aimed at, a strategy written in Python, an expression evaluated outside a turn.
    t, row = engine.tables, np.ascontiguousarray(state.data[0])
    kernels.condition_value(t.lay, t.ints, t.floats, row, 0, 0)
    kernels.targets_of(t.ints, t.floats, row, 0, 0, np.zeros(n, dtype=np.bool_))
    wanted, picked = np.zeros(state.batch, dtype=np.int64), np.zeros(state.batch, dtype=np.int64)
    own = np.ascontiguousarray(legal[:, 0])
    kernels.pick_batch(t.lay, t.ints, t.floats, state.data, 0, wanted, own, picked)
    compile_expression("tension + 1")({"tension": np.zeros(2)})
    rng.words(state.streams, state.turn, rng.CHANNEL_SHOCKS, 1)
    try:
        marker = _marker()
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only cache only means the next start says "first run" again
    from game.engine.jit import CACHE_DIR

    forget_old_versions(CACHE_DIR)
