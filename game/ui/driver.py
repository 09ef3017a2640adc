"""Drive the game without a person: start it off-screen, press keys, click buttons, run frames.

Tests, the monkey test and the benchmark use this; it posts real pygame events, so the game
goes through the same input path as when a person plays.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from game.ui.app import App
from game.ui.settings import Settings


def start_app(size: tuple[int, int] = (1280, 720), settings: Settings | None = None) -> App:
    app = App(settings or Settings(muted=True), size)
    return app


def run_frames(app: App, count: int = 1, dt: float = 1 / 60) -> None:
    """Run frames; a turn being played off the frame thread is waited for, then shown."""
    for _ in range(count):
        app.frame(dt)
    settle(app, dt)


def settle(app: App, dt: float = 1 / 60, timeout: float = 60.0) -> None:
    """Wait for a turn's work to finish and run the frame that shows it."""
    while app.work is not None:
        app.work.wait(timeout)
        app.frame(dt)


def press(app: App, key: int, mod: int = 0, frames: int = 2) -> None:
    """Press and release a key, then let the game handle it."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    run_frames(app, frames)


def click(app: App, pos: tuple[int, int], frames: int = 2) -> None:
    """A left click at a window position (button down, up), then frames to handle it."""
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    )
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    run_frames(app, frames)


def click_button(app: App, label_start: str, frames: int = 2) -> None:
    """Click the visible button of the top scene whose text starts with `label_start`."""
    scene = app.top
    for button in scene.actions:
        if button.text.startswith(label_start) and button.alive() and button.is_enabled:
            click(app, button.get_abs_rect().center, frames)
            return
    labels = [b.text for b in scene.actions]
    raise LookupError(f"no enabled button '{label_start}' in {scene.name}: {labels}")
