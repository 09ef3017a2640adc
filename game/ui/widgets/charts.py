"""Tension charts: the history of the game and the forecast fan (the bars are in
`tension_bars`).

Each chart is drawn onto its own surface and cached until its data or size changes, so a frame
only blits it. Tension bands are drawn as labelled stripes: the words carry the meaning, the
colour-blind-safe colours only support them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.ui.assets import Palette
from game.ui.widgets import text


def band_edges(bands: Sequence[tuple[str, float]]) -> list[tuple[str, float, float]]:
    """(name, low, high) for each band, from 0 to 100."""
    edges, low = [], 0.0
    for name, up_to in bands:
        edges.append((name, low, min(float(up_to), 100.0)))
        low = float(up_to)
    if edges and edges[-1][2] < 100:
        name, lo, _ = edges[-1]
        edges[-1] = (name, lo, 100.0)
    return edges


def draw_mark(surface: pygame.Surface, shape: str, centre, size: float, colour) -> None:
    """A move marker: its shape says the kind (readable without colour), its colour the side."""
    x, y = centre
    r = max(3.0, size)
    if shape == "triangle":
        points = [(x, y - r), (x + r * 0.95, y + r * 0.75), (x - r * 0.95, y + r * 0.75)]
        pygame.draw.polygon(surface, colour, points)
    elif shape == "circle":
        pygame.draw.circle(surface, colour, (x, y), r * 0.85)
    else:
        side = r * 1.5
        pygame.draw.rect(surface, colour, pygame.Rect(x - side / 2, y - side / 2, side, side))


def draw_band_backdrop(
    surface, palette, plot: pygame.Rect, bands, font, gap: float, room: int
) -> None:
    """The tension bands as translucent stripes behind a chart, named on the right (in words, not
    only colours) within `room` pixels, with a 0/50/100 scale on the left. A name too long for
    the room ends with an ellipsis, and whole in its tooltip."""

    def y_of(v: float) -> float:
        return plot.bottom - float(v) / 100.0 * plot.height

    stripe = pygame.Surface(plot.size, pygame.SRCALPHA)
    colours = palette.band_colours(len(bands))
    for (name, lo, hi), colour in zip(band_edges(bands), colours, strict=True):
        fill = pygame.Color(colour)
        fill.a = palette.alphas["band_fill"]
        stripe.fill(fill, pygame.Rect(0, y_of(hi) - plot.top, plot.width, y_of(lo) - y_of(hi) + 1))
        middle = (y_of(hi) + y_of(lo)) / 2
        if y_of(lo) - y_of(hi) >= font.get_linesize() * 0.8:  # room for the name, else no name
            at = (plot.right + gap, middle)
            text.draw_fit(surface, font, name, colour, at, room, "midleft")
    surface.blit(stripe, plot)
    for v in (0, 50, 100):
        text.draw(surface, font, str(v), palette["muted"], (plot.left - gap, y_of(v)), "midright")


def band_names_room(font, bands, width: int, scale: float) -> int:
    """The width of the column that names the bands: the widest name, but never more than
    BAND_NAMES_SHARE of the chart (the plot matters more), nor less than a short name needs."""
    widest = max((font.size(name)[0] for name, _ in bands), default=0)
    cap = max(round(58 * scale), round(width * BAND_NAMES_SHARE))
    return min(widest, cap)


BAND_NAMES_SHARE = 0.2
"""The most of a chart's width the band names may take."""


@dataclass
class ChartMarks:
    """The moves of one actor to mark under the chart: (turn, kind name) pairs."""

    label: str
    colour: pygame.Color
    moves: list[tuple[int, str]]


class TensionChart:
    """Tension by turn over the whole game, with band stripes and optional move markers."""

    def __init__(self, palette: Palette) -> None:
        self.palette = palette
        self._key: tuple | None = None
        self._surface: pygame.Surface | None = None
        self._text = text.Recorded()  # the words on the kept surface, for layout checks
        self._plot = pygame.Rect(0, 0, 0, 0)  # where the last render put the plot
        # The chart without its forecast, in two layers: what lies under the fan, and the
        # history's line and points over it. A new move to forecast then costs a fan, not a
        # chart.
        self._layers_key: tuple | None = None
        self._under: pygame.Surface | None = None
        self._over: pygame.Surface | None = None

    def draw(
        self,
        target: pygame.Surface,
        rect: pygame.Rect,
        values: Sequence[float],
        max_turns: int,
        bands: Sequence[tuple[str, float]],
        scale: float,
        marks: Sequence[ChartMarks] = (),
        title: str = "Tension history",
        forecast=None,
        lines: Sequence[tuple[float, bool]] = (),
        highlights: Sequence[int] = (),
    ) -> None:
        """Draw (from cache when nothing changed); `forecast` adds its fan after the last
        turn, `lines` marks the endings' tension thresholds, `highlights` numbers turns (1, 2,
        ... in the order given) with a line and a badge at the top of the plot."""
        if rect.width < 40 or rect.height < 40:
            return  # too small to say anything; never a surface of no size
        key = (
            rect.size,
            tuple(round(v, 3) for v in values),
            max_turns,
            scale,
            len(marks),
            id(forecast),
            title,
            tuple(highlights),
        )
        layers_key = key[:5] + key[6:]
        if layers_key != self._layers_key or self._under is None or self._over is None:
            under = pygame.Surface(rect.size, pygame.SRCALPHA)
            over = pygame.Surface(rect.size, pygame.SRCALPHA)
            with text.recording(under) as below:
                self._render(under, over, values, max_turns, bands, scale, marks, title, lines)
            with text.recording(over) as above:
                if highlights:
                    _draw_highlights(
                        over, self.palette, highlights, values, scale, self._plot, max_turns
                    )
            self._under, self._over, self._layers_key = under, over, layers_key
            self._text = text.Recorded(below.drawn + above.drawn, below.cut + above.cut)
            self._key = None
        if key != self._key or self._surface is None:
            surface = self._under.copy()
            if forecast is not None:
                plot, turns = self._plot, max(1, max_turns)
                _draw_fan(
                    surface,
                    self.palette,
                    forecast,
                    lambda t: plot.left + t / turns * plot.width,
                    lambda v: plot.bottom - v / 100.0 * plot.height,
                    scale,
                    turns,
                )
            # The line and points are opaque: laid over the fan, every pixel is as if drawn
            # on the same surface after it.
            surface.blit(self._over, (0, 0))
            self._surface = surface
            self._key = key
        target.blit(self._surface, rect)
        self._text.replay(target, rect.topleft)

    def _render(self, surface, over, values, max_turns, bands, scale, marks, title, lines) -> None:
        """The chart without its forecast: all but the history's line and points on `surface`,
        and those on `over`, which goes over the fan."""
        p = self.palette
        w, h = surface.get_size()
        pad = round(p.sizes["panel_padding"] * scale)
        small = p.font("small", scale)
        tiny = p.font("tiny", scale)
        pygame.draw.rect(surface, p["panel"], (0, 0, w, h))
        pygame.draw.rect(surface, p["panel_border"], (0, 0, w, h), 1)
        text.draw(surface, p.font("body", scale, "bold"), title, p["text"], (pad, pad * 0.7))
        mark_rows = len(marks)
        row_h = round(16 * scale)
        label_w = max((tiny.size(row.label)[0] for row in marks), default=0)
        left = pad + max(round(30 * scale), label_w + round(12 * scale))
        gap = round(6 * scale)
        names = band_names_room(tiny, bands, w, scale)
        right = w - pad - names - gap
        top = pad + small.get_linesize() + round(8 * scale)
        bottom = h - pad - small.get_linesize() - mark_rows * row_h - round(4 * scale)
        plot = pygame.Rect(left, top, max(10, right - left), max(10, bottom - top))
        self._plot = plot

        def y_of(v: float) -> float:
            return plot.bottom - v / 100.0 * plot.height

        draw_band_backdrop(surface, p, plot, bands, tiny, gap, names)
        turns = max(1, max_turns)

        def x_of(t: float) -> float:
            return plot.left + t / turns * plot.width

        step = max(1, round(turns / 10))
        for t in range(0, turns + 1, step):
            x = x_of(t)
            pygame.draw.line(surface, p["grid"], (x, plot.top), (x, plot.bottom))
            text.draw(surface, tiny, str(t), p["muted"], (x, plot.bottom + 3 * scale), "midtop")
        for value, _above in lines:
            y = y_of(value)
            for x in range(plot.left, plot.right, max(4, round(8 * scale))):
                pygame.draw.line(surface, p["threshold"], (x, y), (x + max(2, round(4 * scale)), y))
        points = [(x_of(t), y_of(v)) for t, v in enumerate(values)]
        width = max(2, round(p.sizes["line_width"] * scale))
        if len(points) > 1:
            pygame.draw.lines(over, p["accent"], False, points, width)
        for point in points:
            pygame.draw.circle(over, p["accent_bright"], point, width + 1)
        y = plot.bottom + small.get_linesize() + round(4 * scale)
        for row in marks:
            text.draw(
                surface,
                tiny,
                row.label,
                row.colour,
                (plot.left - 11 * scale, y + row_h / 2),
                "midright",
            )
            for turn, kind in row.moves:
                draw_mark(
                    surface, p.kind_marks[kind], (x_of(turn), y + row_h / 2), 5 * scale, row.colour
                )
            y += row_h


def _draw_highlights(
    surface: pygame.Surface,
    p: Palette,
    marked: Sequence[int],
    values: Sequence[float],
    scale: float,
    plot: pygame.Rect,
    max_turns: int,
) -> None:
    """A numbered badge at the top of the plot over each turn in `marked`, joined by a thin line
    to that turn's point."""
    font = p.font("tiny", scale, "bold")
    radius = max(6, round(8 * scale))
    turns = max(1, max_turns)
    for number, turn in enumerate(marked, start=1):
        x = round(plot.left + turn / turns * plot.width)
        centre = (x, plot.top + radius + 1)
        if 0 <= turn < len(values):
            y = plot.bottom - float(values[turn]) / 100.0 * plot.height
            if y > centre[1] + radius:
                pygame.draw.line(surface, p["accent_bright"], (x, centre[1] + radius), (x, y), 1)
        pygame.draw.circle(surface, p["accent_bright"], centre, radius)
        text.draw(surface, font, str(number), p["shade"], centre, "center")


def _draw_fan(surface, p: Palette, forecast, x_of, y_of, scale: float, last_turn: int) -> None:
    """The forecast's percentile bands and median, from its first turn on, within the game."""
    turns = [int(t) for t in forecast.turns if t <= last_turn]
    if len(turns) < 2:
        return
    q = forecast.tension
    width = max(2, round(2 * scale))
    shapes = []
    for low, high, alpha in ((0, 4, "fan_outer"), (1, 3, "fan_inner")):
        upper = [(x_of(t), y_of(q[high, i])) for i, t in enumerate(turns)]
        lower = [(x_of(t), y_of(q[low, i])) for i, t in reversed(list(enumerate(turns)))]
        shapes.append((p.with_alpha(alpha), upper + lower))
    median = [(x_of(t), y_of(q[2, i])) for i, t in enumerate(turns)]
    # The translucent layer covers only the fan (a whole-chart layer was most of the cost of
    # drawing the chart at large sizes); whole-pixel offsets leave every pixel where it was.
    points = [point for _, shape in shapes for point in shape] + median
    margin = width + 2
    left = max(0, int(min(x for x, _ in points)) - margin)
    top = max(0, int(min(y for _, y in points)) - margin)
    right = min(surface.get_width(), int(max(x for x, _ in points)) + margin + 1)
    bottom = min(surface.get_height(), int(max(y for _, y in points)) + margin + 1)
    if right <= left or bottom <= top:
        return
    fan = pygame.Surface((right - left, bottom - top), pygame.SRCALPHA)
    for colour, shape in shapes:
        pygame.draw.polygon(fan, colour, [(x - left, y - top) for x, y in shape])
    shifted = [(x - left, y - top) for x, y in median]
    pygame.draw.lines(fan, p["fan_median"], False, shifted, width)
    surface.blit(fan, (left, top))


def band_name(bands: Sequence[tuple[str, float]], value: float) -> str:
    for name, up_to in bands:
        if value <= up_to:
            return name
    return bands[-1][0]
