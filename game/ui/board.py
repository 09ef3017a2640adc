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
from game.scenario.compiled import KINDS, STOCKS, CompiledScenario
from game.ui.assets import Palette
from game.ui.figures import signed
from game.ui.labels import kind_label, shows_gauges
from game.ui.relations import (
    STOCK_WORDS,
    felt_by,
    missions_text,
    pair_key,
    pairs_of,
    parts_felt_by,
    relation_tip,
    relations,
)
from game.ui.stakes import GAUGE_HELP, band_label, bar_marks, why_it_moved
from game.ui.widgets import text
from game.ui.widgets.actor_panel import ActorInfo, draw_actor_panel
from game.ui.widgets.anim import Eased, Slide
from game.ui.widgets.charts import TensionChart, band_name
from game.ui.widgets.tension_bars import (
    LOOKS,
    PairRow,
    draw_gauge,
    draw_pairs,
    gauge_height,
    pairs_height,
)


@dataclass
class Layout:
    top: pygame.Rect
    actors: pygame.Rect
    score: pygame.Rect | None  # the live score by objective (crisis room only)
    news: pygame.Rect
    gauge: pygame.Rect
    chart: pygame.Rect | None  # left out when the window is too short for it
    briefing: pygame.Rect
    actions: pygame.Rect
    centre: pygame.Rect

    def regions(self) -> dict[str, pygame.Rect]:
        """The panels by name, for drawing checks (none of them may overlap)."""
        named = {
            "top": self.top,
            "actors": self.actors,
            "news": self.news,
            "gauge": self.gauge,
            "briefing": self.briefing,
            "actions": self.actions,
        }
        if self.score is not None:
            named["score"] = self.score
        if self.chart is not None:
            named["chart"] = self.chart
        return named


def board_layout(
    size: tuple[int, int],
    scale: float,
    score_lines: int = 0,
    gauge_lines: int = 1,
    gauge_heights: Sequence[int] = (),
    briefing_min: int = 230,
) -> Layout:
    """Where everything goes, from the window size and the UI scale: sides on the left, score
    and news on the right, tension and the moves between. Extra room goes to the briefing (the
    moves and the forecast) and to the columns; when the window is short, the history chart
    shrinks first and is left out below its minimum height.

    `gauge_heights` are the heights the tension panel can take, fullest first (the panel of
    pairs in a crisis of three or more sides): the fullest that leaves the briefing its room is
    taken, else the smallest; the chart, of the mean tension only, gets what is left.
    `briefing_min` is the least height the briefing needs at scale 1."""
    w, h = size

    def px(v: float) -> int:
        return round(v * scale)

    margin, gap = px(12), px(10)
    top = pygame.Rect(0, 0, w, px(50))
    body_top = top.bottom + gap
    body_h = h - body_top - margin
    left_w = max(px(230), min(px(330), round(w * 0.23)))
    right_w = max(px(250), min(px(380), round(w * 0.25)))
    actors = pygame.Rect(margin, body_top, left_w, body_h)
    side = pygame.Rect(w - margin - right_w, body_top, right_w, body_h)
    centre = pygame.Rect(actors.right + gap, body_top, side.left - gap - actors.right - gap, body_h)
    score = None
    if score_lines:
        score_h = min(round(body_h * 0.45), px(22) * (score_lines + 2) + px(28))
        score = pygame.Rect(side.left, side.top, side.width, score_h)
        news = pygame.Rect(
            side.left, score.bottom + gap, side.width, side.bottom - score.bottom - gap
        )
    else:
        news = side
    actions_h = px(50)
    briefing_min = px(briefing_min)
    gauge_h = px(78 + 18 * gauge_lines)
    if gauge_heights:
        spare = body_h - actions_h - briefing_min - 2 * gap
        gauge_h = next((h for h in gauge_heights if h <= spare), min(gauge_heights))
    chart_h = min(px(190), body_h - gauge_h - actions_h - briefing_min - 3 * gap)
    gauge = pygame.Rect(centre.left, centre.top, centre.width, gauge_h)
    actions = pygame.Rect(centre.left, centre.bottom - actions_h, centre.width, actions_h)
    chart = None
    below = gauge.bottom + gap
    if chart_h >= px(110):
        chart = pygame.Rect(centre.left, gauge.bottom + gap, centre.width, chart_h)
        below = chart.bottom + gap
    briefing = pygame.Rect(centre.left, below, centre.width, actions.top - gap - below)
    return Layout(top, actors, score, news, gauge, chart, briefing, actions, centre)


@dataclass(frozen=True)
class _Part:
    name: str
    points: float


NEWS_TURNS = 8
"""Turns the news feed keeps: laying out a long text box takes long enough to drop frames, and
the history chart and the replay viewer show the whole game anyway."""


def news_html(scenario: CompiledScenario, records: Sequence[TurnRecord], palette: Palette) -> str:
    """The news feed, newest turn first, as the text box's HTML subset."""
    muted = palette["muted"]
    accent = palette["accent"]
    if not records:
        return (
            f"<font color='#{_hex(muted)}'>Every turn's moves and headlines will appear here, "
            "newest first. The card above always shows the latest turn.</font>"
        )
    parts = []
    dated = shows_gauges(scenario)  # a game of rounds has no calendar worth showing
    for record in list(reversed(records))[:NEWS_TURNS]:
        heading = "Before the first turn" if record.turn == 0 else turn_name(scenario, record.turn)
        when = f"<font color='#{_hex(muted)}'> · {_date_text(record.date)}</font>" if dated else ""
        parts.append(f"<font color='#{_hex(accent)}'><b>{heading}</b></font>{when}<br>")
        for move in record.moves:
            actor = scenario.actor_index(move.actor)
            colour = scenario.model.actors[actor].colour
            name = html.escape(scenario.actor_name(actor))
            kind = move_kind(scenario, move)
            kind = f"<font color='#{_hex(muted)}'>{html.escape(kind)}:</font> " if kind else ""
            aimed = html.escape(aimed_words(scenario, move.targets))
            aimed = f"<font color='#{_hex(muted)}'> · {aimed}</font>" if aimed else ""
            parts.append(
                f"<font color='{colour}'><b>{name}</b></font> "
                f"{kind}{html.escape(move.label)}{aimed}<br>"
            )
        for headline in move_headlines(record):
            parts.append(f"<i>{html.escape(headline)}</i><br>")
        for event in record.events:
            parts.append(
                f"<font color='#{_hex(muted)}'>{_date_text(event.date)}:</font> "
                f"<i>{html.escape(event.headline)}</i><br>"
            )
        parts.append("<br>")
    return "".join(parts)


def turn_name(scenario: CompiledScenario, turn: int) -> str:
    """ "Turn 3", or "Round 3" in a game of rounds (where only the points count)."""
    return f"{'Turn' if shows_gauges(scenario) else 'Round'} {turn}"


def move_kind(scenario: CompiledScenario, move) -> str:
    """The kind of a move as the screen calls it, to show before its label; empty when the
    label already says it (a prisoner's dilemma's "Cooperate" is its kind and its move)."""
    kind = kind_label(scenario, ("retaliate", "restrain", "wait").index(move.kind))
    return "" if kind.lower() == move.label.lower() else kind


def move_headlines(record: TurnRecord) -> list[str]:
    """The record's headlines of moves; the events' follow them, and are shown with dates."""
    return record.headlines[: len(record.headlines) - len(record.events)]


def aimed_words(scenario: CompiledScenario, targets: Sequence[str]) -> str:
    """Whom a move reached, "at Ostrania", in a crisis of three or more sides (with two, it is
    always the other side)."""
    if scenario.n_actors < 3 or not targets:
        return ""
    names = [scenario.actor_name(scenario.actor_index(t)) for t in targets]
    return "at " + " and ".join(names)


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
        self.marks = bar_marks(scenario)
        self.by_pair = scenario.n_actors >= 3
        """A bar for each pair of sides, rather than one bar for the crisis."""
        self._shown_turn: int | None = None

    def tension_of(self, record: TurnRecord) -> float:
        return felt_by(self.scenario, record.values["tension"], self.player)

    def tension_change(self, record: TurnRecord) -> float:
        return felt_by(self.scenario, record.changes["tension"], self.player)

    def show(self, record: TurnRecord, snap: bool = False) -> None:
        """Aim the gauges at this record's values; they ease there unless `snap`."""
        self.eased.set("tension", self.tension_of(record), snap)
        if self.by_pair:
            for key, value in record.values["tension"].items():
                self.eased.set(f"pair.{key}", value, snap)
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
        right_edge: int | None = None,
    ) -> None:
        """The title bar; `choosing` names the turn about to be chosen (the crisis room), else
        the bar shows the turn of `record` (the replay). `right_edge` is where widgets begin on
        the right (the menu button)."""
        p = self.palette
        pygame.draw.rect(surface, p["background_top"], rect)
        pygame.draw.line(surface, p["panel_border"], rect.bottomleft, rect.bottomright)
        pad = round(14 * scale)
        right_edge = rect.right - pad if right_edge is None else right_edge
        body = p.font("body", scale, "bold")
        sc = self.scenario
        if choosing is not None:
            date = format_date(sc, choosing)
            turn = f"{turn_name(sc, choosing)} of {sc.max_turns}"
        else:
            date = _date_text(record.date)
            turn = (
                "Opening moves"
                if record.turn == 0
                else f"{turn_name(sc, record.turn)} of {sc.max_turns}"
            )
        middle = f"{date}   ·   {turn}" if shows_gauges(sc) else turn
        small = p.font("small", scale)
        right_w = small.size(right_text)[0] + pad if right_text else 0
        middle_w = body.size(middle)[0]
        title = p.font("large", scale, "bold", "png_serif")
        # The date and turn sit in the middle, moved right (as far as the right side allows)
        # when the title needs the room, so a long title is not cut in a narrow window.
        whole = pad + title.size(self.scenario.title)[0] + 2 * pad + middle_w // 2
        centre_x = max(rect.centerx, whole)
        if centre_x + middle_w // 2 > right_edge - right_w - pad:
            centre_x = right_edge - right_w - middle_w // 2 - pad
        title_w = centre_x - middle_w // 2 - 2 * pad
        text.draw_fit(
            surface,
            title,
            self.scenario.title,
            p["accent_bright"],
            (pad, rect.centery),
            title_w,
            "midleft",
        )
        text.draw(surface, body, middle, p["text"], (centre_x, rect.centery), "center")
        if right_text:
            text.draw(
                surface,
                small,
                right_text,
                p["muted"],
                (right_edge - pad // 2, rect.centery),
                "midright",
            )

    def actor_info(
        self,
        record: TurnRecord,
        actor: int,
        state=None,
        scores=None,
        history: Sequence[TurnRecord] = (),
    ) -> ActorInfo:
        """What a side's panel shows after `record`; `history` (every record up to it) gives a
        scoreboard panel the side's moves."""
        sc = self.scenario
        actor_id = sc.actor_ids[actor]
        values = record.values["actors"][actor_id]
        changes = record.changes["actors"][actor_id]
        grievances: tuple[tuple[str, float], ...] = ()
        if state is not None and not self.by_pair:  # with more sides, the pairs show them
            grievances = tuple(
                (
                    sc.actor_name(o),
                    float(record.values["pairs"][f"{actor_id}/{other}"]["grievance"]),
                )
                for o, other in enumerate(sc.actor_ids)
                if o != actor
            )
        last = next((m.label for m in record.moves if m.actor == actor_id), "")
        gauges = shows_gauges(sc)
        missions = ""
        if not self.by_pair:
            other = 1 - actor
            kept = record.values["pairs"][f"{actor_id}/{sc.actor_ids[other]}"]
            rest = [
                f"{STOCK_WORDS[stock]} {kept[stock]}"
                for s, stock in enumerate(STOCKS)
                if s > 0 and sc.stocks0[s, actor, other] > 0  # diplomats have their own row
            ]
            missions = " · ".join(rest)
            missions = missions[:1].upper() + missions[1:]
        return ActorInfo(
            actor_id=actor_id,
            name=sc.actor_name(actor),
            short_name=sc.model.actors[actor].short_name or "",
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
            grievances=grievances,
            missions=missions,
            score=float(scores[actor]) if scores is not None else record.scores.get(actor_id),
            last_move=last,
            gauges=gauges,
            **({} if gauges else _record_of(sc, actor_id, history)),
        )

    def draw_actors(
        self,
        surface,
        rect,
        record: TurnRecord,
        scale: float,
        to_move: int | None,
        state=None,
        scores=None,
        history: Sequence[TurnRecord] = (),
    ) -> list[tuple[pygame.Rect, str, int]]:
        """Every side's panel, the player's first; returns tooltip zones (area, gauge key,
        actor). `history`, every record up to `record`, gives scoreboard panels the moves."""
        n = self.scenario.n_actors
        gap = round(10 * scale)
        order = [self.player] + [a for a in range(n) if a != self.player]
        height = (rect.height - gap * (n - 1)) // n
        zones = []
        for i, actor in enumerate(order):
            panel = pygame.Rect(rect.left, rect.top + i * (height + gap), rect.width, height)
            info = self.actor_info(record, actor, state, scores, history)
            zones += [
                (area, key, actor)
                for area, key in draw_actor_panel(
                    surface, panel, info, self.palette, scale, highlight=actor == to_move
                )
            ]
        return zones

    def tension_causes(self, record: TurnRecord) -> dict[str, float]:
        """The engine's parts of this turn's change in the tension the player sees (the mean
        over the pairs that include the player, like `tension_change`)."""
        return parts_felt_by(self.scenario, record.causes.get("tension", {}), self.player)

    def missions_tip(self, record: TurnRecord, actor: int) -> str:
        """A side and the other, pair by pair: tension, grievances and missions (a tooltip)."""
        return "\n\n".join(
            relation_tip(self.scenario, relation, actor)
            for relation in relations(self.scenario, record, actor)
        )

    def marks_on(self, a: int, b: int) -> tuple:
        """The marks a pair's bar shows: those reading its tension or the scenario's."""
        pair = (min(a, b), max(a, b))
        return tuple(m for m in self.marks if m.pair is None or m.pair == pair)

    def pair_rows(self, record: TurnRecord) -> list[PairRow]:
        """The panel of pairs' rows: the player's pairs first, then the others."""
        sc, me = self.scenario, self.player
        colour = [pygame.Color(a.colour) for a in sc.model.actors]
        rows = []
        for relation in relations(sc, record, me):
            pair, other = relation.pair, relation.other
            value = self.eased.get(f"pair.{pair.key}")
            causes = record.causes.get("tension", {}).get(pair.key)
            why = "\n\n" + why_it_moved(sc, causes, me) if causes is not None else ""
            rows.append(
                PairRow(
                    title=sc.actor_name(other),
                    colours=(colour[other],),
                    value=value,
                    band=sc.band_of(value),
                    resting=pair.resting,
                    marks=self.marks_on(me, other),
                    tip=relation_tip(sc, relation, me) + why,
                    right=f"grievance: yours {relation.mine:.0f} · theirs {relation.theirs:.0f}",
                    details=("Missions, yours / theirs: " + missions_text(relation))
                    if relation.missions
                    else "",
                    mine=True,
                    change=pair.change,
                )
            )
        for pair in pairs_of(sc, record):
            if pair.has(me):
                continue
            value = self.eased.get(f"pair.{pair.key}")
            names = f"{sc.actor_name(pair.a)} and {sc.actor_name(pair.b)}"
            rows.append(
                PairRow(
                    title=f"{sc.actor_name(pair.a)} – {sc.actor_name(pair.b)}",
                    colours=(colour[pair.a], colour[pair.b]),
                    value=value,
                    band=sc.band_of(value),
                    resting=pair.resting,
                    marks=self.marks_on(pair.a, pair.b),
                    tip=(
                        f"{names}: tension {pair.tension:.1f} ({sc.band_of(pair.tension)}), "
                        f"{pair.change:+.1f} this turn; it settles toward {pair.resting:.1f}."
                    ),
                    change=pair.change,
                )
            )
        return rows

    def layout(
        self,
        size: tuple[int, int],
        scale: float,
        record: TurnRecord,
        score_lines: int = 0,
        briefing_min: int = 230,
    ) -> Layout:
        """Where everything goes for this game at `record`: `board_layout` with the heights the
        tension panel can take, so a crisis of three sides or more gets the taller panel of
        pairs wherever the board is shown (the crisis room, the replay)."""
        heights = self.gauge_heights(record, scale)
        return board_layout(
            size, scale, score_lines, gauge_heights=heights, briefing_min=briefing_min
        )

    def gauge_heights(self, record: TurnRecord, scale: float, note_lines: int = 1) -> list[int]:
        """The heights the tension panel can take, fullest first (see `board_layout`)."""
        if not self.by_pair:
            return [gauge_height(self.palette, scale, note_lines)]
        rows = self.pair_rows(record)
        heights = [pairs_height(rows, self.palette, scale, look, note_lines) for look in LOOKS]
        return sorted(set(heights), reverse=True)

    def draw_gauge(
        self,
        surface,
        rect,
        record: TurnRecord,
        scale: float,
        notes: Sequence[str] = (),
        over: bool = False,
        help_text: str = "",
    ) -> list[tuple[pygame.Rect, str]]:
        """The tension bar with the endings marked on it and, below, endings under way; with
        three sides or more, a bar for each pair. Returns tooltip zones (each ends with
        `help_text`)."""
        bands = self.scenario.bands
        if self.by_pair:
            tip = "\n\n" + GAUGE_HELP["pairs"] + ("\n\n" + help_text if help_text else "")
            return draw_pairs(
                surface,
                rect,
                self.pair_rows(record),
                bands,
                self.palette,
                scale,
                notes,
                tip,
            )
        value = self.eased.get("tension")
        label = band_label(self.scenario, band_name(bands, value), over)
        me, other = self.player, 1 - self.player
        draw_gauge(
            surface,
            rect,
            value,
            bands,
            self.palette,
            scale,
            self.tension_change(record),
            label,
            self.marks,
            notes,
            float(record.values["resting_tension"][pair_key(self.scenario, me, other)]),
        )
        why = why_it_moved(self.scenario, self.tension_causes(record), self.player)
        words = GAUGE_HELP["tension"] + ("\n\n" + why if record.causes else "")
        return [(pygame.Rect(rect), words + ("\n\n" + help_text if help_text else ""))]

    def draw_chart(
        self,
        surface,
        rect,
        records: Sequence[TurnRecord],
        scale: float,
        marks=(),
        forecast=None,
        forecasting: bool | None = None,
    ) -> None:
        """The tension chart. `forecasting` says whether a forecast belongs on it (on its way or
        shown; by default, whether one is given): the title follows it, so that it stays put
        while the forecast of a newly chosen move is worked out."""
        values = [self.tension_of(r) for r in records]
        if values:
            values[-1] = self.eased.get("tension")
        forecasting = forecast is not None if forecasting is None else forecasting
        if self.by_pair:
            # The mean of the player's pairs: no ending turns on it, so no threshold is drawn.
            title = "Your mean tension, forecast" if forecasting else "Your mean tension"
            lines = []
        else:
            title = "Tension history and forecast" if forecasting else "Tension history"
            lines = [(m.value, m.above) for m in self.marks]
        self.chart.draw(
            surface,
            rect,
            values,
            self.scenario.max_turns,
            self.scenario.bands,
            scale,
            marks,
            title,
            forecast,
            lines,
        )

    def draw_score(
        self, surface, rect, parts, total: float, scale: float, title: str = "Your score"
    ) -> None:
        """The live score, objective by objective (the parts add up to the total)."""
        p = self.palette
        pad = round(12 * scale)
        pygame.draw.rect(surface, p["panel"], rect)
        pygame.draw.rect(surface, p["panel_border"], rect, 1)
        head = p.font("body", scale, "bold")
        small = p.font("small", scale)
        x, right = rect.left + pad, rect.right - pad
        y = rect.top + pad * 0.7
        text.draw(surface, head, title, p["text"], (x, y))
        text.draw(surface, head, f"{total:.1f}", p["accent_bright"], (right, y), "topright")
        y += head.get_linesize() + round(4 * scale)
        step = small.get_linesize()
        rows = list(parts)
        room = max(0, (rect.bottom - pad // 2 - y) // step)
        if len(rows) > room:
            rows = rows[: max(0, room - 1)]
            hidden = len(parts) - len(rows)
            rest = sum(part.points for part in parts[len(rows) :])
            rows.append(_Part(f"{hidden} more objectives", rest))
        for part in rows:
            colour = p["loss"] if part.points < 0 else p["text"]
            figure = text.draw(surface, small, signed(part.points), colour, (right, y), "topright")
            text.draw_fit(surface, small, part.name, p["muted"], (x, y), figure.left - x - pad)
            y += step

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
            kind = move_kind(self.scenario, move)
            did = f"{kind.lower()}: {move.label}" if kind else move.label
            mover = f"{self.scenario.actor_name(actor)} · {did}"
            aimed = aimed_words(self.scenario, move.targets)
            mover += f" · {aimed}" if aimed else ""
            lines.append((body, text.fit(body, mover, inner), colour.lerp(p["text"], 0.35)))
        for headline in move_headlines(record):
            lines.append((gap_font, "", p["text"]))
            for line in text.wrap(serif, headline, inner):
                lines.append((serif, line, p["text"]))
        for event in record.events:
            lines.append((gap_font, "", p["text"]))
            lines.append((body, _date_text(event.date), p["muted"]))
            for line in text.wrap(serif, event.headline, inner):
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
        when = _date_text(record.date)
        if not shows_gauges(self.scenario):
            when = turn_name(self.scenario, record.turn)
        label = "LATEST · " + when.upper()
        text.draw(surface, head, label, p["accent"], (moved.left + pad, y))
        y += head.get_linesize() + round(6 * scale)
        for i, (font, line, colour) in enumerate(lines):
            following = lines[i + 1][0].get_linesize() if i + 1 < len(lines) else 0
            if y + font.get_linesize() + following > moved.bottom - pad // 2 and following:
                # The card is full: end on an ellipsis, and the whole news becomes a tooltip.
                text.draw(
                    surface, font, text.fit(font, line + " …", inner), colour, (moved.left + pad, y)
                )
                if surface is text.RECORDER.target:
                    whole = " ".join(m for _, m, _ in lines if m)
                    text.RECORDER.cut.append((card, whole))
                break
            text.draw(surface, font, line, colour, (moved.left + pad, y))
            y += font.get_linesize()
        surface.set_clip(clip)
        return height

    def band_text(self, value: float) -> str:
        return band_name(self.scenario.bands, value)


def _record_of(
    scenario: CompiledScenario, actor_id: str, history: Sequence[TurnRecord]
) -> dict[str, object]:
    """A side's moves turn by turn and counted, as `ActorInfo.moves` and `ActorInfo.tally`."""
    moves = tuple(
        next((m.kind for m in record.moves if m.actor == actor_id), "")
        for record in history
        if record.turn > 0
    )
    counts = [(kind, kind_label(scenario, k), moves.count(kind)) for k, kind in enumerate(KINDS)]
    return {"moves": moves, "tally": tuple(entry for entry in counts if entry[2])}
