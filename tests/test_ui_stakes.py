"""What is at stake on the crisis room's screen, held to the engine's own numbers: tension and
grievance pair by pair, the missions each side keeps in the other's country, the endings'
thresholds on the tension bars, how close an ending is (`Engine.outcome_progress`), and the
dates of the news. Each is read off what was drawn, at several window sizes and UI scales."""

from __future__ import annotations

import html
import os
import re
import time

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.scenario.compile import tension_thresholds
from game.scenario.compiled import RESTRAIN
from game.scenario.load import load_scenario
from game.ui.board import Board, news_html
from game.ui.driver import run_frames, start_app
from game.ui.loading import DEFAULT_SCENARIO, SCENARIOS
from game.ui.scenes.crisis_room import CrisisRoom
from game.ui.scenes.replay import ReplayViewer
from game.ui.session import GameSession, default_variant
from game.ui.settings import Settings
from game.ui.stakes import bar_marks
from game.ui.widgets import text

THREE = SCENARIOS / "worked_example_three.yaml"
DUEL = SCENARIOS / "worked_example.yaml"
SKRIPAL = SCENARIOS / "skripal_2018.yaml"
CASES = (((1024, 600), 2.0), ((1280, 720), 1.5), ((1920, 1080), 1.0), ((1920, 1080), 2.0))
IDS = [f"{w}x{h}-{round(s * 100)}pct" for (w, h), s in CASES]


pytestmark = pytest.mark.usefixtures("private_dirs")


def show(app, session) -> CrisisRoom:
    room = CrisisRoom(app, session)
    app.go(room)
    run_frames(app, 2)
    room.settle()
    run_frames(app, 1)
    return room


def drawn_in(rect: pygame.Rect) -> list[tuple[pygame.Rect, str]]:
    return [(r, words) for r, words in text.RECORDER.drawn if rect.contains(r)]


def told(words: str, rect: pygame.Rect) -> bool:
    """Drawn whole inside `rect`, or cut there with the whole words kept for a tooltip."""
    cut = [whole for r, whole in text.RECORDER.cut if rect.colliderect(r)]
    return any(w == words for _, w in drawn_in(rect)) or words in cut


def right_of(name: str, rect: pygame.Rect) -> str:
    """The words drawn just right of `name` on its line (a row's tension figure)."""
    texts = drawn_in(rect)
    label = next(r for r, w in texts if _names(w, name))
    line = sorted((r.left, w) for r, w in texts if r.top == label.top and r.left > label.right)
    return line[0][1]


def _names(drawn: str, words: str) -> bool:
    """`drawn` is `words`, whole or cut with an ellipsis."""
    return drawn == words or (drawn.endswith("…") and words.startswith(drawn[:-1].rstrip()))


def zone_with(room, words: str) -> str:
    return next(tip for _, tip in room._zones if words in tip)


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_each_pair_shows_the_engines_tension_grievance_and_missions(size, scale, worked_three):
    session = GameSession.start(
        worked_three, str(THREE), 4, [0], {1: "tit_for_tat", 2: "tit_for_tat"}
    )
    for variant in ("keep_channels", "expel_officers"):
        session.play({0: worked_three.variant_index(0, variant)})
    state = session.state
    assert state.grievance[0, 0, 2] != state.grievance[0, 2, 0]  # the two directions differ
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = show(app, session)
        panel = room.layout.gauge
        for other in (1, 2):
            name = worked_three.actor_name(other)
            tension = float(state.tension[0, 0, other])
            mine, theirs = float(state.grievance[0, 0, other]), float(state.grievance[0, other, 0])
            assert right_of(name, panel) == f"{tension:.0f}"
            tip = zone_with(room, f"Vestria and {name}: tension")
            assert f"tension {tension:.1f}" in tip
            assert f"Vestria holds {mine:.1f} against {name}" in tip
            assert f"{name} holds {theirs:.1f} against Vestria" in tip
            assert f"settles toward {float(state.resting[0, 0, other]):.1f}" in tip
            ours, hers = int(state.diplomats[0, 0, other]), int(state.diplomats[0, other, 0])
            assert f"Missions of Vestria in {name}: {ours} diplomat" in tip
            assert f"Of {name} in Vestria: {hers} diplomat" in tip
            grievance = f"grievance: yours {mine:.0f} · theirs {theirs:.0f}"
            missions = f"diplomats {ours} / {hers}"
            words = [w for _, w in drawn_in(panel)]
            if size[1] / app.scale >= 700:  # room for every line: they are on the screen
                assert grievance in words
                assert any(missions in w for w in words)
        # The pair without the player is shown too, since an ending reads it.
        assert right_of("Ostrania – Borea", panel) == f"{float(state.tension[0, 1, 2]):.0f}"
    finally:
        app.close()


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_the_endings_are_marked_where_the_rules_put_them(size, scale, worked_three, sc2016):
    """Each threshold `tension_thresholds` finds is marked on the bar of the pair it reads."""
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        for scenario, path in ((worked_three, THREE), (sc2016, DEFAULT_SCENARIO)):
            expected = sorted(
                (o.title, value)
                for o in scenario.outcomes
                if o.when is not None
                for _, value in tension_thresholds(o.when.source)
            )
            marks = bar_marks(scenario)
            assert sorted((m.outcome.title, m.value) for m in marks) == expected
            others = {a: "tit_for_tat" for a in range(1, scenario.n_actors)}
            room = show(app, GameSession.start(scenario, str(path), 4, [0], others))
            words = [w for _, w in drawn_in(room.layout.gauge)]
            shown = [m for m in marks if f"{m.outcome.title} at {m.value:g}" in words]
            assert shown, f"no ending's mark is named on {scenario.title}'s bar"
            assert f"{marks[0].outcome.title} at {marks[0].value:g}" in words  # the first ending
        rupture = next(m for m in bar_marks(worked_three) if m.outcome.id == "rupture")
        assert rupture.pair == (0, 2) and rupture.op == ">=" and rupture.value == 85
        assert {m.pair for m in bar_marks(worked_three) if m.outcome.id == "thaw"} == {
            (0, 2),
            (1, 2),
        }
        assert all(m.pair is None for m in bar_marks(sc2016))
    finally:
        app.close()


def countdown_words(session) -> list[str]:
    """The countdown as the rules count it, worded here from `outcome_progress` alone."""
    found = []
    for p in session.engine.outcome_progress(session.state, 0):
        if p.holds and p.turns_left:
            turns = "turn" if p.turns_left == 1 else "turns"
            found.append(
                f"{p.title} in {p.turns_left} {turns} if this holds "
                f"({p.streak} of {p.needed} so far)"
            )
    return found


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
@pytest.mark.parametrize("which", ["two sides", "three sides"])
def test_the_countdown_is_the_engines_count(which, size, scale, worked_duel, worked_three):
    """Everyone restrains until an ending's condition holds: the countdown under the bar says
    how many turns it still needs, as `Engine.outcome_progress` counts them; before, none."""
    scenario, path, seed = (
        (worked_duel, DUEL, 1) if which == "two sides" else (worked_three, THREE, 1)
    )
    others = {a: "always_restrain" for a in range(1, scenario.n_actors)}
    session = GameSession.start(scenario, str(path), seed, [0], others)
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        while not countdown_words(session):
            room = show(app, session)
            words = " ".join(w for _, w in drawn_in(room.layout.gauge))
            assert "if this holds" not in words
            session.play({0: default_variant(session, 0, RESTRAIN)})
            assert not session.over
        expected = countdown_words(session)
        room = show(app, session)
        assert told(expected[0], room.layout.gauge)
        progress = next(p for p in session.engine.outcome_progress(session.state, 0) if p.holds)
        assert progress.streak == 1 and progress.turns_left == progress.needed - 1
        assert f"Holds now ({progress.streak} of {progress.needed})" in zone_with(room, "end:")
    finally:
        app.close()


def test_the_news_dates_every_event(sc2016):
    """The feed and the latest card give each event its own date."""
    session = GameSession.start(sc2016, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
    protest = sc2016.variant_index(0, "formal_protest")
    while not session.records[-1].events:
        session.play({0: protest})
    record = session.records[-1]
    app = start_app((1280, 720), Settings(ui_scale=1.0, muted=True))
    try:
        feed = news_html(sc2016, session.records, app.palette)
        for event in record.events:
            assert f"{_day(event.date)}:</font> <i>{html.escape(event.headline)}</i>" in feed
        board = Board(sc2016, app.palette, {}, 0)
        board.show(record, snap=True)
        surface = pygame.Surface((400, 1000))
        text.RECORDER.reset(surface)
        try:
            board.draw_latest(surface, pygame.Rect(0, 0, 400, 1000), record, 1.0)
            words = [w for _, w in text.RECORDER.drawn]
        finally:
            text.RECORDER.reset(None)
        for event in record.events:
            assert _day(event.date) in words
    finally:
        app.close()


def _day(iso: str) -> str:
    import datetime

    date = datetime.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
def test_two_sides_keep_grievance_and_missions_on_the_sides_panels(size, scale, sc2016):
    session = GameSession.start(sc2016, str(DEFAULT_SCENARIO), 4, [0], {1: "tit_for_tat"})
    session.play({0: sc2016.variant_index(0, "mirror_expulsion")})
    state = session.state
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = show(app, session)
        panels = room.layout.actors
        words = [w for _, w in drawn_in(panels)]
        assert "Tension by pair" not in [w for _, w in drawn_in(room.layout.gauge)]
        for actor, other in ((0, 1), (1, 0)):
            grievance = f"{float(state.grievance[0, actor, other]):.0f}"
            line = f"Grievance against {sc2016.actor_name(other)}"
            assert told(line, panels)
            label = next(r for r, w in drawn_in(panels) if _names(w, line))
            figure = [w for r, w in drawn_in(panels) if r.top == label.top and r.left > label.right]
            assert figure == [grievance]
        staff, consulates = int(state.staff[0, 1, 0]), int(state.consulates[0, 1, 0])
        line = f"Local staff {staff} · consulates {consulates} · "
        line += f"properties {int(state.properties[0, 1, 0])}"
        whole = f"Of United States in Russia: {int(state.diplomats[0, 1, 0])} diplomats, "
        whole += f"{staff} local staff, {consulates} consulate"
        assert told(line, panels) or whole in zone_with(room, "Missions of Russia"), words
        if size[1] / app.scale >= 1000:  # room for every line
            assert told(line, panels)
    finally:
        app.close()


def pair_names(scenario, viewer: int) -> list[str]:
    """How the panel of pairs names each pair: the other side for the viewer's own pairs,
    "A – B" for the others."""
    names = []
    for a in range(scenario.n_actors):
        for b in range(a + 1, scenario.n_actors):
            if viewer in (a, b):
                names.append(scenario.actor_name(b if a == viewer else a))
            else:
                names.append(f"{scenario.actor_name(a)} – {scenario.actor_name(b)}")
    return names


def rows_shown(panel: pygame.Rect, names: list[str]) -> dict[str, str]:
    """Each pair row drawn in `panel`, with the tension figure drawn right of its name."""
    words = [w for _, w in drawn_in(panel)]
    return {n: right_of(n, panel) for n in names if any(_names(w, n) for w in words)}


@pytest.mark.parametrize(("size", "scale"), CASES, ids=IDS)
@pytest.mark.parametrize("path", [THREE, SKRIPAL], ids=["three sides", "four sides"])
def test_the_replay_shows_the_pairs_as_the_crisis_room_does(path, size, scale):
    """With three sides or more, the replay's tension panel is sized by the crisis room's rule:
    the same pairs, with the same figures, at the same turn of the same game."""
    sc = load_scenario(path)
    player = sc.player_actor
    others = {a: "tit_for_tat" for a in range(sc.n_actors) if a != player}
    session = GameSession.start(sc, str(path), 4, [player], others)
    for _ in range(2):
        session.play({player: default_variant(session, player, RESTRAIN)})
    assert not session.over
    names = pair_names(sc, player)
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        room = show(app, session)
        in_room = rows_shown(room.layout.gauge, names)
        assert in_room, "the crisis room shows no pair"
        replay = ReplayViewer(app, session, turn=len(session.records) - 1)
        app.go(replay)
        run_frames(app, 1)
        assert rows_shown(replay.layout.gauge, names) == in_room
    finally:
        app.close()


def test_a_change_that_rounds_to_nothing_reads_plus_zero_never_minus_zero():
    """The forecast's likely range read "-0 to +5" for a change between -0.3 and +5."""
    from game.ui.figures import signed

    assert [signed(-0.3, 0), signed(5.2, 0), signed(-0.04), signed(-0.0)] == [
        "+0",
        "+5",
        "+0.0",
        "+0.0",
    ]
    assert [signed(-1.5, 0), signed(-0.06), signed(2.46)] == ["-2", "-0.1", "+2.5"]


@pytest.mark.parametrize("width", [874, 700, 1150, 500])
def test_the_words_of_two_endings_never_run_together(sc2016, width):
    """At 1920x1080 and 180% the bar is 874 pixels wide, and "Standoff at 70" ended where
    "Rupture at 88" began: words placed on a bar keep the gap asked for."""
    import itertools

    from game.ui.assets import palette
    from game.ui.widgets.tension_bars import place_labels

    pygame.font.init()
    font, gap = palette().font("tiny", 1.8), 14
    bar = pygame.Rect(504, 200, width, 29)
    placed = place_labels(font, bar, bar_marks(sc2016), 198, "bottom", gap=gap)
    assert placed
    for (a, wa), (b, wb) in itertools.combinations(placed, 2):
        assert a.right + gap <= b.left or b.right + gap <= a.left, f"{wa!r} {a} / {wb!r} {b}"


def test_a_game_of_rounds_speaks_of_rounds_and_names_each_move_once():
    """The prisoner's dilemma's calendar is a convention: the screen counts rounds, not days
    of January 1980, and a move called as its kind ("Cooperate") is not named twice."""
    pd = load_scenario(SCENARIOS / "prisoners_dilemma.yaml")
    session = GameSession.start(pd, "pd", 2, [0], {1: "tit_for_tat"})
    for move in ("cooperate", "defect", "cooperate"):
        session.play({0: pd.variant_index(0, move)})
    app = start_app((1280, 720), Settings(muted=True))
    try:
        room = show(app, session)
        room.open(RESTRAIN)
        actor, variant = room.forecast_subject()
        deadline = time.monotonic() + 60
        while room.request_forecast(actor, variant) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        run_frames(app, 2)
        words = [w for _, w in text.RECORDER.drawn]
        assert "Round 4 of 200" in words
        assert "LATEST · ROUND 3" in words and "Row player · Cooperate" in words
        assert any(w.startswith("By round 9 (6 rounds ahead)") for w in words), words
        assert not any("1980" in w or "Cooperate: Cooperate" in w for w in words)
        news = html.unescape(re.sub(r"<[^>]+>", " ", room.news.html_text))
        assert "Round 2" in " ".join(news.split()) and "1980" not in news
        assert "Defect: Defect" not in " ".join(news.split())
        assert "Row player Defect Column player Cooperate" in " ".join(news.split())
    finally:
        app.close()


@pytest.mark.parametrize(
    ("size", "scale"), [((1024, 600), 1.0), ((1280, 720), 1.0), ((1920, 1080), 2.0)]
)
def test_a_game_of_rounds_shows_each_sides_moves_counted_and_marked_round_by_round(
    size, scale, monkeypatch
):
    """With no gauges to show, a side's panel is its record: how often it played each kind,
    and one mark per round in the kind's shape, oldest first."""
    import game.ui.widgets.actor_panel as actor_panel

    pd = load_scenario(SCENARIOS / "prisoners_dilemma.yaml")
    session = GameSession.start(pd, "pd", 2, [0], {1: "tit_for_tat"})
    for _ in range(3):
        session.play({0: pd.variant_index(0, "defect")})
    marks: list[tuple[tuple[int, int, int], str]] = []
    real_mark = actor_panel.draw_mark

    def record_mark(surface, shape, centre, size_, colour):
        marks.append((tuple(pygame.Color(colour))[:3], shape))
        real_mark(surface, shape, centre, size_, colour)

    monkeypatch.setattr(actor_panel, "draw_mark", record_mark)
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        show(app, session)
        words = [w for _, w in text.RECORDER.drawn]
        # Tit for tat cooperated first, then answered each defection.
        assert "Defect 3" in words and "Cooperate 0" not in words
        assert "Defect 2" in words and "Cooperate 1" in words
        by_side: dict[tuple[int, int, int], list[str]] = {}
        for colour, shape in marks:
            by_side.setdefault(colour, []).append(shape)
        sides = [tuple(pygame.Color(a.colour))[:3] for a in pd.model.actors]
        triangle, circle = "triangle", "circle"
        # The key beside the counts, then one mark per round.
        assert by_side[sides[0]][-4:] == [triangle, triangle, triangle, triangle]
        assert by_side[sides[1]][-5:] == [triangle, circle, circle, triangle, triangle]
    finally:
        app.close()
