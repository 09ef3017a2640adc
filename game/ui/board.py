"""The crisis board: what the crisis room and the replay viewer both show of a game.

It reads turn records only (values, changes, moves, headlines), so a live game and a replayed
one look the same. Layout is computed from the window size and the UI scale, so it follows the
window instead of stretching pixels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.engine.records import TurnRecord, format_date
from game.scenario.compiled import CompiledScenario
from game.ui.assets import Palette
from game.ui.widgets import text
from game.ui.widgets.actor_panel import ActorInfo, draw_actor_panel
from game.ui.widgets.anim import Eased, Slide
from game.ui.widgets.charts import TensionChart, band_name, draw_gauge


@dataclass
class Layout:
    top: pygame.Rect
    actors: pygame.Rect
    news: pygame.Rect
    gauge: pygame.Rect
    chart: pygame.Rect
    briefing: pygame.Rect
    actions: pygame.Rect
    centre: pygame.Rect


def board_layout(size: tuple[int, int], scale: float, actions_height: float = 64) -> Layout:
    """Where everything goes: sides on the left, news on the right, tension and moves between."""
    w, h = size

    def px(v: float) -> int:
        return round(v * scale)

    margin, gap = px(14), px(12)
    top = pygame.Rect(0, 0, w, px(54))
    body_top = top.bottom + gap
    body_h = h - body_top - margin
    left_w = min(px(300), round(w * 0.25))
    right_w = min(px(340), round(w * 0.27))
    actors = pygame.Rect(margin, body_top, left_w, body_h)
    news = pygame.Rect(w - margin - right_w, body_top, right_w, body_h)
    centre = pygame.Rect(actors.right + gap, body_top, news.left - gap - actors.right - gap, body_h)
    gauge_h = min(px(104), round(body_h * 0.2))
    chart_h = min(px(170), round(body_h * 0.27))
    actions_h = min(px(actions_height), round(body_h * 0.14))
    gauge = pygame.Rect(centre.left, centre.top, centre.width, gauge_h)
    chart = pygame.Rect(centre.left, gauge.bottom + gap, centre.width, chart_h)
    actions = pygame.Rect(centre.left, centre.bottom - actions_h, centre.width, actions_h)
    briefing = pygame.Rect(
        centre.left, chart.bottom + gap, centre.width, actions.top - gap - chart.bottom - gap
    )
    return Layout(top, actors, news, gauge, chart, briefing, actions, centre)


NEWS_TURNS = 8
"""Turns the news feed keeps: laying out a long text box takes long enough to drop frames, and
the history chart and the replay viewer show the whole game anyway."""


def news_html(scenario: CompiledScenario, records: Sequence[TurnRecord], palette: Palette) -> str:
    """The news feed, newest turn first, as the text box's HTML subset."""
    muted = palette["muted"]
    accent = palette["accent"]
    parts = []
    for record in list(reversed(records))[:NEWS_TURNS]:
        when = _date_text(record.date)
        heading = "Before the first turn" if record.turn == 0 else f"Turn {record.turn}"
        parts.append(
            f"<font color='#{_hex(accent)}'><b>{heading}</b></font>"
            f"<font color='#{_hex(muted)}'> · {when}</font><br>"
        )
        for move in record.moves:
            actor = scenario.actor_index(move.actor)
            colour = scenario.model.actors[actor].colour
            name = html.escape(scenario.actor_name(actor))
            kind = move.kind.capitalize()
            parts.append(
                f"<font color='{colour}'><b>{name}</b></font> "
                f"<font color='#{_hex(muted)}'>{kind}:</font> {html.escape(move.label)}<br>"
            )
        for headline in record.headlines:
            parts.append(f"<i>{html.escape(headline)}</i><br>")
        parts.append("<br>")
    return "".join(parts)


def _hex(colour: pygame.Color) -> str:
    return f"{colour.r:02x}{colour.g:02x}{colour.b:02x}"


def _date_text(iso: str) -> str:
    import datetime

    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"


class Board:
    """Draws the sides, the tension gauge, the history chart and the latest news of a game."""

    def __init__(
        self,
        scenario: CompiledScenario,
        palette: Palette,
        roles: dict[int, str],
        player: int,
    ) -> None:
        self.scenario = scenario
        self.palette = palette
        self.roles = roles
        self.player = player
        self.eased = Eased()
        self.slide = Slide()
        self.chart = TensionChart(palette)
        self._shown_turn: int | None = None

    def tension_of(self, record: TurnRecord) -> float:
        me = self.scenario.actor_ids[self.player]
        values = [v for pair, v in record.values["tension"].items() if me in pair.split("/")]
        return sum(values) / len(values) if values else 0.0

    def tension_change(self, record: TurnRecord) -> float:
        me = self.scenario.actor_ids[self.player]
        values = [v for pair, v in record.changes["tension"].items() if me in pair.split("/")]
        return sum(values) / len(values) if values else 0.0

    def show(self, record: TurnRecord, snap: bool = False) -> None:
        """Aim the gauges at this record's values; they ease there unless `snap`."""
        self.eased.set("tension", self.tension_of(record), snap)
        for actor_id, values in record.values["actors"].items():
            for key in ("pressure", "credibility", "standing"):
                self.eased.set(f"{actor_id}.{key}", values[key], snap)
        if record.turn != self._shown_turn:
            self._shown_turn = record.turn
            if snap:
                self.slide.finish()
            else:
                self.slide.start()

    def settle(self) -> None:
        self.eased.snap()
        self.slide.finish()

    def update(self, dt: float) -> None:
        self.eased.update(dt)
        self.slide.update(dt)

    # -- drawing --------------------------------------------------------------------------------

    def draw_top(
        self,
        surface,
        rect,
        record: TurnRecord,
        scale: float,
        right_text: str = "",
        choosing: int | None = None,
    ) -> None:
        """The title bar; `choosing` names the turn about to be chosen (the crisis room), else
        the bar shows the turn of `record` (the replay)."""
        p = self.palette
        pygame.draw.rect(surface, p["background_top"], rect)
        pygame.draw.line(surface, p["panel_border"], rect.bottomleft, rect.bottomright)
        pad = round(14 * scale)
        title = p.font("large", scale, "bold", "png_serif")
        text.draw(
            surface, title, self.scenario.title, p["accent_bright"], (pad, rect.centery), "midleft"
        )
        body = p.font("body", scale, "bold")
        if choosing is not None:
            date = format_date(self.scenario, choosing)
            turn = f"Turn {choosing} of {self.scenario.max_turns}"
        else:
            date = _date_text(record.date)
            turn = (
                "Opening moves"
                if record.turn == 0
                else f"Turn {record.turn} of {self.scenario.max_turns}"
            )
        text.draw(surface, body, f"{date}   ·   {turn}", p["text"], rect.center, "center")
        if right_text:
            small = p.font("small", scale)
            text.draw(
                surface,
                small,
                right_text,
                p["muted"],
                (rect.right - round(150 * scale), rect.centery),
                "midright",
            )

    def actor_info(self, record: TurnRecord, actor: int) -> ActorInfo:
        sc = self.scenario
        actor_id = sc.actor_ids[actor]
        values = record.values["actors"][actor_id]
        changes = record.changes["actors"][actor_id]
        return ActorInfo(
            actor_id=actor_id,
            name=sc.actor_name(actor),
            leader=values["leader"],
            colour=pygame.Color(sc.model.actors[actor].colour),
            role=self.roles.get(actor, ""),
            values={
                k: self.eased.get(f"{actor_id}.{k}")
                for k in ("pressure", "credibility", "standing")
            },
            changes={k: float(changes[k]) for k in ("pressure", "credibility", "standing")},
            diplomats_abroad=int(values["diplomats_abroad"]),
            diplomats_hosted=int(values["diplomats_hosted"]),
            diplomats_change=int(changes["diplomats_abroad"]),
        )

    def draw_actors(
        self, surface, rect, record: TurnRecord, scale: float, to_move: int | None
    ) -> None:
        n = self.scenario.n_actors
        gap = round(12 * scale)
        order = [self.player] + [a for a in range(n) if a != self.player]
        height = (rect.height - gap * (n - 1)) // n
        for i, actor in enumerate(order):
            panel = pygame.Rect(rect.left, rect.top + i * (height + gap), rect.width, height)
            info = self.actor_info(record, actor)
            draw_actor_panel(surface, panel, info, self.palette, scale, highlight=actor == to_move)

    def draw_gauge(self, surface, rect, record: TurnRecord, scale: float) -> None:
        bands = self.scenario.bands
        draw_gauge(
            surface,
            rect,
            self.eased.get("tension"),
            bands,
            self.palette,
            scale,
            self.tension_change(record),
        )

    def draw_chart(
        self, surface, rect, records: Sequence[TurnRecord], scale: float, marks=()
    ) -> None:
        values = [self.tension_of(r) for r in records]
        if values:
            values[-1] = self.eased.get("tension")
        title = "Tension history"
        self.chart.draw(
            surface, rect, values, self.scenario.max_turns, self.scenario.bands, scale, marks, title
        )

    def draw_latest(self, surface, rect, record: TurnRecord, scale: float) -> int:
        """The latest turn's news as a card that slides in; returns the card's height."""
        p = self.palette
        pad = round(12 * scale)
        head = p.font("small", scale, "bold")
        serif = p.font("body", scale, "bold", "png_serif")
        body = p.font("small", scale)
        gap_font = p.font("tiny", scale * 0.5)
        inner = rect.width - 2 * pad
        lines: list[tuple[pygame.font.Font, str, pygame.Color]] = []
        for move in record.moves:
            actor = self.scenario.actor_index(move.actor)
            colour = pygame.Color(self.scenario.model.actors[actor].colour)
            mover = f"{self.scenario.actor_name(actor)} · {move.kind}: {move.label}"
            lines.append((body, text.fit(body, mover, inner), colour.lerp(p["text"], 0.35)))
        for headline in record.headlines:
            lines.append((gap_font, "", p["text"]))
            for line in text.wrap(serif, headline, inner):
                lines.append((serif, line, p["text"]))
        height = pad * 2 + head.get_linesize() + round(6 * scale)
        height += sum(f.get_linesize() for f, _, _ in lines)
        height = min(height, round(rect.height * 0.55))
        card = pygame.Rect(rect.left, rect.top, rect.width, height)
        offset = round((1.0 - self.slide.progress) * (rect.width + pad))
        clip = surface.get_clip()
        surface.set_clip(card)
        moved = card.move(offset, 0)
        pygame.draw.rect(surface, p["panel_header"], moved)
        pygame.draw.rect(surface, p["accent"], moved, 1)
        y = moved.top + pad
        label = "LATEST · " + _date_text(record.date).upper()
        text.draw(surface, head, label, p["accent"], (moved.left + pad, y))
        y += head.get_linesize() + round(6 * scale)
        for font, line, colour in lines:
            if y + font.get_linesize() > moved.bottom - pad // 2:
                break
            text.draw(surface, font, line, colour, (moved.left + pad, y))
            y += font.get_linesize()
        surface.set_clip(clip)
        return height

    def band_text(self, value: float) -> str:
        return band_name(self.scenario.bands, value)
