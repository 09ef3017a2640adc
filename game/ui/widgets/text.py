"""Text the game draws itself (panels, charts, gauges), rendered once and cached.

Rendering text is the most expensive thing a frame does; the same strings are drawn every frame,
so each (string, font, colour) is rendered once and reused.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pygame

_CACHE: OrderedDict[tuple, pygame.Surface] = OrderedDict()
_CACHE_SIZE = 1500


class Recorder:
    """Where text went in a frame: the layout check reads it, and cut text leaves its whole
    wording here so the screen can show it as a tooltip."""

    def __init__(self) -> None:
        self.target: pygame.Surface | None = None
        self.drawn: list[tuple[pygame.Rect, str]] = []
        self.cut: list[tuple[pygame.Rect, str]] = []

    def reset(self, target: pygame.Surface | None) -> None:
        self.target = target
        self.drawn.clear()
        self.cut.clear()


RECORDER = Recorder()

Zone = tuple[pygame.Rect, str]


@dataclass
class Recorded:
    """The text drawn on a surface kept between frames (a cached chart, a panel), so the frame
    that shows the surface can hand it to the layout check and the tooltips as if just drawn."""

    drawn: list[Zone] = field(default_factory=list)
    cut: list[Zone] = field(default_factory=list)

    def replay(self, target: pygame.Surface, offset: tuple[int, int] = (0, 0)) -> None:
        """Record this text as drawn on `target`, with the kept surface's top-left at `offset`."""
        if target is not RECORDER.target:
            return
        RECORDER.drawn.extend((rect.move(offset), words) for rect, words in self.drawn)
        RECORDER.cut.extend((rect.move(offset), words) for rect, words in self.cut)


@contextmanager
def recording(surface: pygame.Surface) -> Iterator[Recorded]:
    """Record what is drawn on `surface` (not the frame's target) into the Recorded yielded,
    which is filled when the block ends; the frame's own record is left as it was."""
    recorder = RECORDER
    target, drawn, cut = recorder.target, len(recorder.drawn), len(recorder.cut)
    found = Recorded()
    recorder.target = surface
    try:
        yield found
    finally:
        recorder.target = target
        found.drawn.extend(recorder.drawn[drawn:])
        found.cut.extend(recorder.cut[cut:])
        del recorder.drawn[drawn:], recorder.cut[cut:]


def render(font: pygame.font.Font, text: str, colour: pygame.Color) -> pygame.Surface:
    key = (id(font), text, tuple(colour))
    surface = _CACHE.get(key)
    if surface is None:
        surface = font.render(text, True, colour)
        _CACHE[key] = surface
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return surface


def draw(
    target: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    colour: pygame.Color,
    pos: tuple[float, float],
    anchor: str = "topleft",
) -> pygame.Rect:
    """Draw text with one of pygame.Rect's anchors at `pos`; returns where it went."""
    surface = render(font, text, colour)
    rect = surface.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    target.blit(surface, rect)
    if target is RECORDER.target and text:
        RECORDER.drawn.append((rect, text))
    return rect


def draw_fit(
    target: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    colour: pygame.Color,
    pos: tuple[float, float],
    width: int,
    anchor: str = "topleft",
) -> pygame.Rect:
    """Draw text cut to `width` with an ellipsis; a cut text is offered whole as a tooltip."""
    shown = fit(font, text, max(1, width))
    rect = draw(target, font, shown, colour, pos, anchor)
    if shown != text and target is RECORDER.target:
        RECORDER.cut.append((rect, text))
    return rect


@functools.lru_cache(maxsize=4096)
def fit(font: pygame.font.Font, text: str, width: int) -> str:
    """The text, cut with an ellipsis if it is wider than `width` (cached: called every frame)."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


@functools.lru_cache(maxsize=2048)
def wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels (cached: called every frame; do not modify the list)."""
    return _wrap(font, text, width)


def _wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def draw_wrapped(
    target: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    colour: pygame.Color,
    rect: pygame.Rect,
    line_spacing: float = 1.2,
) -> int:
    """Draw wrapped text inside `rect`; returns the height used. Lines that do not fit are
    replaced by an ellipsis on the last one that does, and the whole text becomes a tooltip."""
    step = round(font.get_linesize() * line_spacing)
    lines = wrap(font, text, max(1, rect.width))
    room = max(0, (rect.height - font.get_linesize()) // step + 1) if rect.height > 0 else 0
    if room <= 0:
        if text.strip() and target is RECORDER.target:
            RECORDER.cut.append((pygame.Rect(rect.topleft, (max(1, rect.width), 1)), text))
        return 0
    y = rect.top
    for i, line in enumerate(lines[:room]):
        if i == room - 1 and len(lines) > room:
            rest = fit(font, line + " " + " ".join(lines[room:]), max(1, rect.width))
            draw(target, font, rest, colour, (rect.left, y))
            if target is RECORDER.target:
                used = pygame.Rect(rect.left, rect.top, rect.width, y + step - rect.top)
                RECORDER.cut.append((used, text))
        else:
            draw(target, font, line, colour, (rect.left, y))
        y += step
    return y - rect.top


def lines_needed(font: pygame.font.Font, text: str, width: int, line_spacing: float = 1.2) -> int:
    """The height wrapped text takes at `width`."""
    step = round(font.get_linesize() * line_spacing)
    return len(wrap(font, text, max(1, width))) * step
