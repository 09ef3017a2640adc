"""Old versions of the compiled rules are deleted once unused, and nothing else is.

Each update of the game compiles its rules into a folder of its own under the cache root; a
player who updates a few times would otherwise keep every one of them (100 MB or more each).
`warm_up`, which runs when a version is prepared, deletes the other versions no run has used for
a month: a version's last use is the time of its `prepared-` mark, which every start touches.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import game.engine.jit as jit
from game.engine import warmup
from game.engine.warmup import UNUSED_DAYS, forget_old_versions, is_prepared

DAY = 86400.0


def version(root: Path, name: str, used_days_ago: float | None, marked: bool = True) -> Path:
    """A version's cache folder with some machine code, last used that many days ago."""
    folder = root / name
    (folder / "engine_0123").mkdir(parents=True)
    (folder / "engine_0123" / "batch.play_games-402.py311.nbi").write_bytes(b"index")
    if used_days_ago is None:
        return folder
    stamp = time.time() - used_days_ago * DAY
    if marked:
        mark = folder / "prepared-00112233aabbccdd"
        mark.touch()
        os.utime(mark, (stamp, stamp))
    os.utime(folder / "engine_0123", (stamp, stamp))
    os.utime(folder, (stamp, stamp))
    return folder


def test_versions_unused_for_a_month_are_deleted_and_the_rest_kept(tmp_path: Path) -> None:
    current = version(tmp_path, "77d9e375401c7501", 400)  # the running version: always kept
    stale = version(tmp_path, "0460fafffe4f096b", UNUSED_DAYS + 1)
    recent = version(tmp_path, "140603fe15fcbd19", UNUSED_DAYS - 1)
    unmarked_stale = version(tmp_path, "21be4dfea7f1cc57", UNUSED_DAYS + 5, marked=False)
    not_ours = version(tmp_path, "numba_cache_of_something_else", 400)
    (tmp_path / "0ad7e9b8f4306b06").write_text("a file, not a version's folder")
    os.utime(tmp_path / "0ad7e9b8f4306b06", (0, 0))

    forgotten = forget_old_versions(current)

    assert sorted(forgotten) == sorted([stale, unmarked_stale])
    assert not stale.exists() and not unmarked_stale.exists()
    assert current.exists() and recent.exists() and not_ours.exists()
    assert (tmp_path / "0ad7e9b8f4306b06").exists()


def test_a_version_marked_recently_is_kept_though_its_folder_is_old(tmp_path: Path) -> None:
    """The folder's own time only changes when an entry is added; a start of that version
    touches its mark, which is what counts."""
    current = version(tmp_path, "77d9e375401c7501", 0)
    used = version(tmp_path, "0460fafffe4f096b", 2)
    old = time.time() - 400 * DAY
    os.utime(used, (old, old))
    assert forget_old_versions(current) == []
    assert used.exists()


def test_a_version_being_prepared_is_kept_though_its_marks_are_old(tmp_path: Path) -> None:
    """Another checkout of an old version compiles into a folder of its own there, and leaves
    its mark only at the end: the machine code being written counts as a use."""
    current = version(tmp_path, "77d9e375401c7501", 0)
    compiling = version(tmp_path, "0460fafffe4f096b", UNUSED_DAYS + 10)
    (compiling / "engine_4567").mkdir()
    (compiling / "engine_4567" / "rules.run-124.py311.nbi").write_bytes(b"index")
    old = time.time() - 400 * DAY
    os.utime(compiling, (old, old))
    assert forget_old_versions(current) == []
    assert compiling.exists()


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = tmp_path / "checkout" / "rules.py"
    source.parent.mkdir()
    source.write_text("RULES = 1\n")
    monkeypatch.setattr(jit, "SOURCES", (source,))
    cache = tmp_path / "root" / "77d9e375401c7501"
    cache.mkdir(parents=True)
    monkeypatch.setattr(jit, "CACHE_DIR", cache)
    return cache


def test_each_start_counts_as_a_use_of_its_version(private_cache: Path) -> None:
    """Were a start not to touch the mark, a version played every day but prepared more
    than a month ago would be deleted by another version's preparation."""
    mark = warmup._marker()
    mark.touch()
    old = time.time() - (UNUSED_DAYS + 10) * DAY
    os.utime(mark, (old, old))
    os.utime(private_cache, (old, old))
    assert is_prepared()
    other = version(private_cache.parent, "0460fafffe4f096b", 0)
    assert forget_old_versions(other) == []
    assert private_cache.exists()


def test_preparing_a_version_deletes_the_stale_ones(private_cache: Path) -> None:
    stale = version(private_cache.parent, "0460fafffe4f096b", UNUSED_DAYS + 1)
    recent = version(private_cache.parent, "140603fe15fcbd19", 1)
    warmup.warm_up()
    assert not stale.exists()
    assert recent.exists() and private_cache.exists()
