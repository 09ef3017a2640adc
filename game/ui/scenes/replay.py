"""The replay viewer: a finished or saved game, turn by turn, forward and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextBox

from game.ui.board import Board, move_kind, news_html, turn_name
from game.ui.scenes.base import Scene
from game.ui.scenes.crisis_room import roles_for
from game.ui.session import GameSession
from game.ui.stakes import gauge_tip
from game.ui.widgets import text

if TYPE_CHECKING:
    from game.ui.app import App


class ReplayViewer(Scene):
    name = "replay"

    def __init__(
        self, app: App, session: GameSession, back: Scene | None = None, turn: int = 0
    ) -> None:
        super().__init__(app)
        self.session = session
        self.back_to = back
        self.turn = max(0, min(turn, len(session.records) - 1))
        self.board = Board(session.scenario, app.palette, roles_for(session), session.player)
        self.board.show(session.records[self.turn], snap=True)
        self.layout = None
        self.news = None

    @property
    def records(self):
        return self.session.records

    def build(self) -> None:
        app = self.app
        record = self.records[self.turn]
        self.layout = lay = self.board.layout(app.window.get_size(), app.scale, record)
        card = self.board.draw_latest(pygame.Surface((1, 1)), lay.news, record, app.scale)
        top = lay.news.top + card + app.px(10)
        rect = pygame.Rect(lay.news.left, top, lay.news.width, lay.news.bottom - top)
        html_text = news_html(self.session.scenario, self.records[: self.turn], app.palette)
        self.news = self.add(
            UITextBox(html_text, rect, manager=app.manager, object_id=ObjectID("#news", None))
        )
        gap = app.px(10)
        width = (lay.actions.width - 2 * gap) // 3
        labels = [
            ("‹  Previous  [Left]", self.previous),
            ("Next  [Right]  ›", self.next),
            ("Back  [Esc]", self.back),
        ]
        for i, (label, action) in enumerate(labels):
            rect = pygame.Rect(
                lay.actions.left + i * (width + gap), lay.actions.top, width, lay.actions.height
            )
            button = self.button(rect, label, action)
            if (action == self.previous and self.turn == 0) or (
                action == self.next and self.turn >= len(self.records) - 1
            ):
                button.disable()
        self.set_focus(
            self.focus_order[1] if self.turn < len(self.records) - 1 else self.focus_order[2]
        )

    def regions(self) -> dict[str, pygame.Rect]:
        return self.layout.regions() if self.layout is not None else {}

    def go_to(self, turn: int):
        turn = max(0, min(turn, len(self.records) - 1))
        if turn != self.turn:
            self.turn = turn
            self.board.show(self.records[turn])
            self.rebuild()
        return None

    def previous(self):
        return self.go_to(self.turn - 1)

    def next(self):
        return self.go_to(self.turn + 1)

    def back(self):
        if self.back_to is not None:
            return self.back_to
        from game.ui.scenes.title import TitleScreen

        return TitleScreen(self.app)

    def handle_key(self, event):
        if event.key == pygame.K_LEFT:
            return self.previous()
        if event.key == pygame.K_RIGHT:
            return self.next()
        if event.key == pygame.K_HOME:
            return self.go_to(0)
        if event.key == pygame.K_END:
            return self.go_to(len(self.records) - 1)
        if event.key == pygame.K_ESCAPE:
            return self.back()
        return super().handle_key(event)

    def update(self, dt: float):
        self.board.update(dt)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        lay, s, p = self.layout, self.app.scale, self.app.palette
        if lay is None:
            return
        record = self.records[self.turn]
        self.board.draw_top(surface, lay.top, record, s, f"Replay · seed {self.session.seed}")
        history = self.records[: self.turn + 1]
        for rect, key, actor in self.board.draw_actors(
            surface, lay.actors, record, s, None, history=history
        ):
            self.tip(rect, gauge_tip(self.session.scenario, record, key, actor, self.board.player))
        self.board.draw_gauge(surface, lay.gauge, record, s, over=bool(record.outcome))
        if lay.chart is not None:
            self.board.draw_chart(surface, lay.chart, self.records[: self.turn + 1], s)
        self.board.draw_latest(surface, lay.news, record, s)
        box = lay.briefing
        pygame.draw.rect(surface, p["panel"], box)
        pygame.draw.rect(surface, p["panel_border"], box, 1)
        pad = self.app.px(14)
        head = p.font("large", s, "bold", "png_serif")
        body = p.font("body", s)
        sc = self.session.scenario
        heading = (
            "Opening moves"
            if record.turn == 0
            else f"{turn_name(sc, record.turn)} of {len(self.records) - 1}"
        )
        text.draw_fit(
            surface,
            head,
            f"Replay: {heading}",
            p["accent_bright"],
            (box.left + pad, box.top + pad),
            box.width - 2 * pad,
        )
        y = box.top + pad + head.get_linesize() + self.app.px(6)
        for move in record.moves:
            actor = sc.actor_index(move.actor)
            colour = pygame.Color(sc.model.actors[actor].colour).lerp(p["text"], 0.3)
            kind = move_kind(sc, move)
            did = f"{kind} — {move.label}" if kind else move.label
            line = f"{sc.actor_name(actor)}: {did}"
            text.draw_fit(surface, body, line, colour, (box.left + pad, y), box.width - 2 * pad)
            y += body.get_linesize()
        footer = p.font("small", s).get_linesize() + pad
        for event in record.events:
            rect = pygame.Rect(
                box.left + pad,
                y + self.app.px(4),
                box.width - 2 * pad,
                box.bottom - footer - pad - y - self.app.px(4),
            )
            y += self.app.px(4) + text.draw_wrapped(
                surface, p.font("body", s, "italic"), event.headline, p["text"], rect
            )
        small = p.font("small", s)
        hint = "Left and Right step through the turns, Home and End jump"
        hint_rect = text.draw_fit(
            surface,
            small,
            hint,
            p["muted"],
            (box.right - pad, box.bottom - pad),
            (box.width - 2 * pad) // 2,
            "bottomright",
        )
        if record.outcome:
            outcome = next(o for o in sc.outcomes if o.id == record.outcome)
            text.draw_fit(
                surface,
                p.font("body", s, "bold"),
                f"Outcome: {outcome.title}",
                p["accent"],
                (box.left + pad, box.bottom - pad),
                hint_rect.left - box.left - 2 * pad,
                "bottomleft",
            )
