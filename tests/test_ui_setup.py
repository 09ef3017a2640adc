"""The new-game screen uses a large window for the briefing and keeps a small one usable: what a
player reads there (the story, the sides, how it can end) follows the scenario and the choices
made, and sections are left out from the least important up when room runs short."""

from __future__ import annotations

import os
import re

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.ui.driver import run_frames, start_app
from game.ui.labels import OPPONENTS, strategy_description
from game.ui.scenes.setup import SetupScreen, setup_layout
from game.ui.session import HUMAN
from game.ui.settings import Settings
from game.ui.widgets import text
from game.ui.widgets.briefing import ending_lines

SECTIONS = ("THE SIDES", "HOW IT ENDS", "SOURCES")
"""The briefing's sections below the story, most important first."""


pytestmark = pytest.mark.usefixtures("private_dirs")


def open_setup(size, scale) -> tuple:
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    setup = SetupScreen(app)
    app.go(setup)
    run_frames(app, 1)
    return app, setup


def drawn() -> list[str]:
    return [words for _, words in text.RECORDER.drawn]


def briefing_words(setup) -> str:
    """The words drawn inside the briefing panel."""
    box = setup.layout.briefing
    return " ".join(w for r, w in text.RECORDER.drawn if box.contains(r))


def test_a_wide_window_gives_the_briefing_its_own_column_and_fills_the_screen():
    app, setup = open_setup((1920, 1080), 1.0)
    try:
        lay = setup.layout
        assert lay.wide
        assert lay.scenarios.right < lay.briefing.left < lay.briefing.right < lay.options.left
        panels = lay.scenarios.union(lay.options)
        assert panels.width >= 0.85 * 1920 and panels.height >= 0.8 * 1080
        words = briefing_words(setup)
        sc = setup.entry.scenario
        for expected in (*SECTIONS, sc.actor_name(0), sc.actor_name(1), *ending_lines(sc)):
            assert expected in words or expected in drawn(), expected
        assert any("Vladimir Putin" in w for w in drawn())
        # What the chosen opponent does is said next to the choice, not only in a tooltip.
        said = " ".join(w for r, w in text.RECORDER.drawn if lay.options.contains(r))
        assert strategy_description(OPPONENTS[setup.opponent]) in said
    finally:
        app.close()


@pytest.mark.parametrize(
    ("size", "scale"), [((1024, 600), 1.0), ((1024, 600), 2.0), ((1920, 1080), 2.0)]
)
def test_a_small_window_stacks_the_briefing_over_the_choices(size, scale):
    app, setup = open_setup(size, scale)
    try:
        lay = setup.layout
        assert not lay.wide
        assert lay.briefing.bottom < lay.options.top and lay.briefing.left == lay.options.left
        words = briefing_words(setup)
        assert setup.entry.scenario.title in words
        assert "29 December 2016" in words  # the story's first line is always there
        shown = [section in words for section in SECTIONS]
        assert shown == sorted(shown, reverse=True), f"a section shown below a missing one: {shown}"
    finally:
        app.close()


def test_the_briefing_type_is_larger_on_a_large_window_at_the_same_scale():
    wide = setup_layout((1920, 1080), 1.0, 240)
    narrow = setup_layout((1280, 720), 1.0, 240)
    assert wide.type_scale > 1.0 == narrow.type_scale
    heights = []
    for size in ((1280, 720), (1920, 1080)):
        app, _ = open_setup(size, 1.0)
        try:
            story = next(r for r, w in text.RECORDER.drawn if w.startswith("29 December 2016"))
            heights.append(story.height)
        finally:
            app.close()
    assert heights[1] > heights[0]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["wide", "narrow"])
def test_the_briefing_says_who_plays_each_side_as_chosen(size):
    app, setup = open_setup(size, 1.0)
    try:
        if "THE SIDES" not in drawn():
            pytest.skip("no room for the sides at this size")
        roles = {w for w in drawn() if w == "You" or w.startswith(("Computer:", "A second"))}
        assert roles == {"You", "Computer: Lookahead AI (normal)"}
        you = next(r for r, w in text.RECORDER.drawn if w == "You")
        setup.next_side()
        run_frames(app, 1)
        moved = next(r for r, w in text.RECORDER.drawn if w == "You")
        assert moved != you, "You did not move to the other side"
        setup.set_opponent(OPPONENTS.index(HUMAN))
        run_frames(app, 1)
        assert "A second player" in drawn()
    finally:
        app.close()


def test_every_scenario_shows_its_own_briefing_and_the_list_says_when_each_is_set():
    app, setup = open_setup((1920, 1080), 1.0)
    try:
        for index, entry in enumerate(setup.entries):
            setup.pick(index)
            run_frames(app, 1)
            words = briefing_words(setup)
            assert entry.scenario.title in words
            assert entry.scenario.model.metadata.summary.split()[0] in words
            assert any(f"{entry.scenario.max_turns} " in w for w in drawn() if "·" in w)
    finally:
        app.close()


def test_start_is_reached_by_keyboard_and_starts_the_chosen_game():
    app, setup = open_setup((1920, 1080), 1.0)
    try:
        setup.pick(3)  # not the first: the game started must be the one chosen
        chosen = setup.entries[3].scenario.title
        run_frames(app, 1)
        assert setup.current_focus().text == "Start game"  # where the focus starts
        for kind in (pygame.KEYDOWN, pygame.KEYUP):
            pygame.event.post(pygame.event.Event(kind, key=pygame.K_RETURN, mod=0))
        run_frames(app, 2)
        assert app.top.name == "crisis_room"
        assert app.top.session.scenario.title == chosen
    finally:
        app.close()


def scenario_buttons(setup) -> list[str]:
    """The scenarios' buttons as a player reads them, top to bottom."""
    box = setup.layout.scenarios
    rows = [
        b
        for b in setup.actions
        if box.contains(b.get_abs_rect())
        and b.text != "Open"
        and b.get_abs_rect().width > box.width // 2
    ]
    return [b.text for b in sorted(rows, key=lambda b: b.get_abs_rect().top)]


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 600)], ids=["wide", "narrow"])
def test_the_scenarios_are_listed_in_the_title_screens_order(size):
    """The tutorial, the historical crises by date, the game of pure strategy, then the rest;
    the 2016 crisis, which `play` starts by default, is still the one chosen."""
    from game.ui.catalogue import ordered, read_folder

    app, setup = open_setup(size, 1.0)
    try:
        titles = [listing.title for listing in ordered(read_folder())]
        shown = scenario_buttons(setup)
        assert len(shown) == len(titles)
        for label, title in zip(shown, titles, strict=True):
            assert label == title or (label.endswith("…") and title.startswith(label[:-1]))
        names = [entry.path.name for entry in setup.entries]
        assert names[:5] == [
            "tutorial.yaml",
            "expulsions_1986.yaml",
            "expulsion_2016.yaml",
            "skripal_2018.yaml",
            "prisoners_dilemma.yaml",
        ]
        assert setup.entry.path.name == "expulsion_2016.yaml"
    finally:
        app.close()


@pytest.mark.parametrize(
    "name", ["expulsion_2016.yaml", "worked_example_three.yaml", "skripal_2018.yaml"]
)
def test_how_it_ends_gives_the_tension_of_each_ending_as_the_rules_read_it(name):
    """A threshold inside a longer condition ("tension <= 32 and resting_tension_rus_usa <= 33")
    or on one pair's tension ("tension_vst_bor >= 85") is marked on the crisis room's tension
    bar; the briefing gives the same figure for that ending, and says when there is more to it."""
    from game.ui.stakes import bar_marks

    app, setup = open_setup((1920, 1080), 1.0)
    try:
        setup.pick(next(i for i, e in enumerate(setup.entries) if e.path.name == name))
        run_frames(app, 1)
        assert "HOW IT ENDS" in drawn()
        box = setup.layout.briefing
        said = [w for r, w in text.RECORDER.drawn if box.contains(r)]
        said += [w for r, w in text.RECORDER.cut if box.colliderect(r)]  # whole, as a tooltip
        sc = setup.entry.scenario
        marks = bar_marks(sc)
        assert marks
        for mark in marks:
            title = mark.outcome.title
            line = next((w for w in said if w.startswith(f"•  {title}:")), None)
            assert line is not None, f"no condition given for {title}"
            sign = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}
            assert f"tension {sign[mark.op]} {mark.value:g}" in line, line
            names = set(re.findall(r"[A-Za-z_]\w*", mark.outcome.when.source)) - {"and", "or"}
            more = any(
                n not in ("tension", "mean_tension") and not n.startswith("tension_") for n in names
            )
            assert ("among other conditions" in line) == more, line
    finally:
        app.close()


def test_the_default_window_shows_how_the_2016_crisis_ends():
    """At 1280x720, the size the game opens at, the endings fit under the sides."""
    app, setup = open_setup((1280, 720), 1.0)
    try:
        words = briefing_words(setup)
        assert "THE SIDES" in words and "HOW IT ENDS" in words
        assert "A long chill" in words
    finally:
        app.close()
