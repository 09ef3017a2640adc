"""A frame of the crisis room is cheap because it reuses what has not changed: panels are drawn
again only when something they show changed, a frame that would look like the last is not
composed again, and only the changed parts are handed to the display. None of that may change
what a player sees: each test here holds the cheap path to the result of drawing everything
afresh, at several window sizes and UI scales."""

from __future__ import annotations

import os

import numpy as np
import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.scenario.load import load_scenario
from game.ui.driver import start_app
from game.ui.loading import DEFAULT_SCENARIO
from game.ui.scenes import base
from game.ui.scenes.crisis_room import CrisisRoom
from game.ui.session import GameSession
from game.ui.settings import Settings
from game.ui.widgets import charts

CASES = (((1024, 600), 1.0), ((1280, 720), 2.0), ((1920, 1080), 1.0), ((1920, 1080), 2.0))
IDS = [f"{w}x{h}-{round(s * 100)}pct" for (w, h), s in CASES]


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


class Clock:
    """Time that moves only with frames, so a notice or a tooltip times out between frames
    and never between a frame and its fresh counterpart."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    from types import SimpleNamespace

    from game.ui import app as app_module

    fake = Clock()
    for module in (app_module, base):
        monkeypatch.setattr(module, "time", SimpleNamespace(monotonic=fake.monotonic))
    return fake


@pytest.fixture
def mouse(monkeypatch):
    """The dummy video driver keeps no pointer: posted motion moves this one, and tooltips
    show at once."""
    where = [(0, 0)]
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where[0])
    monkeypatch.setattr(base, "TIP_DELAY", 0.0)
    return where


class StepForecaster:
    """Forecasts computed between frames, never during one, so that a frame and its fresh
    counterpart see the same forecast (the real one finishes on a thread whenever it can)."""

    def __init__(self) -> None:
        self.done: dict = {}
        self.waiting: dict = {}

    def request(self, key, job):
        if key in self.done:
            return self.done[key]
        self.waiting[key] = job
        return None

    def wait(self, key, job, timeout: float = 30.0):
        self.done.setdefault(key, job())
        return self.done[key]

    def finish(self) -> None:
        for key, job in self.waiting.items():
            self.done[key] = job()
        self.waiting.clear()

    def frame_started(self) -> None:
        pass

    def frame_shown(self) -> None:
        pass

    def close(self) -> None:
        pass


def start(size, scale):
    """The game window, with forecasts computed between frames (see StepForecaster)."""
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    app.forecaster.close()
    app.forecaster = StepForecaster()
    return app


def pixels(app) -> np.ndarray:
    return pygame.surfarray.array2d(app.window).copy()


def fresh_frame(app) -> np.ndarray:
    """The window as a frame drawn from nothing would show it: every panel drawn again and
    the whole frame composed."""
    for scene in app.stack:
        if isinstance(scene, CrisisRoom):
            scene.panels.invalidate()
    app._composed = None
    app.draw()
    return pixels(app)


class Player:
    """Drives the window as a person would, calling `step(where)` after every frame: frames
    with the forecast finishing every other one (so a spinner shows in between), key presses,
    and the mouse resting or clicking somewhere."""

    def __init__(self, app, mouse, step, clock=None) -> None:
        self.app, self.mouse, self.step, self.clock = app, mouse, step, clock

    def frames(self, where: str, count: int) -> None:
        app = self.app
        for i in range(count):
            if i % 2:
                app.forecaster.finish()
            if self.clock is not None:
                self.clock.now += 0.1  # faster than the frames, so a notice times out in the test
            app.frame(1 / 60)
            while app.work is not None:
                app.work.wait(30)
                app.frame(1 / 60)
            self.step(f"{where}, frame {i}")

    def key(self, name: int, where: str, frames: int) -> None:
        for kind in (pygame.KEYDOWN, pygame.KEYUP):
            pygame.event.post(pygame.event.Event(kind, key=name, mod=0, unicode="", scancode=0))
        self.frames(where, frames)

    def point(self, at, where: str, frames: int, click: bool = False) -> None:
        self.mouse[0] = at
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(0,) * 3)
        )
        if click:
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at, button=1))
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at, button=1))
        self.frames(where, frames)


def play(app, room, mouse, step, clock=None):
    """A stretch of play (keys, a resting mouse over gauges and buttons, a notice, a turn with
    its animations and pop-ups), calling `step(where)` after every frame."""
    player = Player(app, mouse, step, clock)
    frames = player.frames

    def key(name, where):
        player.key(name, where, 8)

    def point(at, where):
        player.point(at, where, 4)

    frames("start", 12)
    key(pygame.K_r, "retaliate")
    key(pygame.K_DOWN, "next move")
    key(pygame.K_TAB, "tab")
    key(pygame.K_s, "restrain")
    lay = room.layout
    point(lay.gauge.center, "over the tension bar")
    point(lay.actors.center, "over a side")
    point(room.kind_buttons[2].get_abs_rect().center, "over Wait")
    point((1, 1), "away")
    app.toast("Scenario reloaded from disk")
    frames("a notice", 4)
    key(pygame.K_RETURN, "play the move")
    for _ in range(4):
        if app.top.overlay:
            key(pygame.K_RETURN, "close the pop-up")
    frames("the new turn eases in", 40)
    key(pygame.K_w, "wait")
    key(pygame.K_ESCAPE, "close the moves")


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_a_frame_from_kept_panels_is_the_frame_drawn_afresh(size, scale, scenario, mouse, clock):
    app = start(size, scale)
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)
        checked = [0]

        def step(where):
            checked[0] += 1
            if checked[0] % 3:
                return  # let some frames pass unchecked, so idle work runs as it does in play
            kept = pixels(app)
            differ = np.argwhere(kept != fresh_frame(app))
            assert not len(differ), f"{where}: {len(differ)} pixels differ, e.g. {differ[:3]}"

        play(app, room, mouse, step, clock)
    finally:
        app.close()


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_the_display_shows_every_change_and_idle_frames_hand_it_nothing(
    size, scale, scenario, mouse, clock, monkeypatch
):
    app = start(size, scale)
    shown = {"pixels": None, "presents": []}

    def flip():
        shown["pixels"] = pixels(app)
        shown["presents"].append("whole")

    def update(rects):
        now = pixels(app)
        for r in rects:
            shown["pixels"][r.left : r.right, r.top : r.bottom] = now[
                r.left : r.right, r.top : r.bottom
            ]
        shown["presents"].append(len(rects))

    monkeypatch.setattr(pygame.display, "flip", flip)
    monkeypatch.setattr(pygame.display, "update", update)
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)

        def step(where):
            # The window holds the frame drawn afresh (the test above); the display, what
            # was handed over of it.
            stale = np.argwhere(shown["pixels"] != pixels(app))
            assert not len(stale), f"{where}: {len(stale)} pixels not shown, e.g. {stale[:3]}"

        play(app, room, mouse, step, clock)
        shown["presents"].clear()
        for _ in range(30):
            app.frame(1 / 60)
        assert shown["presents"] == [], "frames that changed nothing were handed to the display"
        pygame.event.post(pygame.event.Event(pygame.WINDOWEXPOSED))
        app.frame(1 / 60)
        assert shown["presents"] == ["whole"], "a window uncovered must be shown again in full"
    finally:
        app.close()


class RacingForecaster(StepForecaster):
    """A forecast that is ready the second time it is asked for: as if it arrived while a
    frame was being drawn, between the screen saying what changed and drawing it."""

    def request(self, key, job):
        if key in self.done:
            return self.done[key]
        if key in self.waiting:
            self.done[key] = self.waiting.pop(key)()
            return None
        self.waiting[key] = job
        return None


def test_a_forecast_arriving_while_a_frame_is_drawn_is_shown_whole(scenario):
    app = start((1280, 720), 1.0)
    app.forecaster = RacingForecaster()
    try:
        session = GameSession.start(scenario, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
        room = CrisisRoom(app, session)
        app.go(room)
        for key in (pygame.K_r, pygame.K_DOWN, pygame.K_s):
            for kind in (pygame.KEYDOWN, pygame.KEYUP):
                pygame.event.post(pygame.event.Event(kind, key=key, mod=0))
            for i in range(4):
                app.frame(1 / 60)
                kept = pixels(app)
                differ = np.argwhere(kept != fresh_frame(app))
                assert not len(differ), f"key {key}, frame {i}: {len(differ)} pixels differ"
    finally:
        app.close()


AHEAD = {
    "two sides": (DEFAULT_SCENARIO.name, 0, (pygame.K_w, pygame.K_s, pygame.K_DOWN, pygame.K_r)),
    "three sides": (
        "worked_example_three.yaml",
        2,
        (pygame.K_s, pygame.K_t, pygame.K_r, pygame.K_DOWN, pygame.K_DOWN, pygame.K_t),
    ),
}


@pytest.mark.parametrize("case", AHEAD)
def test_moves_made_ahead_look_and_behave_as_moves_made_on_the_key(case):
    """Idle frames make the buttons of every kind (and the aiming buttons of its moves) ahead
    of time; opening a kind then must show what opening it at once shows, with the same
    keyboard order."""
    name, actor, keys = AHEAD[case]
    path = DEFAULT_SCENARIO.parent / name
    scenario = load_scenario(path)
    others = {a: "tit_for_tat" for a in range(scenario.n_actors) if a != actor}
    windows, orders = [], []
    for idle in (0, 150):
        app = start((1920, 1080), 2.0)
        try:
            session = GameSession.start(scenario, str(path), 4, [actor], others)
            room = CrisisRoom(app, session)
            app.go(room)
            app.frame(1 / 60)
            for _ in range(idle):
                app.frame(1 / 60)
            if idle:
                assert not room._to_prepare, "idle frames did not prepare every kind"
            shots = []
            for key in (*keys, pygame.K_DOWN):
                for kind in (pygame.KEYDOWN, pygame.KEYUP):
                    pygame.event.post(pygame.event.Event(kind, key=key, mod=0))
                app.frame(1 / 60)
                app.forecaster.finish()  # the forecast, not a spinner (whose angle is time)
                app.frame(1 / 60)
                room.settle()
                app._composed = None
                app.draw()
                shots.append(pixels(app))
                orders.append([getattr(b, "text", "") for b in room.focus_order] + [str(idle)])
            windows.append(shots)
        finally:
            app.close()
    for i, (fresh, ahead) in enumerate(zip(windows[0], windows[1], strict=True)):
        differ = np.argwhere(fresh != ahead)
        assert not len(differ), f"key {i}: {len(differ)} pixels differ, e.g. {differ[:3]}"
    half = len(orders) // 2
    assert [o[:-1] for o in orders[:half]] == [o[:-1] for o in orders[half:]]


def _fan_on_a_whole_layer(surface, p, forecast, x_of, y_of, scale, last_turn) -> None:
    """How the fan was drawn before it got a layer of its own size: the reference."""
    turns = [int(t) for t in forecast.turns if t <= last_turn]
    if len(turns) < 2:
        return
    q = forecast.tension
    fan = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    for low, high, alpha in ((0, 4, "fan_outer"), (1, 3, "fan_inner")):
        upper = [(x_of(t), y_of(q[high, i])) for i, t in enumerate(turns)]
        lower = [(x_of(t), y_of(q[low, i])) for i, t in reversed(list(enumerate(turns)))]
        pygame.draw.polygon(fan, p.with_alpha(alpha), upper + lower)
    median = [(x_of(t), y_of(q[2, i])) for i, t in enumerate(turns)]
    pygame.draw.lines(fan, p["fan_median"], False, median, max(2, round(2 * scale)))
    surface.blit(fan, (0, 0))


@pytest.mark.parametrize("scale", (0.75, 1.0, 1.8, 2.0))
def test_the_forecast_fan_looks_as_it_did_on_a_whole_chart_layer(scale):
    from types import SimpleNamespace

    from game.ui.assets import palette

    pygame.display.init()
    p = palette()
    rng = np.random.default_rng(round(scale * 100))
    size = (round(700 * scale), round(260 * scale))
    for case in range(25):
        start = int(rng.integers(0, 18))
        turns = np.arange(start, start + int(rng.integers(2, 8)))
        middle = rng.uniform(0, 100, len(turns))
        spread = np.sort(rng.uniform(0, 40, (5, len(turns))), axis=0) - 20
        tension = np.clip(middle + spread, 0, 100)
        forecast = SimpleNamespace(turns=turns, tension=tension)
        left, width = rng.uniform(10, 60) * scale, size[0] - 120 * scale
        top, height = rng.uniform(10, 40) * scale, size[1] - 80 * scale

        def x_of(t, left=left, width=width):
            return left + t / 20 * width

        def y_of(v, top=top, height=height):
            return top + height - v / 100 * height

        drawn = []
        for draw in (charts._draw_fan, _fan_on_a_whole_layer):
            surface = pygame.Surface(size)
            surface.fill(p["panel"])
            draw(surface, p, forecast, x_of, y_of, scale, 20)
            drawn.append(pygame.surfarray.array3d(surface))
        assert np.array_equal(*drawn), f"case {case}: the fan differs"


def play_three(app, room, mouse, step, clock) -> None:
    """A stretch of a three-sided crisis: aiming by key and by mouse, the pair bars easing in
    after a turn, and a refusal."""
    player = Player(app, mouse, step, clock)
    frames = player.frames

    def key(name, where):
        player.key(name, where, 6)

    def click(at, where):
        player.point(at, where, 6, click=True)

    frames("start", 6)
    key(pygame.K_s, "restrain")
    key(pygame.K_t, "aim with T")
    key(pygame.K_t, "aim back with T")
    button = next(iter(room.target_buttons))
    click(button.get_abs_rect().center, "aim with the mouse")
    player.point(room.layout.gauge.center, "over the pairs", 4)
    key(pygame.K_RETURN, "play the move at the side")
    for _ in range(4):
        if app.top.overlay:
            key(pygame.K_RETURN, "close the pop-up")
    frames("the pairs ease in", 30)
    key(pygame.K_r, "retaliate")
    key(pygame.K_ESCAPE, "close the moves")


@pytest.mark.parametrize(("size", "scale"), CASES[:2], ids=IDS[:2])
def test_three_sides_from_kept_panels_are_drawn_as_afresh(size, scale, mouse, clock):
    three = load_scenario(DEFAULT_SCENARIO.parent / "worked_example_three.yaml")
    app = start(size, scale)
    try:
        others = {1: "tit_for_tat", 2: "tit_for_tat"}
        session = GameSession.start(three, str(three.path), 4, [0], others)
        room = CrisisRoom(app, session)
        app.go(room)
        checked = [0]

        def step(where):
            checked[0] += 1
            if checked[0] % 2:
                return
            kept = pixels(app)
            differ = np.argwhere(kept != fresh_frame(app))
            assert not len(differ), f"{where}: {len(differ)} pixels differ, e.g. {differ[:3]}"

        play_three(app, room, mouse, step, clock)
        assert session.turn == 1 and session.targets[0][0] >= 0
    finally:
        app.close()
