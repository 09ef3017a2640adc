"""Optional sound effects from assets/sounds, with a mute switch; silence if there is no audio."""

from __future__ import annotations

import pygame

from game.ui.assets import SOUNDS

NAMES = ("click", "turn", "event", "end", "refused")


class Sound:
    def __init__(self, muted: bool = False) -> None:
        self.muted = muted
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        try:
            pygame.mixer.init()
            for name in NAMES:
                self._sounds[name] = pygame.mixer.Sound(str(SOUNDS / f"{name}.wav"))
        except (pygame.error, FileNotFoundError):
            self._sounds = {}

    @property
    def available(self) -> bool:
        return bool(self._sounds)

    def play(self, name: str) -> None:
        sound = self._sounds.get(name)
        if sound is not None and not self.muted:
            sound.play()
