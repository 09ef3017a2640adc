"""Text the game draws itself (panels, charts, gauges), rendered once and cached.

Rendering text is the most expensive thing a frame does; the same strings are drawn every frame,
so each (string, font, colour) is rendered once and reused.
"""

from __future__ import annotations

import functools
from collections import OrderedDict

import pygame

_CACHE: OrderedDict[tuple, pygame.Surface] = OrderedDict()
_CACHE_SIZE = 1500


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
    """Draw wrapped text inside `rect` (clipped at its bottom); returns the height used."""
    step = round(font.get_linesize() * line_spacing)
    y = rect.top
    for line in wrap(font, text, rect.width):
        if y + font.get_linesize() > rect.bottom:
            break
        draw(target, font, line, colour, (rect.left, y))
        y += step
    return y - rect.top
