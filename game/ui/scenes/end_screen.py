"""The end screen: the outcome, the score by objective, the whole game's tension with every
choice marked, and what really happened."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextBox

from game.ui.scenes.base import Scene
from game.ui.session import GameSession
from game.ui.stakes import result_line
from game.ui.widgets import text
from game.ui.widgets.charts import ChartMarks, TensionChart, draw_mark

if TYPE_CHECKING:
    from game.ui.app import App


class EndScreen(Scene):
    name = "end_screen"

    def __init__(self, app: App, session: GameSession) -> None:
        super().__init__(app)
        self.session = session
        self.chart = TensionChart(app.palette)
        self.rects: dict[str, pygame.Rect] = {}
        actor = session.player
        self.lines = {
            a: session.engine.score_parts(session.state, 0, a)
            for a in range(session.scenario.n_actors)
        }
        self.totals = session.engine.scores(session.state)[0]
        self.player = actor

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        m, g = app.px(18), app.px(14)
        top = pygame.Rect(0, 0, w, app.px(96))
        buttons = pygame.Rect(m, h - m - app.px(48), w - 2 * m, app.px(48))
        left = pygame.Rect(m, top.bottom + g, round(w * 0.36), buttons.top - g - top.bottom - g)
        right = pygame.Rect(left.right + g, left.top, w - m - left.right - g, left.height)
        chart = pygame.Rect(right.left, right.top, right.width, round(right.height * 0.58))
        history = pygame.Rect(
            right.left, chart.bottom + g, right.width, right.bottom - chart.bottom - g
        )
        self.rects = {"top": top, "left": left, "chart": chart, "history": history}
        real = self.session.scenario.model.history
        story = real.text if real is not None else None
        if story:
            body = f"<b>What really happened</b><br>{html.escape(story)}"
            self.add(
                UITextBox(body, history, manager=app.manager, object_id=ObjectID("#history", None))
            )
        labels = [
            (
                "Play again, same seed",
                self.again_same,
                "The same seed: the same luck, your choices may differ",
            ),
            ("Play again, new seed", self.again_new, None),
            ("Watch the replay", self.replay, None),
            ("Main menu  (Esc)", self.menu, None),
        ]
        gap = app.px(12)
        width = (buttons.width - gap * (len(labels) - 1)) // len(labels)
        for i, (label, action, tip) in enumerate(labels):
            rect = pygame.Rect(buttons.left + i * (width + gap), buttons.top, width, buttons.height)
            self.button(rect, label, action, tooltip=tip)
        # No button has the focus at first: a key still held from the last turn must not start
        # a new game. Tab or the arrows pick one.

    def regions(self) -> dict[str, pygame.Rect]:
        return dict(self.rects)

    # -- actions --------------------------------------------------------------------------------

    def again_same(self):
        from game.ui.scenes.crisis_room import CrisisRoom

        return CrisisRoom(self.app, self.session.restarted())

    def again_new(self):
        from game.ui.scenes.crisis_room import CrisisRoom
        from game.ui.scenes.title import random_seed

        return CrisisRoom(self.app, self.session.restarted(random_seed()))

    def replay(self):
        from game.ui.scenes.replay import ReplayViewer

        return ReplayViewer(self.app, self.session, back=self)

    def menu(self):
        from game.ui.scenes.title import TitleScreen

        return TitleScreen(self.app)

    def on_escape(self):
        return self.menu()

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        if not self.rects:
            return
        app, p, s = self.app, self.app.palette, self.app.scale
        session, sc = self.session, self.session.scenario
        top = self.rects["top"]
        pygame.draw.rect(surface, p["background_top"], top)
        pygame.draw.line(surface, p["panel_border"], top.bottomleft, top.bottomright)
        outcome = session.outcome()
        title = outcome.title if outcome else "Game over"
        pad = app.px(18)
        big = p.font("title", s * 0.7, "bold", "png_serif")
        body = p.font("body", s)
        result = result_line(sc, self.totals, self.player, session.humans)
        y = top.centery - (big.get_linesize() + body.get_linesize()) // 2
        width = top.width - 2 * pad
        text.draw_fit(surface, big, title, p["accent_bright"], (pad, y), width // 2)
        text.draw_fit(
            surface,
            p.font("large", s, "bold"),
            result,
            p["text"],
            (pad, y + big.get_linesize()),
            width // 2,
        )
        last = session.records[-1]
        summary = (
            f"{sc.title}  ·  after {last.turn} turns, {_date(last.date)}  ·  seed {session.seed}"
        )
        text.draw_fit(
            surface,
            body,
            summary,
            p["muted"],
            (top.right - pad, top.centery),
            width // 2 - pad,
            "midright",
        )
        self._draw_left(surface, self.rects["left"])
        self._draw_chart(surface, self.rects["chart"])

    def _draw_left(self, surface, rect: pygame.Rect) -> None:
        p, s, app = self.app.palette, self.app.scale, self.app
        sc = self.session.scenario
        pygame.draw.rect(surface, p["panel"], rect)
        pygame.draw.rect(surface, p["panel_border"], rect, 1)
        pad = app.px(14)
        outcome = self.session.outcome()
        body = p.font("body", s)
        area = pygame.Rect(
            rect.left + pad, rect.top + pad, rect.width - 2 * pad, round(rect.height * 0.3)
        )
        used = text.draw_wrapped(surface, body, outcome.text if outcome else "", p["text"], area)
        y = area.top + used + app.px(10)
        head = p.font("body", s, "bold")
        small = p.font("body", s)
        text.draw(surface, head, "Score by objective", p["accent_bright"], (rect.left + pad, y))
        y += head.get_linesize() + app.px(6)
        order = [self.player] + [a for a in range(sc.n_actors) if a != self.player]
        col_w = min(app.px(120), (rect.width - 2 * pad) // (len(order) + 2))
        xs = [rect.right - pad - (len(order) - 1 - i) * col_w for i in range(len(order))]
        for x, actor in zip(xs, order, strict=True):
            colour = pygame.Color(sc.model.actors[actor].colour).lerp(p["text"], 0.3)
            name = "You" if actor == self.player and self.session.humans else sc.actor_name(actor)
            text.draw(surface, small, text.fit(small, name, col_w - 4), colour, (x, y), "topright")
        y += small.get_linesize() + app.px(2)
        pygame.draw.line(surface, p["panel_border"], (rect.left + pad, y), (rect.right - pad, y))
        y += app.px(4)
        names = [line.name for line in self.lines[order[0]]]
        for i, name in enumerate(names):
            if y + small.get_linesize() > rect.bottom - pad - head.get_linesize():
                break
            text.draw(
                surface,
                small,
                text.fit(small, name, xs[0] - col_w - rect.left - pad),
                p["text"],
                (rect.left + pad, y),
            )
            for x, actor in zip(xs, order, strict=True):
                lines = self.lines[actor]
                points = lines[i].points if i < len(lines) else 0.0
                colour = p["loss"] if points < 0 else p["text"]
                text.draw(surface, small, f"{points:+.1f}", colour, (x, y), "topright")
            y += small.get_linesize()
        pygame.draw.line(
            surface, p["panel_border"], (rect.left + pad, y + 2), (rect.right - pad, y + 2)
        )
        y += app.px(6)
        text.draw(surface, head, "Total", p["text"], (rect.left + pad, y))
        for x, actor in zip(xs, order, strict=True):
            text.draw(
                surface, head, f"{self.totals[actor]:.1f}", p["accent_bright"], (x, y), "topright"
            )

    def _draw_chart(self, surface, rect: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        session, sc = self.session, self.session.scenario
        values = [session.tension_of(r) for r in session.records]
        order = [self.player] + [a for a in range(sc.n_actors) if a != self.player]
        marks = []
        for actor in order:
            moves = []
            for record in session.records:
                for move in record.moves:
                    if move.actor == sc.actor_ids[actor]:
                        moves.append((record.turn, move.kind))
            colour = pygame.Color(sc.model.actors[actor].colour).lerp(p["text"], 0.2)
            marks.append(ChartMarks(sc.actor_name(actor), colour, moves))
        title = "Tension, with every choice of both sides"
        self.chart.draw(surface, rect, values, max(1, len(values) - 1), sc.bands, s, marks, title)
        small = p.font("tiny", s)
        x = rect.right - self.app.px(12)
        y = rect.top + self.app.px(12)
        for kind in ("wait", "restrain", "retaliate"):
            label = text.draw(surface, small, kind, p["muted"], (x, y), "topright")
            draw_mark(
                surface,
                p.kind_marks[kind],
                (label.left - self.app.px(9), label.centery),
                4 * s,
                p["muted"],
            )
            x = label.left - self.app.px(24)

    def update(self, dt: float):
        return None


def _date(iso: str) -> str:
    import datetime

    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"
