"""Write output files atomically, and find out before a long run whether they can be written.

A report is written to a temporary file in the target's directory and renamed over the target,
so a reader never sees half a file and a failed run leaves the old one in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from game.errors import UserError


def check_writable(path: Path, option: str) -> None:
    """Raise UserError now if `path` could not be written at the end of the run."""
    if path.is_dir():
        raise UserError(f"cannot write {option} {path}: it is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"cannot write {option} {path}: directory {directory} does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", suffix=".tmp"):
            pass
    except OSError as error:
        raise UserError(f"cannot write {option} {path}: {error.strerror}") from None


def write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` on a temporary file beside `path`, then rename it to `path`."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
