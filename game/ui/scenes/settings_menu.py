"""Settings: UI scale (75% to 200%), sound and full screen; kept between sessions."""

from __future__ import annotations

from game.ui.scenes.menu import Item, MenuOverlay
from game.ui.settings import SCALES


class SettingsMenu(MenuOverlay):
    name = "settings"
    heading = "Settings"

    def items(self) -> list[Item]:
        s = self.app.settings
        percent = round(s.ui_scale * 100)
        smaller = (lambda: self.scale(-1)) if s.ui_scale > SCALES[0] else None
        larger = (lambda: self.scale(1)) if s.ui_scale < SCALES[-1] else None
        return [
            (f"Larger text and layout  (now {percent}%)", larger, None),
            (f"Smaller text and layout  (now {percent}%)", smaller, None),
            ("Sound: off" if s.muted else "Sound: on", self.mute, None),
            (
                "Full screen: on  (F11)" if s.fullscreen else "Full screen: off  (F11)",
                self.fullscreen,
                None,
            ),
            ("Back  (Esc)", lambda: self.parent, None),
        ]

    def scale(self, direction: int):
        self.app.change_scale(direction)
        return None

    def mute(self):
        self.app.toggle_mute()
        return self.refresh()

    def fullscreen(self):
        self.app.toggle_fullscreen()
        return None
