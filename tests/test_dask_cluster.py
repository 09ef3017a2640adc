"""`balance --dask` on a real cluster: a scheduler and workers started as separate processes with
`dask scheduler` and `dask worker`, as they would be on other machines.

The workers get the game the way docs/balance.md describes for a shared checkout: PYTHONPATH
names it. A worker started without it must be refused before any work is sent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "worked_example.yaml"
FAST = ["--strategies", "always_retaliate,always_restrain,tit_for_tat", "--games", "40"]
START_TIMEOUT = 90
SCHEDULER = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0"]
WORKER = ["--nthreads", "1", "--dashboard-address", ":0"]


def _environment(with_game: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if with_game:
        env["PYTHONPATH"] = str(ROOT)
    return env


class Processes:
    """Processes started for one test module, each in its own session, all ended at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], with_game: bool) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            cwd=self.folder,  # not the checkout: `python -m` would put it on the path
            env=_environment(with_game),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(count, timeout=START_TIMEOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Processes]]:
    folder = tmp_path_factory.mktemp("dask")
    processes = Processes(folder)
    scheduler_file = folder / "scheduler.json"
    try:
        processes.start(
            "scheduler",
            [*SCHEDULER, "--scheduler-file", str(scheduler_file)],
            with_game=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), (folder / "scheduler.log").read_text()
        address = json.loads(scheduler_file.read_text())["address"]
        for number in (1, 2):
            processes.start(
                f"worker{number}",
                ["worker", address, *WORKER, "--name", f"worker{number}"],
                with_game=True,
            )
        _wait_for_workers(address, 2)
        yield address, processes
    finally:
        processes.stop_all()


def balance(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "balance", str(SCENARIO), *FAST, "--quiet", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def without_timing(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["timing"]
    return document


def test_a_scheduler_and_two_workers_give_the_same_document_as_two_processes(
    cluster: tuple[str, Processes], tmp_path: Path
) -> None:
    address, _ = cluster
    local, remote = tmp_path / "jobs.json", tmp_path / "dask.json"
    done = balance("--jobs", "2", "--json", str(local))
    assert done.returncode == 0, done.stderr
    done = balance("--dask", address, "--json", str(remote))
    assert done.returncode == 0, done.stderr
    assert without_timing(remote) == without_timing(local)
    assert json.loads(remote.read_text())["timing"]["workers"] == f"dask {address}"


def test_a_worker_without_the_game_is_refused_in_one_line_before_any_work(
    cluster: tuple[str, Processes], tmp_path: Path
) -> None:
    address, processes = cluster
    bare = _environment(with_game=False)
    importable = subprocess.run(
        [sys.executable, "-c", "import game"], cwd=tmp_path, env=bare, capture_output=True
    )
    if importable.returncode == 0:
        pytest.skip("the game is installed in this environment, so every worker has it")
    worker = processes.start(
        "worker_without_game",
        ["worker", address, *WORKER, "--name", "bare"],
        with_game=False,
    )
    try:
        _wait_for_workers(address, 3)
        report = tmp_path / "never.json"
        done = balance("--dask", address, "--json", str(report))
        assert done.returncode == 2
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert "cannot import the game" in lines[0]
        assert "python -m pip install" in lines[0]
        assert not report.exists()
    finally:
        processes.stop(worker)
