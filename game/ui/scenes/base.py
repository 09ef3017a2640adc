"""What every screen shares: building widgets, keyboard focus, and returning the next scene.

Scenes form a state machine (as in the python-tcod tutorial): `handle` and `update` return the
next scene, or None to stay. A pop-up (`overlay = True`) keeps a reference to its parent, is
drawn over it, and returning the parent closes the pop-up. Every button is reachable by keyboard:
Tab and the arrow keys move the focus, Enter or Space presses the focused button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIPanel, UITextEntryLine

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

    def __init__(self, app: App, parent: Scene | None = None) -> None:
        self.app = app
        self.parent = parent
        self.elements: list = []
        self.actions: dict[UIButton, Action] = {}
        self.focus_order: list = []
        self.focus_index: int | None = None
        self.root = None  # container overlays put their widgets in

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

    def draw(self, surface: pygame.Surface) -> None:
        """Draw what is not a widget; overlays draw their parent first."""
        if self.parent is not None and self.overlay:
            self.parent.draw(surface)

    def draw_after(self, surface: pygame.Surface) -> None:
        """Draw over the widgets (pop-ups draw their own content here)."""
