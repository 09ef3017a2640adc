"""The window and the frame loop: events to the scene on top, widgets, drawing, resizing.

The app owns what every scene shares (window, widget manager, palette, sound, settings, the
forecast worker) and the stack of scenes: a base screen with any pop-ups above it. Layout and
fonts follow the window size times the UI scale setting; a new scale gets a widget manager whose
theme has scaled font sizes, so text stays sharp instead of being stretched.
"""

from __future__ import annotations

import os
import tempfile
import threading
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
from game.ui.presenter import WINDOW_EVENTS, Presenter
from game.ui.scenes.base import Scene
from game.ui.settings import SCALES, Settings, save_settings
from game.ui.sound import Sound
from game.ui.widgets import text

BASE_SIZE = (1280, 720)
MIN_SIZE = (640, 360)
MAX_SIZE = (7680, 4320)
PART_BELOW = 0.6
"""A frame changed over less than this share of the window is composed only there."""
LOGICAL_MIN = (1024, 600)
"""The smallest window, in pixels at scale 1.0, that every screen is laid out for: the UI scale is
capped so that the window divided by the scale is never smaller than this."""
TITLE = "Persona Non Grata"
FPS = 60
INPUT_EVENTS = (
    pygame.KEYDOWN,
    pygame.KEYUP,
    pygame.TEXTINPUT,
    pygame.MOUSEBUTTONDOWN,
    pygame.MOUSEBUTTONUP,
    pygame.MOUSEWHEEL,
)


class DisplayUnavailable(RuntimeError):
    """A display was named (DISPLAY, WAYLAND_DISPLAY) but no window can be opened on it."""


class Work:
    """A turn's work (step, autosave) running on a worker thread while frames go on.

    `done(result)` runs on the frame thread once the work has finished (the result is the
    exception if it raised) and returns the next scene, as a handler does.
    """

    def __init__(
        self,
        label: str,
        job: Callable[[], object],
        done: Callable[[object], object],
        banner: bool = False,
    ):
        self.label = label
        self.done = done
        self.banner = banner
        """Shown low on the screen, clear of the menu, for long work the player watches."""
        self.result: object = None
        self.began = time.monotonic()
        self._thread = threading.Thread(target=self._run, args=(job,), name="turn", daemon=True)
        self._thread.start()

    def _run(self, job: Callable[[], object]) -> None:
        try:
            self.result = job()
        except Exception as error:  # handed to `done` on the frame thread
            self.result = error

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


class App:
    """The running game: one window, one scene stack, one frame loop."""

    def __init__(self, settings: Settings | None = None, size: tuple[int, int] = BASE_SIZE) -> None:
        if os.environ.get("SDL_VIDEODRIVER", "").lower() in ("dummy", "offscreen"):
            os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        asked = os.environ.get("SDL_VIDEODRIVER", "").lower()
        _init_display(asked)
        if pygame.display.get_driver() in ("dummy", "offscreen") and asked not in (
            "dummy",
            "offscreen",
        ):
            # SDL falls back to an invisible window when the named display cannot be opened;
            # a player would wait for ever in front of nothing.
            pygame.display.quit()
            where = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or "(none)"
            raise DisplayUnavailable(
                f"Cannot open a window on display {where}: is its X or Wayland server running? "
                f"Without a display, use the headless commands (python main.py --help)."
            )
        pygame.font.init()
        # No key repeat: a held key is one press. A repeated Return would confirm whatever
        # appears next (a pop-up, a variant), playing moves nobody chose.
        pygame.key.set_repeat(0)
        self.settings = settings or Settings()
        self.desktop = _desktop_size()
        self.window = self._open_window(self._windowed_size(size))
        pygame.display.set_caption(TITLE)
        if self.settings.fullscreen:
            self._set_fullscreen(True)
        self._held: set[int] = set()
        self.work: Work | None = None
        self.preparation = None  # the engine being compiled on a first run (see prepare_engine)
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
        self.presenter = Presenter()
        self._composed: tuple | None = None  # the screen, size and widgets last composed
        self._notices: tuple = (None, None, None)  # what was drawn over the widgets then
        self.draw_pass = 0
        """Counts calls of `draw`: a scene prepares once per pass, so that what it said had
        changed is what it draws, even if a forecast arrives in between."""
        self._overlays: list[tuple[pygame.Rect, object]] = []
        """What this frame drew over the widgets: (where, all that its look depends on)."""

    # -- scale and widgets ----------------------------------------------------------------------

    def max_scale(self) -> float:
        """The largest UI scale whose layout fits the window (at least the smallest offered)."""
        w, h = self.window.get_size()
        fit = min(w / LOGICAL_MIN[0], h / LOGICAL_MIN[1])
        return max(SCALES[0], int(fit * 20) / 20)

    def compute_scale(self) -> float:
        """The UI scale setting, capped to what the window can lay out (never a zoom of the
        window: a bigger window shows more, not bigger)."""
        return min(self.settings.ui_scale, self.max_scale())

    @property
    def scale_capped(self) -> bool:
        return self.scale < self.settings.ui_scale - 1e-9

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
        self.presenter.whole()
        self._composed = None
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
        for scene in self.stack[:-1]:
            if scene.overlay:
                scene.show_widgets(False)

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
            if scene.overlay:
                scene.show_widgets(True)
            scene.on_return()
            return
        if scene.overlay and scene.parent in self.stack:
            while self.stack[-1] is not scene.parent:
                self.stack.pop().teardown()
            if scene.parent.overlay:
                # One pop-up at a time: the menu under a dialog hides until the dialog closes.
                scene.parent.show_widgets(False)
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
                self.window = self._open_window(self._windowed_size(self.settings.window_size()))
            self.settings.fullscreen = on
        except pygame.error:
            self.settings.fullscreen = False

    def _windowed_size(self, wanted: tuple[int, int]) -> tuple[int, int]:
        """The window size to open: as wanted, but never larger than the display."""
        w, h = wanted
        if self.desktop is not None:
            w, h = min(w, self.desktop[0]), min(h, self.desktop[1])
        return max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1])

    def _open_window(self, size: tuple[int, int]) -> pygame.Surface:
        """A resizable window of `size`, placed on the display (centred, never off its edge)."""
        if self.desktop is not None:
            x = max(0, (self.desktop[0] - size[0]) // 2)
            y = max(0, (self.desktop[1] - size[1]) // 2)
            os.environ["SDL_VIDEO_WINDOW_POS"] = f"{x},{y}"
        window = pygame.display.set_mode(size, pygame.RESIZABLE)
        os.environ.pop("SDL_VIDEO_WINDOW_POS", None)
        return window

    def toggle_mute(self) -> None:
        self.settings.muted = not self.settings.muted
        self.sound.muted = self.settings.muted
        save_settings(self.settings)

    def change_scale(self, direction: int) -> None:
        self.settings.step_scale(direction)
        save_settings(self.settings)
        self.rebuild()

    def toast(self, message: str, seconds: float = 3.0) -> None:
        """A short notice at the top of the screen, over the title bar (which holds nothing a
        player needs while it shows)."""
        self._toast = (message, time.monotonic() + seconds)

    # -- work off the frame thread --------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.work is not None

    def start_work(
        self,
        label: str,
        job: Callable[[], object],
        done: Callable[[object], object],
        banner: bool = False,
    ) -> None:
        """Run `job` on a worker thread; input is held (dropped) until it has finished and
        `done` has shown its result, so nothing pressed meanwhile lands on the next screen.
        A `banner` notice sits low on the screen instead of over its middle."""
        self.work = Work(label, job, done, banner)

    def prepare_engine(self) -> None:
        """On the first run after an install the rules are compiled, which takes about a
        minute: it happens in another process while this window stays live (input held, with
        a notice), so the title screen never freezes."""
        from game.engine.preload import load_engine_rules
        from game.engine.warmup import NOTICE, Preparation, is_prepared

        # Loading the prepared rules takes about half a second: done behind the title screen,
        # it does not pause the start of the first game.
        if not is_prepared():
            preparation = self.preparation = Preparation()

            def prepare_then_load() -> None:
                if preparation.wait() == 0:
                    load_engine_rules()

            self.start_work(NOTICE + "...", prepare_then_load, lambda _: None, banner=True)
        else:
            threading.Thread(target=load_engine_rules, name="rules", daemon=True).start()

    def _finish_work(self) -> None:
        work = self.work
        if work is None or not work.finished:
            return
        self.work = None
        # Whatever was pressed while the turn was played was aimed at the old screen.
        for event in pygame.event.get(INPUT_EVENTS):
            self._track_keys(event)
        self.go(work.done(work.result))

    # -- the loop -------------------------------------------------------------------------------

    def _track_keys(self, event: pygame.event.Event) -> bool:
        """Keep the set of held keys; False for a key-down of a key already held (a repeat from
        the system or a driver, which must not count as a second press)."""
        if event.type == pygame.KEYDOWN:
            if event.key in self._held:
                return False
            self._held.add(event.key)
        elif event.type == pygame.KEYUP:
            self._held.discard(event.key)
        return True

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type in WINDOW_EVENTS:
            self.presenter.whole()
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            w = getattr(event, "w", None) or getattr(event, "x", None)
            h = getattr(event, "h", None) or getattr(event, "y", None)
            if w and h:
                self._resize_to = (int(w), int(h))
            return
        if not self._track_keys(event):
            return
        if self.busy:
            if event.type in INPUT_EVENTS:
                return
            if event.type == pygame.MOUSEMOTION:
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
        if tuple(self.settings.window) != self.window.get_size():
            self.settings.window = list(self.window.get_size())
            save_settings(self.settings)
        self.rebuild()

    def frame(self, dt: float | None = None) -> None:
        """Handle the waiting events, advance time by dt and draw.

        With dt None the loop runs in real time, capped at FPS; tests and scripts pass dt and
        run as fast as they can.
        """
        if dt is None:
            dt = min(self.clock.tick(FPS) / 1000.0, 0.1)
        self.forecaster.frame_started()
        try:
            self._frame(dt)
        finally:
            self.forecaster.frame_shown()

    def _frame(self, dt: float) -> None:
        self._finish_work()
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
        self.present()
        self.frames += 1

    def draw(self) -> None:
        """Compose the frame on the window surface: not at all when it would look exactly like
        the last one composed there, only over what changed when the screen can say what that
        is (see `present` for showing it)."""
        top = self.top
        self.draw_pass += 1
        changes = top.prepare() if top is not None else None
        context = (top, self.window, self.window.get_size(), self.manager, self.scale)
        widgets = self._widgets()
        moved = self.presenter.widget_changes(widgets)
        notices = (self._toast_shown(), self._work_shown())
        same = context == self._composed and notices == self._notices[1:]
        if changes == [] and same and not moved:
            state = top.overlay_state() if top is not None else None
            if state == self._notices[0]:
                return
        area = None
        if changes is not None and same and notices == (None, None):
            dirty = [*changes, *moved, *self.presenter.overlays]
            area = dirty[0].unionall(dirty[1:]) if dirty else pygame.Rect(0, 0, 0, 0)
            screen = self.window.get_rect()
            if area.width * area.height > PART_BELOW * screen.width * screen.height:
                area = None
        self._compose(top, area)
        if area is not None and not all(area.contains(rect) for rect, _ in self._overlays):
            self._compose(top, None)  # a tooltip or ring showed up outside what was redrawn
        self._composed = context
        self.presenter.drawn(context, changes, widgets, self._overlays)
        state = top.overlay_state() if top is not None else None
        self._notices = (state, *notices)

    def _compose(self, top: Scene | None, area: pygame.Rect | None) -> None:
        """Draw the frame: the screen, its widgets, and what goes over them, within `area`
        (clipped: the rest of the window keeps the last frame) or everywhere."""
        window = self.window
        window.set_clip(area)
        try:
            text.RECORDER.reset(window)
            self._overlays = []
            if top is None or not top.covers_window():
                window.fill(self.palette["background"])
            if top is not None:
                top.draw(window)
            self.manager.draw_ui(window)
            if top is not None:
                top.draw_after(window)
                if top.focus_box is not None:
                    self._overlays.append((top.focus_box, "focus"))
                if top.tip_box is not None:
                    self._overlays.append((top.tip_box, ("tip", top.tip_words)))
            self._draw_toast()
            if self.work is not None:
                self._draw_work()
        finally:
            window.set_clip(None)

    def _widgets(self) -> list[tuple[object, pygame.Surface, pygame.Rect, bool]]:
        """Every widget drawn: (widget, image, rect, whether it redraws its image in place,
        which only a widget clipped by its container does)."""
        found = []
        for sprite in self.manager.get_sprite_group().sprites():
            if not sprite.visible or sprite.image is None:
                continue
            clip = getattr(sprite, "get_image_clipping_rect", None)
            in_place = clip is None or clip() is not None
            found.append((sprite, sprite.image, sprite.rect, in_place))
        return found

    def present(self) -> None:
        """Show the composed frame: only what changed since the last one shown, which on most
        frames is nothing or one panel (handing a whole 1920x1080 frame to the window system
        costs milliseconds every frame)."""
        self.presenter.present(self.window)

    def _work_shown(self) -> tuple[str, bool] | None:
        """The notice that input waits, if it shows now (after a moment, so that a quick turn
        does not flash it)."""
        if self.work is None or time.monotonic() - self.work.began < 0.12:
            return None
        return self.work.label, self.work.banner

    def _toast_shown(self) -> str | None:
        """The notice the app draws over the screen now (a scene may draw it itself)."""
        top = self.top
        return None if top is not None and top.shows_toast else self.toast_text()

    def _draw_work(self) -> None:
        """While a turn is played: a notice that input waits."""
        if self._work_shown() is None:
            return
        p = self.palette
        font = p.font("body", self.scale, "bold")
        surface = text.render(font, self.work.label, p["text"])
        w, h = self.window.get_size()
        centre = (w // 2, h - self.px(29)) if self.work.banner else (w // 2, h // 2)
        box = surface.get_rect(center=centre).inflate(self.px(40), self.px(24))
        self._overlays.append((box, ("work", self.work.label)))
        pygame.draw.rect(self.window, p["panel_header"], box)
        pygame.draw.rect(self.window, p["accent"], box, 1)
        self.window.blit(surface, surface.get_rect(center=box.center))

    def toast_text(self) -> str | None:
        """The notice showing now, if any."""
        if self._toast is None:
            return None
        message, until = self._toast
        if time.monotonic() > until:
            self._toast = None
            return None
        return message

    def _draw_toast(self) -> None:
        message = self._toast_shown()
        if message is None:
            return
        p = self.palette
        font = p.font("body", self.scale, "bold")
        surface = text.render(font, message, p["accent_bright"])
        w = self.window.get_width()
        box = surface.get_rect(midtop=(w // 2, self.px(8))).inflate(self.px(28), self.px(10))
        self._overlays.append((box, ("toast", message)))
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
        if self.preparation is not None:
            self.preparation.stop()
        if self.work is not None:
            self.work.wait(30.0)
        self.forecaster.close()
        pygame.display.quit()


def _init_display(asked: str) -> None:
    """Start SDL's video; with only an X display named, try X11 first, so a dead X server is
    reported at once instead of after SDL has probed every other driver."""
    if not asked and os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["SDL_VIDEODRIVER"] = "x11"
        try:
            pygame.display.init()
            return
        except pygame.error:
            raise DisplayUnavailable(
                f"Cannot open a window on display {os.environ['DISPLAY']}: is its X server "
                "running? Without a display, use the headless commands (python main.py --help)."
            ) from None
        finally:
            del os.environ["SDL_VIDEODRIVER"]
    pygame.display.init()


def _desktop_size() -> tuple[int, int] | None:
    if pygame.display.get_driver() in ("dummy", "offscreen"):
        return None  # no real display: any size can be drawn off-screen
    try:
        sizes = pygame.display.get_desktop_sizes()
    except pygame.error:
        return None
    if not sizes or sizes[0][0] <= 0 or sizes[0][1] <= 0:
        return None
    return sizes[0]
