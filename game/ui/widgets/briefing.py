"""A scenario's briefing, as the new-game screen shows it: what the crisis is, when and how long
it runs, who takes part, how it can end, and what it was written from.

Everything shown is read from the compiled scenario (and the player's choices, for who plays
whom). The sections are drawn in order of importance and each only if it fits whole, so a small
window shows the title and the story and a large one the whole briefing.
"""

from __future__ import annotations

from collections.abc import Mapping

import pygame

from game.engine.records import format_date
from game.scenario.compiled import CompiledScenario
from game.scenario.wording import COMPARISON_WORDS
from game.ui.assets import Palette
from game.ui.labels import shows_gauges
from game.ui.stakes import Mark, bar_marks, only_tension
from game.ui.widgets import text
from game.ui.widgets.actor_panel import scaled_flag


def calendar_line(scenario: CompiledScenario) -> str:
    """When the crisis starts and how long it can last, in a line."""
    turns = scenario.max_turns
    if not shows_gauges(scenario):
        return f"{turns} rounds"
    days = scenario.model.metadata.days_per_turn
    step = {1: "a day", 7: "a week", 14: "two weeks"}.get(days, f"{days} days")
    return f"From {format_date(scenario, 1)}  ·  up to {turns} turns of {step}"


def short_line(scenario: CompiledScenario) -> str:
    """A scenario in a few words, for the list to choose from: when, how long, how many."""
    sides = f"{scenario.n_actors} sides"
    if not shows_gauges(scenario):
        return f"{scenario.max_turns} rounds  ·  {sides}"
    start = scenario.date_of_turn(1)
    return f"{start:%B %Y}  ·  {scenario.max_turns} turns  ·  {sides}"


def ending_lines(scenario: CompiledScenario) -> list[str]:
    """Each way the crisis can end, with the tension it turns on as the rules read the
    condition (the marks the tension bars draw), and whether the last turn ends it too."""
    marks = bar_marks(scenario)
    lines = []
    for outcome in scenario.outcomes:
        parts = []
        own = [mark for mark in marks if mark.outcome.index == outcome.index]
        if own:
            words = " and ".join(_mark_words(scenario, mark) for mark in own)
            if not only_tension(outcome):
                words += ", among other conditions"
            if outcome.for_turns > 1:
                words += f", for {outcome.for_turns} turns"
            parts.append(words)
        if outcome.index == scenario.turn_limit_outcome:
            turn = "turn" if shows_gauges(scenario) else "round"
            parts.append(f"the last {turn}, {scenario.max_turns}, is played")
        lines.append(f"{outcome.title}: {'; or '.join(parts)}" if parts else outcome.title)
    return lines


def _mark_words(scenario: CompiledScenario, mark: Mark) -> str:
    """'tension at or above 85', or 'Vestria – Borea tension at or above 85' for one pair of
    a crisis of three sides or more."""
    sign = COMPARISON_WORDS[mark.op]
    what = "tension"
    if mark.pair is not None and scenario.n_actors > 2:
        a, b = (scenario.actor_name(actor) for actor in mark.pair)
        what = f"{a} – {b} tension"
    return f"{what} {sign} {mark.value:g}"


def draw_briefing(
    surface: pygame.Surface,
    rect: pygame.Rect,
    scenario: CompiledScenario,
    palette: Palette,
    scale: float,
    roles: Mapping[int, str],
) -> None:
    """The briefing inside `rect` at type scale `scale`; `roles` says who plays each side
    ("You", "Computer: Tit for tat", ...)."""
    p, s = palette, scale
    title = p.font("headline", s * 1.2, "bold", "png_serif")
    body = p.font("body", s)
    small = p.font("small", s)
    head = p.font("small", s, "bold")
    gap = round(14 * s)
    x, width = rect.left, rect.width
    y = rect.top
    text.draw_fit(surface, title, scenario.title, p["accent_bright"], (x, y), width)
    y += title.get_linesize()
    text.draw_fit(surface, small, calendar_line(scenario), p["accent"], (x, y), width)
    y += small.get_linesize() + gap // 2
    pygame.draw.line(surface, p["panel_border"], (x, y), (rect.right - 1, y))
    y += gap
    summary = scenario.model.metadata.summary
    area = pygame.Rect(x, y, width, max(0, rect.bottom - y))
    used = text.draw_wrapped(surface, body, summary, p["text"], area)
    y += used
    if used < text.lines_needed(body, summary, width):
        return  # the story was cut (its whole text is a tooltip): nothing fits below it
    if y + gap + _sides_height(scenario, head, body, small, s, width) > rect.bottom:
        return
    y = _draw_sides(surface, x, y + gap, width, scenario, p, s, roles, head, body, small)
    endings = ending_lines(scenario)
    needed = head.get_linesize() + len(endings) * small.get_linesize()
    if y + gap // 3 + needed > rect.bottom:
        return
    # How the crisis ends matters more than the air above it: a tight window closes the gap.
    y += gap if y + gap + needed <= rect.bottom else gap // 3
    text.draw(surface, head, "HOW IT ENDS", p["muted"], (x, y))
    y += head.get_linesize()
    for line in endings:
        text.draw_fit(surface, small, f"•  {line}", p["text"], (x, y), width)
        y += small.get_linesize()
    sources = scenario.model.metadata.sources
    if sources and y + gap + head.get_linesize() + small.get_linesize() <= rect.bottom:
        y += gap
        text.draw(surface, head, "SOURCES", p["muted"], (x, y))
        y += head.get_linesize()
        for i, source in enumerate(sources):
            last = y + 2 * small.get_linesize() > rect.bottom
            if last and i < len(sources) - 1:
                more = f"and {len(sources) - i} more"
                text.draw_fit(surface, small, more, p["faint"], (x, y), width)
                break
            text.draw_fit(surface, small, source, p["faint"], (x, y), width)
            y += small.get_linesize()


def _side_columns(scenario: CompiledScenario, width: int, scale: float) -> int:
    """The sides go side by side when each still gets a reasonable width."""
    n = scenario.n_actors
    return n if n <= 3 and width / n >= 220 * scale else 1


def _sides_height(scenario, head, body, small, scale: float, width: int) -> int:
    rows = -(-scenario.n_actors // _side_columns(scenario, width, scale))
    row = body.get_linesize() + 2 * small.get_linesize() + round(8 * scale)
    return head.get_linesize() + rows * row


def _draw_sides(surface, x, y, width, scenario, p, s, roles, head, body, small) -> int:
    """Each side: its flag, name, leader and who plays it; returns the y below them."""
    text.draw(surface, head, "THE SIDES", p["muted"], (x, y))
    y += head.get_linesize()
    columns = _side_columns(scenario, width, s)
    gap = round(16 * s)
    column_w = (width - gap * (columns - 1)) // columns
    row = body.get_linesize() + 2 * small.get_linesize() + round(8 * s)
    flag_h = round(28 * s)
    for i in range(scenario.n_actors):
        col, line = i % columns, i // columns
        left, top = x + col * (column_w + gap), y + line * row
        actor = scenario.model.actors[i]
        colour = pygame.Color(actor.colour)
        flag = scaled_flag(scenario.actor_ids[i], flag_h)
        if flag is not None:
            surface.blit(flag, (left, top + round(2 * s)))
            pygame.draw.rect(
                surface, p["panel_border"], (left, top + round(2 * s), *flag.get_size()), 1
            )
            name_x = left + flag.get_width() + round(10 * s)
        else:
            pygame.draw.rect(surface, colour, (left, top + round(2 * s), round(6 * s), flag_h))
            name_x = left + round(16 * s)
        room = left + column_w - name_x
        text.draw_fit(surface, body, scenario.actor_name(i), p["text"], (name_x, top), room)
        below = top + body.get_linesize()
        text.draw_fit(surface, small, actor.leader, p["muted"], (name_x, below), room)
        role = roles.get(i, "")
        tone = p["accent_bright"] if role == "You" else colour.lerp(p["text"], 0.35)
        below += small.get_linesize()
        text.draw_fit(surface, small, role, tone, (name_x, below), room)
    rows = -(-scenario.n_actors // columns)
    return y + rows * row
