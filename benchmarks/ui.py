"""Benchmark the crisis room: frame times, time to the first frame, and forecast latency.

Runs 600 frames of the crisis room at 1280x720 and at 1920x1080, each at 100% and 200% UI
scale, under Xvfb when it is installed (a real X11 window), else under SDL's dummy driver, and
says which. While it runs, a key is pressed every 60 frames, as a person reading each move in
turn would: R, S or W to open a kind of move, or the down arrow to the next move of the open
kind. The key is handled inside the measured frame (buttons built, focus moved), and forecasts
(with their outcome chances) are computed on the worker thread during the measured frames.
Frame time is the work of a frame (events, update, drawing, flip), without the wait for the
60 fps cap.

    python benchmarks/ui.py

The last line is one JSON object: per case (size and scale) frame_ms_mean and frame_ms_p99;
first_frame_s, forecast_ms (the slowest of five forecasts, outcome chances included), driver.
Targets on a 2-core machine: p99 <= 16.7 ms in every case, first frame <= 2 s, forecast
<= 300 ms.
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
SIZE = (1920, 1080)  # the virtual screen; each window case fits on it
CASES = (((1280, 720), 1.0), ((1280, 720), 2.0), ((1920, 1080), 1.0), ((1920, 1080), 2.0))


def start_xvfb() -> subprocess.Popen | None:
    """A private X server for a real window, or None when Xvfb is not installed."""
    if shutil.which("Xvfb") is None:
        return None
    for number in range(91, 99):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        server = subprocess.Popen(
            # -noreset: the server would otherwise reset when the last window closes, and the
            # next case's window could catch it mid-reset ("x11 not available").
            [
                "Xvfb",
                f":{number}",
                "-screen",
                "0",
                f"{SIZE[0]}x{SIZE[1]}x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
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


def keys_to(room, session, variant: int) -> list[int]:
    """The keys a person presses to select `variant` from the crisis room's current selection:
    the kind's key when another kind is open (it selects the kind's first available move),
    then the arrow keys to it."""
    import pygame

    from game.ui.scenes.crisis_room import KEY_KINDS

    kind = session.scenario.variants[0][variant].kind
    keys, current = [], room.selected
    if room.open_kind != kind or current is None:
        keys.append(next(key for key, k in KEY_KINDS.items() if k == kind))
        current = next(v.index for v in session.variants(0, kind) if session.legal(0)[v.index])
    same = [v.index for v in session.variants(0, kind)]
    step = same.index(variant) - same.index(current)
    return keys + [pygame.K_DOWN if step > 0 else pygame.K_UP] * abs(step)


def press(keys: list[int]) -> None:
    """Queue key presses (down and up) for the next frame to handle."""
    import pygame

    for key in keys:
        for kind in (pygame.KEYDOWN, pygame.KEYUP):
            pygame.event.post(pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0))


def run(driver: str) -> int:
    import numpy as np

    from game.ui.app import App
    from game.ui.forecast import compute_forecast
    from game.ui.loading import DEFAULT_SCENARIO, open_scenario
    from game.ui.scenes.crisis_room import CrisisRoom
    from game.ui.session import GameSession
    from game.ui.settings import Settings

    scenario = open_scenario(DEFAULT_SCENARIO)
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 7, [0], {1: "lookahead:normal"})
    legal = [v.index for v in scenario.variants[0] if session.why_not(0, v.index) is None]
    result: dict[str, object] = {}
    first_frame = None
    waits: list[float] = []
    for size, scale in CASES:
        app = App(Settings(muted=True, ui_scale=scale), size)
        room = CrisisRoom(app, session)
        app.go(room)
        app.frame(1 / 60)
        if first_frame is None:
            first_frame = time.perf_counter() - START
            print(f"first frame after {first_frame:.2f} s")
        times = []
        wanted = None
        for i in range(FRAMES):
            if i % 60 == 0:
                wanted = legal[(i // 60) % len(legal)]
                press(keys_to(room, session, wanted))
            began = time.perf_counter()
            app.frame(1 / 60)
            times.append((time.perf_counter() - began) * 1000)
            if room.selected != wanted:
                raise RuntimeError(f"the keys selected {room.selected}, not {wanted}")
            app.clock.tick(60)
        frame = np.array(times)
        name = f"{size[0]}x{size[1]}@{round(app.scale * 100)}%"
        print(
            f"{name} (asked {round(scale * 100)}%): {FRAMES} frames, mean {frame.mean():.2f} ms, "
            f"p99 {np.percentile(frame, 99):.2f} ms, max {frame.max():.2f} ms"
        )
        result[name] = {
            "frame_ms_mean": round(float(frame.mean()), 3),
            "frame_ms_p99": round(float(np.percentile(frame, 99)), 3),
        }
        if not waits:
            for variant in legal[:5]:
                key = ("bench", variant)
                began = time.perf_counter()
                forecast = app.forecaster.wait(
                    key,
                    lambda v=variant: compute_forecast(
                        session.engine, session.state, 0, v, dict(session.strategy_names)
                    ),
                )
                waits.append((time.perf_counter() - began) * 1000)
                assert forecast.outcomes  # the chances of each ending come with it
            print(
                "forecast with outcome chances ready in "
                + ", ".join(f"{w:.0f}" for w in waits)
                + " ms (512 rollouts, 6 turns)"
            )
        app.close()
    result |= {
        "first_frame_s": round(first_frame or 0.0, 3),
        "forecast_ms": round(max(waits), 1),
        "driver": driver,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
