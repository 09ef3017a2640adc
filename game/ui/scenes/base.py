"""What every screen shares: building widgets, keyboard focus, and returning the next scene.

Scenes form a state machine (as in the python-tcod tutorial): `handle` and `update` return the
next scene, or None to stay. A pop-up (`overlay = True`) keeps a reference to its parent, is
drawn over it, and returning the parent closes the pop-up. Every button is reachable by keyboard:
Tab and the arrow keys move the focus, Enter or Space presses the focused button.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIPanel, UITextEntryLine

from game.ui.assets import theme_data, widget_font, widget_padding
from game.ui.widgets import text

TIP_DELAY = 0.35
"""Seconds the mouse rests over something before its tooltip shows."""

if TYPE_CHECKING:
    from game.ui.app import App

Action = Callable[[], "Scene | None"]
NEXT_KEYS = (pygame.K_TAB, pygame.K_DOWN, pygame.K_RIGHT)
PREVIOUS_KEYS = (pygame.K_UP, pygame.K_LEFT)
PRESS_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


class Scene:
    """A screen. Subclasses override build, handle_key, update and draw as they need."""

    overlay = False
    name = "scene"
    shows_toast = False  # True: the scene draws notices itself, in a place that covers nothing

    def __init__(self, app: App, parent: Scene | None = None) -> None:
        self.app = app
        self.parent = parent
        self.elements: list = []
        self.actions: dict[UIButton, Action] = {}
        self.focus_order: list = []
        self.focus_index: int | None = None
        self.root = None  # container overlays put their widgets in
        self.tips: list[tuple[pygame.Rect, str]] = []
        self._tip_at: tuple[tuple[int, int], float] | None = None
        self.tip_box: pygame.Rect | None = None
        """Where this frame's tooltip was drawn, if one was, and its words."""
        self.tip_words = ""
        self.focus_box: pygame.Rect | None = None
        """Where this frame's focus ring was drawn, if one was."""
        self._zones: list[tuple[pygame.Rect, str]] = []
        """The tooltip zones of the last frame drawn."""

    # -- widgets --------------------------------------------------------------------------------

    def build(self) -> None:
        """Create the widgets for the current window size and scale."""

    def teardown(self) -> None:
        for element in self.elements:
            element.kill()
        self.elements.clear()
        self.actions.clear()
        self.focus_order.clear()
        self.focus_index = None

    def rebuild(self) -> None:
        self.teardown()
        self.build()

    def button(
        self,
        rect: pygame.Rect,
        label: str,
        action: Action,
        object_id: str | None = None,
        class_id: str | None = "@menu",
        tooltip: str | None = None,
        focusable: bool = True,
    ) -> UIButton:
        label, tooltip = self.fit_label(label, rect.width, object_id, class_id, tooltip)
        button = UIButton(
            rect,
            label,
            manager=self.app.manager,
            container=self.root,
            object_id=ObjectID(object_id=object_id, class_id=class_id),
            tool_tip_text=tooltip,
            starting_height=2 if self.overlay else 1,
        )
        self.actions[button] = action
        if self.root is None:
            self.elements.append(button)
        if focusable:
            self.focus_order.append(button)
        return button

    def fit_label(
        self,
        label: str,
        width: int,
        object_id: str | None,
        class_id: str | None,
        tooltip: str | None = None,
    ) -> tuple[str, str | None]:
        """A button's label cut with an ellipsis to the button's width (never clipped
        mid-glyph); the whole label then goes into the tooltip."""
        theme = theme_data()
        family, size, style = widget_font(theme, object_id, class_id)
        font = self.app.palette.font_px(max(8, round(size * self.app.scale)), style, family)
        room = width - widget_padding(theme, class_id)
        shown = text.fit(font, label, max(1, room))
        if shown == label:
            return label, tooltip
        return shown, label if tooltip is None else f"{label}<br>{tooltip}"

    def add(self, element, focusable: bool = False):
        """Keep track of a widget this scene made, so that teardown removes it."""
        if self.root is None:
            self.elements.append(element)
        if focusable:
            self.focus_order.append(element)
        return element

    def dialog(self, width: int, height: int) -> pygame.Rect:
        """For overlays: dim the screen and open a centred dialog panel; returns its inner rect."""
        size = self.app.window.get_size()
        dim = UIPanel(
            pygame.Rect((0, 0), size),
            starting_height=20,
            manager=self.app.manager,
            object_id=ObjectID(object_id="#dim", class_id=None),
        )
        self.elements.append(dim)
        rect = pygame.Rect(0, 0, min(width, size[0] - 20), min(height, size[1] - 20))
        rect.center = (size[0] // 2, size[1] // 2)
        panel = UIPanel(
            rect,
            starting_height=1,
            manager=self.app.manager,
            container=dim,
            object_id=ObjectID(object_id="#dialog", class_id=None),
        )
        self.root = panel
        return pygame.Rect(0, 0, rect.width - 4, rect.height - 4)

    # -- events ---------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> Scene | None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            action = self.actions.get(event.ui_element)
            if action is not None:
                self.app.sound.play("click")
                return action()
            return None
        if event.type == pygame_gui.UI_BUTTON_ON_HOVERED:
            self.on_hover(event.ui_element)
            return None
        if event.type == pygame_gui.UI_BUTTON_ON_UNHOVERED:
            self.on_unhover(event.ui_element)
            return None
        if event.type == pygame.KEYDOWN:
            if self._typing() and event.key not in (pygame.K_TAB, pygame.K_ESCAPE):
                return None
            return self.handle_key(event)
        return None

    def _typing(self) -> bool:
        focused = self.current_focus()
        return isinstance(focused, UITextEntryLine) and focused.is_focused

    def handle_key(self, event: pygame.event.Event) -> Scene | None:
        """Focus movement and pressing; scenes add their own keys and call this last."""
        if event.key in NEXT_KEYS and not (
            event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT
        ):
            self.move_focus(1)
        elif event.key in PREVIOUS_KEYS or event.key == pygame.K_TAB:
            self.move_focus(-1)
        elif event.key in PRESS_KEYS:
            focused = self.current_focus()
            if isinstance(focused, UIButton) and focused in self.actions and focused.is_enabled:
                self.app.sound.play("click")
                return self.actions[focused]()
        elif event.key == pygame.K_ESCAPE:
            return self.on_escape()
        return None

    def on_escape(self) -> Scene | None:
        return self.parent if self.overlay else None

    def on_hover(self, element) -> None:
        """A button is under the mouse or has the keyboard focus."""

    def on_unhover(self, element) -> None:
        """The mouse left a button."""

    # -- focus ----------------------------------------------------------------------------------

    def current_focus(self):
        if self.focus_index is None or not self.focus_order:
            return None
        return self.focus_order[self.focus_index % len(self.focus_order)]

    def set_focus(self, element) -> None:
        if element in self.focus_order:
            self.focus_index = self.focus_order.index(element)
            self._show_focus()

    def move_focus(self, step: int) -> None:
        if not self.focus_order:
            return
        if self.focus_index is None:
            self.focus_index = 0 if step > 0 else len(self.focus_order) - 1
        else:
            self.focus_index = (self.focus_index + step) % len(self.focus_order)
        self._show_focus()

    def _show_focus(self) -> None:
        focused = self.current_focus()
        for element in self.focus_order:
            if isinstance(element, UIButton):
                if element is focused:
                    element.select()
                elif element.is_selected:
                    element.unselect()
        if isinstance(focused, UITextEntryLine):
            self.app.manager.set_focus_set(focused)
            focused.focus()
        else:
            self.app.manager.set_focus_set(None)
        if focused is not None:
            self.on_hover(focused)

    # -- time and drawing -----------------------------------------------------------------------

    def regions(self) -> dict[str, pygame.Rect]:
        """The panels this scene draws, by name; the layout check holds text and widgets to
        them (none may straddle an edge) and none may overlap another."""
        return {}

    def on_return(self) -> None:
        """A pop-up over this scene closed."""

    def on_reload(self) -> Scene | None:
        """F5 was pressed; scenes showing a scenario reload it from disk."""
        return None

    def update(self, dt: float) -> Scene | None:
        """Advance time; a pop-up lets its parent's animations run on underneath it."""
        if self.overlay and self.parent is not None:
            self.parent.update(dt)
        return None

    def covers_window(self) -> bool:
        """Whether `draw` paints every pixel of the window, so the frame need not clear it
        first (a pop-up covers it when its parent does, since it draws its parent first)."""
        return self.overlay and self.parent is not None and self.parent.covers_window()

    def draw(self, surface: pygame.Surface) -> None:
        """Draw what is not a widget; overlays draw their parent first."""
        if self.parent is not None and self.overlay:
            self.parent.draw(surface)
            self.parent.tips = []  # the parent's tooltips are covered by this pop-up

    def show_widgets(self, visible: bool) -> None:
        """Hide a pop-up's widgets while another pop-up is open over it (one modal at a time)."""
        for element in self.elements:
            if visible:
                element.show()
            else:
                element.hide()

    def draw_after(self, surface: pygame.Surface) -> None:
        """Draw over the widgets: the keyboard focus ring, then the tooltip under the mouse."""
        self.draw_focus(surface)
        self.draw_tip(surface)

    def focus_ring(self) -> pygame.Rect | None:
        """Where the focus ring goes: the focused button, if it is shown."""
        focused = self.current_focus()
        if not isinstance(focused, UIButton) or not focused.alive() or not focused.visible:
            return None
        return pygame.Rect(focused.get_abs_rect())

    def draw_focus(self, surface: pygame.Surface) -> None:
        """The keyboard focus: a bright double ring, unlike the hover style (a lighter fill), so
        a player always sees which button Enter will press."""
        rect = self.focus_box = self.focus_ring()
        if rect is None:
            return
        p = self.app.palette
        width = max(2, self.app.px(2))
        pygame.draw.rect(surface, p["focus"], rect, width)
        pygame.draw.rect(surface, p["shade"], rect.inflate(-2 * width, -2 * width), 1)

    def tip(self, rect: pygame.Rect, words: str) -> None:
        """Offer `words` as a tooltip while the mouse rests on `rect` (this frame's drawing)."""
        self.tips.append((pygame.Rect(rect), words))

    def _resting_tip(self, zones: list[tuple[pygame.Rect, str]]) -> str | None:
        """The words of the zone under the mouse once it has rested there long enough."""
        mouse = pygame.mouse.get_pos()
        now = time.monotonic()
        if self._tip_at is None or self._tip_at[0] != mouse:
            self._tip_at = (mouse, now)
        if now - self._tip_at[1] < TIP_DELAY:
            return None
        return next((words for rect, words in reversed(zones) if rect.collidepoint(mouse)), None)

    def draw_tip(self, surface: pygame.Surface) -> None:
        """The tooltip of the drawn thing under a resting mouse: gauges, scores and cut text."""
        self._zones = self.tips + [(r, t) for r, t in text.RECORDER.cut]
        self.tips = []
        self.tip_box = None
        found = self._resting_tip(self._zones)
        if found:
            self.tip_box = draw_tooltip(surface, self.app, found, pygame.mouse.get_pos())
            self.tip_words = found

    def prepare(self) -> list[pygame.Rect] | None:
        """Bring what this scene keeps off-screen up to date for the coming frame, and say
        what drawing it will change on the window (widgets and what `draw_after` draws
        aside): a list of areas, empty if nothing, or None if it cannot say. A scene that
        can say lets a frame where nothing changed be skipped (see `App.draw`)."""
        return None

    def overlay_state(self) -> Hashable:
        """All that `draw_after` would draw now (the focus ring, the tooltip and where), for
        telling whether a frame would look like the last; it asks for the tooltip as
        `draw_after` does, over the zones of the last frame drawn."""
        ring = self.focus_ring()
        words = self._resting_tip(self._zones)
        mouse = pygame.mouse.get_pos() if words else None
        return (tuple(ring) if ring is not None else None, words, mouse)


def tooltip_layout(
    size: tuple[int, int], app: App, words: str, at: tuple[int, int]
) -> tuple[pygame.Rect, list[str]]:
    """Where a tooltip of `words` near `at` goes in a window of `size`, and its lines."""
    font = app.palette.font("small", app.scale)
    pad = app.px(8)
    width = min(app.px(340), size[0] - 2 * pad)
    plain = words.replace("<br>", "\n").replace("<b>", "").replace("</b>", "")
    lines = text.wrap(font, plain, width - 2 * pad)
    step = font.get_linesize()
    box = pygame.Rect(0, 0, 0, len(lines) * step + 2 * pad)
    box.width = min(width, max(font.size(line)[0] for line in lines) + 2 * pad)
    box.topleft = (at[0] + app.px(14), at[1] + app.px(18))
    if box.right > size[0]:
        box.right = at[0] - app.px(6)
    if box.bottom > size[1]:
        box.bottom = at[1] - app.px(6)
    box.clamp_ip(pygame.Rect((0, 0), size))
    return box, lines


def draw_tooltip(surface: pygame.Surface, app: App, words: str, at: tuple[int, int]) -> pygame.Rect:
    """A wrapped tooltip box near `at`, kept inside the window; returns where it went."""
    p = app.palette
    font = p.font("small", app.scale)
    pad = app.px(8)
    box, lines = tooltip_layout(surface.get_size(), app, words, at)
    step = font.get_linesize()
    pygame.draw.rect(surface, p["tooltip"], box)
    pygame.draw.rect(surface, p["accent"], box, 1)
    for i, line in enumerate(lines):
        text.draw(surface, font, line, p["text"], (box.left + pad, box.top + pad + i * step))
    return box
