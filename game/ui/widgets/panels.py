"""A screen drawn panel by panel onto a surface that is kept between frames.

Most frames change nothing on a busy screen, and a change usually touches one panel (a new
selection redraws the briefing, an animation one gauge). Redrawing every panel and its text
each time a single one changes cost more than a frame has at 1920x1080 and 200%; so each panel
says what its drawing depends on (its key), and only a panel whose key changed is drawn again,
onto one kept surface that a frame then copies to the window in a single blit.

What a panel's drawing leaves for the rest of the frame (text placed, text cut with its whole
wording for a tooltip, tooltip zones) is recorded with the panel and handed back every frame,
as if the panel had just been drawn, so layout checks and tooltips see the same thing either way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import pygame

from game.ui.widgets import text

Zone = text.Zone


@dataclass(frozen=True)
class Panel:
    """One panel of a screen: where it is, what its drawing depends on, and how to draw it.

    `paint(surface, tips)` draws the panel at `rect` on `surface` (window coordinates) and
    may add tooltip zones, (area, words), to `tips`; it must not draw outside `rect` (it is
    clipped to it)."""

    name: str
    rect: pygame.Rect
    key: Hashable
    paint: Callable[[pygame.Surface, list[Zone]], None]


@dataclass
class _Drawn:
    rect: pygame.Rect
    key: Hashable
    texts: list[Zone] = field(default_factory=list)
    cut: list[Zone] = field(default_factory=list)
    tips: list[Zone] = field(default_factory=list)


class PanelCache:
    """The kept surface of one screen and what each of its panels last drew."""

    def __init__(self) -> None:
        self.surface: pygame.Surface | None = None
        self._order: list[str] = []
        self._drawn: dict[str, _Drawn] = {}
        self.painted: list[str] = []
        """The panels drawn again since whoever reads this last emptied it."""

    def invalidate(self) -> None:
        """Forget every panel: the next frame draws them all."""
        self.surface = None
        self._drawn.clear()

    def update(
        self, window: pygame.Surface, background: pygame.Color, panels: Sequence[Panel]
    ) -> list[pygame.Rect] | None:
        """Draw again, on the kept surface (of the window's size and pixel format, so that
        copying it is plain), every panel whose key or place changed; returns where the kept
        surface changed (None when it was made anew: all of it)."""
        changed: list[pygame.Rect] | None = []
        size = window.get_size()
        if self.surface is None or self.surface.get_size() != size:
            self.surface = pygame.Surface(size, 0, window)
            self.surface.fill(background)
            self._drawn.clear()
            changed = None
        self._order = [panel.name for panel in panels]
        for name in [n for n in self._drawn if n not in self._order]:
            gone = self._drawn.pop(name).rect
            self.surface.fill(background, gone)
            changed = None if changed is None else [*changed, gone]
        for panel in panels:
            drawn = self._drawn.get(panel.name)
            if drawn is not None and drawn.key == panel.key and drawn.rect == panel.rect:
                continue
            if drawn is not None and drawn.rect != panel.rect:
                self.surface.fill(background, drawn.rect)
                changed = None if changed is None else [*changed, drawn.rect]
            self._drawn[panel.name] = self._paint(panel, background)
            self.painted.append(panel.name)
            changed = None if changed is None else [*changed, pygame.Rect(panel.rect)]
        return changed

    def blit(self, target: pygame.Surface, tips: list[Zone]) -> None:
        """Copy the kept surface onto `target` and hand back every panel's text and tooltip
        zones, as if each had just been drawn there (`tips` is the screen's list)."""
        target.blit(self.surface, (0, 0))
        recording = target is text.RECORDER.target
        for name in self._order:
            drawn = self._drawn[name]
            tips.extend(drawn.tips)
            if recording:
                text.RECORDER.drawn.extend(drawn.texts)
                text.RECORDER.cut.extend(drawn.cut)

    def _paint(self, panel: Panel, background: pygame.Color) -> _Drawn:
        surface = self.surface
        tips: list[Zone] = []
        clip = surface.get_clip()
        surface.set_clip(panel.rect)
        surface.fill(background, panel.rect)
        try:
            with text.recording(surface) as recorded:
                panel.paint(surface, tips)
        finally:
            surface.set_clip(clip)
        return _Drawn(pygame.Rect(panel.rect), panel.key, recorded.drawn, recorded.cut, tips)
