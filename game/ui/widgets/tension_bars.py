"""The tension bars: one large bar for a crisis between two sides, or a bar for each pair of
sides when there are more, each with the endings' thresholds marked where they apply.

A mark is a tick across the bar with a small wedge pointing to the side the ending lies on, and
its words beside it when they fit without touching other words; otherwise the tick stays and
the tooltip tells the rest. A small muted triangle under a bar marks the pair's resting tension.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.ui.assets import Palette
from game.ui.stakes import Mark
from game.ui.widgets import text
from game.ui.widgets.charts import band_edges, band_name

Zone = tuple[pygame.Rect, str]


def x_at(bar: pygame.Rect, value: float) -> float:
    return bar.left + float(np.clip(value, 0, 100)) / 100 * bar.width


def draw_bands(
    target: pygame.Surface,
    bar: pygame.Rect,
    bands: Sequence[tuple[str, float]],
    palette: Palette,
    font: pygame.font.Font | None = None,
) -> None:
    """The bands as coloured segments, named inside when `font` is given and the name fits."""
    colours = palette.band_colours(len(bands))
    for (band, lo, hi), colour in zip(band_edges(bands), colours, strict=True):
        x0, x1 = round(x_at(bar, lo)), round(x_at(bar, hi))
        segment = pygame.Rect(x0, bar.top, max(1, x1 - x0), bar.height)
        pygame.draw.rect(target, colour, segment)
        if (
            font is not None
            and segment.width > font.size(band)[0] + 6
            and bar.height >= font.get_linesize() - 2
        ):
            text.draw(target, font, band, palette["shade"], segment.center, "center")
        line = (segment.left, bar.top), (segment.left, bar.bottom - 1)
        pygame.draw.line(target, palette["panel"], *line, 2)


def draw_marks(
    target: pygame.Surface, bar: pygame.Rect, marks: Sequence[Mark], palette: Palette, scale: float
) -> None:
    """Each mark as a tick across the bar, with a wedge on top pointing toward its ending."""
    over = max(2, round(3 * scale))
    width = max(2, round(2 * scale))
    wedge = max(3, round(4 * scale))
    colour = palette["threshold"]
    for mark in marks:
        x = round(x_at(bar, mark.value))
        pygame.draw.line(target, colour, (x, bar.top - over), (x, bar.bottom + over - 1), width)
        tip = x + wedge if mark.above else x - wedge
        top = bar.top - over
        pygame.draw.polygon(target, colour, [(x, top), (x, top + wedge), (tip, top + wedge // 2)])


def draw_resting(
    target: pygame.Surface, bar: pygame.Rect, value: float, palette: Palette, scale: float
) -> None:
    """Where the pair's tension settles: a small muted triangle under the bar."""
    x = x_at(bar, value)
    size = max(3, round(4 * scale))
    top = bar.bottom + max(1, round(scale))
    pygame.draw.polygon(
        target, palette["muted"], [(x, top), (x - size, top + size), (x + size, top + size)]
    )


def draw_needle(
    target: pygame.Surface,
    bar: pygame.Rect,
    value: float,
    palette: Palette,
    scale: float,
    pointer: bool = True,
) -> None:
    """The tension now: a bright line through the bar and, with `pointer`, a triangle under it."""
    x = x_at(bar, value)
    needle = palette["needle"]
    over = max(2, round(3 * scale))
    pygame.draw.line(
        target, needle, (x, bar.top - over), (x, bar.bottom + over - 1), max(2, round(3 * scale))
    )
    if pointer:
        pygame.draw.polygon(
            target,
            needle,
            [
                (x - 6 * scale, bar.bottom + 9 * scale),
                (x + 6 * scale, bar.bottom + 9 * scale),
                (x, bar.bottom + 2 * scale),
            ],
        )


def place_labels(
    font: pygame.font.Font,
    bar: pygame.Rect,
    marks: Sequence[Mark],
    y: int,
    anchor_y: str,
    avoid: Sequence[pygame.Rect] = (),
    gap: int = 6,
) -> list[tuple[pygame.Rect, str]]:
    """Where each mark's words go on the line at `y` (`anchor_y` "top", "bottom" or "centre"):
    beside the tick on its ending's side if there is room, else on the other side, else only
    its value; words closer than `gap` to others, or leaving the bar's span, are left out. Marks
    placed first win, so the endings a scenario lists first keep their words."""
    placed: list[tuple[pygame.Rect, str]] = []
    taken = [r.inflate(gap, 0) for r in avoid]
    for mark in marks:  # in the scenario's order of endings, the dramatic ones first
        x = round(x_at(bar, mark.value))
        offset = max(3, gap // 2)
        for words in (mark.short(), f"{mark.value:g}"):
            w, h = font.size(words)
            top = {"top": y, "bottom": y - h, "centre": y - h // 2}[anchor_y]
            sides = (True, False) if mark.above else (False, True)
            for right in sides:
                left = x + offset if right else x - offset - w
                rect = pygame.Rect(left, top, w, h)
                inside = rect.left >= bar.left and rect.right <= bar.right
                apart = rect.inflate(gap, 0)  # with the taken ones inflated too: a full gap
                if inside and not any(apart.colliderect(t) for t in taken):
                    placed.append((rect, words))
                    taken.append(rect.inflate(gap, 0))
                    break
            else:
                continue
            break
    return placed


def gauge_height(palette: Palette, scale: float, notes: int = 1) -> int:
    """The height `draw_gauge` needs to show `notes` lines under the bar."""
    pad = round(palette.sizes["panel_padding"] * scale)
    head = palette.font("body", scale, "bold").get_linesize()
    tiny = palette.font("tiny", scale, "bold").get_linesize()
    bar = max(6, round(16 * scale))
    small = palette.font("small", scale).get_linesize()
    return round(pad * 0.6) + head + tiny + round(16 * scale) + bar + notes * small + pad // 3


def draw_gauge(
    target: pygame.Surface,
    rect: pygame.Rect,
    value: float,
    bands: Sequence[tuple[str, float]],
    palette: Palette,
    scale: float,
    change: float | None = None,
    label: str | None = None,
    marks: Sequence[Mark] = (),
    notes: Sequence[str] = (),
    resting: float | None = None,
) -> None:
    """The tension gauge of a crisis between two sides: a scale split into named bands, the
    needle, the endings' marks with their names, the resting tension, and `notes` (endings
    under way) below."""
    p = palette
    pad = round(p.sizes["panel_padding"] * scale)
    pygame.draw.rect(target, p["panel"], rect)
    pygame.draw.rect(target, p["panel_border"], rect, 1)
    head = p.font("body", scale, "bold")
    small = p.font("small", scale)
    tiny = p.font("tiny", scale, "bold")
    name = label or band_name(bands, value)
    y = rect.top + round(pad * 0.6)
    title = text.draw(target, head, "Tension", p["text"], (rect.left + pad, y))
    figure = text.draw(
        target,
        head,
        f"{value:.0f}  {name.upper()}",
        p["accent_bright"],
        (rect.right - pad, y),
        "topright",
    )
    if change is not None and abs(change) >= 0.05:
        colour = p["loss"] if change > 0 else p["gain"]
        words = f"{change:+.1f} this turn"
        if title.right + small.size(words)[0] + pad < figure.left:
            text.draw(target, small, words, colour, (figure.left - pad, figure.centery), "midright")
    y = title.bottom + tiny.get_linesize() + round(6 * scale)
    bar = pygame.Rect(rect.left + pad, y, rect.width - 2 * pad, max(6, round(16 * scale)))
    draw_bands(target, bar, bands, p, tiny)
    draw_marks(target, bar, marks, p, scale)
    gap = max(6, round(8 * scale))
    labels = place_labels(tiny, bar, marks, bar.top - round(2 * scale), "bottom", gap=gap)
    for where, words in labels:
        text.draw(target, tiny, words, p["threshold"], where.topleft)
    if resting is not None:
        draw_resting(target, bar, resting, p, scale)
    draw_needle(target, bar, value, p, scale)
    y = bar.bottom + round(10 * scale)
    for note in notes:
        if y + small.get_linesize() > rect.bottom - pad // 3:
            break
        text.draw_fit(target, small, note, p["accent"], (rect.left + pad, y), rect.width - 2 * pad)
        y += small.get_linesize()


@dataclass(frozen=True)
class PairRow:
    """One pair's row in the panel of pairs."""

    title: str
    colours: tuple[pygame.Color, ...]
    value: float
    band: str
    resting: float
    marks: tuple[Mark, ...]
    tip: str
    right: str = ""
    """Words on the right of the row's first line (the grievances, for the player's pairs)."""
    details: str = ""
    """A line under the bar (the missions, for the player's pairs)."""
    mine: bool = False
    """A pair of the player's: kept when rows must be left out."""
    change: float = 0.0


@dataclass(frozen=True)
class PairsLook:
    """How much of each row the panel of pairs shows: everything, then less as room runs out."""

    details: bool = True
    others: bool = True
    """Pairs without the player; with False, only those an ending's mark is on stay."""


LOOKS = (PairsLook(), PairsLook(details=False), PairsLook(details=False, others=False))


@dataclass
class _Metrics:
    pad: int
    head: pygame.font.Font
    small: pygame.font.Font
    bold: pygame.font.Font
    tiny: pygame.font.Font
    bar_h: int
    row_gap: int


def _metrics(palette: Palette, scale: float) -> _Metrics:
    return _Metrics(
        pad=round(palette.sizes["panel_padding"] * scale),
        head=palette.font("body", scale, "bold"),
        small=palette.font("small", scale),
        bold=palette.font("small", scale, "bold"),
        tiny=palette.font("tiny", scale, "bold"),
        bar_h=max(palette.font("tiny", scale, "bold").get_height(), round(12 * scale)),
        row_gap=max(3, round(6 * scale)),
    )


def _row_height(m: _Metrics, row: PairRow, look: PairsLook, scale: float) -> int:
    height = m.small.get_linesize() + round(3 * scale) + m.bar_h + round(6 * scale)
    if look.details and row.details:
        height += m.small.get_linesize()
    return height + m.row_gap


def _shown(rows: Sequence[PairRow], look: PairsLook) -> list[PairRow]:
    return [row for row in rows if row.mine or look.others or row.marks]


def pairs_height(
    rows: Sequence[PairRow], palette: Palette, scale: float, look: PairsLook, notes: int = 1
) -> int:
    """The height the panel of pairs needs for `rows` shown as `look` says."""
    m = _metrics(palette, scale)
    height = round(m.pad * 0.6) + m.head.get_linesize() + round(4 * scale)
    height += sum(_row_height(m, row, look, scale) for row in _shown(rows, look))
    return height + notes * m.small.get_linesize() + m.pad // 2


def draw_pairs(
    target: pygame.Surface,
    rect: pygame.Rect,
    rows: Sequence[PairRow],
    bands: Sequence[tuple[str, float]],
    palette: Palette,
    scale: float,
    notes: Sequence[str] = (),
    help_text: str = "",
    note_lines: int = 1,
) -> list[Zone]:
    """The panel of pairs: a bar for each pair (the player's first), with the most each row can
    show in `rect`; returns tooltip zones, one per row drawn."""
    p = palette
    m = _metrics(p, scale)
    look = next(
        (lk for lk in LOOKS if pairs_height(rows, p, scale, lk, note_lines) <= rect.height),
        LOOKS[-1],
    )
    pygame.draw.rect(target, p["panel"], rect)
    pygame.draw.rect(target, p["panel_border"], rect, 1)
    left, right = rect.left + m.pad, rect.right - m.pad
    y = rect.top + round(m.pad * 0.6)
    text.draw(target, m.head, "Tension by pair", p["text"], (left, y))
    y += m.head.get_linesize() + round(4 * scale)
    bottom = rect.bottom - note_lines * m.small.get_linesize() - m.pad // 2
    zones: list[Zone] = []
    for row in _shown(rows, look):
        height = _row_height(m, row, look, scale)
        if y + height - m.row_gap > bottom:
            break
        zones.append((pygame.Rect(rect.left, y, rect.width, height), row.tip + help_text))
        y = _draw_row(target, row, bands, look, m, p, scale, left, right, y) + m.row_gap
    y = max(y, bottom)
    for note in notes[:note_lines]:
        text.draw_fit(target, m.small, note, p["accent"], (left, y), right - left)
        y += m.small.get_linesize()
    return zones


def _draw_row(target, row: PairRow, bands, look: PairsLook, m: _Metrics, p, scale, left, right, y):
    line = m.small.get_linesize()
    chip = max(3, round(4 * scale))
    x = left
    for colour in row.colours:
        pygame.draw.rect(target, colour, (x, y + line // 4, chip, line // 2))
        x += chip + max(1, round(2 * scale))
    x += round(4 * scale)
    value = f"{row.value:.0f}"
    gap = round(8 * scale)
    figure_w = m.bold.size(value)[0] + round(5 * scale) + m.small.size(row.band)[0]
    title_w = m.bold.size(row.title)[0]
    right_w = m.small.size(row.right)[0] if row.right else 0
    if right_w and x + title_w + figure_w + right_w + 3 * gap > right:
        right_w = 0  # the grievances give way to the name; the row's tooltip keeps them
    room = right - x - figure_w - gap - (right_w + 2 * gap if right_w else 0)
    name = text.draw_fit(target, m.bold, row.title, p["text"], (x, y), room)
    figure = text.draw(target, m.bold, value, p["accent_bright"], (name.right + gap, y))
    text.draw(target, m.small, row.band, p["muted"], (figure.right + round(5 * scale), y))
    if right_w:
        text.draw(target, m.small, row.right, p["muted"], (right, y), "topright")
    y += line + round(3 * scale)
    bar = pygame.Rect(left, y, right - left, m.bar_h)
    draw_bands(target, bar, bands, p)
    draw_ticks(target, bar, row.marks, p, scale)
    knob = draw_knob(target, bar, row.value, p, scale, draw=False)
    gap = max(6, round(8 * scale))
    placed = place_labels(m.tiny, bar, row.marks, bar.centery, "centre", [knob], gap)
    for where, words in placed:
        text.draw(target, m.tiny, words, p["shade"], where.topleft)
    draw_resting(target, bar, row.resting, p, scale)
    draw_knob(target, bar, row.value, p, scale)
    y = bar.bottom + round(6 * scale)
    if look.details and row.details:
        text.draw_fit(target, m.small, row.details, p["muted"], (left, y), right - left)
        y += line
    return y


def draw_ticks(
    target: pygame.Surface, bar: pygame.Rect, marks: Sequence[Mark], palette: Palette, scale: float
) -> None:
    """Marks on a pair's bar: a dark line across it, bright where it stands out of it, with the
    wedge on top pointing toward the ending."""
    draw_marks(target, bar, marks, palette, scale)
    width = max(2, round(2 * scale))
    for mark in marks:
        x = round(x_at(bar, mark.value))
        pygame.draw.line(target, palette["shade"], (x, bar.top), (x, bar.bottom - 1), width)


def draw_knob(
    target: pygame.Surface,
    bar: pygame.Rect,
    value: float,
    palette: Palette,
    scale: float,
    draw: bool = True,
) -> pygame.Rect:
    """A pair's tension now: a bright knob on its bar, unlike the marks' lines; returns where
    it is (and only that, without `draw`)."""
    centre = (round(x_at(bar, value)), bar.centery)
    radius = max(4, round(bar.height * 0.45))
    outer = radius + max(1, round(scale))
    if draw:
        pygame.draw.circle(target, palette["shade"], centre, outer)
        pygame.draw.circle(target, palette["needle"], centre, radius)
    return pygame.Rect(centre[0] - outer, centre[1] - outer, 2 * outer + 1, 2 * outer + 1)
