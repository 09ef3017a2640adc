"""Settings: UI scale (75% to 200%), sound and full screen; kept between sessions."""

from __future__ import annotations

from game.ui.scenes.menu import Item, MenuOverlay
from game.ui.settings import SCALES


class SettingsMenu(MenuOverlay):
    name = "settings"
    heading = "Settings"
    width = 560

    def items(self) -> list[Item]:
        s = self.app.settings
        percent = f"now {self.note()}"
        smaller = (lambda: self.scale(-1)) if s.ui_scale > SCALES[0] else None
        larger = (lambda: self.scale(1)) if s.ui_scale < SCALES[-1] else None
        return [
            (f"Larger text and layout  ({percent})", larger, self.note()),
            (f"Smaller text and layout  ({percent})", smaller, self.note()),
            ("Sound: off" if s.muted else "Sound: on", self.mute, None),
            (
                "Full screen: on  (F11)" if s.fullscreen else "Full screen: off  (F11)",
                self.fullscreen,
                None,
            ),
            ("Back  (Esc)", lambda: self.parent, None),
        ]

    def note(self) -> str:
        """The scale setting, and the scale in use when the window cannot fit it."""
        asked = round(self.app.settings.ui_scale * 100)
        if self.app.scale_capped:
            return f"{asked}%; {round(self.app.scale * 100)}% fits this window"
        return f"{asked}%"

    def scale(self, direction: int):
        self.app.change_scale(direction)
        return None

    def mute(self):
        self.app.toggle_mute()
        return self.refresh()

    def fullscreen(self):
        self.app.toggle_fullscreen()
        return None
