"""Handing a composed frame to the display: all of it, only the parts that changed, or nothing.

At 1920x1080 handing a whole frame over copies 8 MB to the window system, and most frames of
the crisis room change nothing, or one panel (`App.draw` then composes nothing, or only that
part). A part of the window is handed over when

- the screen said it redrew it (`Scene.prepare`; a screen that cannot say is handed over
  whole, as is every frame after a change of screen, size, scale or an event of the window);
- a widget appeared, moved, vanished or changed its image there (widgets get a new image when
  they change; one clipped by its container is redrawn in place, so it counts as changed every
  frame);
- something drawn over the widgets (the focus ring, a tooltip, a notice) appeared, moved,
  changed or went away there.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pygame

WINDOW_EVENTS = frozenset(
    {
        pygame.VIDEOEXPOSE,
        pygame.VIDEORESIZE,
        pygame.ACTIVEEVENT,
        *(getattr(pygame, name) for name in dir(pygame) if name.startswith("WINDOW")),
    }
    - {pygame.WINDOWPOS_CENTERED, pygame.WINDOWPOS_UNDEFINED}
)
"""Events after which the window system may have lost what it showed: a whole frame follows."""

WHOLE_ABOVE = 0.6
"""Above this share of the window, one whole hand-over is cheaper than many pieces."""


Widget = tuple[object, pygame.Surface, pygame.Rect, bool]
"""(widget, its image, its rect, whether it redraws its image in place)."""


class Presenter:
    """What the display shows, as far as this frame loop knows, and what to hand it next."""

    def __init__(self) -> None:
        self._whole = True
        self._rects: list[pygame.Rect] = []
        self._context: tuple | None = None
        self._widgets: dict[object, tuple[pygame.Surface, pygame.Rect]] = {}
        self._overlays: set[tuple[tuple[int, int, int, int], Hashable]] = set()
        self.last: list[pygame.Rect] | None = None
        """What the last present handed over: None for the whole window."""

    def whole(self) -> None:
        """Hand the next frame over in full."""
        self._whole = True

    def widget_changes(self, widgets: Sequence[Widget]) -> list[pygame.Rect]:
        """Where drawing `widgets` would change the window since the last frame composed:
        where each changed widget was and is, and where each gone widget was."""
        changed = []
        for widget, image, rect, in_place in widgets:
            area = _area(image, rect)
            before = self._widgets.get(widget)
            if in_place or before is None or before[0] is not image or before[1] != area:
                changed.append(area)
                if before is not None:
                    changed.append(before[1])
        drawn = {widget for widget, _, _, _ in widgets}
        changed += [area for widget, (_, area) in self._widgets.items() if widget not in drawn]
        return changed

    @property
    def overlays(self) -> list[pygame.Rect]:
        """Where the last frame composed drew over its widgets."""
        return [pygame.Rect(rect) for rect, _ in self._overlays]

    def drawn(
        self,
        context: tuple,
        rects: Sequence[pygame.Rect] | None,
        widgets: Sequence[Widget],
        overlays: Sequence[tuple[pygame.Rect, Hashable]],
    ) -> None:
        """A frame was composed. `context` names what was on screen (the screen, size, widget
        manager); `rects` is what the screen's own drawing changed, or None if it cannot say;
        `widgets` every widget drawn; `overlays` (where, what) for everything drawn over the
        widgets, `what` naming all its look depends on (the words of a tooltip, ...). Frames
        composed without being presented (a screenshot) add up until the next `present`."""
        if context != self._context or rects is None:
            self._context = context
            self._whole = True
        pending = self._rects
        pending.extend(rects or ())
        pending += self.widget_changes(widgets)
        shown = {(tuple(rect), what) for rect, what in overlays}
        pending += [pygame.Rect(rect) for rect, _ in shown ^ self._overlays]
        # Holding the last frame's images keeps their ids from being taken by new images.
        self._widgets = {widget: (image, _area(image, rect)) for widget, image, rect, _ in widgets}
        self._overlays = shown

    def present(self, window: pygame.Surface) -> None:
        """Hand what changed since the last present to the display (nothing if nothing did)."""
        whole, self._whole = self._whole, False
        rects, self._rects = self._rects, []
        screen = window.get_rect()
        rects = [r.clip(screen) for r in rects]
        rects = [r for r in rects if r.width > 0 and r.height > 0]
        area = sum(r.width * r.height for r in rects)
        if whole or area > WHOLE_ABOVE * screen.width * screen.height:
            self.last = None
            pygame.display.flip()
        else:
            self.last = rects
            if rects:
                pygame.display.update(rects)


def _area(image: pygame.Surface, rect: pygame.Rect) -> pygame.Rect:
    """Where a widget draws: its rect, and its image from the rect's corner."""
    return pygame.Rect(rect.topleft, image.get_size()).union(rect)
