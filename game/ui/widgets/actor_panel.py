"""The panel for one side: flag, name, leader, diplomats and the three gauges with their changes."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.assets import Palette, flag_image
from game.ui.widgets import text

GAUGE_ROWS = (
    ("pressure", "Domestic pressure", -1),
    ("credibility", "Credibility", 1),
    ("standing", "Standing", 1),
)
"""(value key, label, sign of a good change): rising pressure is bad news for a side."""


@dataclass
class ActorInfo:
    actor_id: str
    name: str
    leader: str
    colour: pygame.Color
    role: str  # "You", "Computer: lookahead (normal)", ...
    values: dict[str, float]  # displayed (eased) values
    changes: dict[str, float]  # change this turn
    diplomats_abroad: int
    diplomats_hosted: int
    diplomats_change: int


_FLAG_CACHE: dict[tuple[str, int], pygame.Surface] = {}


def _flag(actor_id: str, height: int) -> pygame.Surface | None:
    key = (actor_id, height)
    if key not in _FLAG_CACHE:
        image = flag_image(actor_id)
        if image is None:
            return None
        width = round(image.get_width() * height / image.get_height())
        _FLAG_CACHE[key] = pygame.transform.smoothscale(image, (width, height))
    return _FLAG_CACHE[key]


def draw_actor_panel(
    target: pygame.Surface,
    rect: pygame.Rect,
    info: ActorInfo,
    palette: Palette,
    scale: float,
    highlight: bool = False,
) -> None:
    p = palette
    pad = round(p.sizes["panel_padding"] * scale)
    pygame.draw.rect(target, p["panel"], rect)
    pygame.draw.rect(
        target, p["accent"] if highlight else p["panel_border"], rect, 2 if highlight else 1
    )
    pygame.draw.rect(
        target, info.colour, (rect.left, rect.top, max(4, round(5 * scale)), rect.height)
    )
    x = rect.left + pad + round(4 * scale)
    y = rect.top + pad
    flag_h = round(30 * scale)
    flag = _flag(info.actor_id, flag_h)
    if flag is not None:
        target.blit(flag, (x, y))
        pygame.draw.rect(target, p["panel_border"], (x, y, flag.get_width(), flag_h), 1)
        name_x = x + flag.get_width() + round(10 * scale)
    else:
        pygame.draw.rect(target, info.colour, (x, y, round(44 * scale), flag_h))
        name_x = x + round(54 * scale)
    width = rect.right - pad - name_x
    title = p.font("large", scale, "bold", "png_serif")
    small = p.font("small", scale)
    body = p.font("body", scale)
    text.draw(target, title, text.fit(title, info.name, width), p["text"], (name_x, y - 2 * scale))
    text.draw(
        target,
        small,
        text.fit(small, info.leader, width),
        p["muted"],
        (name_x, y + title.get_linesize() - 2 * scale),
    )
    y += flag_h + round(14 * scale)
    text.draw(target, small, info.role, p["accent"], (x, y))
    y += small.get_linesize() + round(6 * scale)
    line = f"Diplomats abroad {info.diplomats_abroad}"
    text.draw(target, body, line, p["text"], (x, y))
    if info.diplomats_change:
        colour = p["loss"] if info.diplomats_change < 0 else p["gain"]
        text.draw(
            target, body, f"{info.diplomats_change:+d}", colour, (rect.right - pad, y), "topright"
        )
    y += body.get_linesize()
    text.draw(
        target, small, f"Foreign diplomats hosted {info.diplomats_hosted}", p["muted"], (x, y)
    )
    y += small.get_linesize() + round(8 * scale)
    bar_h = max(4, round(p.sizes["bar_height"] * scale))
    room = rect.bottom - pad - y
    row_h = max(body.get_linesize() + bar_h + round(6 * scale), room // 3)
    for key, label, good in GAUGE_ROWS:
        if y + body.get_linesize() + bar_h > rect.bottom - pad // 2:
            break
        value = info.values[key]
        change = info.changes.get(key, 0.0)
        text.draw(target, body, label, p["text"], (x, y))
        figure = f"{value:.0f}"
        right = text.draw(target, body, figure, p["text"], (rect.right - pad, y), "topright")
        if abs(change) >= 0.5:
            colour = p["gain"] if change * good > 0 else p["loss"]
            text.draw(
                target,
                small,
                f"{change:+.0f}",
                colour,
                (right.left - 8 * scale, right.centery),
                "midright",
            )
        bar_y = y + body.get_linesize() + round(2 * scale)
        bar = pygame.Rect(x, bar_y, rect.right - pad - x, bar_h)
        pygame.draw.rect(target, p["bar_back"], bar)
        filled = bar.copy()
        filled.width = round(bar.width * max(0.0, min(1.0, value / 100.0)))
        pygame.draw.rect(target, info.colour, filled)
        y += row_h
