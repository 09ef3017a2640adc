"""The game window, driven by real pygame events under the dummy video driver."""

from __future__ import annotations

import json
import os

import numpy as np
import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game import saves
from game.scenario.load import load_scenario
from game.ui.driver import click, click_button, press, run_frames, start_app
from game.ui.loading import DEFAULT_SCENARIO, read_game
from game.ui.scenes.crisis_room import CrisisRoom
from game.ui.scenes.title import TitleScreen
from game.ui.session import GameSession

OPPONENT = "tit_for_tat"


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture
def app():
    app = start_app()
    yield app
    app.close()


def new_room(app, scenario, seed=5, opponent=OPPONENT) -> CrisisRoom:
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), seed, [0], {1: opponent})
    room = CrisisRoom(app, session)
    app.go(room)
    run_frames(app, 2)
    return room


def finish_popups(app, limit=10):
    """Close event pop-ups with Enter until a base screen is on top."""
    for _ in range(limit):
        if not app.top.overlay:
            return
        press(app, pygame.K_RETURN)
    raise AssertionError(f"pop-ups did not close: {app.top.name}")


def test_scene_transitions_title_setup_room_pause_and_back(app):
    app.go(TitleScreen(app))
    run_frames(app, 2)
    assert app.top.name == "title"
    click_button(app, "New game")
    assert app.top.name == "setup"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "title"
    click_button(app, "New game")
    click_button(app, "Start game")
    assert app.top.name == "crisis_room"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause" and app.top.parent.name == "crisis_room"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "crisis_room" and len(app.stack) == 1
    press(app, pygame.K_ESCAPE)
    click_button(app, "Main menu")
    assert app.top.name == "title" and len(app.stack) == 1


def test_game_played_to_the_end_by_keyboard(app, scenario):
    room = new_room(app, scenario)
    for _ in range(scenario.max_turns + 1):
        if app.top.name == "end_screen":
            break
        turn = room.session.turn
        press(app, pygame.K_w)  # open Wait, focus its first available move
        press(app, pygame.K_RETURN)
        finish_popups(app)
        assert room.session.turn == turn + 1
    assert app.top.name == "end_screen"
    assert room.session.over
    kinds = {m.kind for r in room.session.records[1:] for m in r.moves if m.actor == "rus"}
    assert kinds == {"wait"}


def test_game_played_to_the_end_by_mouse(app, scenario):
    room = new_room(app, scenario, seed=9)
    for _ in range(scenario.max_turns + 1):
        if app.top.name == "end_screen":
            break
        turn = room.session.turn
        click(app, room.kind_buttons[1].get_abs_rect().center)  # Restrain
        button = next(
            b for b, v in room.variant_buttons.items() if room.session.why_not(0, v) is None
        )
        click(app, button.get_abs_rect().center)
        assert room.session.turn == turn  # a click selects; it plays nothing
        assert room.selected == room.variant_buttons[button]
        click(app, room.play_button.get_abs_rect().center)
        while app.top.overlay:
            click_button(app, "Continue")
        assert room.session.turn == turn + 1
    assert app.top.name == "end_screen"
    kinds = {m.kind for r in room.session.records[1:] for m in r.moves if m.actor == "rus"}
    assert kinds == {"restrain"}


def test_refused_move_shows_the_reason_and_no_turn_passes(app, scenario):
    room = new_room(app, scenario)
    press(app, pygame.K_r)
    capped = scenario.variant_index(0, "staff_cap")
    button = next(b for b, v in room.variant_buttons.items() if v == capped)
    click(app, button.get_abs_rect().center)
    click(app, room.play_button.get_abs_rect().center)
    assert room.session.turn == 0
    assert room.refusal is not None and "sanctions" in room.refusal


def test_save_then_load_gives_the_same_state(app, scenario):
    room = new_room(app, scenario, seed=11)
    for key in (pygame.K_s, pygame.K_r, pygame.K_w):
        press(app, key)
        press(app, pygame.K_RETURN)
        finish_popups(app)
    press(app, pygame.K_ESCAPE)
    click_button(app, "Save game")
    click_button(app, "Slot 2")
    assert app.top is room
    loaded = read_game("slot2").session()
    for name, array in room.session.state.arrays().items():
        np.testing.assert_array_equal(getattr(loaded.state, name), array, err_msg=name)
    assert loaded.records[-1] == room.session.records[-1]


def test_autosave_after_a_crash_between_turns_loads(app, scenario):
    room = new_room(app, scenario, seed=13)
    for key in (pygame.K_s, pygame.K_s):
        press(app, key)
        press(app, pygame.K_RETURN)
        finish_popups(app)
    expected = room.session.state
    app.close()  # the process dies between turns: nothing else is written
    restarted = start_app()
    try:
        restarted.go(TitleScreen(restarted))
        run_frames(restarted, 2)
        click_button(restarted, "Continue")
        assert restarted.top.name == "crisis_room"
        state = restarted.top.session.state
        assert int(state.turn[0]) == 2
        np.testing.assert_array_equal(state.tension, expected.tension)
    finally:
        restarted.close()


def test_hostile_save_is_refused_with_a_message(app, scenario):
    folder = saves.save_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "slot1.json").write_text(json.dumps({"__class__": "os.system", "version": 1}))
    (folder / "slot3.json").write_bytes(b"\x80\x04\x95 pickle")
    app.go(TitleScreen(app))
    run_frames(app, 2)
    click_button(app, "Load game")
    labels = [b.text for b in app.top.buttons]
    assert any(text.startswith("Slot 1: cannot be loaded") for text in labels)
    assert any(text.startswith("Slot 3: cannot be loaded") for text in labels)
    assert not any(b.is_enabled for b in app.top.buttons if b.text.startswith("Slot"))


def test_f5_with_a_broken_scenario_shows_the_error_panel_and_keeps_playing(app, scenario, tmp_path):
    path = tmp_path / "scenario.yaml"
    text = DEFAULT_SCENARIO.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    session = GameSession.start(load_scenario(path), str(path), 3, [0], {1: OPPONENT})
    room = CrisisRoom(app, session)
    app.go(room)
    run_frames(app, 2)
    path.write_text(text.replace("days_per_turn: 14", "days_per_turn: fourteen"), encoding="utf-8")
    press(app, pygame.K_F5)
    assert room.error_box is not None and room.error_box.alive()
    assert any("line" in line and "days_per_turn" in line for line in room.reload_errors)
    press(app, pygame.K_s)
    press(app, pygame.K_RETURN)
    finish_popups(app)
    assert room.session.turn == 1  # the last good version plays on
    path.write_text(text, encoding="utf-8")
    press(app, pygame.K_F5)
    assert room.reload_errors is None and room.session.turn == 1


def test_monkey_random_events_never_crash(app, scenario):
    rng = np.random.default_rng(np.random.SeedSequence(2024))
    new_room(app, scenario)
    keys = [
        pygame.K_r,
        pygame.K_s,
        pygame.K_w,
        pygame.K_1,
        pygame.K_2,
        pygame.K_3,
        pygame.K_TAB,
        pygame.K_RETURN,
        pygame.K_SPACE,
        pygame.K_ESCAPE,
        pygame.K_LEFT,
        pygame.K_RIGHT,
        pygame.K_UP,
        pygame.K_DOWN,
        pygame.K_a,
        pygame.K_HOME,
        pygame.K_END,
    ]
    posted = 0
    while posted < 5000:
        for _ in range(50):
            w, h = app.window.get_size()
            pos = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            choice = rng.random()
            if choice < 0.45:
                key = int(keys[rng.integers(len(keys))])
                event = pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
            elif choice < 0.65:
                event = pygame.event.Event(
                    pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)
                )
            elif choice < 0.8:
                event = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
            elif choice < 0.95:
                event = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
            elif choice < 0.98:
                event = pygame.event.Event(
                    pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(1, 0, 0)
                )
            else:
                size = (int(rng.integers(500, 1800)), int(rng.integers(300, 1000)))
                event = pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)
            pygame.event.post(event)
            posted += 1
        app.frame(1 / 30)
        if not app.running:  # the monkey found "Quit": start again, as a player would
            app.running = True
            new_room(app, scenario, seed=int(rng.integers(1000)))
    assert posted >= 5000


def test_play_sets_up_each_opponent_of_a_three_actor_game_from_the_command_line():
    """`play --vs ACTOR=STRATEGY,...` gives each named actor its strategy; an actor left out
    plays the default opponent; a wrong actor is refused with a suggestion."""
    from game.cli import build_parser
    from game.errors import UserError
    from game.ui.command import _session_from_args

    def session(vs: str) -> GameSession:
        argv = ["play", "--scenario", "tests/data/three_actors.yaml", "--as", "gbr", "--vs", vs]
        return _session_from_args(build_parser().parse_args(argv))

    game = session("rus=random:0.2")
    names = {game.scenario.actor_ids[a]: name for a, name in game.strategy_names.items()}
    assert names == {"rus": "random:0.2", "usa": "lookahead:normal"}
    assert game.humans == [game.scenario.actor_index("gbr")]
    with pytest.raises(UserError, match="did you mean 'usa'"):
        session("uss=tit_for_tat")
    with pytest.raises(UserError, match="the actor you play"):
        session("gbr=tit_for_tat")


def test_the_chart_says_a_forecast_is_coming_while_it_is_worked_out(app, scenario, monkeypatch):
    """Choosing a move asks for its forecast; until it comes, the chart's title already says
    the chart is history and forecast, and it does not flip back and forth with each move."""
    from game.ui.widgets import text

    room = new_room(app, scenario)
    monkeypatch.setattr(app.forecaster, "request", lambda key, job: None)  # never arrives

    def chart_words() -> list[str]:
        run_frames(app, 1)
        box = room.layout.chart
        return [w for r, w in text.RECORDER.drawn if box.contains(r)]

    assert "Tension history" in chart_words()
    press(app, pygame.K_s)
    assert room.selected is not None
    assert "Tension history and forecast" in chart_words()
    press(app, pygame.K_DOWN)
    assert "Tension history and forecast" in chart_words()
