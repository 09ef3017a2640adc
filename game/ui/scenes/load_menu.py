"""Load a saved game: the autosave and the slots, broken ones listed with their problem."""

from __future__ import annotations

import html

from game import saves
from game.errors import UserError
from game.ui.loading import finished, read_game
from game.ui.scenes.menu import Item, MenuOverlay
from game.ui.scenes.pause import describe_save
from game.ui.scenes.popups import Confirm, Message


class LoadMenu(MenuOverlay):
    name = "load"
    heading = "Load game"
    width = 700

    def items(self) -> list[Item]:
        items: list[Item] = []
        for slot, found in saves.list_saves():
            name = "Autosave" if slot == "autosave" else slot.replace("slot", "Slot ")
            if isinstance(found, saves.SaveError):
                reason = str(found).split(": ", 1)[-1]
                items.append((f"{name}: cannot be loaded ({reason})", None, reason))
            else:
                status = describe_save(slot, found)
                if finished(slot):
                    status += " (finished: opens the end screen)"
                items.append((f"{name}: {status}", lambda s=slot: self.load(s), status))
        if not items:
            items.append(("No saved games yet", None, None))
        items.append(("Back  (Esc)", lambda: self.parent, None))
        return items

    def load(self, slot: str):
        try:
            loaded = read_game(slot)
        except UserError as error:
            return Message(self.app, self, "This save cannot be loaded", html.escape(str(error)))
        if loaded.changed:
            body = (
                "The scenario file has changed since this game was saved. The saved moves will be "
                "replayed under the new version, which may play out differently."
            )
            return Confirm(
                self.app,
                self,
                "Scenario changed",
                body,
                "Continue anyway",
                lambda: self.start(loaded),
            )
        return self.start(loaded)

    def start(self, loaded):
        from game.ui.scenes.crisis_room import CrisisRoom
        from game.ui.scenes.end_screen import EndScreen

        try:
            session = loaded.session()
        except saves.SaveError as error:
            return Message(self.app, self, "This save cannot be loaded", html.escape(str(error)))
        if session.over:
            return EndScreen(self.app, session)
        return CrisisRoom(self.app, session)
