"""The panel for one side: flag, name, leader, diplomats and the three gauges with their changes."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.assets import Palette, flag_image
from game.ui.widgets import text
from game.ui.widgets.charts import draw_mark

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
    grievances: tuple[tuple[str, float], ...] = ()  # (other side, unanswered grievance)
    missions: str = ""  # the rest of its missions abroad, in a line ("In Russia: 3 consulates")
    score: float | None = None  # points so far, for scenarios shown as a scoreboard
    last_move: str = ""
    moves: tuple[str, ...] = ()  # the kind played each turn so far, for the scoreboard panel
    tally: tuple[tuple[str, str, int], ...] = ()  # (kind, its name, times played), played ones
    gauges: bool = True
    short_name: str = ""  # shown where the whole name does not fit, if the scenario gives one

    def name_for(self, font: pygame.font.Font, width: int) -> str:
        """The whole name if it fits `width`, else the short name if the scenario gives one
        (text.draw_fit then ends whatever still does not fit with an ellipsis)."""
        if font.size(self.name)[0] <= width or not self.short_name:
            return self.name
        return self.short_name


_FLAG_CACHE: dict[tuple[str, int], pygame.Surface] = {}


def scaled_flag(actor_id: str, height: int) -> pygame.Surface | None:
    """The side's flag at `height` pixels (scaled once, then kept), or None without one."""
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
) -> list[tuple[pygame.Rect, str]]:
    """Draw the panel; returns (area, gauge key) pairs for the gauges' tooltips. Rows that do
    not fit are left out from the least important up (hosted diplomats, other missions,
    grievances), and the gauge rows tighten before any of them is dropped."""
    p = palette
    zones: list[tuple[pygame.Rect, str]] = []
    pad = round(p.sizes["panel_padding"] * scale)
    pygame.draw.rect(target, p["panel"], rect)
    pygame.draw.rect(
        target, p["accent"] if highlight else p["panel_border"], rect, 2 if highlight else 1
    )
    pygame.draw.rect(
        target, info.colour, (rect.left, rect.top, max(4, round(5 * scale)), rect.height)
    )
    x = rect.left + pad + round(4 * scale)
    right = rect.right - pad
    y = rect.top + pad
    title = p.font("large", scale, "bold", "png_serif")
    small = p.font("small", scale)
    body = p.font("body", scale)
    flag_h = min(round(30 * scale), title.get_linesize() + small.get_linesize())
    if info.gauges and _too_short(rect, p, scale, flag_h):
        _draw_tight(target, rect, info, p, scale, zones)
        return zones
    flag = scaled_flag(info.actor_id, flag_h)
    if flag is not None:
        target.blit(flag, (x, y))
        pygame.draw.rect(target, p["panel_border"], (x, y, flag.get_width(), flag_h), 1)
        name_x = x + flag.get_width() + round(10 * scale)
    else:
        pygame.draw.rect(target, info.colour, (x, y, round(44 * scale), flag_h))
        name_x = x + round(54 * scale)
    width = right - name_x
    name = info.name_for(title, width)
    text.draw_fit(target, title, name, p["text"], (name_x, y - 2 * scale), width)
    text.draw_fit(
        target,
        small,
        info.leader,
        p["muted"],
        (name_x, y + title.get_linesize() - 2 * scale),
        width,
    )
    y += max(flag_h, title.get_linesize() + small.get_linesize()) + round(8 * scale)
    text.draw_fit(target, small, info.role, p["accent"], (x, y), right - x)
    y += small.get_linesize() + round(4 * scale)
    bottom = rect.bottom - pad
    if not info.gauges:
        _draw_points(target, info, p, scale, x, right, y, bottom)
        return zones
    bar_h = max(4, round(p.sizes["bar_height"] * scale))
    tight_row = body.get_linesize() + bar_h + round(4 * scale)
    needed_core = body.get_linesize() + 3 * tight_row
    compact = y + needed_core + round(6 * scale) > bottom
    if compact:  # a short panel: each gauge on one line, its bar beside its name
        tight_row = small.get_linesize() + max(1, round(scale))
        needed_core = body.get_linesize() + 3 * tight_row
    # The optional rows, most important first: each is shown only if it and all before it fit.
    optional = ["grievance"] * len(info.grievances) + ["missions"] * bool(info.missions)
    optional.append("hosted")
    count = max(0, (bottom - y - needed_core - round(8 * scale)) // small.get_linesize())
    if count < len(info.grievances):  # a side's grievances are shown together or not at all
        optional = [k for k in optional if k != "grievance"]
    shown = set(optional[:count])
    line = f"Diplomats abroad {info.diplomats_abroad}"
    row = text.draw_fit(target, body, line, p["text"], (x, y), right - x - round(30 * scale))
    zones.append((pygame.Rect(x, y, right - x, body.get_linesize()), "diplomats"))
    if info.diplomats_change:
        colour = p["loss"] if info.diplomats_change < 0 else p["gain"]
        text.draw(target, body, f"{info.diplomats_change:+d}", colour, (right, y), "topright")
    y = row.top + body.get_linesize()
    if "missions" in shown:
        text.draw_fit(target, small, info.missions, p["muted"], (x, y), right - x)
        zones.append((pygame.Rect(x, y, right - x, small.get_linesize()), "missions"))
        y += small.get_linesize()
    if "hosted" in shown:
        line = f"Foreign diplomats hosted {info.diplomats_hosted}"
        text.draw_fit(target, small, line, p["muted"], (x, y), right - x)
        y += small.get_linesize()
    if "grievance" in shown:
        for other, value in info.grievances:
            line = f"Grievance against {other}"
            colour = p["loss"] if value >= 1 else p["muted"]
            text.draw_fit(target, small, line, p["muted"], (x, y), right - x - round(40 * scale))
            text.draw(target, small, f"{value:.0f}", colour, (right, y), "topright")
            zones.append((pygame.Rect(x, y, right - x, small.get_linesize()), "grievance"))
            y += small.get_linesize()
    y += round(6 * scale)
    if compact:
        _draw_compact_gauges(target, info, p, scale, x, right, y, tight_row, zones)
        return zones
    room = bottom - y
    row_h = max(tight_row, min(room // 3, round(tight_row * 1.6)))
    for key, label, good in GAUGE_ROWS:
        if y + tight_row > bottom + 1:
            break
        value = info.values[key]
        change = info.changes.get(key, 0.0)
        figure = f"{value:.0f}"
        right_rect = text.draw(target, body, figure, p["text"], (right, y), "topright")
        label_w = right_rect.left - x - round(36 * scale)
        text.draw_fit(target, body, label, p["text"], (x, y), label_w)
        if abs(change) >= 0.5:
            colour = p["gain"] if change * good > 0 else p["loss"]
            text.draw(
                target,
                small,
                f"{change:+.0f}",
                colour,
                (right_rect.left - 6 * scale, right_rect.centery),
                "midright",
            )
        bar_y = y + body.get_linesize() + round(2 * scale)
        bar = pygame.Rect(x, bar_y, right - x, bar_h)
        pygame.draw.rect(target, p["bar_back"], bar)
        filled = bar.copy()
        filled.width = round(bar.width * max(0.0, min(1.0, value / 100.0)))
        pygame.draw.rect(target, info.colour, filled)
        zones.append((pygame.Rect(x, y, right - x, bar.bottom - y), key))
        y += row_h
    return zones


COMPACT_LABELS = {"pressure": "Pressure", "credibility": "Credibility", "standing": "Standing"}


def _too_short(rect: pygame.Rect, p: Palette, scale: float, flag_h: int) -> bool:
    """Whether even the compact panel (a gauge a line) would run past the panel's foot: four
    sides in a 600-pixel window leave each side about 120 pixels."""
    pad = round(p.sizes["panel_padding"] * scale)
    title, small = p.font("large", scale, "bold", "png_serif"), p.font("small", scale)
    body = p.font("body", scale)
    header = max(flag_h, title.get_linesize() + small.get_linesize()) + round(8 * scale)
    role = small.get_linesize() + round(4 * scale)
    rows = 3 * (small.get_linesize() + max(1, round(scale)))
    gauges = body.get_linesize() + round(6 * scale) + rows
    return 2 * pad + header + role + gauges > rect.height


def _draw_tight(target, rect: pygame.Rect, info: ActorInfo, p: Palette, scale: float, zones):
    """The panel for a side with little room: the flag and name on one line, who plays it,
    then the three gauges a line each; the leader and the diplomats only where there is room
    (the diplomats are in the tooltip of the panel of pairs too). Nothing is cut mid-line."""
    pad = round(p.sizes["panel_padding"] * scale)
    title, small = p.font("large", scale, "bold", "png_serif"), p.font("small", scale)
    x, right = rect.left + pad + round(4 * scale), rect.right - pad
    y, bottom = rect.top + round(pad * 0.6), rect.bottom - round(pad * 0.6)
    flag_h = title.get_linesize() - round(6 * scale)
    flag = scaled_flag(info.actor_id, flag_h)
    name_x = x
    if flag is not None:
        target.blit(flag, (x, y + round(3 * scale)))
        name_x = x + flag.get_width() + round(8 * scale)
    else:
        pygame.draw.rect(target, info.colour, (x, y + round(3 * scale), round(30 * scale), flag_h))
        name_x = x + round(38 * scale)
    name = info.name_for(title, right - name_x)
    text.draw_fit(target, title, name, p["text"], (name_x, y), right - name_x)
    y += title.get_linesize()
    row_h = small.get_linesize() + max(1, round(scale))
    lines = [(info.role, p["accent"])]
    spare = (bottom - y - 3 * row_h - small.get_linesize()) // small.get_linesize()
    if spare >= 1:
        lines.insert(0, (info.leader, p["muted"]))
    if spare >= 2:
        lines.append((f"Diplomats abroad {info.diplomats_abroad}", p["text"]))
    for words, colour in lines:
        text.draw_fit(target, small, words, colour, (x, y), right - x)
        y += small.get_linesize()
    y = max(y, bottom - 3 * row_h)  # the gauges sit at the foot of the panel
    _draw_compact_gauges(target, info, p, scale, x, right, y, row_h, zones)


def _draw_compact_gauges(
    target, info: ActorInfo, p: Palette, scale: float, x, right, y, row_h, zones
) -> None:
    """The three gauges one line each: name, a bar, the change and the value."""
    small = p.font("small", scale)
    gap = round(6 * scale)
    label_w = max(small.size(words)[0] for words in COMPACT_LABELS.values())
    value_w = small.size("100")[0]
    change_w = small.size("+10")[0]
    bar_h = max(4, round(p.sizes["bar_height"] * scale))
    bar_left = x + label_w + gap
    bar_right = right - value_w - change_w - 2 * gap
    for key, _, good in GAUGE_ROWS:
        value = info.values[key]
        change = info.changes.get(key, 0.0)
        text.draw(target, small, COMPACT_LABELS[key], p["text"], (x, y))
        text.draw(target, small, f"{value:.0f}", p["text"], (right, y), "topright")
        if abs(change) >= 0.5:
            colour = p["gain"] if change * good > 0 else p["loss"]
            at = (right - value_w - gap, y)
            text.draw(target, small, f"{change:+.0f}", colour, at, "topright")
        if bar_right - bar_left >= round(20 * scale):
            middle = y + small.get_linesize() // 2
            bar = pygame.Rect(bar_left, middle - bar_h // 2, bar_right - bar_left, bar_h)
            pygame.draw.rect(target, p["bar_back"], bar)
            filled = bar.copy()
            filled.width = round(bar.width * max(0.0, min(1.0, value / 100.0)))
            pygame.draw.rect(target, info.colour, filled)
        zones.append((pygame.Rect(x, y, right - x, small.get_linesize()), key))
        y += row_h


def _draw_points(target, info: ActorInfo, p: Palette, scale: float, x, right, y, bottom) -> None:
    """The scoreboard version of the panel: points so far, the last move, then the side's
    record: its moves counted, and one mark per turn (the kind's shape, as on the charts),
    the latest rows where not all fit. A repeated game is read from its record: who
    cooperates, who answers, who forgives."""
    figure = p.font("figure", scale, "bold")
    small = p.font("small", scale)
    if y + small.get_linesize() + figure.get_linesize() > bottom:
        return
    text.draw(target, small, "Points", p["muted"], (x, y))
    y += small.get_linesize()
    points = f"{info.score:.0f}" if info.score is not None else "0"
    text.draw(target, figure, points, p["accent_bright"], (x, y))
    y += figure.get_linesize() + round(4 * scale)
    if info.last_move and y + small.get_linesize() <= bottom:
        text.draw_fit(target, small, f"Last move: {info.last_move}", p["text"], (x, y), right - x)
        y += small.get_linesize()
    if info.tally and y + round(8 * scale) + small.get_linesize() <= bottom:
        y += round(8 * scale)
        _draw_tally(target, info, p, scale, small, x, right, y)
        y += small.get_linesize() + round(4 * scale)
        _draw_record(target, info, p, scale, pygame.Rect(x, y, right - x, bottom - y))


def _draw_tally(target, info: ActorInfo, p: Palette, scale: float, font, x, right, y) -> None:
    """Each kind played, its mark first (the key to the record below), then its name and
    count: '▲ Defect 32   ● Cooperate 28'."""
    mark = font.get_linesize() * 0.3
    for kind, name, count in info.tally:
        words = f"{name} {count}"
        width = round(2.6 * mark) + font.size(words)[0]
        if x + width > right:
            return
        draw_mark(
            target, p.kind_marks[kind], (x + mark, y + font.get_linesize() / 2), mark, info.colour
        )
        text.draw(target, font, words, p["muted"], (x + round(2.6 * mark), y))
        x += width + round(14 * scale)


def _draw_record(target, info: ActorInfo, p: Palette, scale: float, area: pygame.Rect) -> None:
    """One mark per turn played, in rows from the oldest; where the rows do not all fit, the
    latest that do."""
    cell = max(8, round(16 * scale))
    per_row = max(1, area.width // cell)
    rows_fit = area.height // cell
    if rows_fit < 1 or not info.moves:
        return
    rows = -(-len(info.moves) // per_row)
    first = max(0, rows - rows_fit) * per_row
    for at, kind in enumerate(info.moves[first:]):
        if kind not in p.kind_marks:
            continue
        row, column = divmod(at, per_row)
        centre = (area.left + column * cell + cell / 2, area.top + row * cell + cell / 2)
        draw_mark(target, p.kind_marks[kind], centre, cell * 0.32, info.colour)
