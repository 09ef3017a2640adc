"""The window and the frame loop: events to the scene on top, widgets, drawing, resizing.

The app owns what every scene shares (window, widget manager, palette, sound, settings, the
forecast worker) and the stack of scenes: a base screen with any pop-ups above it. Layout and
fonts follow the window size times the UI scale setting; a new scale gets a widget manager whose
theme has scaled font sizes, so text stays sharp instead of being stretched.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# The game composes every frame on the CPU; presenting it through SDL's window surface directly
# (instead of uploading it to an accelerated renderer) makes a flip ~15x cheaper on software X
# servers and costs nothing elsewhere. A player can still override it.
os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "software")

import pygame
import pygame_gui

from game.ui.assets import font_files, palette, scaled_theme, theme_font_specs
from game.ui.forecast import Forecaster
from game.ui.scenes.base import Scene
from game.ui.settings import Settings, save_settings
from game.ui.sound import Sound
from game.ui.widgets import text

BASE_SIZE = (1280, 720)
MIN_SIZE = (640, 360)
MAX_SIZE = (7680, 4320)
TITLE = "Persona Non Grata"
FPS = 60


class App:
    """The running game: one window, one scene stack, one frame loop."""

    def __init__(self, settings: Settings | None = None, size: tuple[int, int] = BASE_SIZE) -> None:
        if os.environ.get("SDL_VIDEODRIVER", "").lower() in ("dummy", "offscreen"):
            os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(350, 45)
        self.settings = settings or Settings()
        self.window = pygame.display.set_mode(size, pygame.RESIZABLE)
        pygame.display.set_caption(TITLE)
        if self.settings.fullscreen:
            self._set_fullscreen(True)
        self.palette = palette()
        self.sound = Sound(self.settings.muted)
        self.forecaster = Forecaster()
        self.clock = pygame.time.Clock()
        self._managers: dict[float, pygame_gui.UIManager] = {}
        self.scale = self.compute_scale()
        self.manager = self._manager_for(self.scale)
        self.stack: list[Scene] = []
        self.running = True
        self.frames = 0
        self._resize_to: tuple[int, int] | None = None
        self._toast: tuple[str, float] | None = None

    # -- scale and widgets ----------------------------------------------------------------------

    def compute_scale(self) -> float:
        w, h = self.window.get_size()
        fit = min(w / BASE_SIZE[0], h / BASE_SIZE[1])
        return max(0.5, round(fit * self.settings.ui_scale * 20) / 20)

    def px(self, value: float) -> int:
        """A length from the 1280x720 design, in pixels at the current scale."""
        return round(value * self.scale)

    def _manager_for(self, scale: float) -> pygame_gui.UIManager:
        manager = self._managers.get(scale)
        size = self.window.get_size()
        if manager is None:
            manager = pygame_gui.UIManager(size, enable_live_theme_updates=False)
            for name, styles in font_files().items():
                manager.add_font_paths(
                    name,
                    str(styles["regular"]),
                    str(styles.get("bold", styles["regular"])),
                    str(styles.get("italic", styles["regular"])),
                    str(styles.get("bold_italic", styles.get("bold", styles["regular"]))),
                )
            theme = scaled_theme(scale)
            manager.preload_fonts(theme_font_specs(theme))
            manager.get_theme().load_theme(theme)
            self._managers[scale] = manager
        else:
            manager.set_window_resolution(size)
        return manager

    def rebuild(self) -> None:
        """Lay every scene out again (after a resize, a scale change or full screen)."""
        self.scale = self.compute_scale()
        old = self.manager
        old.clear_and_reset()
        self.manager = self._manager_for(self.scale)
        self.manager.clear_and_reset()
        for scene in self.stack:
            scene.teardown()
            scene.root = None
        for scene in self.stack:
            scene.build()

    # -- scenes ---------------------------------------------------------------------------------

    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    def go(self, scene: Scene | None) -> None:
        """Move to the scene a handler returned: a pop-up opens over its parent, returning to a
        scene on the stack closes what is above it, anything else replaces the whole stack."""
        if scene is None or scene is self.top:
            return
        if scene in self.stack:
            while self.stack[-1] is not scene:
                self.stack.pop().teardown()
            scene.on_return()
            return
        if scene.overlay and scene.parent in self.stack:
            while self.stack[-1] is not scene.parent:
                self.stack.pop().teardown()
            self.stack.append(scene)
            scene.build()
            return
        for old in reversed(self.stack):
            old.teardown()
        self.stack = [scene]
        self.manager.clear_and_reset()
        scene.build()

    def quit(self) -> None:
        self.running = False

    # -- settings -------------------------------------------------------------------------------

    def toggle_fullscreen(self) -> None:
        self._set_fullscreen(not self.settings.fullscreen)
        save_settings(self.settings)
        self.rebuild()

    def _set_fullscreen(self, on: bool) -> None:
        try:
            if on:
                self.window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            else:
                self.window = pygame.display.set_mode(BASE_SIZE, pygame.RESIZABLE)
            self.settings.fullscreen = on
        except pygame.error:
            self.settings.fullscreen = False

    def toggle_mute(self) -> None:
        self.settings.muted = not self.settings.muted
        self.sound.muted = self.settings.muted
        save_settings(self.settings)

    def change_scale(self, direction: int) -> None:
        self.settings.step_scale(direction)
        save_settings(self.settings)
        self.rebuild()

    def toast(self, message: str, seconds: float = 3.0) -> None:
        """A short notice at the bottom of the screen."""
        self._toast = (message, time.monotonic() + seconds)

    # -- the loop -------------------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            w = getattr(event, "w", None) or getattr(event, "x", None)
            h = getattr(event, "h", None) or getattr(event, "y", None)
            if w and h:
                self._resize_to = (int(w), int(h))
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        self.manager.process_events(event)
        top = self.top
        if top is None:
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
            self.go(top.on_reload())
            return
        self.go(top.handle(event))

    def _apply_resize(self) -> None:
        size = self._resize_to
        self._resize_to = None
        if size is None or self.settings.fullscreen:
            return
        w = min(max(size[0], MIN_SIZE[0]), MAX_SIZE[0])
        h = min(max(size[1], MIN_SIZE[1]), MAX_SIZE[1])
        if (w, h) != self.window.get_size():
            try:
                self.window = pygame.display.set_mode((w, h), pygame.RESIZABLE)
            except pygame.error:
                return
        self.window = pygame.display.get_surface()
        self.rebuild()

    def frame(self, dt: float | None = None) -> None:
        """Handle the waiting events, advance time by dt and draw.

        With dt None the loop runs in real time, capped at FPS; tests and scripts pass dt and
        run as fast as they can.
        """
        if dt is None:
            dt = min(self.clock.tick(FPS) / 1000.0, 0.1)
        for event in pygame.event.get():
            self.dispatch(event)
            if not self.running:
                return
        if self._resize_to is not None:
            self._apply_resize()
        top = self.top
        if top is not None:
            self.go(top.update(dt))
        self.manager.update(dt)
        self.draw()
        pygame.display.flip()
        self.frames += 1

    def draw(self) -> None:
        self.window.fill(self.palette["background"])
        top = self.top
        if top is not None:
            top.draw(self.window)
        self.manager.draw_ui(self.window)
        if top is not None:
            top.draw_after(self.window)
        self._draw_toast()

    def _draw_toast(self) -> None:
        if self._toast is None:
            return
        message, until = self._toast
        if time.monotonic() > until:
            self._toast = None
            return
        p = self.palette
        font = p.font("body", self.scale, "bold")
        surface = text.render(font, message, p["accent_bright"])
        w, h = self.window.get_size()
        box = surface.get_rect(midbottom=(w // 2, h - self.px(18))).inflate(
            self.px(28), self.px(14)
        )
        pygame.draw.rect(self.window, p["panel_header"], box)
        pygame.draw.rect(self.window, p["accent"], box, 1)
        self.window.blit(surface, surface.get_rect(center=box.center))

    def run(self, until: Callable[[], bool] | None = None) -> None:
        while self.running and not (until and until()):
            self.frame()

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Draw the current screen and save it as PNG atomically."""
        self.manager.update(0.0)
        self.draw()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".png", dir=target.parent)
        os.close(handle)
        try:
            pygame.image.save(self.window, temp)
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        return target

    def close(self) -> None:
        self.forecaster.close()
        pygame.display.quit()
