"""A pop-up menu: a column of buttons under a heading, used by pause, settings, saves and loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel

from game.ui.scenes.base import Scene

if TYPE_CHECKING:
    from game.ui.app import App

Item = tuple[str, Callable[[], Scene | None] | None, str | None]
"""(label, action or None for a disabled line, tooltip)."""


class MenuOverlay(Scene):
    overlay = True
    name = "menu"
    heading = "Menu"
    width = 440

    def __init__(self, app: App, parent: Scene) -> None:
        super().__init__(app, parent)
        self.buttons: list = []

    def items(self) -> list[Item]:
        return []

    def build(self) -> None:
        app = self.app
        items = self.items()
        gap, pad = app.px(8), app.px(20)
        room = app.window.get_height() - 24 - pad * 2 - app.px(44)
        row = max(app.px(26), min(app.px(42), room // max(1, len(items)) - gap))
        height = pad * 2 + app.px(44) + len(items) * (row + gap)
        inner = self.dialog(app.px(self.width), height)
        self.add(
            UILabel(
                pygame.Rect(pad, pad, inner.width - 2 * pad, app.px(34)),
                self.heading,
                manager=app.manager,
                container=self.root,
                object_id=ObjectID(object_id="#heading", class_id=None),
            )
        )
        y = pad + app.px(44)
        self.buttons = []
        for label, action, tooltip in items:
            rect = pygame.Rect(pad, y, inner.width - 2 * pad, row)
            button = self.button(rect, label, action or (lambda: None), tooltip=tooltip)
            if action is None:
                button.disable()
                self.focus_order.remove(button)
            self.buttons.append(button)
            y += row + gap
        if self.focus_order:
            self.set_focus(self.focus_order[0])

    def teardown(self) -> None:
        super().teardown()
        self.root = None

    def refresh(self):
        """Rebuild after a setting changed, keeping the focus on the same line."""
        index = self.focus_index
        self.rebuild()
        if index is not None and self.focus_order:
            self.focus_index = min(index, len(self.focus_order) - 1)
            self._show_focus()
        return None
