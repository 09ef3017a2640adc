"""Pop-ups over another scene: news events, a hand-over between hot-seat players, messages and
questions. Each keeps its parent and returns to it when closed."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UITextBox

from game.engine.records import EventRecord
from game.ui.scenes.base import Scene

if TYPE_CHECKING:
    from game.ui.app import App


class Dialog(Scene):
    """A titled pop-up with a text and a row of buttons."""

    overlay = True
    name = "dialog"

    def __init__(self, app: App, parent: Scene, heading: str, body_html: str) -> None:
        super().__init__(app, parent)
        self.heading = heading
        self.body_html = body_html

    def choices(self) -> list[tuple[str, Callable[[], Scene | None]]]:
        return [("Continue  (Enter)", lambda: self.parent)]

    def build(self) -> None:
        app = self.app
        inner = self.dialog(app.px(620), app.px(380))
        pad = app.px(20)
        label = UILabel(
            pygame.Rect(pad, pad, inner.width - 2 * pad, app.px(34)),
            self.heading,
            manager=app.manager,
            container=self.root,
            object_id=ObjectID(object_id="#heading", class_id=None),
        )
        self.add(label)
        button_h = app.px(44)
        body = pygame.Rect(
            pad,
            pad + app.px(42),
            inner.width - 2 * pad,
            inner.height - 3 * pad - app.px(42) - button_h,
        )
        self.add(UITextBox(self.body_html, body, manager=app.manager, container=self.root))
        choices = self.choices()
        gap = app.px(12)
        width = min(app.px(240), (inner.width - 2 * pad - gap * (len(choices) - 1)) // len(choices))
        x = inner.width - pad - len(choices) * width - (len(choices) - 1) * gap
        first = None
        for label_text, action in choices:
            rect = pygame.Rect(x, inner.height - pad - button_h, width, button_h)
            button = self.button(rect, label_text, action)
            first = first or button
            x += width + gap
        self.set_focus(first)

    def teardown(self) -> None:
        super().teardown()
        self.root = None


class EventPopup(Dialog):
    """A scenario event (an inauguration, a sanctions bill) with its text, before the next move."""

    name = "event"

    def __init__(
        self, app: App, parent: Scene, events: Sequence[EventRecord], index: int = 0
    ) -> None:
        event = events[index]
        body = f"<b>{html.escape(event.headline)}</b><br><br>{html.escape(event.text)}"
        count = f"  ({index + 1} of {len(events)})" if len(events) > 1 else ""
        super().__init__(app, parent, f"Breaking news{count}", body)
        self.events = list(events)
        self.index = index

    def choices(self):
        return [("Continue  (Enter)", self.next)]

    def next(self):
        if self.index + 1 < len(self.events):
            return EventPopup(self.app, self.parent, self.events, self.index + 1)
        finish = getattr(self.parent, "finish_if_over", None)
        after = finish() if finish else None
        return after or self.parent

    def on_escape(self):
        return self.next()


class HandOver(Dialog):
    """Hot seat: the next player takes the keyboard without seeing the other's choice."""

    name = "hand_over"

    def __init__(self, app: App, parent: Scene, actor_name: str) -> None:
        body = (
            f"The other side has chosen in secret. Pass the keyboard and mouse to the player of "
            f"<b>{html.escape(actor_name)}</b>, then continue."
        )
        super().__init__(app, parent, f"{actor_name} to move", body)


class Message(Dialog):
    """A notice with one button back to the parent."""

    name = "message"


class Confirm(Dialog):
    """A question with two answers; `on_yes` returns the scene to go to."""

    name = "confirm"

    def __init__(
        self,
        app: App,
        parent: Scene,
        heading: str,
        body_html: str,
        yes: str,
        on_yes: Callable[[], Scene | None],
        no: str = "Cancel",
    ) -> None:
        super().__init__(app, parent, heading, body_html)
        self.yes, self.no, self.on_yes = yes, no, on_yes

    def choices(self):
        return [(self.no, lambda: self.parent), (self.yes, self.on_yes)]
