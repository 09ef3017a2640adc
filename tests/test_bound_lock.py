"""A structure's first compile is one process's at a time, and marked once it succeeded.

Two balance runs started together on a new structure (two terminals, two CI jobs on one machine)
would otherwise both compile its rules into the same cache files. `bound.first_compile` holds a
lock for the block in which the rules compile or load, and marks the structure compiled only if
the block finished; `bound.is_compiled` reads that mark, and numba's files beside it, which
`balance` trusts to bind unasked. Nothing here compiles: the blocks sleep, fail, or write the
names of the files a compile leaves (`fake_compile`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine import bound

ROOT = Path(__file__).resolve().parents[1]
STRUCTURE = (2, 3, 5, 7, None, 11)
HOLD_SECONDS = 1.5


def fake_compile(cache: Path, structure: tuple) -> list[Path]:
    """Leave the files numba's cache holds once a structure's loop of whole games compiled."""
    digest = bound._digest(structure)
    folder = cache / "structures_0123abcd"
    folder.mkdir(exist_ok=True)
    stem = f"batch_{digest}.play_games__{digest}-402.py311"
    files = [folder / f"{stem}.nbi", folder / f"{stem}.1.nbc"]
    for file in files:
        file.write_bytes(b"machine code")
    return files


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The engine's cache folder, this test's own (marks and locks of a made-up structure)."""
    monkeypatch.setattr(bound, "CACHE_DIR", tmp_path)
    return tmp_path


def test_a_second_process_waits_for_the_first_compile(cache: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from game.engine import bound\n"
            "from tests.test_bound_lock import fake_compile\n"
            "bound.CACHE_DIR = Path(sys.argv[1])\n"
            f"with bound.first_compile({STRUCTURE!r}):\n"
            "    print('holding', flush=True)\n"
            f"    time.sleep({HOLD_SECONDS})\n"
            f"    fake_compile(bound.CACHE_DIR, {STRUCTURE!r})\n"
            "    print(time.time(), flush=True)\n",
            str(cache),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    assert not bound.is_compiled(STRUCTURE)  # not until the first compile finished
    with bound.first_compile(STRUCTURE):
        entered = time.time()
    released = float(holder.stdout.readline())
    assert holder.wait(timeout=30) == 0
    assert entered >= released
    assert bound.is_compiled(STRUCTURE)


def test_a_failed_compile_is_not_marked(cache: Path) -> None:
    with pytest.raises(RuntimeError), bound.first_compile(STRUCTURE):
        raise RuntimeError("the compile failed")
    assert not bound.is_compiled(STRUCTURE)
    with bound.first_compile(STRUCTURE):  # the lock was released
        fake_compile(cache, STRUCTURE)
    assert bound.is_compiled(STRUCTURE)
    fake_compile(cache, (*STRUCTURE[:-1], 13))  # numba's files of another structure, no mark
    assert not bound.is_compiled((*STRUCTURE[:-1], 13))  # marks are per structure


@pytest.mark.parametrize("cleared", ["index", "machine code"])
def test_a_mark_whose_machine_code_was_cleared_is_not_trusted(cache: Path, cleared: str) -> None:
    """Clearing numba's cache by hand leaves the mark: trusting it, `balance` would compile for
    a minute without saying so."""
    with bound.first_compile(STRUCTURE):
        index, code = fake_compile(cache, STRUCTURE)
    assert bound.is_compiled(STRUCTURE)
    (index if cleared == "index" else code).unlink()
    assert not bound.is_compiled(STRUCTURE)


def test_a_compile_that_left_no_machine_code_is_not_compiled(cache: Path) -> None:
    with bound.first_compile(STRUCTURE):
        pass
    assert not bound.is_compiled(STRUCTURE)
