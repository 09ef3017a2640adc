"""The end screen: the outcome, who won and by how much, the score by objective, and the whole
game's tension with every choice marked.

For a scenario whose history lists the real moves and the real ending, it also sets the game
beside history: the real ending, the real moves turn by turn, the score the real moves earn with
the player's luck (the same seed), and the turning points of the player's game, numbered on the
chart. Other scenarios show what really happened in words, if they say.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextBox

from game.ui.figures import signed
from game.ui.labels import kind_label, shows_gauges
from game.ui.real_story import RealScores, comparable, real_ending, real_moves
from game.ui.scenes.base import Scene
from game.ui.session import GameSession
from game.ui.stakes import result_line
from game.ui.turning_points import TurningPoint, turning_points
from game.ui.widgets import text
from game.ui.widgets.charts import ChartMarks, TensionChart, draw_mark
from game.ui.widgets.points_chart import PointsChart, PointsLine

if TYPE_CHECKING:
    from game.ui.app import App

KINDS = ("retaliate", "restrain", "wait")
REAL_ROW = "Real moves, same luck"

SPLIT = 560
"""Width of the panel under the chart, in pixels at the UI scale, from which the turning points
and history sit side by side rather than one after the other."""


class EndScreen(Scene):
    name = "end_screen"

    def __init__(self, app: App, session: GameSession) -> None:
        super().__init__(app)
        self.session = session
        self.chart = TensionChart(app.palette)
        self.points_chart = PointsChart(app.palette)
        self.rects: dict[str, pygame.Rect] = {}
        self.boxes: dict[str, UITextBox] = {}
        sc = session.scenario
        self.lines = {
            a: session.engine.score_parts(session.state, 0, a) for a in range(sc.n_actors)
        }
        self.totals = session.engine.scores(session.state)[0]
        self.player = session.player
        self.compare = comparable(sc)
        self.real = RealScores(sc, session.seed) if self.compare else None
        """The real moves' scores under this game's seed, arriving from a worker thread."""
        self.points: list[TurningPoint] = (
            turning_points(sc, session.records, self.player) if self.compare else []
        )

    def settle(self) -> None:
        """Wait for what the screen is still working out (tests and screenshots)."""
        if self.real is not None:
            self.real.wait()

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        m, g = app.px(18), app.px(14)
        top = pygame.Rect(0, 0, w, app.px(96))
        buttons = pygame.Rect(m, h - m - app.px(48), w - 2 * m, app.px(48))
        left = pygame.Rect(m, top.bottom + g, round(w * 0.36), buttons.top - g - top.bottom - g)
        right = pygame.Rect(left.right + g, left.top, w - m - left.right - g, left.height)
        share = 0.52 if self.compare else 0.58
        chart = pygame.Rect(right.left, right.top, right.width, round(right.height * share))
        below = pygame.Rect(
            right.left, chart.bottom + g, right.width, right.bottom - chart.bottom - g
        )
        self.rects = {"top": top, "left": left, "chart": chart}
        self.boxes = {}
        if self.compare:
            if below.width >= app.px(SPLIT):
                half = (below.width - g) // 2
                turns = pygame.Rect(below.left, below.top, half, below.height)
                story = pygame.Rect(
                    turns.right + g, below.top, below.right - turns.right - g, below.height
                )
                self._text_box("turns", turns, self._turns_html())
                self._text_box("history", story, self._history_html())
            else:
                both = self._turns_html() + "<br><br>" + self._history_html()
                self._text_box("history", below, both)
        else:
            real = self.session.scenario.model.history
            story = real.text if real is not None else None
            if story:
                body = f"<b>What really happened</b><br>{html.escape(story)}"
                self._text_box("history", below, body)
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

    def _text_box(self, name: str, rect: pygame.Rect, body: str) -> None:
        box = UITextBox(body, rect, manager=self.app.manager, object_id=ObjectID("#history", None))
        self.boxes[name] = self.add(box)

    def regions(self) -> dict[str, pygame.Rect]:
        return dict(self.rects)

    # -- words ----------------------------------------------------------------------------------

    def _colour(self, name: str) -> str:
        c = self.app.palette[name]
        return f"#{c.r:02x}{c.g:02x}{c.b:02x}"

    def _actor_colour(self, actor: int) -> str:
        sc = self.session.scenario
        c = pygame.Color(sc.model.actors[actor].colour).lerp(self.app.palette["text"], 0.3)
        return f"#{c.r:02x}{c.g:02x}{c.b:02x}"

    def _who(self, actor_id: str) -> str:
        sc = self.session.scenario
        actor = sc.actor_index(actor_id)
        if actor == self.player and len(self.session.humans) == 1:
            return "You"
        return sc.actor_name(actor)

    def _turns_html(self) -> str:
        """The turning points of the player's game, numbered as on the chart."""
        muted, accent = self._colour("muted"), self._colour("accent_bright")
        parts = ["<b>Turning points of your game</b><br>"]
        if not self.points:
            parts.append(
                f"<font color='{muted}'>Tension never moved by a point or more in one turn: "
                "a quiet game.</font>"
            )
        for number, point in enumerate(self.points, start=1):
            record = point.record
            when = f"Turn {record.turn} · {_date(record.date)}"
            parts.append(f"<font color='{accent}'><b>{number}</b></font>  <b>{when}</b><br>")
            if point.band_changed:
                band = f"{point.band_before} to {point.band_after}"
            else:
                band = f"still {point.band_after}"
            parts.append(
                f"Tension {point.change:+.1f} to {point.after:.0f} ({html.escape(band)})<br>"
            )
            moves = " · ".join(
                f"<font color='{self._actor_colour(self.session.scenario.actor_index(m.actor))}'>"
                f"{html.escape(self._who(m.actor))}:</font> {html.escape(m.label)}"
                for m in record.moves
            )
            if moves:
                parts.append(moves + "<br>")
            for event in record.events:
                parts.append(f"<i>{html.escape(event.headline)}</i><br>")
            if point.why:
                why = ", ".join(" ".join(line.split()) for line in point.why)
                parts.append(f"<font color='{muted}'>Why: {html.escape(why)}</font><br>")
            parts.append("<br>")
        return "".join(parts).removesuffix("<br>")

    def _history_html(self) -> str:
        """The real ending, the real moves turn by turn, and what really happened in words."""
        sc = self.session.scenario
        muted, accent = self._colour("muted"), self._colour("accent_bright")
        parts = ["<b>What really happened</b><br>"]
        ending = real_ending(sc)
        if ending is not None:
            title = (
                f"<font color='{accent}'><b>The real ending: {html.escape(ending.title)}</b></font>"
            )
            outcome = self.session.outcome()
            if outcome is not None and outcome.id == ending.id:
                parts.append(f"{title}<br>Your game ended the same way.<br><br>")
            else:
                parts.append(f"{title}<br>{html.escape(ending.text)}<br><br>")
        parts.append("<b>The real moves</b><br>")
        for move in real_moves(sc):
            name = html.escape(sc.actor_name(move.actor))
            aimed = ""
            if move.target is not None and sc.n_actors > 2:
                aimed = f" (at {html.escape(sc.actor_name(move.target))})"
            kind = kind_label(sc, ("retaliate", "restrain", "wait").index(move.kind))
            parts.append(
                f"<font color='{muted}'>Turn {move.turn} · {move.date.day} {move.date:%b %Y}"
                f"</font>  <font color='{self._actor_colour(move.actor)}'>{name}:</font> "
                f"{html.escape(move.label)}{aimed} <font color='{muted}'>({kind})</font><br>"
            )
        parts.append(
            f"<font color='{muted}'>On every other turn each side made its quietest move.</font>"
        )
        story = sc.model.history.text if sc.model.history is not None else None
        if story:
            parts.append(f"<br><br>{html.escape(story)}")
        return "".join(parts)

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

    def update(self, dt: float):
        if self.real is not None and self.real.error is not None:
            raise self.real.error
        return None

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
        when = f"after {last.turn} turns"
        summary = f"{sc.title}  ·  {when}, {_date(last.date)}  ·  seed {session.seed}"
        # A game of rounds has only a conventional calendar, and the date is the first thing
        # a narrow bar leaves out.
        if not shows_gauges(sc) or body.size(summary)[0] > width // 2 - pad:
            when = f"after {last.turn} {'turns' if shows_gauges(sc) else 'rounds'}"
            summary = f"{sc.title}  ·  {when}  ·  seed {session.seed}"
        ending = real_ending(sc) if self.compare else None
        right = (top.right - pad, top.centery)
        if ending is not None:
            right = (top.right - pad, top.centery - body.get_linesize() // 2 - app.px(2))
        text.draw_fit(surface, body, summary, p["muted"], right, width // 2 - pad, "midright")
        if ending is not None:
            same = outcome is not None and outcome.id == ending.id
            words = f"In reality: {ending.title}" + (", as in your game" if same else "")
            at = (top.right - pad, right[1] + body.get_linesize() + app.px(4))
            bold = p.font("body", s, "bold")
            text.draw_fit(surface, bold, words, p["accent"], at, width // 2 - pad, "midright")
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
        head = p.font("body", s, "bold")
        small = p.font("body", s)
        note = p.font("small", s)
        # The table comes first: the outcome's words take the room it leaves (at most 30% of
        # the panel, at least two lines, cut with the whole text as a tooltip).
        names = [line.name for line in self.lines[self.player]]
        table = 2 * head.get_linesize() + small.get_linesize() + app.px(30)
        table += len(names) * small.get_linesize()
        if self.compare:
            table += small.get_linesize() + note.get_linesize() + app.px(10)
        below = head.get_linesize() + app.px(8)
        if self.compare:
            below += small.get_linesize() + note.get_linesize() + app.px(10)
        step = round(body.get_linesize() * 1.2)
        room = rect.height - 2 * pad - table
        room = max(2 * step, min(room, round(rect.height * 0.3)))
        area = pygame.Rect(rect.left + pad, rect.top + pad, rect.width - 2 * pad, room)
        used = text.draw_wrapped(surface, body, outcome.text if outcome else "", p["text"], area)
        y = area.top + used + app.px(10)
        text.draw(surface, head, "Score by objective", p["accent_bright"], (rect.left + pad, y))
        y += head.get_linesize() + app.px(6)
        order = [self.player] + [a for a in range(sc.n_actors) if a != self.player]
        heads = [self._who(sc.actor_ids[actor]) for actor in order]
        col_w = _column_width(
            rect.width - 2 * pad,
            [small.size(h)[0] for h in heads],
            max(small.size(name)[0] for name in [*names, *([REAL_ROW] if self.compare else [])]),
            app.px(8),
            app.px(120),
        )
        xs = [rect.right - pad - (len(order) - 1 - i) * col_w for i in range(len(order))]
        for x, actor, name in zip(xs, order, heads, strict=True):
            colour = pygame.Color(sc.model.actors[actor].colour).lerp(p["text"], 0.3)
            font = small if small.size(name)[0] <= col_w - 4 else note  # smaller before cut
            foot = (x, y + small.get_linesize() - (small.get_descent() - font.get_descent()))
            text.draw(surface, font, text.fit(font, name, col_w - 4), colour, foot, "bottomright")
        y += small.get_linesize() + app.px(2)
        pygame.draw.line(surface, p["panel_border"], (rect.left + pad, y), (rect.right - pad, y))
        y += app.px(4)
        label_w = xs[0] - col_w - rect.left - pad
        for i, name in enumerate(names):
            if y + small.get_linesize() > rect.bottom - pad - below:
                break
            text.draw(
                surface, small, text.fit(small, name, label_w), p["text"], (rect.left + pad, y)
            )
            for x, actor in zip(xs, order, strict=True):
                lines = self.lines[actor]
                points = lines[i].points if i < len(lines) else 0.0
                colour = p["loss"] if points < 0 else p["text"]
                text.draw(surface, small, signed(points), colour, (x, y), "topright")
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
        y += head.get_linesize() + app.px(4)
        if self.compare:
            self._draw_against_history(surface, rect, y, xs, order, label_w)
        elif not shows_gauges(sc):
            self._draw_choices(surface, rect, y + app.px(14), xs, order, label_w)

    def _draw_choices(self, surface, rect, y, xs, order, label_w) -> None:
        """How often each side made each kind of move: in a game where only the points count,
        the story of the match (who cooperated, who defected) is in these counts."""
        p, s, app = self.app.palette, self.app.scale, self.app
        sc = self.session.scenario
        pad = app.px(14)
        head = p.font("body", s, "bold")
        small = p.font("body", s)
        # The opening moves (turn 0) are the scenario's, not the sides' choices.
        counts = Counter((m.actor, m.kind) for r in self.session.records[1:] for m in r.moves)
        kinds = sorted({v.kind for variants in sc.variants for v in variants})
        if y + head.get_linesize() + len(kinds) * small.get_linesize() > rect.bottom - pad:
            return
        text.draw(surface, head, "Choices", p["accent_bright"], (rect.left + pad, y))
        y += head.get_linesize() + app.px(6)
        for kind in kinds:
            name = text.fit(small, kind_label(sc, kind), label_w)
            text.draw(surface, small, name, p["text"], (rect.left + pad, y))
            for x, actor in zip(xs, order, strict=True):
                count = counts[sc.actor_ids[actor], KINDS[kind]]
                text.draw(surface, small, str(count), p["text"], (x, y), "topright")
            y += small.get_linesize()

    def _draw_against_history(self, surface, rect, y, xs, order, label_w) -> None:
        """The real moves' total for each side under this seed, and the player's margin."""
        p, s, app = self.app.palette, self.app.scale, self.app
        sc = self.session.scenario
        pad = app.px(14)
        small = p.font("body", s)
        note = p.font("small", s)
        label = text.draw(
            surface,
            small,
            text.fit(small, REAL_ROW, label_w),
            p["accent"],
            (rect.left + pad, y),
        )
        self.tip(
            label,
            "What the real moves score when played in this game's calendar with your seed: "
            "the same shocks and the same chances for events. Where no real move is listed, a "
            "side makes its quietest move.",
        )
        area = pygame.Rect(
            rect.left + pad,
            y + small.get_linesize() + app.px(6),
            rect.width - 2 * pad,
            rect.bottom - pad - y - small.get_linesize() - app.px(6),
        )
        scores = self.real.scores if self.real is not None else None
        if scores is None:
            words = f"Replaying the real moves under seed {self.session.seed}…"
            text.draw_wrapped(surface, note, words, p["muted"], area)
            return
        for x, actor in zip(xs, order, strict=True):
            value = scores[sc.actor_ids[actor]]
            text.draw(surface, small, f"{value:.1f}", p["accent"], (x, y), "topright")
        real = round(scores[sc.actor_ids[self.player]], 1)
        margin = round(float(self.totals[self.player]), 1) - real  # as the figures read
        side = sc.model.actors[self.player].capital
        you = "You" if len(self.session.humans) == 1 else sc.actor_name(self.player)
        if abs(margin) < 0.05:
            words = f"{you} matched the real {side}: {real:.1f} points each."
        elif margin > 0:
            words = f"{you} did {margin:.1f} points better than the real {side} ({real:.1f})."
        else:
            words = f"The real {side} did {-margin:.1f} points better ({real:.1f})."
        text.draw_wrapped(surface, note, words, p["text"], area)

    def _move_marks(self) -> list[ChartMarks]:
        """Every side's moves, the player's first, for the rows under a chart."""
        p, session, sc = self.app.palette, self.session, self.session.scenario
        marks = []
        for actor in self._order():
            moves = [
                (record.turn, move.kind)
                for record in session.records
                for move in record.moves
                if move.actor == sc.actor_ids[actor]
            ]
            colour = pygame.Color(sc.model.actors[actor].colour).lerp(p["text"], 0.2)
            marks.append(ChartMarks(sc.actor_name(actor), colour, moves))
        return marks

    def _order(self) -> list[int]:
        n = self.session.scenario.n_actors
        return [self.player] + [a for a in range(n) if a != self.player]

    def _draw_chart(self, surface, rect: pygame.Rect) -> None:
        """The tension of the whole game with every move marked; for a game where only the
        points count (its tension never moves), each side's points round by round instead."""
        p, s = self.app.palette, self.app.scale
        session, sc = self.session, self.session.scenario
        last = max(1, len(session.records) - 1)
        if not shows_gauges(sc):
            self._draw_points(surface, rect, last)
            if self.points_chart.marks_fit(rect.width, last, s):
                self._draw_legend(surface, rect)
            return
        values = [session.tension_of(r) for r in session.records]
        marks = self._move_marks()
        title = "Tension, with every choice of both sides"
        highlights = [point.turn for point in self.points]
        if self.compare:
            real = [
                (m.turn, m.kind)
                for m in real_moves(sc)
                if m.actor == self.player and m.turn <= last
            ]
            colour = pygame.Color(sc.model.actors[self.player].colour).lerp(p["muted"], 0.5)
            marks.append(ChartMarks(f"{sc.actor_name(self.player)} (history)", colour, real))
            title = "Tension, every choice, and the turning points"
        self.chart.draw(
            surface, rect, values, last, sc.bands, s, marks, title, highlights=highlights
        )
        self._draw_legend(surface, rect)

    def _draw_points(self, surface, rect: pygame.Rect, last: int) -> None:
        sc = self.session.scenario
        history = self.session.scores_by_turn()
        lines = []
        for actor in self._order():
            name = self._who(sc.actor_ids[actor])
            colour = pygame.Color(sc.model.actors[actor].colour)
            points = tuple((turn, float(scores[actor])) for turn, scores in history)
            lines.append(PointsLine(name, colour, points))
        title = "Points, round by round"
        marks = self._move_marks()
        if self.points_chart.marks_fit(rect.width, last, self.app.scale):
            title = "Points, round by round, with every choice"
        else:
            marks = []
        self.points_chart.draw(surface, rect, lines, last, self.app.scale, title, marks)

    def _draw_legend(self, surface, rect: pygame.Rect) -> None:
        """What each mark means, in the scenario's words for the moves it has."""
        p, s, sc = self.app.palette, self.app.scale, self.session.scenario
        small = p.font("tiny", s)
        x = rect.right - self.app.px(12)
        y = rect.top + self.app.px(12)
        kinds = {v.kind for variants in sc.variants for v in variants}
        for kind in reversed(range(len(KINDS))):
            if kind not in kinds:
                continue
            words = kind_label(sc, kind).lower()
            label = text.draw(surface, small, words, p["muted"], (x, y), "topright")
            draw_mark(
                surface,
                p.kind_marks[KINDS[kind]],
                (label.left - self.app.px(9), label.centery),
                4 * s,
                p["muted"],
            )
            x = label.left - self.app.px(24)


def _column_width(room: int, heads: list[int], label: int, gap: int, most: int) -> int:
    """The width of each side's column in the score table: a share of the room that leaves
    the objectives' names theirs, widened (up to `most`) so that each side's name fits whole
    where the objectives' names leave the room for it."""
    fair = room // (len(heads) + 2)
    whole = max(heads) + gap
    spare = (room - label - gap) // len(heads)
    return min(most, max(fair, min(whole, spare)))


def _date(iso: str) -> str:
    import datetime

    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"
