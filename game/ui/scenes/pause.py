"""The pause menu (Esc) and the save slots."""

from __future__ import annotations

import datetime

from game import saves
from game.ui.scenes.menu import Item, MenuOverlay


class PauseMenu(MenuOverlay):
    name = "pause"
    heading = "Paused"

    def items(self) -> list[Item]:
        app = self.app
        in_game = hasattr(self.parent, "session") and not self.parent.session.over
        sound = "Sound: off" if app.settings.muted else "Sound: on"
        screen = "Full screen: on  (F11)" if app.settings.fullscreen else "Full screen: off  (F11)"
        return [
            ("Resume  (Esc)", lambda: self.parent, None),
            ("Save game", (lambda: SaveSlots(app, self)) if in_game else None, None),
            ("Load game", self.load, None),
            ("Settings", self.settings, None),
            (sound, self.mute, "Turn the sound effects on or off"),
            (screen, self.fullscreen, None),
            ("Main menu", self.main_menu, "The game is autosaved after every turn"),
            ("Quit game", self.quit, "The game is autosaved after every turn"),
        ]

    def load(self):
        from game.ui.scenes.load_menu import LoadMenu

        return LoadMenu(self.app, self)

    def settings(self):
        from game.ui.scenes.settings_menu import SettingsMenu

        return SettingsMenu(self.app, self)

    def mute(self):
        self.app.toggle_mute()
        return self.refresh()

    def fullscreen(self):
        self.app.toggle_fullscreen()
        return None

    def main_menu(self):
        from game.ui.scenes.title import TitleScreen

        return TitleScreen(self.app)

    def quit(self):
        self.app.quit()
        return None


class SaveSlots(MenuOverlay):
    name = "save_slots"
    heading = "Save game"
    width = 560

    def items(self) -> list[Item]:
        existing = dict(saves.list_saves())
        items: list[Item] = []
        for number, slot in enumerate(saves.SLOTS[1:], start=1):
            found = existing.get(slot)
            if found is None:
                label = f"Slot {number}: empty"
            elif isinstance(found, saves.SaveError):
                label = f"Slot {number}: unreadable (will be replaced)"
            else:
                label = f"Slot {number}: {describe_save(slot, found)}"
            items.append((label, lambda s=slot: self.save(s), None))
        items.append(("Back", lambda: self.parent, None))
        return items

    def save(self, slot: str):
        session = self.parent.parent.session
        try:
            saves.write_save(session.to_save(), slot)
        except (saves.SaveError, ValueError) as error:
            self.app.toast(f"Could not save: {error}", 5.0)
            return None
        self.app.toast(f"Saved in {slot.replace('slot', 'slot ')}")
        return self.parent.parent


def saved_at(slot: str) -> str:
    """When the slot's file was last written, in local time."""
    try:
        stamp = (saves.save_dir() / f"{slot}.json").stat().st_mtime
    except OSError:
        return "unknown time"
    return f"{datetime.datetime.fromtimestamp(stamp):%d %b %Y %H:%M}"


def describe_save(slot: str, save: saves.SaveGame) -> str:
    """Scenario, side, the turn the game stands at (as the game's title bar counts it) and
    when it was saved."""
    from game.ui.loading import resolve_scenario_path, scenario_names

    title, names = scenario_names(resolve_scenario_path(save.scenario_path))
    side = " and ".join(names.get(a, a) for a in save.player_actors) or "computer"
    return f"{title}, as {side}, turn {len(save.moves) + 1}, saved {saved_at(slot)}"
