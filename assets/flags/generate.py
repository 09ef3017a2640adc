"""Draw the flags the bundled scenarios use (public-domain designs, drawn by the project).

Run `python assets/flags/generate.py` to rebuild them. A scenario actor whose id has no
`<id>.png` here is shown with a swatch of its colour instead.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame

HERE = Path(__file__).resolve().parent
HEIGHT = 160


def _star(surface: pygame.Surface, centre: tuple[float, float], radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    pygame.draw.polygon(surface, "#FFFFFF", points)


def russia() -> pygame.Surface:
    surface = pygame.Surface((HEIGHT * 3 // 2, HEIGHT))
    third = HEIGHT / 3
    for i, colour in enumerate(("#FFFFFF", "#0039A6", "#D52B1E")):
        pygame.draw.rect(surface, colour, (0, round(i * third), surface.width, math.ceil(third)))
    return surface


def united_states() -> pygame.Surface:
    width = round(HEIGHT * 1.9)
    surface = pygame.Surface((width, HEIGHT))
    stripe = HEIGHT / 13
    for i in range(13):
        colour = "#B22234" if i % 2 == 0 else "#FFFFFF"
        top = round(i * stripe)
        pygame.draw.rect(surface, colour, (0, top, width, round((i + 1) * stripe) - top))
    canton_w, canton_h = round(width * 0.4), round(stripe * 7)
    pygame.draw.rect(surface, "#3C3B6E", (0, 0, canton_w, canton_h))
    dx, dy = canton_w / 12, canton_h / 10
    for row in range(9):
        columns = range(1, 12, 2) if row % 2 == 0 else range(2, 11, 2)
        for col in columns:
            _star(surface, (col * dx, (row + 1) * dy), dy * 0.62)
    return surface


def main() -> None:
    pygame.init()
    pygame.image.save(russia(), str(HERE / "rus.png"))
    pygame.image.save(united_states(), str(HERE / "usa.png"))


if __name__ == "__main__":
    main()
