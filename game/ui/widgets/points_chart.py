"""The points chart: each side's running total, round by round, for scenarios where only the
points count (the prisoner's dilemma), whose tension never moves and would chart nothing.

Like the tension chart, it is drawn onto its own surface and kept until its data or size
changes, and the words on it are handed to the frame's record (layout checks, tooltips).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.ui.assets import Palette
from game.ui.widgets import text
from game.ui.widgets.charts import ChartMarks, draw_mark

NAMES_SHARE = 0.25
"""The most of the chart's width the sides' names and totals, at the lines' ends, may take."""


@dataclass(frozen=True)
class PointsLine:
    """One side's running total: its name, colour, and (turn, points) after each turn."""

    label: str
    colour: pygame.Color
    points: tuple[tuple[int, float], ...]


def nice_top(value: float, steps: int = 4) -> tuple[float, float]:
    """(top, step) of a scale of `steps` equal steps from 0 that reaches `value`, in round
    numbers (whole ones: points are counted, not measured)."""
    value, steps = max(1.0, float(value)), max(1, steps)
    magnitude = 10 ** math.floor(math.log10(value / steps))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 10):
        step = factor * magnitude
        if steps * step >= value and step == int(step):
            return steps * step, step
    return steps * 10 * magnitude, 10 * magnitude  # not reached: 10 always covers


class PointsChart:
    """Every side's points after each round, a line each, with its total where the line ends;
    rows of move marks beneath it when the rounds are few enough to tell the marks apart."""

    def __init__(self, palette: Palette) -> None:
        self.palette = palette
        self._key: tuple | None = None
        self._surface: pygame.Surface | None = None
        self._text = text.Recorded()

    def draw(
        self,
        target: pygame.Surface,
        rect: pygame.Rect,
        lines: Sequence[PointsLine],
        max_turns: int,
        scale: float,
        title: str = "Points by round",
        marks: Sequence[ChartMarks] = (),
    ) -> None:
        """Draw (from the kept surface when nothing changed)."""
        if rect.width < 40 or rect.height < 40:
            return
        drawn = tuple((line.label, tuple(line.colour), line.points) for line in lines)
        key = (rect.size, drawn, max_turns, scale, title, len(marks))
        if key != self._key or self._surface is None:
            surface = pygame.Surface(rect.size, pygame.SRCALPHA)
            with text.recording(surface) as self._text:
                self._render(surface, lines, max_turns, scale, title, marks)
            self._surface, self._key = surface, key
        target.blit(self._surface, rect)
        self._text.replay(target, rect.topleft)

    def marks_fit(self, width: int, max_turns: int, scale: float) -> bool:
        """Whether a row of move marks, one per round, can be told apart at this width."""
        return width / max(1, max_turns) >= 12 * scale

    def _render(self, surface, lines, max_turns, scale, title, marks) -> None:
        p = self.palette
        w, h = surface.get_size()
        pad = round(p.sizes["panel_padding"] * scale)
        gap = round(6 * scale)
        small = p.font("small", scale)
        tiny = p.font("tiny", scale)
        pygame.draw.rect(surface, p["panel"], (0, 0, w, h))
        pygame.draw.rect(surface, p["panel_border"], (0, 0, w, h), 1)
        text.draw(surface, p.font("body", scale, "bold"), title, p["text"], (pad, pad * 0.7))
        if marks and not self.marks_fit(w, max_turns, scale):
            marks = ()
        row_h = round(16 * scale)
        plot_top = pad + small.get_linesize() + round(8 * scale)
        bottom = h - pad - small.get_linesize() - len(marks) * row_h - round(4 * scale)
        # As many steps on the scale as there is height to label them (at most four).
        steps = max(1, min(4, (bottom - plot_top) // (tiny.get_linesize() + 2)))
        finals = [line.points[-1][1] if line.points else 0.0 for line in lines]
        most = max([*finals, *(v for line in lines for _, v in line.points), 1.0])
        top, step = nice_top(most, steps)
        ends = [f"{line.label}  {final:.0f}" for line, final in zip(lines, finals, strict=True)]
        widest = max((small.size(words)[0] for words in ends), default=0)
        names = min(widest, max(round(80 * scale), round(w * NAMES_SHARE)))
        scale_w = tiny.size(f"{top:g}")[0]
        label_w = max((tiny.size(row.label)[0] for row in marks), default=0)
        left = pad + max(scale_w + gap, label_w + round(12 * scale))
        right = w - pad - names - gap
        plot = pygame.Rect(left, plot_top, max(10, right - left), max(10, bottom - plot_top))
        turns = max(1, max_turns)

        def x_of(t: float) -> float:
            return plot.left + t / turns * plot.width

        def y_of(v: float) -> float:
            return plot.bottom - v / top * plot.height

        for i in range(steps + 1):
            y = y_of(i * step)
            pygame.draw.line(surface, p["grid"], (plot.left, y), (plot.right, y))
            text.draw(surface, tiny, f"{i * step:g}", p["muted"], (plot.left - gap, y), "midright")
        every = max(1, round(turns / 10))
        for t in range(0, turns + 1, every):
            x = x_of(t)
            pygame.draw.line(surface, p["grid"], (x, plot.bottom), (x, plot.bottom + gap // 2))
            text.draw(surface, tiny, str(t), p["muted"], (x, plot.bottom + 3 * scale), "midtop")
        width = max(2, round(p.sizes["line_width"] * scale))
        # The first side's line is drawn widest and first, so a side whose total matches it
        # still shows on top of it in its own colour.
        for i, line in enumerate(lines):
            points = [(x_of(t), y_of(v)) for t, v in line.points]
            if len(points) > 1:
                thick = width + (len(lines) - 1 - i) * max(2, round(2 * scale))
                pygame.draw.lines(surface, line.colour, False, points, thick)
        for words, y, line in _spread(ends, [y_of(f) for f in finals], lines, small, plot):
            colour = pygame.Color(line.colour).lerp(p["text"], 0.3)
            text.draw_fit(surface, small, words, colour, (plot.right + gap, y), names, "midleft")
        y = plot.bottom + small.get_linesize() + round(4 * scale)
        for row in marks:
            at = (plot.left - gap - 5 * scale, y + row_h / 2)  # clear of a mark at 0
            text.draw(surface, tiny, row.label, row.colour, at, "midright")
            for turn, kind in row.moves:
                centre = (x_of(turn), y + row_h / 2)
                draw_mark(surface, p.kind_marks[kind], centre, 5 * scale, row.colour)
            y += row_h


def _spread(words, ys, lines, font, plot: pygame.Rect):
    """The end labels' heights, moved apart where two would overlap (equal totals) and kept
    beside the plot."""
    order = sorted(range(len(words)), key=lambda i: ys[i])
    line_h = font.get_linesize()
    placed: dict[int, float] = {}
    last = None
    for i in order:
        y = max(ys[i], plot.top + line_h / 2)
        if last is not None:
            y = max(y, last + line_h)
        placed[i] = last = y
    overflow = (last or 0) - (plot.bottom + line_h / 2)
    if overflow > 0:
        placed = {i: y - overflow for i, y in placed.items()}
    return [(words[i], placed[i], lines[i]) for i in range(len(words))]
