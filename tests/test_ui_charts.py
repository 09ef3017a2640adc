"""The tension chart names its bands in words a player can read: each name is drawn whole, or
shortened with an ellipsis when the chart is too narrow for it (and then offered whole as a
tooltip), and never runs past the chart's edge."""

from __future__ import annotations

import os

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.ui.assets import palette
from game.ui.widgets import text
from game.ui.widgets.charts import TensionChart

BANDS = [("thaw", 32), ("chill", 55), ("cold", 70), ("crisis", 88), ("breaking point", 100)]
NAMES = [name for name, _ in BANDS]
TITLE = "Tension history"
VALUES = [52, 60, 71, 80, 94, 90, 64, 40]


def draw_chart(size: tuple[int, int], scale: float) -> tuple[pygame.Rect, list, list]:
    """The chart drawn at `size` inside a larger frame: where it is, and the text recorded."""
    pygame.font.init()
    frame = pygame.Surface((size[0] + 60, size[1] + 60))
    rect = pygame.Rect((30, 30), size)
    text.RECORDER.reset(frame)
    TensionChart(palette()).draw(frame, rect, VALUES, 20, BANDS, scale, title=TITLE)
    return rect, list(text.RECORDER.drawn), list(text.RECORDER.cut)


def band_labels(drawn) -> list[tuple[pygame.Rect, str]]:
    """The words drawn that are neither the title nor a figure of a scale: the band names."""
    return [(r, w) for r, w in drawn if w != TITLE and not w.isdigit()]


def is_whole_or_shortened(words: str) -> bool:
    if words in NAMES:
        return True
    stem = words.removesuffix("…")
    return words.endswith("…") and bool(stem) and any(n.startswith(stem) for n in NAMES)


@pytest.mark.parametrize(
    ("size", "scale"),
    [
        ((240, 150), 1.0),
        ((420, 190), 1.0),
        ((420, 380), 2.0),
        ((900, 400), 1.0),
        ((1500, 700), 2.0),
    ],
    ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else f"{round(v * 100)}pct",
)
def test_each_band_name_is_drawn_whole_or_with_an_ellipsis_inside_the_chart(size, scale):
    rect, drawn, cut = draw_chart(size, scale)
    labels = band_labels(drawn)
    assert labels, "no band is named"
    for where, words in labels:
        assert is_whole_or_shortened(words), f"band name clipped: {words!r}"
        assert rect.contains(where), f"band name {words!r} {where} runs out of the chart {rect}"
        if words not in NAMES:
            assert any(r == where and w in NAMES for r, w in cut), f"{words!r} has no tooltip"


@pytest.mark.parametrize(
    ("size", "scale"), [((900, 400), 1.0), ((1500, 700), 2.0)], ids=["900x400", "1500x700-200pct"]
)
def test_a_large_chart_names_every_band_whole(size, scale):
    _, drawn, _ = draw_chart(size, scale)
    assert sorted(w for _, w in band_labels(drawn)) == sorted(NAMES)


def _fan(low: float, high: float):
    """A forecast from the last turn on, between `low` and `high` tension."""
    from types import SimpleNamespace

    import numpy as np

    turns = np.arange(len(VALUES) - 1, len(VALUES) + 5)
    spread = np.linspace(low, high, 5)[:, None] + np.zeros((5, len(turns)))
    return SimpleNamespace(turns=turns, tension=spread)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_kept_chart_shows_the_forecast_of_now_and_no_earlier_one(scale):
    """The chart keeps its layers while moves are compared; what it shows must still be what a
    chart drawn afresh for the move of now shows: its fan, or none, never an earlier fan."""
    import numpy as np

    pygame.font.init()
    size, rect = (640, 260), pygame.Rect(0, 0, 640, 260)

    def pixels(chart: TensionChart, forecast) -> np.ndarray:
        frame = pygame.Surface(size)
        chart.draw(frame, rect, VALUES, 20, BANDS, scale, forecast=forecast)
        return pygame.surfarray.array3d(frame)

    kept = TensionChart(palette())
    first, second = _fan(10, 40), _fan(60, 95)
    for forecast in (first, second, None, second):
        assert np.array_equal(pixels(kept, forecast), pixels(TensionChart(palette()), forecast))
    assert not np.array_equal(pixels(kept, first), pixels(kept, None))
