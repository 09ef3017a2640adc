"""Optional sound effects from assets/sounds, with a mute switch; silence if there is no audio.

The mixer opens on the first sound actually played, so a muted or off-screen game never touches
the audio device.
"""

from __future__ import annotations

import pygame

from game.ui.assets import SOUNDS

NAMES = ("click", "turn", "event", "end", "refused")


class Sound:
    def __init__(self, muted: bool = False) -> None:
        self.muted = muted
        self._sounds: dict[str, pygame.mixer.Sound] | None = None

    def _load(self) -> dict[str, pygame.mixer.Sound]:
        if self._sounds is None:
            self._sounds = {}
            try:
                pygame.mixer.init()
                for name in NAMES:
                    self._sounds[name] = pygame.mixer.Sound(str(SOUNDS / f"{name}.wav"))
            except (pygame.error, FileNotFoundError):
                self._sounds = {}
        return self._sounds

    def play(self, name: str) -> None:
        if self.muted:
            return
        sound = self._load().get(name)
        if sound is not None:
            sound.play()
