"""The title screen: continue, new game, load, settings and quit, beside the scenarios grouped
as a player meets them (the tutorial, the historical crises by date, game theory, the rest).

Choosing a scenario opens the new-game screen with it chosen. The list shows as many scenarios
as the window holds and scrolls (arrow keys, Tab or the mouse wheel) when there are more.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game import saves
from game.ui.assets import theme_data, widget_font, widget_padding
from game.ui.catalogue import Listing, Shelf, facts, one_line, read_folder, shelves
from game.ui.loading import SCENARIOS, finished, read_game
from game.ui.scenes.base import Scene
from game.ui.scenes.setup import OpponentPicker, SetupScreen, random_seed
from game.ui.widgets import text

if TYPE_CHECKING:
    from game.ui.app import App

CONTENT_WIDTH = 1240
"""The most the menu and the scenario panel take side by side, in pixels at the UI scale."""
TALL = 760
"""Window height, in pixels at the UI scale, from which the title is set larger."""


@dataclass(frozen=True)
class Caption:
    """Words the screen draws between its widgets."""

    words: str
    at: tuple[int, int]
    width: int
    colour: str  # a palette name
    font: str  # "head", "facts", "line" or "note"
    anchor: str = "topleft"


class TitleScreen(Scene):
    name = "title"

    def __init__(self, app: App, folder: Path = SCENARIOS) -> None:
        super().__init__(app)
        self.shelves: list[Shelf] = shelves(read_folder(folder))
        self.listings: list[Listing] = [item for s in self.shelves for item in s.listings]
        self.first = 0
        """The first scenario shown; the list scrolls when the window cannot hold them all."""
        self.last = -1
        self.room = 0
        """The height the list had at the last layout, in pixels."""
        self.cards: dict[object, int] = {}
        """Each scenario's button, with the scenario's place in `listings`."""
        self.captions: list[Caption] = []
        self.rects: dict[str, pygame.Rect] = {}
        self.brand = pygame.Rect(0, 0, 0, 0)
        self.pointer: tuple[int, int] | None = None
        """Where the mouse last moved to: a wheel turn scrolls the list if it is over it."""

    def regions(self) -> dict[str, pygame.Rect]:
        return dict(self.rects)

    # -- measures -------------------------------------------------------------------------------

    def _fonts(self) -> dict[str, pygame.font.Font]:
        p, s = self.app.palette, self.app.scale
        tall = self.app.window.get_height() / s >= TALL
        return {
            "title": p.font("title", s * (1.3 if tall else 1.0), "bold", "png_serif"),
            "subtitle": p.font("large", s, "regular", "png_serif"),
            "panel": p.font("body", s, "bold"),
            "head": p.font("small", s, "bold"),
            "facts": p.font("small", s),
            "line": p.font("small", s),
            "note": p.font("small", s),
        }

    def _card_height(self, fonts) -> int:
        app = self.app
        return app.px(34) + app.px(3) + fonts["line"].get_linesize()

    def _heights(self, fonts) -> tuple[int, int, int, int]:
        """(panel header, group heading, card, gap after a card) in pixels."""
        app = self.app
        return (
            fonts["panel"].get_linesize() + app.px(10),
            fonts["head"].get_linesize() + app.px(4),
            self._card_height(fonts),
            app.px(10),
        )

    def _list_height(self, first: int, last: int, fonts) -> int:
        """The height the scenarios first to last take, with their groups' headings."""
        _, heading, card, gap = self._heights(fonts)
        height, group = 0, None
        for index in range(first, last + 1):
            shelf = self._shelf_of(index)
            if shelf is not group:
                height += heading + (self.app.px(8) if group is not None else 0)
                group = shelf
            height += card + (gap if index < last else 0)
        return height

    def _shelf_of(self, index: int) -> Shelf:
        count = 0
        for shelf in self.shelves:
            count += len(shelf.listings)
            if index < count:
                return shelf
        raise IndexError(index)

    def _last_that_fits(self, first: int, room: int, fonts) -> int:
        last = first - 1
        while last + 1 < len(self.listings) and self._list_height(first, last + 1, fonts) <= room:
            last += 1
        return max(last, min(first, len(self.listings) - 1))

    # -- widgets --------------------------------------------------------------------------------

    def build(self) -> None:
        app = self.app
        w, h = app.window.get_size()
        fonts = self._fonts()
        self.captions = []
        self.cards = {}
        margin = app.px(24)
        width = min(w - 2 * margin, app.px(CONTENT_WIDTH))
        left = (w - width) // 2
        brand_h = fonts["title"].get_linesize() + fonts["subtitle"].get_linesize() + app.px(4)
        hint_top = h - app.px(12) - fonts["note"].get_linesize()
        top = app.px(20) + brand_h + app.px(22)
        room = hint_top - app.px(12) - top
        row, gap = app.px(44), app.px(10)
        menu_h = 5 * row + 4 * gap
        menu_w = app.px(280)
        header, *_ = self._heights(fonts)
        pad = app.px(16)
        inner_room = room - 2 * pad - header
        everything = self._list_height(0, len(self.listings) - 1, fonts) if self.listings else 0
        panel_h = min(room, max(menu_h, everything + 2 * pad + header))
        # A tall window centres the title, the menu and the panel together.
        shift = max(0, (room - panel_h) // 2 - app.px(20))
        top += shift
        self.brand = pygame.Rect(left, app.px(20) + shift, width, brand_h)
        menu = pygame.Rect(left, top, menu_w, menu_h)
        panel = pygame.Rect(menu.right + app.px(24), top, width - menu_w - app.px(24), panel_h)
        self.rects = {"menu": menu, "scenarios": panel}
        self._build_menu(menu, row, gap)
        self._build_cards(panel, pad, header, inner_room, fonts)
        hint = "Arrow keys or Tab to move, Enter to choose, F11 for full screen"
        at = (w // 2, h - app.px(12))
        self.captions.append(Caption(hint, at, w, "faint", "note", "midbottom"))

    def _build_menu(self, menu: pygame.Rect, row: int, gap: int) -> None:
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
        y = menu.top
        for label, action in items:
            button = self.button(
                pygame.Rect(menu.left, y, menu.width, row), label, action or (lambda: None)
            )
            if action is None:
                button.disable()
                self.focus_order.remove(button)
            y += row + gap
        self.set_focus(self.focus_order[1] if resumable else self.focus_order[0])

    def _build_cards(self, panel: pygame.Rect, pad: int, header: int, room: int, fonts) -> None:
        app = self.app
        count = len(self.listings)
        x, inner_w = panel.left + pad, panel.width - 2 * pad
        self.captions.append(
            Caption("Scenarios", (x, panel.top + pad), inner_w // 2, "text", "panel")
        )
        if not count:
            words = "No scenarios found: open one from New game."
            at = (x, panel.top + pad + header)
            self.captions.append(Caption(words, at, inner_w, "muted", "line"))
            return
        scrolls = self._list_height(0, count - 1, fonts) > room
        # A list that scrolls keeps its last line to say what lies below.
        self.room = room - (fonts["note"].get_linesize() + app.px(6) if scrolls else 0)
        self.first = max(0, min(self.first, self._max_first(fonts)))
        self.last = self._last_that_fits(self.first, self.room, fonts)
        if scrolls:
            where = f"{self.first + 1}–{self.last + 1} of {count}"
            at = (panel.right - pad, panel.top + pad + app.px(2))
            self.captions.append(Caption(where, at, inner_w // 2, "muted", "note", "topright"))
            below = count - 1 - self.last
            words = (
                f"{below} more below: scroll, or use the arrow keys"
                if below
                else "The end of the list: scroll up for the rest"
            )
            at = (x, panel.bottom - pad - fonts["note"].get_linesize())
            self.captions.append(Caption(words, at, inner_w, "muted", "note"))
        _, heading, card_h, gap = self._heights(fonts)
        button_w = self._button_width(inner_w)
        y = panel.top + pad + header
        group = None
        for index in range(self.first, self.last + 1):
            listing = self.listings[index]
            shelf = self._shelf_of(index)
            if shelf is not group:
                if group is not None:
                    y += app.px(8)
                colour = "loss" if shelf.key == "broken" else "accent"
                words = shelf.heading.upper()
                self.captions.append(Caption(words, (x, y), inner_w, colour, "head"))
                y += heading
                group = shelf
            rect = pygame.Rect(x, y, button_w, app.px(34))
            model = listing.model
            tip = model.metadata.summary if model is not None else listing.error
            button = self.button(
                rect,
                listing.title,
                lambda listing=listing: self.choose(listing),
                class_id="@choice",
                tooltip=tip,
            )
            self.cards[button] = index
            beside = rect.right + app.px(12)
            if model is not None:
                what, colour, line = facts(model), "text", one_line(model.metadata.summary)
            else:
                what, colour, line = "Cannot be played", "loss", listing.error or ""
            middle = rect.centery - fonts["facts"].get_linesize() // 2
            room_beside = panel.right - pad - beside
            self.captions.append(Caption(what, (beside, middle), room_beside, colour, "facts"))
            at = (x + app.px(2), rect.bottom + app.px(3))
            self.captions.append(Caption(line, at, inner_w - app.px(2), "muted", "line"))
            y += card_h + gap

    def _button_width(self, inner_w: int) -> int:
        """Wide enough for the longest scenario name, within a third to a half of the panel."""
        app = self.app
        family, size, style = widget_font(theme_data(), None, "@choice")
        font = app.palette.font_px(max(8, round(size * app.scale)), style, family)
        widest = max(font.size(item.title)[0] for item in self.listings)
        need = widest + widget_padding(theme_data(), "@choice") + app.px(4)
        return max(min(need, inner_w // 2), inner_w // 3)

    # -- scrolling ------------------------------------------------------------------------------

    def move_focus(self, step: int) -> None:
        """Past the last scenario shown (or before the first), the list scrolls by one."""
        focused = self.current_focus()
        index = self.cards.get(focused)
        if index is not None:
            target = index + step
            if 0 <= target < len(self.listings) and not self.first <= target <= self.last:
                self._scroll_to(target)
                return
        super().move_focus(step)

    def _max_first(self, fonts) -> int:
        """The first scenario shown when the list is scrolled to its end."""
        end = len(self.listings) - 1
        first = max(end, 0)
        while first > 0 and self._list_height(first - 1, end, fonts) <= self.room:
            first -= 1
        return first

    def _scroll_to(self, index: int) -> None:
        fonts = self._fonts()
        if index < self.first:
            self.first = index
        else:
            while self._last_that_fits(self.first, self.room, fonts) < index:
                self.first += 1
        self._rebuild_keeping(index)

    def scroll(self, rows: int) -> None:
        """Move the list by `rows` scenarios (the mouse wheel), within its ends."""
        if not self.listings:
            return
        before = self.first
        self.first = max(0, min(self.first + rows, self._max_first(self._fonts())))
        if self.first != before:
            self._rebuild_keeping(self.cards.get(self.current_focus()))

    def _rebuild_keeping(self, index: int | None) -> None:
        """Lay the screen out again with the focus on scenario `index` (or where it was)."""
        focus = self.focus_index
        self.rebuild()
        if index is not None:
            button = next((b for b, i in self.cards.items() if i == index), None)
            if button is not None:
                self.set_focus(button)
                return
        if focus is not None and self.focus_order:
            self.focus_index = min(focus, len(self.focus_order) - 1)
            self._show_focus()

    def handle(self, event: pygame.event.Event) -> Scene | None:
        if event.type == pygame.MOUSEMOTION:
            self.pointer = event.pos
        if event.type == pygame.MOUSEWHEEL:
            panel = self.rects.get("scenarios")
            if panel is not None and panel.collidepoint(self.pointer or pygame.mouse.get_pos()):
                self.scroll(-int(event.y))
            return None
        return super().handle(event)

    # -- actions --------------------------------------------------------------------------------

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

    def choose(self, listing: Listing):
        """The new-game screen with this scenario chosen (its whole check happens there)."""
        setup = SetupScreen(self.app)
        for index, entry in enumerate(setup.entries):
            if entry.path.resolve() == listing.path.resolve():
                setup.selected = index
                if entry.scenario is not None:
                    setup.actor = entry.scenario.player_actor
                break
        return setup

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

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        app, p = self.app, self.app.palette
        w = surface.get_width()
        bands = p.band_colours(5)
        stripe = max(2, app.px(6))
        for i, colour in enumerate(bands):
            pygame.draw.rect(surface, colour, (i * w // 5, 0, w // 5 + 1, stripe))
        fonts = self._fonts()
        brand = self.brand
        title = text.draw_fit(
            surface,
            fonts["title"],
            "PERSONA NON GRATA",
            p["accent_bright"],
            (brand.centerx, brand.top),
            brand.width,
            "midtop",
        )
        text.draw_fit(
            surface,
            fonts["subtitle"],
            "Retaliate, restrain or wait: a game of diplomatic reciprocity",
            p["muted"],
            (brand.centerx, title.bottom + app.px(4)),
            brand.width,
            "midtop",
        )
        panel = self.rects.get("scenarios")
        if panel is not None:
            pygame.draw.rect(surface, p["panel"], panel)
            pygame.draw.rect(surface, p["panel_border"], panel, 1)
        for c in self.captions:
            text.draw_fit(surface, fonts[c.font], c.words, p[c.colour], c.at, c.width, c.anchor)


__all__ = ["OpponentPicker", "SetupScreen", "TitleScreen", "random_seed", "read_game"]
