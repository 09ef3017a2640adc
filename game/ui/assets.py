"""The game's look, loaded from assets/: the widget theme, the drawing palette and the fonts.

Nothing in game/ui names a colour, a font file or a text size; it asks this module. The widget
theme (assets/theme.json, pygame_gui's format) is scaled here so that layout and text grow with
the window and the UI scale setting instead of blurring a scaled-up surface.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pygame

from game import data_dir

ASSETS = data_dir("assets")
THEME_PATH = ASSETS / "theme.json"
PALETTE_PATH = ASSETS / "palette.json"
FONTS = ASSETS / "fonts"
SOUNDS = ASSETS / "sounds"
FLAGS = ASSETS / "flags"

Colour = pygame.Color


def _colour(text: str) -> pygame.Color:
    return pygame.Color(text)


@cache
def palette_data() -> dict[str, Any]:
    with PALETTE_PATH.open(encoding="utf-8") as file:
        return json.load(file)


@cache
def theme_data() -> dict[str, Any]:
    with THEME_PATH.open(encoding="utf-8") as file:
        return json.load(file)


def scaled_theme(scale: float) -> dict[str, Any]:
    """The widget theme with every font size, list row height and tooltip width multiplied by
    `scale`."""
    theme = copy.deepcopy(theme_data())
    for block in theme.values():
        if not isinstance(block, dict):
            continue
        font = block.get("font")
        if isinstance(font, dict) and "size" in font:
            font["size"] = str(max(8, round(float(font["size"]) * scale)))
        misc = block.get("misc")
        for key in ("list_item_height", "rect_width"):
            if isinstance(misc, dict) and key in misc:
                misc[key] = str(round(float(misc[key]) * scale))
    return theme


def widget_font(
    theme: dict[str, Any], object_id: str | None, class_id: str | None, element: str = "button"
) -> tuple[str, int, str]:
    """(family, size, style) of the font a widget of this id and class draws its text with,
    looked up as pygame_gui does: object id, then class, then element type, then defaults."""
    for key in (object_id, class_id, element, "defaults"):
        font = theme.get(key, {}).get("font") if key else None
        if isinstance(font, dict) and "size" in font:
            style = "bold" if font.get("bold") == "1" else "regular"
            return font.get("name", "png_sans"), int(font["size"]), style
    return "png_sans", 15, "regular"


def widget_padding(theme: dict[str, Any], class_id: str | None) -> int:
    """Horizontal room a button's text cannot use: its padding and border on both sides."""
    misc = theme.get(class_id or "button", {}).get("misc", {}) or theme["button"]["misc"]
    pad = float(misc.get("text_horiz_alignment_padding", 8))
    border = float(misc.get("border_width", 1))
    return round(2 * (pad + border)) + 4


def font_files() -> dict[str, dict[str, Path]]:
    """Font name -> style -> file, as palette.json lists them."""
    return {
        name: {style: FONTS / file for style, file in styles.items()}
        for name, styles in palette_data()["fonts"].items()
    }


def theme_font_specs(theme: dict[str, Any]) -> list[dict[str, Any]]:
    """Every (font, size, style) the scaled theme uses, for preloading."""
    specs = {}
    for block in theme.values():
        font = block.get("font") if isinstance(block, dict) else None
        if not isinstance(font, dict):
            continue
        bold = font.get("bold", "0") == "1"
        italic = font.get("italic", "0") == "1"
        style = (
            "bold_italic"
            if bold and italic
            else "bold"
            if bold
            else "italic"
            if italic
            else "regular"
        )
        name, size = font.get("name", "png_sans"), int(font.get("size", 15))
        # Text boxes switch to bold and italic inside one block of text: preload those too.
        for variant in {style, "regular", "bold", "italic", "bold_italic"}:
            specs[(name, size, variant)] = {"name": name, "point_size": size, "style": variant}
    return list(specs.values())


@dataclass
class Palette:
    """Colours, alphas and sizes for what the game draws itself."""

    colours: dict[str, pygame.Color]
    alphas: dict[str, int]
    bands: list[pygame.Color]
    sizes: dict[str, int]
    text_sizes: dict[str, int]
    kind_marks: dict[str, str]
    _fonts: dict[tuple[str, str, int], pygame.font.Font] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pygame.Color:
        return self.colours[name]

    def with_alpha(self, name: str, alpha_name: str | None = None) -> pygame.Color:
        colour = pygame.Color(self.colours[name])
        colour.a = self.alphas[alpha_name or name]
        return colour

    def band_colours(self, count: int) -> list[pygame.Color]:
        """`count` colours spread along the colour-blind-safe band scale, calm to hot."""
        stops = self.bands
        if count == 1:
            return [pygame.Color(stops[0])]
        result = []
        for i in range(count):
            position = i * (len(stops) - 1) / (count - 1)
            low = int(position)
            high = min(low + 1, len(stops) - 1)
            result.append(stops[low].lerp(stops[high], position - low))
        return result

    def font(self, size_name: str, scale: float, style: str = "regular", family: str = "png_sans"):
        """A bundled font at a named size, scaled; cached because loading a TTF is slow."""
        return self.font_px(max(8, round(self.text_sizes[size_name] * scale)), style, family)

    def font_px(self, size: int, style: str = "regular", family: str = "png_sans"):
        """A bundled font at a size in pixels (as the widget theme gives them)."""
        key = (family, style, size)
        font = self._fonts.get(key)
        if font is None:
            files = font_files()[family]
            path = files.get(style) or files["regular"]
            font = self._fonts[key] = pygame.font.Font(str(path), size)
        return font


@cache
def palette() -> Palette:
    data = palette_data()
    return Palette(
        colours={k: _colour(v) for k, v in data["colours"].items()},
        alphas=dict(data["alphas"]),
        bands=[_colour(c) for c in data["tension_bands"]],
        sizes=dict(data["sizes"]),
        text_sizes=dict(data["text_sizes"]),
        kind_marks=dict(data["kind_marks"]),
    )


@cache
def flag_image(actor_id: str) -> pygame.Surface | None:
    """The actor's flag from assets/flags/<id>.png, or None (the UI then shows its colour)."""
    path = FLAGS / f"{actor_id}.png"
    if not path.is_file():
        return None
    return pygame.image.load(str(path))
