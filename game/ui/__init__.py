"""The pygame game: scenes, widgets and the window loop. It presents the engine and holds no
rules of its own."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
