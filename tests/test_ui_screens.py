"""Screenshots and the theme: what the player sees is drawn, in the right places, from assets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.ui.assets import THEME_PATH, palette, scaled_theme
from game.ui.board import board_layout

ROOT = Path(__file__).resolve().parent.parent


def run_play(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    code = (
        "import sys, argparse\n"
        "from game.ui.command import add_play_parser, run_play\n"
        "from game.ui.loading import DEFAULT_SCENARIO\n"
        "from game.errors import UserError\n"
        "p = argparse.ArgumentParser(); c = p.add_subparsers(dest='command')\n"
        "add_play_parser(c, DEFAULT_SCENARIO)\n"
        "try:\n    sys.exit(run_play(p.parse_args(sys.argv[1:])))\n"
        "except UserError as e:\n    print('main.py:', e, file=sys.stderr); sys.exit(2)\n"
    )
    env = dict(
        os.environ, PNG_SAVE_DIR=str(tmp_path / "saves"), PNG_CONFIG_DIR=str(tmp_path / "cfg")
    )
    env.pop("DISPLAY", None)
    env.pop("SDL_VIDEODRIVER", None)
    return subprocess.run(
        [sys.executable, "-c", code, "play", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def mean_colour(image: pygame.Surface, rect: pygame.Rect) -> float:
    region = pygame.surfarray.pixels3d(image.subsurface(rect))
    return float(region.mean())


def test_scripted_screenshots_have_the_panels_where_the_layout_puts_them(tmp_path):
    room, end = tmp_path / "room.png", tmp_path / "end.png"
    result = run_play(
        "--seed",
        "4",
        "--vs",
        "tit_for_tat",
        "--script",
        "S,R:token_expulsion,W",
        "--autoplay",
        "tit_for_tat",
        "--screenshot",
        str(room),
        "--screenshot-end",
        str(end),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    pygame.display.init()
    image = pygame.image.load(str(room))
    assert image.get_size() == (1280, 720)
    background = palette()["background"]
    lay = board_layout((1280, 720), 1.0)
    for name in ("actors", "gauge", "chart", "news", "actions"):
        rect = getattr(lay, name).inflate(-8, -8)
        # a panel is drawn there: its pixels differ from the bare background
        assert abs(mean_colour(image, rect) - sum(background[:3]) / 3) > 3, name
    gap = pygame.Rect(lay.actors.right + 2, lay.actors.top + 40, 8, 200)
    assert abs(mean_colour(image, gap) - sum(background[:3]) / 3) < 2  # the gutter stays empty
    end_image = pygame.image.load(str(end))
    colours = {end_image.get_at((x, y))[:3] for x in range(0, 1280, 37) for y in range(0, 720, 29)}
    assert len(colours) > 20  # not blank


def test_screenshot_end_before_the_end_is_a_clear_error(tmp_path):
    result = run_play(
        "--script", "S", "--screenshot-end", str(tmp_path / "e.png"), tmp_path=tmp_path
    )
    assert result.returncode == 2
    assert "not over" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "e.png").exists()


def test_bad_script_item_is_one_line(tmp_path):
    result = run_play("--script", "S,X", "--screenshot", str(tmp_path / "r.png"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--script item 2 'X'" in result.stderr and "Traceback" not in result.stderr


def test_without_a_display_the_game_says_so_in_one_line(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    code = "import sys; from game.ui.command import run_default; sys.exit(run_default())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3  # the documented status without a display (README, cli.py)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "No display" in lines[0]
    for command in ("validate", "simulate", "balance"):
        assert command in lines[0]


def test_theme_loads_with_the_keys_the_screens_use():
    theme = json.loads(THEME_PATH.read_text(encoding="utf-8"))
    for key in (
        "defaults",
        "button",
        "@kind",
        "#kind_retaliate",
        "#kind_restrain",
        "#kind_wait",
        "@variant",
        "#variant_unavailable",
        "text_box",
        "#news",
        "#error_panel",
        "#dim",
        "#dialog",
    ):
        assert key in theme, key
    assert all("colors" not in block for block in theme.values())  # pygame_gui reads 'colours' only
    pygame.display.init()
    pygame.font.init()
    import pygame_gui

    manager = pygame_gui.UIManager((100, 100))
    assert manager.get_theme().validate_theme_data(theme) == []
    bigger = scaled_theme(2.0)
    assert int(bigger["@kind"]["font"]["size"]) == 2 * int(theme["@kind"]["font"]["size"])


@pytest.mark.parametrize("count", [1, 3, 5, 8])
def test_band_colours_are_distinct_and_ordered_calm_to_hot(count):
    colours = palette().band_colours(count)
    assert len(colours) == count
    assert len({tuple(c) for c in colours}) == count
    if count > 1:
        assert colours[0].b > colours[0].r and colours[-1].r > colours[-1].b


@pytest.mark.parametrize(
    "size", [(1024, 600), (1280, 720), (1920, 1080)], ids=["1024x600", "1280x720", "1920x1080"]
)
@pytest.mark.parametrize("scale", [1.0, 2.0], ids=["100pct", "200pct"])
def test_a_long_tooltip_fits_in_the_window_beside_what_it_explains(
    size, scale, tmp_path, monkeypatch
):
    """A scenario's summary as a tooltip: at pygame_gui's default 170 pixels it grew taller
    than the window, so it was put in the corner over the menu. The theme's width (scaled
    with the UI) keeps it short enough to sit above or below the button it explains."""
    from game.scenario.load import load_scenario
    from game.ui.driver import start_app
    from game.ui.loading import DEFAULT_SCENARIO
    from game.ui.settings import Settings

    monkeypatch.setenv("PNG_CONFIG_DIR", str(tmp_path / "cfg"))
    summary = load_scenario(DEFAULT_SCENARIO).model.metadata.summary
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        middle = (size[0] // 2, size[1] // 2)
        tip = app.manager.create_tool_tip(summary, middle, (0, app.px(17)), None, None)
        window = app.window.get_rect()
        assert window.contains(tip.rect)
        assert tip.rect.bottom <= middle[1] - app.px(17) or tip.rect.top >= middle[1] + app.px(17)
        tip.kill()
    finally:
        app.close()
