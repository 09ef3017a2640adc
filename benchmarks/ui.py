"""Benchmark the crisis room: frame times, time to the first frame, and forecast latency.

Runs 600 frames of the crisis room at 1280x720 under Xvfb when it is installed (a real X11
window), else under SDL's dummy driver, and says which. While it runs, the hovered move changes
every 60 frames, so forecasts are computed on the worker thread during the measured frames, as
when a person plays. Frame time is the work of a frame (events, update, drawing, flip), without
the wait for the 60 fps cap.

    python benchmarks/ui.py

The last line is one JSON object: frame_ms_mean, frame_ms_p99, first_frame_s, forecast_ms,
driver. Targets on a 2-core machine: p99 <= 16.7 ms, first frame <= 2 s, forecast <= 300 ms.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FRAMES = 600
SIZE = (1280, 720)


def start_xvfb() -> subprocess.Popen | None:
    """A private X server for a real window, or None when Xvfb is not installed."""
    if shutil.which("Xvfb") is None:
        return None
    for number in range(91, 99):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                os.environ["DISPLAY"] = f":{number}"
                os.environ["SDL_VIDEODRIVER"] = "x11"
                return server
            time.sleep(0.02)
        server.kill()
    return None


def main() -> int:
    server = start_xvfb()
    driver = "xvfb" if server is not None else "dummy"
    if server is None:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PNG_SAVE_DIR", str(Path("/tmp") / "png-bench-saves"))
    print(
        f"driver: {driver} "
        f"({'a real X11 window on Xvfb' if server else 'no Xvfb installed: SDL dummy driver'})"
    )
    try:
        return run(driver)
    finally:
        if server is not None:
            server.terminate()
            server.wait()


def run(driver: str) -> int:
    import numpy as np

    from game.ui.app import App
    from game.ui.loading import DEFAULT_SCENARIO, open_scenario
    from game.ui.scenes.crisis_room import CrisisRoom
    from game.ui.session import GameSession
    from game.ui.settings import Settings

    scenario = open_scenario(DEFAULT_SCENARIO)
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 7, [0], {1: "lookahead:normal"})
    app = App(Settings(muted=True), SIZE)
    room = CrisisRoom(app, session)
    app.go(room)
    app.frame(1 / 60)
    first_frame = time.perf_counter() - START
    print(f"first frame after {first_frame:.2f} s")

    subjects = [("kind", k) for k in range(3)] + [
        ("variant", v.index) for v in scenario.variants[0] if session.why_not(0, v.index) is None
    ]
    times = []
    for i in range(FRAMES):
        if i % 60 == 0:
            room.hovered = subjects[(i // 60) % len(subjects)]
        began = time.perf_counter()
        app.frame(1 / 60)
        times.append((time.perf_counter() - began) * 1000)
        app.clock.tick(60)
    frame = np.array(times)
    print(
        f"{FRAMES} frames: mean {frame.mean():.2f} ms, "
        f"p99 {np.percentile(frame, 99):.2f} ms, max {frame.max():.2f} ms"
    )

    waits = []
    for variant in [v.index for v in scenario.variants[0] if session.why_not(0, v.index) is None][
        :5
    ]:
        key = ("bench", variant)
        job = lambda v=variant: __import__("game.ui.forecast", fromlist=["x"]).compute_forecast(  # noqa: E731
            session.engine, session.state, 0, v, dict(session.strategy_names)
        )
        began = time.perf_counter()
        app.forecaster.wait(key, job)
        waits.append((time.perf_counter() - began) * 1000)
    print(
        "forecast ready in " + ", ".join(f"{w:.0f}" for w in waits) + " ms (512 rollouts, 6 turns)"
    )
    app.close()
    result = {
        "frame_ms_mean": round(float(frame.mean()), 3),
        "frame_ms_p99": round(float(np.percentile(frame, 99)), 3),
        "first_frame_s": round(first_frame, 3),
        "forecast_ms": round(max(waits), 1),
        "driver": driver,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
