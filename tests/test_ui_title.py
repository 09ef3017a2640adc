"""The title screen offers the scenarios grouped as a player meets them: the tutorial, then the
historical crises in the order they happened, then the prisoner's dilemma, then the rest; each
with its date, its sides and a line of its summary, and each a click away from the new-game
screen. New files find their place from what they say about themselves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from test_ui_layout import SCALES, SIZES, check

from game.ui.catalogue import group_of, one_line, read_folder, read_listing, shelves, when
from game.ui.driver import click, press, run_frames, start_app
from game.ui.loading import SCENARIOS
from game.ui.scenes.title import TitleScreen
from game.ui.settings import Settings
from game.ui.widgets import text

SHIPPED = {
    "tutorial.yaml": "tutorial",
    "expulsions_1986.yaml": "historical",
    "expulsion_2016.yaml": "historical",
    "skripal_2018.yaml": "historical",
    "prisoners_dilemma.yaml": "game_theory",
    "worked_example.yaml": "other",
    "worked_example_three.yaml": "other",
}


pytestmark = pytest.mark.usefixtures("private_dirs")


def historical_copy(folder: Path, name: str, title: str, opening: str, start: str) -> None:
    """The 2016 scenario under another id, title and calendar: a historical crisis arriving as
    a new file (the title screen reads the schema only, so the copy's history dates may fall
    outside its calendar)."""
    source = (SCENARIOS / "expulsion_2016.yaml").read_text(encoding="utf-8")
    changed = (
        source.replace("id: expulsion_2016", f"id: {Path(name).stem}")
        .replace('title: "Persona Non Grata: December 2016"', f'title: "{title}"')
        .replace("opening_date: 2016-12-29", f"opening_date: {opening}")
        .replace("start_date: 2016-12-30", f"start_date: {start}")
    )
    assert changed.count(title) == 1 and opening in changed and start in changed
    (folder / name).write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The shipped scenarios and two historical crises arriving as new files, named and titled
    so that neither the file names nor the titles sort them by date."""
    folder = tmp_path_factory.mktemp("scenarios")
    for name in SHIPPED:
        shutil.copy(SCENARIOS / name, folder / name)
    historical_copy(folder, "zz_1971.yaml", "Zeta: September 1971", "1971-09-24", "1971-09-25")
    historical_copy(folder, "aa_2001.yaml", "A Spring in 2001", "2001-03-22", "2001-03-23")
    return folder


EXPECTED = [
    "Tutorial: The Hundred and Five",
    "Zeta: September 1971",
    "Persona Non Grata: Autumn 1986",
    "A Spring in 2001",
    "Persona Non Grata: December 2016",
    "Salisbury, March 2018",
    "The Iterated Prisoner's Dilemma",
    "April 2021: Ten for Ten",
    "The Depot Affair (three capitals)",
]
HEADINGS = ["START HERE", "HISTORICAL CRISES", "GAME THEORY", "MORE SCENARIOS"]


def drawn() -> list[tuple[pygame.Rect, str]]:
    return list(text.RECORDER.drawn)


def open_title(size, scale, folder) -> tuple:
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    title = TitleScreen(app, folder)
    app.go(title)
    run_frames(app, 1)
    return app, title


def shown_cards(title) -> list[str]:
    """The scenario buttons on screen, top to bottom."""
    cards = sorted(title.cards, key=lambda b: b.get_abs_rect().top)
    return [title.listings[title.cards[b]].title for b in cards]


def test_each_shipped_scenario_is_classified_from_its_own_data():
    for name, group in SHIPPED.items():
        assert group_of(read_listing(SCENARIOS / name)) == group, name


def test_the_shipped_historical_crises_are_listed_in_the_order_they_happened():
    shelf = next(s for s in shelves(read_folder(SCENARIOS)) if s.key == "historical")
    assert [item.path.name for item in shelf.listings] == [
        "expulsions_1986.yaml",
        "expulsion_2016.yaml",
        "skripal_2018.yaml",
    ]


def test_a_card_says_when_and_what_without_a_bare_dateline():
    listing = read_listing(SCENARIOS / "expulsion_2016.yaml")
    assert when(listing.model) == "29 December 2016"
    line = one_line(listing.model.metadata.summary)
    assert line.startswith("Washington expels 35 Russian diplomats")
    assert when(read_listing(SCENARIOS / "prisoners_dilemma.yaml").model) == "1980"


def test_the_order_is_tutorial_history_by_date_then_game_theory_then_the_rest(folder):
    app, title = open_title((1920, 1080), 1.0, folder)
    try:
        assert [item.title for item in title.listings] == EXPECTED
        assert shown_cards(title) == EXPECTED  # a tall window holds them all, in that order
        words = drawn()
        headings = sorted((r.top, w) for r, w in words if w in HEADINGS)
        assert [w for _, w in headings] == HEADINGS
        cards = {title.listings[i].title: b.get_abs_rect() for b, i in title.cards.items()}
        # each card sits under its own group's heading
        group_top = {w: t for t, w in headings}
        assert group_top["START HERE"] < cards[EXPECTED[0]].top < group_top["HISTORICAL CRISES"]
        assert group_top["HISTORICAL CRISES"] < cards[EXPECTED[1]].top
        assert cards[EXPECTED[5]].top < group_top["GAME THEORY"] < cards[EXPECTED[6]].top
        assert cards[EXPECTED[6]].top < group_top["MORE SCENARIOS"] < cards[EXPECTED[7]].top
    finally:
        app.close()


def test_each_card_shows_its_date_sides_and_one_line(folder):
    app, title = open_title((1920, 1080), 1.0, folder)
    try:
        words = drawn()
        for button, index in title.cards.items():
            listing = title.listings[index]
            rect = button.get_abs_rect()
            beside = [
                w
                for r, w in words
                if r.left > rect.right
                and r.colliderect(pygame.Rect(r.left, rect.top, 1, rect.height))
            ]
            below = [
                w
                for r, w in words
                if 0 <= r.top - rect.bottom < rect.height and r.left <= rect.left + 4
            ]
            model = listing.model
            facts = " ".join(beside)
            assert when(model) in facts, listing.title
            for actor in model.actors:
                assert actor.name in facts, listing.title
            line = one_line(model.metadata.summary)
            assert len(below) == 1, listing.title
            if below[0] != line:  # cut to the panel: an ellipsis, and the whole as a tooltip
                assert below[0].endswith("…") and line.startswith(below[0][:-1].rstrip())
                assert line in [w for _, w in text.RECORDER.cut], listing.title
    finally:
        app.close()


def test_the_keyboard_scrolls_a_small_window_through_every_scenario_in_order(folder):
    app, title = open_title((1024, 600), 2.0, folder)
    try:
        assert len(title.cards) < len(EXPECTED)  # the window cannot hold them all
        first = min(title.cards, key=lambda b: title.cards[b])
        title.set_focus(first)
        seen = []
        for step in range(len(EXPECTED)):
            if step:
                press(app, pygame.K_DOWN)
            focused = title.current_focus()
            seen.append(title.listings[title.cards[focused]].title)
            assert focused.visible and app.window.get_rect().contains(focused.get_abs_rect())
        assert seen == EXPECTED
        for _ in range(len(EXPECTED) - 1):
            press(app, pygame.K_UP)
        assert title.listings[title.cards[title.current_focus()]].title == EXPECTED[0]
        check(app, "title scrolled back to the top at 1024x600, 200%")
    finally:
        app.close()


def test_the_mouse_wheel_scrolls_the_list_and_stops_at_its_ends(folder):
    app, title = open_title((1024, 600), 1.0, folder)
    try:
        panel = title.rects["scenarios"]
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=panel.center, rel=(0, 0), buttons=(0, 0, 0))
        )
        for _ in range(20):
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False))
        run_frames(app, 2)
        assert shown_cards(title)[-1] == EXPECTED[-1]
        assert shown_cards(title)[0] != EXPECTED[0]
        check(app, "title scrolled to the end at 1024x600")
        for _ in range(20):
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
        run_frames(app, 2)
        assert shown_cards(title)[0] == EXPECTED[0]
    finally:
        app.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_the_title_screen_fits_with_every_scenario_and_a_broken_file(size, scale, folder, tmp_path):
    crowded = tmp_path / "scenarios"
    shutil.copytree(folder, crowded)
    (crowded / "broken.yaml").write_text("metadata: {id: broken}\n", encoding="utf-8")
    app, title = open_title(size, scale, crowded)
    try:
        assert any(item.model is None for item in title.listings)
        check(app, f"title at {size[0]}x{size[1]}, {round(scale * 100)}%")
        assert len(title.cards) >= 2
    finally:
        app.close()


def test_choosing_a_scenario_opens_the_new_game_screen_with_it_chosen():
    app = start_app((1920, 1080), Settings(ui_scale=1.0, muted=True))
    try:
        for name in ("tutorial.yaml", "prisoners_dilemma.yaml", "skripal_2018.yaml"):
            title = TitleScreen(app)
            app.go(title)
            run_frames(app, 1)
            button = next(b for b, i in title.cards.items() if title.listings[i].path.name == name)
            click(app, button.get_abs_rect().center)
            assert app.top.name == "setup"
            assert app.top.entry.path.name == name
            assert app.top.actor == app.top.entry.scenario.player_actor
    finally:
        app.close()


def test_the_title_lists_scenarios_without_the_engine(folder, monkeypatch):
    """A first run compiles the engine while the title screen shows, so listing the scenarios
    must not load them whole (that runs the engine): with loading and the engine made to fail,
    the title screen still lists every scenario."""
    import game.engine.engine
    import game.scenario.load

    def refuse(*args, **kwargs):
        raise AssertionError("the title screen loaded a scenario whole")

    monkeypatch.setattr(game.scenario.load, "_build", refuse)
    monkeypatch.setattr(game.engine.engine.Engine, "__init__", refuse)
    assert [item.title for item in read_folder(folder) if item.model is None] == []
    app, title = open_title((1920, 1080), 1.0, folder)
    try:
        assert shown_cards(title) == EXPECTED
    finally:
        app.close()
