"""The new-game screen: choose a scenario, read its briefing, pick a side, an opponent and a seed.

A large window shows the whole briefing in a column of its own between the scenarios and the
choices, with type a little larger for reading at a distance; a small one (down to 1024x600 at
any scale) keeps the scenarios on the left and stacks the briefing above the choices, dropping
the briefing's least important sections first.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UITextEntryLine

from game.errors import UserError
from game.ui.catalogue import ordered
from game.ui.labels import (
    DEFAULT_OPPONENT,
    KIND_KEYS,
    OPPONENTS,
    kind_label,
    strategy_description,
    strategy_label,
)
from game.ui.loading import DEFAULT_SCENARIO, ScenarioEntry, open_scenario, scenario_entries
from game.ui.scenes.base import Scene
from game.ui.scenes.popups import Message
from game.ui.session import HUMAN, GameSession
from game.ui.widgets import text
from game.ui.widgets.briefing import draw_briefing, short_line

if TYPE_CHECKING:
    from game.ui.app import App

WIDE = 1360
"""Window width, in pixels at the UI scale, from which the briefing gets a column of its own."""
CONTENT = (1760, 1000)
"""The most the screen's panels take, in pixels at the UI scale; a larger window centres them."""


@dataclass(frozen=True)
class SetupLayout:
    """Where the new-game screen's parts go, from the window size and the UI scale."""

    heading: pygame.Rect  # "New game", above the panels
    scenarios: pygame.Rect  # the scenarios to choose from, and a file to open
    briefing: pygame.Rect  # the chosen scenario's briefing (drawn)
    options: pygame.Rect  # side, opponent, seed, start
    wide: bool  # three columns; else the briefing sits above the options
    type_scale: float  # the briefing's type, relative to the UI scale

    def regions(self) -> dict[str, pygame.Rect]:
        return {"scenarios": self.scenarios, "briefing": self.briefing, "options": self.options}


def setup_layout(size: tuple[int, int], scale: float, options_height: int) -> SetupLayout:
    """Three columns on a wide window (scenarios, briefing, choices), two on a narrow one with
    the choices, `options_height` pixels tall, under the briefing."""
    w, h = size

    def px(v: float) -> int:
        return round(v * scale)

    margin, gap = px(24), px(16)
    width = min(w - 2 * margin, px(CONTENT[0]))
    height = min(h - px(80) - margin, px(CONTENT[1]))
    lower = (h - px(80) - margin - height) // 2  # a taller window centres heading and panels
    top = px(80) + lower
    left = (w - width) // 2
    heading = pygame.Rect(left, px(14) + lower, width, px(56))
    wide = w / scale >= WIDE
    if wide:
        list_w = max(px(260), min(px(340), round(width * 0.22)))
        options_w = max(px(340), min(px(420), round(width * 0.26)))
        scenarios = pygame.Rect(left, top, list_w, height)
        options = pygame.Rect(left + width - options_w, top, options_w, height)
        briefing = pygame.Rect(
            scenarios.right + gap, top, options.left - gap - scenarios.right - gap, height
        )
        type_scale = min(1.25, max(1.0, w / scale / 1536))
    else:
        list_w = round(width * 0.33)
        scenarios = pygame.Rect(left, top, list_w, height)
        right = pygame.Rect(scenarios.right + gap, top, width - list_w - gap, height)
        options = pygame.Rect(
            right.left, right.bottom - options_height, right.width, options_height
        )
        briefing = pygame.Rect(right.left, right.top, right.width, options.top - gap - right.top)
        type_scale = 1.0
    return SetupLayout(heading, scenarios, briefing, options, wide, type_scale)


class SetupScreen(Scene):
    name = "setup"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.entries: list[ScenarioEntry] = ordered(scenario_entries())
        self.selected = self._default_choice()
        # A broken file can be selected to read its whole error; it cannot be started.
        self.actor = None
        self.opponent = OPPONENTS.index(DEFAULT_OPPONENT)
        self.seed = random_seed()
        self.seed_entry = None
        self.path_entry = None
        self.layout: SetupLayout | None = None
        self.captions: list[tuple[str, tuple[int, int], int, str]] = []
        """Words drawn between the widgets: (words, where, width, palette colour)."""
        self.opponent_words = pygame.Rect(0, 0, 0, 0)
        """Where a wide screen says what the chosen opponent does."""
        self.primer = pygame.Rect(0, 0, 0, 0)
        """Where a wide screen says how a turn is played, if it has the room."""
        self._reset_actor()

    def regions(self) -> dict[str, pygame.Rect]:
        return self.layout.regions() if self.layout is not None else {}

    def _default_choice(self) -> int:
        """The game's default scenario (the one `play` starts), else the first that loads."""
        for i, entry in enumerate(self.entries):
            if entry.scenario is not None and entry.path.resolve() == DEFAULT_SCENARIO.resolve():
                return i
        return next((i for i, e in enumerate(self.entries) if e.scenario), 0)

    @property
    def entry(self) -> ScenarioEntry | None:
        return self.entries[self.selected] if self.entries else None

    def _reset_actor(self) -> None:
        entry = self.entry
        if entry and entry.scenario:
            self.actor = entry.scenario.player_actor

    # -- widgets --------------------------------------------------------------------------------

    def _rows(self) -> tuple[int, int, int, int]:
        """(pad, row, start, small line) in pixels: the options panel's measures."""
        app = self.app
        return (
            app.px(14),
            app.px(40),
            app.px(50),
            app.palette.font("small", app.scale).get_linesize(),
        )

    def _narrow_options_height(self) -> int:
        """The choices' height under the briefing; a file that cannot be played only has
        Back, so its error can take the room."""
        pad, row, start, line = self._rows()
        if self.entry is None or self.entry.scenario is None:
            return 2 * pad + line + self.app.px(12) + start
        return 2 * pad + 3 * row + 2 * self.app.px(8) + self.app.px(18) + start

    def build(self) -> None:
        app = self.app
        self.layout = lay = setup_layout(
            app.window.get_size(), app.scale, self._narrow_options_height()
        )
        pad, row, _, line = self._rows()
        box = lay.scenarios
        self.captions = []
        head = app.palette.font("body", app.scale, "bold")
        y = box.top + pad + head.get_linesize() + app.px(8)
        path_y = box.bottom - pad - row
        # On a wide window each scenario says when it is set and how long it runs, if the
        # list still fits above the file to open.
        step = row + app.px(6) + (line + app.px(6) if lay.wide else 0)
        described = lay.wide and y + len(self.entries) * step <= path_y - app.px(36)
        if not described:
            step = row + app.px(6)
        for i, entry in enumerate(self.entries):
            label = entry.title if entry.scenario else f"{entry.path.name}: {entry.error}"
            rect = pygame.Rect(box.left + pad, y, box.width - 2 * pad, row)
            object_id = "#chosen" if i == self.selected else None
            self.button(
                rect, label, lambda i=i: self.pick(i), object_id, "@choice", tooltip=entry.error
            )
            if described:
                words = (
                    short_line(entry.scenario)
                    if entry.scenario
                    else "Cannot be played: it has errors"
                )
                colour = "muted" if entry.scenario else "loss"
                at = (rect.left + app.px(2), rect.bottom + app.px(3))
                self.captions.append((words, at, rect.width, colour))
            y += step
        self.add(
            UILabel(
                pygame.Rect(box.left + pad, path_y - app.px(28), box.width - 2 * pad, app.px(24)),
                "Or open a scenario file:",
                manager=app.manager,
                object_id=ObjectID("#muted", None),
            )
        )
        self.path_entry = self.add(
            UITextEntryLine(
                pygame.Rect(box.left + pad, path_y, box.width - 2 * pad - app.px(96), row),
                manager=app.manager,
                placeholder_text="path/to/scenario.yaml",
            ),
            focusable=True,
        )
        self.button(
            pygame.Rect(box.right - pad - app.px(88), path_y, app.px(88), row),
            "Open",
            self.open_path,
        )
        self._build_options()

    def _build_options(self) -> None:
        """Side, opponent and seed, then Start and Back; on a wide window each with a line
        saying what it means, and Start and Back at the foot of the column."""
        app, lay = self.app, self.layout
        entry = self.entry
        if entry is None or entry.scenario is None:
            pad, _, start_h, _ = self._rows()
            top = lay.options.top + pad
            if lay.wide:
                top += app.palette.font("body", app.scale, "bold").get_linesize() + app.px(10)
            words = "Choose a scenario that loads to play it."
            self.captions.append(
                (words, (lay.options.left + pad, top), lay.options.width - 2 * pad, "muted")
            )
            back = pygame.Rect(0, 0, app.px(200), start_h)
            back.bottomright = (lay.options.right - pad, lay.options.bottom - pad)
            self.set_focus(self.button(back, "Back  (Esc)", self.back))
            return
        sc = entry.scenario
        pad, row, start_h, line = self._rows()
        box = lay.options
        x, width = box.left + pad, box.width - 2 * pad
        y = box.top + pad
        wide = lay.wide
        if wide:
            y += app.palette.font("body", app.scale, "bold").get_linesize() + app.px(10)
        caption_gap = app.px(4)

        def caption(words: str) -> None:
            nonlocal y
            self.captions.append((words, (x, y), width, "muted"))
            y += line + caption_gap

        if wide:
            caption("You play")
        side = f"Your side: {sc.actor_name(self.actor)}   (change)"
        self.button(pygame.Rect(x, y, width, row), side, self.next_side, class_id="@choice")
        y += row + (app.px(18) if wide else app.px(8))
        opponent = OPPONENTS[self.opponent]
        if wide:
            caption("Against")
        self.button(
            pygame.Rect(x, y, width, row),
            f"Opponent: {strategy_label(opponent)}   (choose)",
            self.pick_opponent,
            class_id="@choice",
            tooltip=strategy_description(opponent),
        )
        y += row + app.px(8)
        if wide:
            self.opponent_words = pygame.Rect(x, y, width, 3 * line)
            y += 3 * line + app.px(18)
            caption("Seed: the same seed and moves play the same game again")
        label_w = app.px(70) if not wide else 0
        if not wide:
            self.add(UILabel(pygame.Rect(x, y, label_w, row), "Seed", manager=app.manager))
        self.seed_entry = self.add(
            UITextEntryLine(
                pygame.Rect(x + label_w, y, app.px(160), row),
                manager=app.manager,
                initial_text=str(self.seed),
            ),
            focusable=True,
        )
        self.seed_entry.set_allowed_characters("numbers")
        self.button(
            pygame.Rect(x + label_w + app.px(170), y, app.px(140), row),
            "New seed",
            self.new_seed,
            class_id="@choice",
        )
        if wide:
            bottom = box.bottom - pad
            back = pygame.Rect(x, bottom - start_h, width, start_h)
            play = pygame.Rect(x, back.top - app.px(10) - start_h, width, start_h)
            top = y + row + app.px(28)
            self.primer = pygame.Rect(x, top, width, play.top - app.px(20) - top)
        else:
            y += row + app.px(18)
            half = (width - app.px(12)) // 2
            play = pygame.Rect(x, y, half, start_h)
            back = pygame.Rect(x + half + app.px(12), y, half, start_h)
        start = self.button(play, "Start game", self.start)
        self.button(back, "Back  (Esc)", self.back)
        self.set_focus(start)

    # -- choices --------------------------------------------------------------------------------

    def _read_seed(self) -> None:
        if self.seed_entry is not None:
            digits = self.seed_entry.get_text().strip()
            if digits.isdigit():
                self.seed = min(int(digits), 2**63 - 1)

    def _refresh(self):
        self._read_seed()
        focus = self.focus_index
        self.rebuild()
        if focus is not None and self.focus_order:
            self.focus_index = min(focus, len(self.focus_order) - 1)
            self._show_focus()
        return None

    def pick(self, index: int):
        self.selected = index
        self._reset_actor()
        return self._refresh()

    def next_side(self):
        sc = self.entry.scenario
        playable = [a for a in range(sc.n_actors) if sc.model.actors[a].playable] or list(
            range(sc.n_actors)
        )
        position = playable.index(self.actor) if self.actor in playable else -1
        self.actor = playable[(position + 1) % len(playable)]
        return self._refresh()

    def pick_opponent(self):
        return OpponentPicker(self.app, self)

    def set_opponent(self, index: int):
        self.opponent = index
        self._refresh()
        return self

    def new_seed(self):
        self.seed = random_seed()
        if self.seed_entry is not None:
            self.seed_entry.set_text(str(self.seed))
        return None

    def open_path(self):
        path = self.path_entry.get_text().strip() if self.path_entry else ""
        if not path:
            return Message(
                self.app, self, "Open a scenario", "Type the path of a scenario file first."
            )
        try:
            scenario = open_scenario(Path(path).expanduser())
        except UserError as error:
            return Message(self.app, self, "This scenario cannot be used", html.escape(str(error)))
        self.entries.append(ScenarioEntry(Path(path).expanduser(), scenario, None))
        return self.pick(len(self.entries) - 1)

    def start(self):
        from game.ui.scenes.crisis_room import CrisisRoom

        self._read_seed()
        entry = self.entry
        if entry is None or entry.scenario is None:
            return None
        sc = entry.scenario
        opponent = OPPONENTS[self.opponent]
        others = [a for a in range(sc.n_actors) if a != self.actor]
        if opponent == HUMAN:
            humans, names = [self.actor, *others], {}
        else:
            humans, names = [self.actor], dict.fromkeys(others, opponent)
        session = GameSession.start(sc, str(entry.path), self.seed, humans, names)
        return CrisisRoom(self.app, session)

    def back(self):
        from game.ui.scenes.title import TitleScreen

        return TitleScreen(self.app)

    def on_escape(self):
        return self.back()

    def roles(self) -> dict[int, str]:
        """Who plays each side of the chosen scenario, as the briefing names them."""
        sc = self.entry.scenario
        opponent = OPPONENTS[self.opponent]
        roles = {}
        for actor in range(sc.n_actors):
            if actor == self.actor:
                roles[actor] = "You"
            elif opponent == HUMAN:
                roles[actor] = "A second player"
            else:
                roles[actor] = f"Computer: {strategy_label(opponent)}"
        return roles

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        lay = self.layout
        if lay is None:
            return
        app, p, s = self.app, self.app.palette, self.app.scale
        w = surface.get_width()
        stripe = max(2, app.px(6))
        for i, colour in enumerate(p.band_colours(5)):
            pygame.draw.rect(surface, colour, (i * w // 5, 0, w // 5 + 1, stripe))
        text.draw(
            surface,
            p.font("headline", s * 1.2, "bold", "png_serif"),
            "New game",
            p["accent_bright"],
            (lay.heading.left, lay.heading.centery),
            "midleft",
        )
        for rect in lay.regions().values():
            pygame.draw.rect(surface, p["panel"], rect)
            pygame.draw.rect(surface, p["panel_border"], rect, 1)
        pad = app.px(14)
        head = p.font("body", s, "bold")
        box = lay.scenarios
        text.draw(surface, head, "Scenarios", p["text"], (box.left + pad, box.top + pad))
        small = p.font("small", s)
        for words, at, width, colour in self.captions:
            text.draw_fit(surface, small, words, p[colour], at, width)
        entry = self.entry
        if lay.wide:
            options = lay.options
            text.draw(
                surface, head, "Your game", p["text"], (options.left + pad, options.top + pad)
            )
        if entry is None:
            return
        inner = pad if not lay.wide else app.px(22)
        area = lay.briefing.inflate(-2 * inner, -2 * inner)
        if entry.scenario is None:
            words = f"{entry.path.name} cannot be played. {entry.error}"
            text.draw_wrapped(surface, head, words, p["loss"], area)
            return
        scale = s * lay.type_scale
        draw_briefing(surface, area, entry.scenario, p, scale, self.roles())
        if lay.wide:
            opponent = OPPONENTS[self.opponent]
            words = strategy_description(opponent)
            text.draw_wrapped(surface, small, words, p["text"], self.opponent_words)
            self._draw_primer(surface, entry.scenario)

    def _draw_primer(self, surface: pygame.Surface, sc) -> None:
        """How a turn is played, in the scenario's words for the moves, where there is room
        for all of it (the crisis room says it again on the first turn)."""
        p, s = self.app.palette, self.app.scale
        head = p.font("small", s, "bold")
        small = p.font("small", s)
        kinds = [k for k in (0, 1, 2) if any(v.kind == k for v in sc.variants[self.actor])]
        named = [f"{kind_label(sc, k)} [{KIND_KEYS[k]}]" for k in kinds]
        choice = ", ".join(named[:-1]) + f" or {named[-1]}" if len(named) > 1 else named[0]
        words = (
            f"Choose {choice}: each lists its moves. Select a move to read it and see its "
            "forecast, the chance of each ending and what may change; Enter plays it. Esc "
            "opens the menu, and hovering over a number says why it moved."
        )
        rule = head.get_linesize()
        area = pygame.Rect(self.primer.left, self.primer.top + rule, self.primer.width, 0)
        area.height = self.primer.height - rule
        if area.height < text.lines_needed(small, words, area.width):
            return
        text.draw(surface, head, "EACH TURN", p["muted"], self.primer.topleft)
        text.draw_wrapped(surface, small, words, p["text"], area)


def random_seed() -> int:
    """A fresh seed, short enough to read out and type back in to replay a game."""
    import numpy as np

    return int(np.random.SeedSequence().entropy % 1_000_000)


class OpponentPicker(Scene):
    """Every opponent in one list, each with what it does: the focused one is described below
    the list, so a player compares them without starting a game."""

    overlay = True
    name = "opponents"

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        pad, gap = app.px(16), app.px(6)
        columns = 2 if w >= app.px(760) else 1
        rows = -(-len(OPPONENTS) // columns)
        describe = app.px(64)
        room = h - 24 - 2 * pad - app.px(40) - describe
        row = max(app.px(24), min(app.px(36), room // rows - gap))
        height = 2 * pad + app.px(40) + rows * (row + gap) + describe
        inner = self.dialog(min(w - 24, app.px(820) if columns == 2 else app.px(420)), height)
        self.add(
            UILabel(
                pygame.Rect(pad, pad, inner.width - 2 * pad, app.px(32)),
                "Choose your opponent",
                manager=app.manager,
                container=self.root,
                object_id=ObjectID(object_id="#heading", class_id=None),
            )
        )
        width = (inner.width - 2 * pad - gap * (columns - 1)) // columns
        self.describe_at = pygame.Rect(
            pad, pad + app.px(40) + rows * (row + gap), inner.width - 2 * pad, describe - pad // 2
        )
        self.choices: dict[object, int] = {}
        for i, name in enumerate(OPPONENTS):
            column, line = divmod(i, rows)
            rect = pygame.Rect(
                pad + column * (width + gap), pad + app.px(40) + line * (row + gap), width, row
            )
            button = self.button(
                rect,
                strategy_label(name),
                lambda i=i: self.parent.set_opponent(i),
                "#chosen" if i == self.parent.opponent else None,
                "@choice",
                tooltip=strategy_description(name),
            )
            self.choices[button] = i
        chosen = next(b for b, i in self.choices.items() if i == self.parent.opponent)
        self.set_focus(chosen)

    def teardown(self) -> None:
        super().teardown()
        self.root = None

    def draw_after(self, surface: pygame.Surface) -> None:
        focused = self.current_focus()
        if focused in getattr(self, "choices", {}) and self.root is not None:
            p, s = self.app.palette, self.app.scale
            name = OPPONENTS[self.choices[focused]]
            origin = self.root.get_abs_rect().topleft
            area = self.describe_at.move(origin)
            words = f"{strategy_label(name)}: {strategy_description(name)}"
            text.draw_wrapped(surface, p.font("small", s), words, p["text"], area)
        super().draw_after(surface)
