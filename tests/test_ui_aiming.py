"""Aiming a move in a crisis of three sides: the player picks among the legal targets of a move
whose target is 'choose', the rules' pick is shown until then, a refused target is told as
any refusal is, and the pick is what the engine plays and the save keeps. With two sides there
is nothing to pick and nothing extra is shown."""

from __future__ import annotations

import os

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game import saves
from game.scenario.load import load_scenario
from game.ui.driver import click, press, run_frames, start_app
from game.ui.forecast import aimed
from game.ui.loading import DEFAULT_SCENARIO, SCENARIOS
from game.ui.scenes.crisis_room import CrisisRoom
from game.ui.session import GameSession
from game.ui.settings import Settings
from game.ui.widgets import text

THREE = SCENARIOS / "worked_example_three.yaml"
CASES = (((1024, 600), 2.0), ((1280, 720), 1.0), ((1920, 1080), 0.75), ((1920, 1080), 1.5))
IDS = [f"{w}x{h}-{round(s * 100)}pct" for (w, h), s in CASES]


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture(scope="module")
def scenario_2016():
    return load_scenario(DEFAULT_SCENARIO)


def room_for(app, scenario, path, actor, seed=4):
    others = {a: "tit_for_tat" for a in range(scenario.n_actors) if a != actor}
    session = GameSession.start(scenario, str(path), seed, [actor], others)
    room = CrisisRoom(app, session)
    app.go(room)
    run_frames(app, 2)
    return room


def finish_popups(app) -> None:
    for _ in range(10):
        if not app.top.overlay:
            return
        press(app, pygame.K_RETURN)


def aiming_buttons(room) -> dict[str, object]:
    """The shown aiming buttons by the side they aim at (its id)."""
    ids = room.session.scenario.actor_ids
    return {ids[target]: button for button, target in room.target_buttons.items()}


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_a_picked_target_is_played_recorded_and_saved(size, scale, worked_three):
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = room_for(app, worked_three, THREE, worked_three.actor_index("vst"))
        session = room.session
        channels = worked_three.variant_index(0, "keep_channels")
        press(app, pygame.K_s)
        assert room.selected == channels
        buttons = aiming_buttons(room)
        assert set(buttons) == {"ost", "bor"}  # every other side, and only them
        # Nobody picked: the rules' pick is the one the engine would play.
        rules = room.target()
        probe = GameSession.start(worked_three, str(THREE), 4, [0], dict(session.strategy_names))
        reached = probe.play({0: channels}).moves[0].targets
        assert [worked_three.actor_ids[rules]] == reached
        other = next(t for t in ("ost", "bor") if worked_three.actor_index(t) != rules)
        press(app, pygame.K_t)  # T aims at the next side
        assert room.aim == worked_three.actor_index(other) and room.target() == room.aim
        press(app, pygame.K_RETURN)  # the focus is on the picked side: Enter plays at it
        finish_popups(app)
        assert session.turn == 1
        move = next(m for m in session.records[-1].moves if m.actor == "vst")
        assert move.targets == [other]
        assert session.engine.aimed_at(session.state, 0, 0) == [worked_three.actor_index(other)]
        assert session.targets[-1][0] == worked_three.actor_index(other)
        saved = saves.read_save("autosave")
        assert saved.targets[-1][0] == worked_three.actor_index(other)
        _, records = saves.replay(saved, worked_three)
        assert records[-1].moves[0].targets == [other]
    finally:
        app.close()


def test_a_clicked_target_is_picked_not_played_and_the_default_plays_unaimed(worked_three):
    app = start_app((1280, 720), Settings(ui_scale=1.0, muted=True))
    try:
        room = room_for(app, worked_three, THREE, 0)
        session = room.session
        press(app, pygame.K_s)
        rules = room.target()
        other = next(b for b, t in room.target_buttons.items() if t != rules)
        click(app, other.get_abs_rect().center)
        assert session.turn == 0 and room.aim == room.target_buttons[other]
        assert room.forecast_subject() == (0, room.selected)
        # Aiming back at the rules' pick by name, then playing with Play.
        back = next(b for b, t in room.target_buttons.items() if t == rules)
        click(app, back.get_abs_rect().center)
        click(app, room.play_button.get_abs_rect().center)
        finish_popups(app)
        assert session.turn == 1
        assert session.records[-1].moves[0].targets == [worked_three.actor_ids[rules]]
        # The next turn, nobody picks: the save says the rules aimed it.
        press(app, pygame.K_s)
        assert room.aim is None
        press(app, pygame.K_RETURN)
        finish_popups(app)
        assert session.targets == [[rules, -1, -1], [-1, -1, -1]]
    finally:
        app.close()


def test_a_refused_target_is_told_and_no_turn_passes(worked_three):
    """Borea's expulsion in kind cannot reach Vestria once no Vestrian diplomat is left."""
    bor = worked_three.actor_index("bor")
    app = start_app((1280, 720), Settings(ui_scale=1.0, muted=True))
    try:
        room = room_for(app, worked_three, THREE, bor)
        session = room.session
        in_kind = worked_three.variant_index(bor, "expel_in_kind")
        session.play({bor: worked_three.variant_index(bor, "expel_twenty")})
        session.play({bor: in_kind}, {bor: 0})
        session.play({bor: in_kind}, {bor: 0})
        assert session.legal_targets(bor, in_kind) == [1]
        room.board.show(session.records[-1], snap=True)
        room.rebuild()
        press(app, pygame.K_r)
        while room.selected != in_kind:
            press(app, pygame.K_DOWN)
        buttons = aiming_buttons(room)
        assert buttons["vst"].text.startswith("×") and not buttons["ost"].text.startswith("×")
        assert room.target() == 1  # the rules aim it at the only side it can reach
        turn = session.turn
        click(app, buttons["vst"].get_abs_rect().center)
        run_frames(app, 1)
        reason = session.engine.why_not_target(session.state, 0, bor, in_kind, 0)
        assert "No diplomats of Vestria are left in Borea" in reason
        drawn = " ".join(words for _, words in text.RECORDER.drawn)
        assert "Not at Vestria" in drawn
        click(app, room.play_button.get_abs_rect().center)
        assert session.turn == turn
        assert room.refusal == f"Expel in kind: {reason}"
        assert room.forecast_subject() is not None and room._current_forecast()[1]
    finally:
        app.close()


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_with_two_sides_nothing_is_aimed(size, scale, scenario_2016):
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = room_for(app, scenario_2016, DEFAULT_SCENARIO, 0)
        session = room.session
        choose = [v.index for v in scenario_2016.variants[0] if v.player_picks_target]
        assert choose  # every move of this scenario is 'choose': the other side is its target
        seen = set()
        for key in (pygame.K_r, pygame.K_s, pygame.K_w):
            press(app, key)
            for _ in range(len(room.variant_buttons)):
                seen.add(room.selected)
                press(app, pygame.K_t)
                assert room.target_buttons == {} and room.aim is None and room.target() is None
                labels = [getattr(b, "text", "") for b in room.focus_order]
                assert not any(label == "United States" for label in labels)
                press(app, pygame.K_DOWN)
        assert set(choose) <= seen
        drawn = " ".join(words for _, words in text.RECORDER.drawn)
        assert "Aim" not in drawn
        press(app, pygame.K_s)
        press(app, pygame.K_RETURN)
        finish_popups(app)
        assert session.turn == 1 and session.targets == [[-1, -1]]
    finally:
        app.close()


def test_the_forecast_of_an_aimed_move_plays_it_at_the_target(worked_three):
    """Every rollout's first turn reaches the side the player aimed at, not the rules' pick."""
    session = GameSession.start(
        worked_three, str(THREE), 4, [0], {1: "tit_for_tat", 2: "tit_for_tat"}
    )
    from game.strategies.base import profile_of
    from game.ui.forecast import rollout_models

    channels = worked_three.variant_index(0, "keep_channels")
    profile = profile_of(rollout_models(dict(session.strategy_names), 3, 0))
    for target in (1, 2):
        state = aimed(session.engine, session.state, 0, channels, target)
        ends, _ = session.engine.rollouts(state, 0, 0, channels, 1, profile, 16, 7)
        assert all(session.engine.aimed_at(ends, k, 0) == [target] for k in range(16))
    ends, _ = session.engine.rollouts(session.state, 0, 0, channels, 1, profile, 16, 7)
    assert all(session.engine.aimed_at(ends, k, 0) == [2] for k in range(16))  # the rules: Borea


SALISBURY = SCENARIOS / "skripal_2018.yaml"


@pytest.mark.parametrize(
    ("size", "scale"), [((1024, 600), 1.0), ((1280, 720), 1.0), ((1920, 1080), 1.0)]
)
def test_the_sides_on_the_aiming_buttons_are_named_in_one_style(size, scale):
    """Four sides in a small window: codes for all ("RUS", "USA") rather than "Ru…" beside a
    whole name; a large window names each side in full."""
    salisbury = load_scenario(SALISBURY)
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = room_for(app, salisbury, SALISBURY, 0)
        press(app, pygame.K_s)
        buttons = room.target_buttons
        assert len(buttons) == 3
        actors = salisbury.model.actors
        shown = {target: button.text for button, target in buttons.items()}
        styles = [
            {a: actors[a].name for a in shown},
            {a: actors[a].short_name or actors[a].name for a in shown},
            {a: actors[a].capital for a in shown},
            {a: actors[a].id.upper() for a in shown},
        ]
        matches = [
            all(
                text == style[a] or (i == 3 and style[a].startswith(text.rstrip("…")))
                for a, text in shown.items()
            )
            for i, style in enumerate(styles)
        ]
        assert any(matches), shown
        if size == (1920, 1080):
            assert matches[0], shown
        for button, target in buttons.items():
            if button.text != actors[target].name:
                assert actors[target].name in (button.tool_tip_text or ""), button.text
    finally:
        app.close()
