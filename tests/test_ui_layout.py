"""Every screen at every UI scale and window size: nothing outside the window, no two widgets or
texts on top of each other unless a pop-up is meant to cover its parent, no text straddling the
edge of its panel, and no label cut without an ellipsis. Also: a held key is one press."""

from __future__ import annotations

import itertools
import os

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pygame_gui.elements import (
    UIButton,
    UILabel,
    UITextBox,
    UITextEntryLine,
    UIVerticalScrollBar,
)

from game.scenario.load import load_scenario
from game.ui.driver import press, run_frames, start_app
from game.ui.loading import DEFAULT_SCENARIO, SCENARIOS
from game.ui.scenes.crisis_room import CrisisRoom
from game.ui.scenes.end_screen import EndScreen
from game.ui.scenes.pause import PauseMenu, SaveSlots
from game.ui.scenes.popups import EventPopup, HandOver
from game.ui.scenes.replay import ReplayViewer
from game.ui.scenes.settings_menu import SettingsMenu
from game.ui.scenes.title import OpponentPicker, SetupScreen, TitleScreen
from game.ui.session import GameSession
from game.ui.settings import Settings
from game.ui.widgets import text

SCALES = (0.75, 1.0, 1.5, 2.0)
SIZES = ((1024, 600), (1280, 720), (1920, 1080))
LEAVES = (UIButton, UILabel, UITextBox, UITextEntryLine)


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def dilemma():
    return load_scenario(SCENARIOS / "prisoners_dilemma.yaml")


def widgets(app):
    """The visible leaf widgets of the top scene (a pop-up's parent is covered on purpose)."""
    top = app.top
    found = []
    for element in app.manager.get_sprite_group().sprites():
        if not isinstance(element, LEAVES) or not element.visible or not element.alive():
            continue
        if _part_of_a_composite(element):
            continue  # a text box's own scroll bar
        found.append(element)
    if top.overlay:
        root = top.root
        found = [e for e in found if root is not None and _inside_container(e, root)]
    return found


def _part_of_a_composite(element) -> bool:
    parent = getattr(element, "parent_element", None)
    while parent is not None:
        if isinstance(parent, UITextBox | UIVerticalScrollBar):
            return True
        parent = getattr(parent, "parent_element", None)
    return False


def _inside_container(element, root) -> bool:
    container = element.ui_container
    while container is not None:
        if container is root or container is getattr(root, "get_container", lambda: None)():
            return True
        parent = getattr(container, "ui_container", None)
        container = parent if parent is not container else None
    return False


def overlap(a: pygame.Rect, b: pygame.Rect, slack: int = 1) -> bool:
    return a.inflate(-2 * slack, -2 * slack).colliderect(b.inflate(-2 * slack, -2 * slack))


def check(app, where: str) -> None:
    """The layout rules, on a frame drawn with every animation finished."""
    for scene in app.stack:
        getattr(scene, "settle", lambda: None)()
    app.frame(1 / 60)
    window = app.window.get_rect()
    top = app.top
    leaves = widgets(app)
    problems = []
    for element in leaves:
        rect = element.get_abs_rect()
        if not window.contains(rect):
            problems.append(f"widget {element.__class__.__name__} {rect} outside {window}")
        if isinstance(element, UIButton) and element.text:
            shown, _ = top.fit_label(
                element.text,
                rect.width,
                element.object_ids[-1] if element.object_ids else None,
                element.class_ids[-1] if element.class_ids else None,
            )
            if shown != element.text:
                problems.append(f"button label clipped: {element.text!r} in {rect.width}px")
    for a, b in itertools.combinations(leaves, 2):
        if overlap(a.get_abs_rect(), b.get_abs_rect()):
            problems.append(f"widgets overlap: {_name(a)} {a.get_abs_rect()} / {_name(b)}")
    regions = {} if top.overlay else top.regions()
    for (na, ra), (nb, rb) in itertools.combinations(regions.items(), 2):
        if overlap(ra, rb):
            problems.append(f"panels overlap: {na} {ra} / {nb} {rb}")
    for name, rect in regions.items():
        if not window.contains(rect):
            problems.append(f"panel {name} {rect} outside {window}")
        if rect.width <= 0 or rect.height <= 0:
            problems.append(f"panel {name} has no size: {rect}")
    for element in leaves:
        rect = element.get_abs_rect()
        touching = [n for n, r in regions.items() if overlap(r, rect)]
        if touching and not any(regions[n].contains(rect) for n in touching):
            problems.append(f"widget {_name(element)} {rect} straddles {touching}")
    if not top.overlay:
        drawn = list(text.RECORDER.drawn)
        for rect, words in drawn:
            if not window.contains(rect):
                problems.append(f"text {words!r} {rect} outside the window")
            home = [n for n, r in regions.items() if r.collidepoint(rect.center)]
            if home and not any(regions[n].contains(rect) for n in home):
                problems.append(f"text {words!r} {rect} straddles the edge of {home}")
        for (ra, wa), (rb, wb) in itertools.combinations(drawn, 2):
            if overlap(ra, rb, 2):
                problems.append(f"texts overlap: {wa!r} {ra} / {wb!r} {rb}")
        for rect, words in drawn:
            for element in leaves:
                if overlap(rect, element.get_abs_rect(), 2):
                    problems.append(f"text {words!r} {rect} under widget {_name(element)}")
    assert not problems, f"{where}:\n" + "\n".join(problems[:12])


def _name(element) -> str:
    return f"{element.__class__.__name__}({getattr(element, 'text', '')!r})"


def screens(app, scenario, dilemma):
    """Every screen, each yielded once it is on top."""
    app.go(TitleScreen(app))
    yield "title"
    setup = SetupScreen(app)
    app.go(setup)
    yield "setup"
    app.go(OpponentPicker(app, setup))
    yield "opponent list"
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
    room = CrisisRoom(app, session)
    app.go(room)
    yield "crisis room, first turn"
    press(app, pygame.K_r)
    app.forecaster.wait(
        (id(session), scenario.sha256, 0, 0, room.selected),
        lambda: __import__("game.ui.forecast", fromlist=["f"]).compute_forecast(
            session.engine, session.state, 0, room.selected, {1: "tit_for_tat"}
        ),
    )
    room.request_forecast(0, room.selected)
    run_frames(app, 1)
    yield "crisis room, retaliate open"
    for key in (pygame.K_s, pygame.K_RETURN):
        press(app, key)
    while app.top.overlay:
        yield f"pop-up {app.top.name}"
        press(app, pygame.K_RETURN)
    press(app, pygame.K_w)
    yield "crisis room, wait open, turn 2"
    pause = PauseMenu(app, room)
    app.go(pause)
    yield "pause"
    app.go(SaveSlots(app, pause))
    yield "save slots over pause"
    app.go(SettingsMenu(app, pause))
    yield "settings over pause"
    app.go(room)
    app.go(EventPopup(app, room, list(session.records[1].events or session.records[0].events)))
    yield "event"
    app.go(HandOver(app, room, "United States"))
    yield "hand-over"
    protest = scenario.variant_index(0, "formal_protest")
    while not session.over:
        session.play({0: protest})
    app.go(EndScreen(app, session))
    yield "end screen"
    app.go(ReplayViewer(app, session, turn=2))
    yield "replay"
    points = GameSession.start(dilemma, "pd", 1, [0], {1: "tit_for_tat"})
    for _ in range(3):
        points.play({0: dilemma.variant_index(0, "cooperate")})
    app.go(CrisisRoom(app, points))
    press(app, pygame.K_s)
    yield "prisoner's dilemma"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_every_screen_fits_without_overlap_or_clipping(size, scale, scenario, dilemma):
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        assert app.window.get_size() == size
        assert app.scale <= scale
        for where in screens(app, scenario, dilemma):
            run_frames(app, 1)
            check(app, f"{where} at {size[0]}x{size[1]}, {round(scale * 100)}%")
    finally:
        app.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_the_new_game_screen_fits_every_scenario_and_a_broken_one(size, scale, tmp_path):
    """Each scenario's briefing, and a file that fails to load, on the new-game screen."""
    from game.ui.loading import ScenarioEntry

    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        setup = SetupScreen(app)
        broken = tmp_path / "a_scenario_with_a_rather_long_name_that_fails.yaml"
        setup.entries.append(ScenarioEntry(broken, None, "line 3: metadata.title: missing " * 4))
        app.go(setup)
        for index, entry in enumerate(setup.entries):
            setup.pick(index)
            run_frames(app, 1)
            check(app, f"new game, {entry.path.name}, at {size[0]}x{size[1]}, {scale:.0%}")
    finally:
        app.close()


def test_the_scale_is_capped_to_what_fits_and_settings_say_so():
    app = start_app((1024, 600), Settings(ui_scale=2.0, muted=True))
    try:
        assert app.scale == 1.0 and app.scale_capped
        app.go(TitleScreen(app))
        app.go(SettingsMenu(app, app.top))
        run_frames(app, 1)
        labels = " ".join(b.text for b in app.top.buttons) + " " + app.top.note()
        assert "fits" in labels and "100%" in labels
    finally:
        app.close()


def test_holding_return_for_a_second_plays_at_most_one_turn(scenario):
    """A key held down arrives as one key-down and, from the system, repeats of it (with key
    repeat on, as a driver may do it anyway): only the first counts."""
    app = start_app()
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 6, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)
        run_frames(app, 1)
        press(app, pygame.K_s)
        for _ in range(60):  # one second of repeats at 60 frames a second, with no key-up
            event = pygame.event.Event(
                pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=40
            )
            pygame.event.post(event)
            run_frames(app, 1)
        assert session.turn == 1
        assert app.top is room or app.top.parent is room  # a pop-up waits; nothing pressed it
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0))
        run_frames(app, 1)
        while app.top.overlay:
            press(app, pygame.K_RETURN)
        assert session.turn == 1
    finally:
        app.close()


def test_input_during_a_turn_is_held_and_dropped(scenario):
    """Keys pressed while a turn is being played land on nothing, not on the next screen."""
    app = start_app()
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 6, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)
        run_frames(app, 1)
        press(app, pygame.K_s, frames=1)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0))
        app.frame(1 / 60)  # the turn starts on a worker thread
        assert app.busy or session.turn == 1
        for key in (pygame.K_r, pygame.K_RETURN, pygame.K_RETURN):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0))
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0))
        run_frames(app, 2)
        assert session.turn == 1 and room.open_kind is None
    finally:
        app.close()


def test_the_forecast_and_description_follow_the_selection_not_the_mouse(scenario):
    app = start_app()
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 6, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)
        run_frames(app, 1)
        press(app, pygame.K_s)
        selected = room.selected
        other = next(b for b, v in room.variant_buttons.items() if v != selected)
        pygame.event.post(
            pygame.event.Event(
                pygame.MOUSEMOTION, pos=other.get_abs_rect().center, rel=(0, 0), buttons=(0, 0, 0)
            )
        )
        run_frames(app, 2)
        assert room.forecast_subject() == (0, selected)
        press(app, pygame.K_RETURN)
        while app.top.overlay:
            press(app, pygame.K_RETURN)
        assert session.moves[0][0] == selected
    finally:
        app.close()


@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_monkey_at_every_scale(scale, scenario):
    import numpy as np

    app = start_app((1024, 600), Settings(ui_scale=scale, muted=True))
    rng = np.random.default_rng(int(scale * 100))
    keys = [pygame.K_r, pygame.K_s, pygame.K_w, pygame.K_TAB, pygame.K_RETURN, pygame.K_ESCAPE]
    keys += [pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_SPACE]
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 2, [0], {1: "tit_for_tat"})
        app.go(CrisisRoom(app, session))
        for _ in range(60):
            for _ in range(20):
                w, h = app.window.get_size()
                pos = (int(rng.integers(0, w)), int(rng.integers(0, h)))
                roll = rng.random()
                if roll < 0.5:
                    key = int(keys[rng.integers(len(keys))])
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0))
                    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0))
                elif roll < 0.7:
                    pygame.event.post(
                        pygame.event.Event(
                            pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)
                        )
                    )
                elif roll < 0.98:
                    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
                    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
                else:
                    size = (int(rng.integers(640, 1900)), int(rng.integers(360, 1000)))
                    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1]))
            run_frames(app, 1, 1 / 30)
            if not app.running:
                app.running = True
                fresh = GameSession.start(
                    scenario, str(DEFAULT_SCENARIO), 3, [0], {1: "tit_for_tat"}
                )
                app.go(CrisisRoom(app, fresh))
    finally:
        app.close()


def three_sided_screens(app, three):
    """The crisis room of a three-sided crisis: the panel of pairs, each kind's moves with the
    aiming buttons, a side that cannot be aimed at, and the replay of the game."""
    path = str(SCENARIOS / "worked_example_three.yaml")
    session = GameSession.start(three, path, 4, [0], {1: "tit_for_tat", 2: "tit_for_tat"})
    room = CrisisRoom(app, session)
    app.go(room)
    yield "three sides, first turn"
    press(app, pygame.K_s)
    yield "three sides, aiming a restraint"
    press(app, pygame.K_t)
    yield "three sides, aimed by the player"
    for key in (pygame.K_RETURN, pygame.K_r):
        press(app, key)
        while app.top.overlay:
            press(app, pygame.K_RETURN)
    yield "three sides, retaliate open, turn 2"
    bor = three.actor_index("bor")
    borea = GameSession.start(three, path, 4, [bor], {0: "tit_for_tat", 1: "tit_for_tat"})
    in_kind = three.variant_index(bor, "expel_in_kind")
    borea.play({bor: three.variant_index(bor, "expel_twenty")})
    for _ in range(2):
        borea.play({bor: in_kind}, {bor: 0})
    room = CrisisRoom(app, borea)
    app.go(room)
    press(app, pygame.K_r)
    while room.selected != in_kind:
        press(app, pygame.K_DOWN)
    yield "three sides, a side that cannot be aimed at"
    app.go(ReplayViewer(app, borea, turn=2))
    yield "three sides, replay"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_three_sides_fit_without_overlap_or_clipping(size, scale):
    three = load_scenario(SCENARIOS / "worked_example_three.yaml")
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        for where in three_sided_screens(app, three):
            run_frames(app, 1)
            check(app, f"{where} at {size[0]}x{size[1]}, {round(scale * 100)}%")
    finally:
        app.close()


@pytest.mark.parametrize("scale", (1.0, 2.0), ids=("100pct", "200pct"))
def test_a_small_window_keeps_every_title_and_the_play_button_whole(scale):
    """At 1024x600 the date and turn make room for the scenario's title ("Persona Non Grata:
    December 20…" was cut), and the play button says less rather than being cut."""
    app = start_app((1024, 600), Settings(ui_scale=scale, muted=True))
    try:
        for path in sorted(SCENARIOS.glob("*.yaml")):
            sc = load_scenario(path)
            player = sc.player_actor
            others = {a: "tit_for_tat" for a in range(sc.n_actors) if a != player}
            room = CrisisRoom(app, GameSession.start(sc, str(path), 1, [player], others))
            app.go(room)
            press(app, pygame.K_s)
            top = room.layout.top
            assert any(w == sc.title and top.contains(r) for r, w in text.RECORDER.drawn), path
            assert room.play_button.visible and "…" not in room.play_button.text, path
    finally:
        app.close()


def side_panels(column: pygame.Rect, sides: int, scale: float) -> list[pygame.Rect]:
    """The sides' panels as the board stacks them in its column."""
    gap = round(10 * scale)
    height = (column.height - gap * (sides - 1)) // sides
    return [
        pygame.Rect(column.left, column.top + i * (height + gap), column.width, height)
        for i in range(sides)
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", (1.0, 2.0), ids=("100pct", "200pct"))
@pytest.mark.parametrize("name", ["worked_example_three.yaml", "skripal_2018.yaml"])
def test_each_sides_panel_keeps_its_words_and_its_three_gauges(name, size, scale):
    """Four sides in a 600-pixel window leave each side's panel about 120 pixels: its words
    stay inside it (a gauge's name ran under the next side's panel, cut mid-line), and all
    three gauges are still there."""
    sc = load_scenario(SCENARIOS / name)
    player = sc.player_actor
    others = {a: "tit_for_tat" for a in range(sc.n_actors) if a != player}
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = CrisisRoom(app, GameSession.start(sc, name, 1, [player], others))
        app.go(room)
        run_frames(app, 2)
        column = room.layout.actors
        panels = side_panels(column, sc.n_actors, app.scale)
        words = [(r, w) for r, w in text.RECORDER.drawn if column.colliderect(r)]
        for rect, said in words:
            assert any(panel.contains(rect) for panel in panels), f"{said!r} {rect} cut"
        for panel in panels:
            inside = {w for r, w in words if panel.contains(r)}
            for gauge in ("ressure", "Credibility", "Standing"):
                assert any(gauge in w for w in inside), f"{gauge} missing from {panel}: {inside}"
    finally:
        app.close()


def test_a_side_with_a_short_name_shows_it_whole_where_its_name_would_be_cut():
    """Salisbury's fourth side is 'EU and NATO allies', 'EU/NATO' for short."""
    scenario = load_scenario(SCENARIOS / "skripal_2018.yaml")
    app = start_app((1024, 600), Settings(ui_scale=1.0, muted=True))
    try:
        others = {a: "tit_for_tat" for a in range(1, scenario.n_actors)}
        session = GameSession.start(scenario, "skripal_2018.yaml", 3, [0], others)
        app.go(CrisisRoom(app, session))
        run_frames(app, 2)
        drawn = [words for _, words in text.RECORDER.drawn]
        assert "EU/NATO" in drawn
        assert not any(w.startswith("EU and NATO") and w.endswith("…") for w in drawn), drawn
    finally:
        app.close()
