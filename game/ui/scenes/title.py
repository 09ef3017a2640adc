"""The title screen: new game, continue, load, settings, quit."""

from __future__ import annotations

import pygame

from game import saves
from game.ui.loading import finished, read_game
from game.ui.scenes.base import Scene
from game.ui.scenes.setup import OpponentPicker, SetupScreen, random_seed
from game.ui.widgets import text


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


__all__ = ["OpponentPicker", "SetupScreen", "TitleScreen", "random_seed", "read_game"]
