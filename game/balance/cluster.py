"""Connecting to a Dask cluster for `balance --dask`, and checking it can play this game.

A worker (or a scheduler) that cannot import the game fails only when the first chunk reaches
it, with a long traceback far from the cause. So before any work is sent, every worker and the
scheduler are asked which version of the game they import, and a cluster that cannot play this
version is refused in one line that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game import __version__
from game.errors import UserError

DOCS = "see 'Parallel and distributed runs' in docs/balance.md"


def _install_hint() -> str:
    """How to put this version of the game where a worker or the scheduler runs."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        return (
            f"python -m pip install {checkout}, or on another machine the wheel that "
            f"python -m pip wheel --no-deps {checkout} builds"
        )
    return f"python -m pip install persona-non-grata=={__version__} (the wheel installed here)"


def _game_version_probe() -> Any:
    """Runs on a worker or the scheduler. It is defined inside a function so that Dask sends it
    by value: a machine without the game could not unpickle a reference to this module."""

    def probe() -> str:
        try:
            import game
        except ImportError as error:
            return f"error: {error}"
        return str(getattr(game, "__version__", "unknown"))

    return probe


def check_cluster(client: Any, address: str, timeout: float) -> None:
    """Raise UserError unless the cluster has a worker and every worker and the scheduler
    import this version of the game."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise UserError(
            f"--dask: the Dask scheduler at {address} has no workers; start one on each machine "
            f"with: dask worker {address} ({DOCS})"
        ) from None
    probe = _game_version_probe()
    found = {"scheduler": client.run_on_scheduler(probe)}
    found.update((f"worker {worker}", version) for worker, version in client.run(probe).items())
    for where, version in found.items():
        if version == __version__:
            continue
        if version.startswith("error: "):
            problem = f"cannot import the game ({version.removeprefix('error: ')})"
        else:
            problem = f"has the game at version {version}, not {__version__}"
        raise UserError(
            f"--dask: the {where} {problem}; install version {__version__} where it runs "
            f"({_install_hint()}) and restart it; {DOCS}"
        )


@contextmanager
def dask_client(address: str, timeout: float) -> Iterator[Any]:
    """A checked client of the scheduler at `address`; closed (its work cancelled) on exit."""
    try:
        from distributed import Client
    except ImportError:
        raise UserError(
            "--dask needs the optional package 'distributed': "
            "python -m pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise UserError(f"--dask: cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        check_cluster(client, address, timeout)
        yield client
    finally:
        client.close()
