"""The title screen and the game setup: scenario, side, opponent and seed."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UITextEntryLine

from game import saves
from game.errors import UserError
from game.ui.labels import DEFAULT_OPPONENT, OPPONENTS, strategy_description, strategy_label
from game.ui.loading import (
    ScenarioEntry,
    finished,
    open_scenario,
    read_game,
    scenario_entries,
)
from game.ui.scenes.base import Scene
from game.ui.scenes.popups import Message
from game.ui.session import HUMAN, GameSession
from game.ui.widgets import text

if TYPE_CHECKING:
    from game.ui.app import App


def random_seed() -> int:
    """A fresh seed, short enough to read out and type back in to replay a game."""
    return int(np.random.SeedSequence().entropy % 1_000_000)


class TitleScreen(Scene):
    name = "title"

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        width, row, gap = app.px(360), app.px(46), app.px(10)
        x = (w - width) // 2
        y = round(h * 0.42)
        autosave = self._autosave()
        resumable = isinstance(autosave, saves.SaveGame) and self._resumable()
        cont = f"Continue  (turn {len(autosave.moves) + 1})" if resumable else "Continue"
        items = [
            ("New game", self.new_game),
            (cont, self.continue_game if resumable else None),
            ("Load game", self.load),
            ("Settings", self.settings),
            ("Quit", self.quit),
        ]
        for label, action in items:
            button = self.button(pygame.Rect(x, y, width, row), label, action or (lambda: None))
            if action is None:
                button.disable()
                self.focus_order.remove(button)
            y += row + gap
        self.set_focus(self.focus_order[1] if resumable else self.focus_order[0])

    def _resumable(self) -> bool:
        """Whether the autosave is a game still going (worked out once: it replays the game)."""
        if not hasattr(self, "_going"):
            self._going = finished("autosave") is False
        return self._going

    def _autosave(self):
        for slot, found in saves.list_saves():
            if slot == "autosave":
                return found
        return None

    def new_game(self):
        return SetupScreen(self.app)

    def continue_game(self):
        from game.ui.scenes.load_menu import LoadMenu

        return LoadMenu(self.app, self).load("autosave")

    def load(self):
        from game.ui.scenes.load_menu import LoadMenu

        return LoadMenu(self.app, self)

    def settings(self):
        from game.ui.scenes.settings_menu import SettingsMenu

        return SettingsMenu(self.app, self)

    def quit(self):
        self.app.quit()
        return None

    def on_escape(self):
        return None

    def draw(self, surface: pygame.Surface) -> None:
        app, p, s = self.app, self.app.palette, self.app.scale
        w, h = surface.get_size()
        bands = p.band_colours(5)
        stripe = max(2, app.px(6))
        for i, colour in enumerate(bands):
            pygame.draw.rect(surface, colour, (i * w // 5, 0, w // 5 + 1, stripe))
        title = p.font("title", s * 1.3, "bold", "png_serif")
        text.draw(
            surface,
            title,
            "PERSONA NON GRATA",
            p["accent_bright"],
            (w // 2, round(h * 0.2)),
            "center",
        )
        sub = p.font("large", s, "regular", "png_serif")
        text.draw(
            surface,
            sub,
            "Retaliate, restrain or wait: a game of diplomatic reciprocity",
            p["muted"],
            (w // 2, round(h * 0.2) + title.get_linesize()),
            "center",
        )
        small = p.font("small", s)
        hint = "Arrow keys or Tab to move, Enter to choose, F11 for full screen"
        text.draw(surface, small, hint, p["faint"], (w // 2, h - app.px(20)), "midbottom")


class SetupScreen(Scene):
    name = "setup"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.entries: list[ScenarioEntry] = scenario_entries()
        self.selected = next((i for i, e in enumerate(self.entries) if e.scenario), 0)
        # A broken file can be selected to read its whole error; it cannot be started.
        self.actor = None
        self.opponent = OPPONENTS.index(DEFAULT_OPPONENT)
        self.seed = random_seed()
        self.seed_entry = None
        self.path_entry = None
        self.rects: dict[str, pygame.Rect] = {}
        self._reset_actor()

    def regions(self) -> dict[str, pygame.Rect]:
        return dict(self.rects)

    @property
    def entry(self) -> ScenarioEntry | None:
        return self.entries[self.selected] if self.entries else None

    def _reset_actor(self) -> None:
        entry = self.entry
        if entry and entry.scenario:
            self.actor = entry.scenario.player_actor

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        m, g = app.px(24), app.px(16)
        top = app.px(86)
        left = pygame.Rect(m, top, round(w * 0.38), h - top - m)
        right = pygame.Rect(left.right + g, top, w - m - left.right - g, left.height)
        self.rects = {"left": left, "right": right}
        pad = app.px(14)
        row = app.px(40)
        y = left.top + pad + app.px(30)
        for i, entry in enumerate(self.entries):
            label = entry.title if entry.scenario else f"{entry.path.name}: {entry.error}"
            rect = pygame.Rect(left.left + pad, y, left.width - 2 * pad, row)
            object_id = "#chosen" if i == self.selected else None
            self.button(
                rect, label, lambda i=i: self.pick(i), object_id, "@choice", tooltip=entry.error
            )
            y += row + app.px(6)
        path_y = left.bottom - pad - row
        self.add(
            UILabel(
                pygame.Rect(left.left + pad, path_y - app.px(28), left.width - 2 * pad, app.px(24)),
                "Or open a scenario file:",
                manager=app.manager,
                object_id=ObjectID("#muted", None),
            )
        )
        self.path_entry = self.add(
            UITextEntryLine(
                pygame.Rect(left.left + pad, path_y, left.width - 2 * pad - app.px(96), row),
                manager=app.manager,
                placeholder_text="path/to/scenario.yaml",
            ),
            focusable=True,
        )
        self.button(
            pygame.Rect(left.right - pad - app.px(88), path_y, app.px(88), row),
            "Open",
            self.open_path,
        )
        self._build_options(right, pad, row)

    def _build_options(self, right: pygame.Rect, pad: int, row: int) -> None:
        app = self.app
        entry = self.entry
        y = right.top + round(right.height * 0.42)
        x = right.left + pad
        width = right.width - 2 * pad
        if entry is None or entry.scenario is None:
            return
        sc = entry.scenario
        side = f"Your side: {sc.actor_name(self.actor)}   (change)"
        self.button(pygame.Rect(x, y, width, row), side, self.next_side, class_id="@choice")
        y += row + app.px(8)
        opponent = f"Opponent: {strategy_label(OPPONENTS[self.opponent])}   (choose)"
        self.button(
            pygame.Rect(x, y, width, row),
            opponent,
            self.pick_opponent,
            class_id="@choice",
            tooltip=strategy_description(OPPONENTS[self.opponent]),
        )
        y += row + app.px(8)
        label_w = app.px(70)
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
        y += row + app.px(22)
        half = (width - app.px(12)) // 2
        start = self.button(pygame.Rect(x, y, half, app.px(50)), "Start game", self.start)
        self.button(
            pygame.Rect(x + half + app.px(12), y, half, app.px(50)), "Back  (Esc)", self.back
        )
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
        return TitleScreen(self.app)

    def on_escape(self):
        return self.back()

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        if not self.rects:
            return
        app, p, s = self.app, self.app.palette, self.app.scale
        w = surface.get_width()
        text.draw(
            surface,
            p.font("headline", s * 1.2, "bold", "png_serif"),
            "New game",
            p["accent_bright"],
            (app.px(24), app.px(44)),
            "midleft",
        )
        for name in ("left", "right"):
            rect = self.rects[name]
            pygame.draw.rect(surface, p["panel"], rect)
            pygame.draw.rect(surface, p["panel_border"], rect, 1)
        pad = app.px(14)
        left, right = self.rects["left"], self.rects["right"]
        head = p.font("body", s, "bold")
        text.draw(surface, head, "Scenario", p["text"], (left.left + pad, left.top + pad))
        entry = self.entry
        if entry is None:
            return
        if entry.scenario is None:
            area = pygame.Rect(
                right.left + pad, right.top + pad, right.width - 2 * pad, right.height - 2 * pad
            )
            words = f"{entry.path.name} cannot be played. {entry.error}"
            text.draw_wrapped(surface, head, words, p["loss"], area)
            return
        sc = entry.scenario
        title = p.font("headline", s, "bold", "png_serif")
        text.draw(
            surface,
            title,
            text.fit(title, sc.title, right.width - 2 * pad),
            p["accent_bright"],
            (right.left + pad, right.top + pad),
        )
        area = pygame.Rect(
            right.left + pad,
            right.top + pad + title.get_linesize() + app.px(8),
            right.width - 2 * pad,
            round(right.height * 0.42) - title.get_linesize() - 2 * pad,
        )
        text.draw_wrapped(surface, p.font("body", s), sc.model.metadata.summary, p["text"], area)
        del w


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


__all__ = ["OpponentPicker", "SetupScreen", "TitleScreen", "random_seed", "read_game"]
