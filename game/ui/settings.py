"""The player's settings (UI scale, sound, full screen), kept as JSON in the user's config folder.

A missing or unreadable file means the defaults: settings are a comfort, never a reason for the
game not to start. Writing is atomic (temporary file, then rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

SCALES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
DEFAULT_WINDOW = (1280, 720)


@dataclass
class Settings:
    ui_scale: float = 1.0
    muted: bool = False
    fullscreen: bool = False
    window: list[int] = field(default_factory=lambda: list(DEFAULT_WINDOW))
    """The last windowed size, restored when full screen is left and at the next start."""

    def window_size(self) -> tuple[int, int]:
        return int(self.window[0]), int(self.window[1])

    def step_scale(self, direction: int) -> None:
        index = min(range(len(SCALES)), key=lambda i: abs(SCALES[i] - self.ui_scale))
        self.ui_scale = SCALES[max(0, min(len(SCALES) - 1, index + direction))]


def settings_path() -> Path:
    override = os.environ.get("PNG_CONFIG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_config_dir("persona-non-grata"))
    return folder / "settings.json"


def load_settings() -> Settings:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        scale = float(data.get("ui_scale", 1.0))
        window = [int(v) for v in data.get("window", DEFAULT_WINDOW)][:2]
        if len(window) != 2 or min(window) < 200 or max(window) > 16384:
            window = list(DEFAULT_WINDOW)
        return Settings(
            ui_scale=min(max(scale, SCALES[0]), SCALES[-1]),
            muted=bool(data.get("muted", False)),
            fullscreen=bool(data.get("fullscreen", False)),
            window=window,
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Settings()


def save_settings(settings: Settings) -> None:
    """Write the settings atomically; a failure is ignored (the game goes on with them)."""
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".settings.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(asdict(settings), file, indent=1)
        os.replace(temp, path)
    except OSError:
        pass
