"""The end screen sets a game of a historical scenario beside history: who won and by how much,
the real ending, the real moves, the score the real moves earn with the same seed, and the turning
points of the player's game. A scenario without real moves (the prisoner's dilemma) shows
nothing of the sort."""

from __future__ import annotations

import html
import os
import re
import threading

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from test_ui_layout import SCALES, SIZES, check

import game.ui.scenes.end_screen as end_screen
from game.history.replay import real_scores
from game.scenario.load import load_scenario
from game.ui.command import play_script
from game.ui.driver import run_frames, start_app
from game.ui.loading import DEFAULT_SCENARIO, SCENARIOS
from game.ui.real_story import RealScores
from game.ui.scenes.end_screen import EndScreen
from game.ui.session import GameSession
from game.ui.settings import Settings
from game.ui.widgets import text

SEED = 4


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def standoff(scenario) -> GameSession:
    """Moscow retaliates every turn against tit for tat: the game ends in a standoff, not in
    the long chill history reached, and scores below what the real moves earn."""
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), SEED, [0], {1: "tit_for_tat"})
    play_script(session, [], "always_retaliate")
    assert session.over and session.outcome().id == "standoff"
    return session


@pytest.fixture(scope="module")
def answered(scenario) -> GameSession:
    """Moscow plays tit for tat against tit for tat: tension both rises and falls sharply."""
    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), SEED, [0], {1: "tit_for_tat"})
    play_script(session, [], "tit_for_tat")
    assert session.over
    return session


@pytest.fixture(scope="module")
def dilemma_game() -> GameSession:
    pd = load_scenario(SCENARIOS / "prisoners_dilemma.yaml")
    session = GameSession.start(pd, "pd", SEED, [0], {1: "tit_for_tat"})
    play_script(session, [], "always_retaliate")
    assert session.over
    return session


def open_end(session, size=(1280, 720), scale=1.0):
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    scene = EndScreen(app, session)
    app.go(scene)
    scene.settle()
    run_frames(app, 1)
    return app, scene


def drawn_words() -> list[str]:
    return [words for _, words in text.RECORDER.drawn]


def box_text(scene, name: str) -> str:
    """What a text box says, without its markup."""
    box = scene.boxes.get(name)
    if box is None:
        return ""
    return html.unescape(re.sub(r"<[^>]+>", "", box.html_text.replace("<br>", "\n")))


def real_row(scene) -> list[str]:
    """The figures drawn on the row of the real moves' score, left to right."""
    drawn = list(text.RECORDER.drawn)
    label = next(r for r, w in drawn if w.startswith("Real moves, same luck"))
    row = [(r.left, w) for r, w in drawn if r.top == label.top and r.left > label.right]
    return [w for _, w in sorted(row)]


def test_the_2016_end_screen_shows_the_real_ending_and_both_scores(standoff, scenario):
    app, scene = open_end(standoff)
    try:
        totals = standoff.scores()
        words = drawn_words()
        mine, theirs = f"{totals[0]:.1f}", f"{totals[1]:.1f}"
        margin = float(mine) - float(theirs)  # the lead as the figures shown read
        assert f"You win by {margin:.1f} points ({mine} to {theirs})." in words
        assert "In reality: A long chill" in words  # the real ending, unlike the player's
        story = box_text(scene, "history")
        chill = next(o for o in scenario.outcomes if o.id == "long_chill")
        assert f"The real ending: {chill.title}" in story
        assert " ".join(chill.text.split()) in " ".join(story.split())
        real = real_scores(scenario, SEED)
        assert real_row(scene) == [f"{real['rus']:.1f}", f"{real['usa']:.1f}"]
        assert f"{totals[0]:.1f}" in words  # the player's own total, in the same table
        behind = round(real["rus"], 1) - round(float(totals[0]), 1)
        assert any(w.startswith(f"The real Moscow did {behind:.1f} points better") for w in words)
    finally:
        app.close()


def test_the_real_moves_score_is_real_scores_for_the_game_seed(scenario, standoff):
    real = real_scores(scenario, SEED)
    other = real_scores(scenario, SEED + 1)
    # The figures depend on the seed, so a screen replaying another seed would show others.
    assert f"{real['rus']:.1f}" != f"{other['rus']:.1f}"
    assert f"{real['rus']:.1f}" != f"{standoff.scores()[0]:.1f}"
    app, scene = open_end(standoff)
    try:
        assert scene.real.scores == real
        assert real_row(scene) == [f"{real['rus']:.1f}", f"{real['usa']:.1f}"]
    finally:
        app.close()


def test_every_real_move_is_listed_with_its_turn_date_side_and_label(standoff, scenario):
    app, scene = open_end(standoff)
    try:
        story = " ".join(box_text(scene, "history").split())
        for move in scenario.model.history.moves:
            actor = scenario.actor_index(move.actor)
            label = scenario.variant(actor, scenario.variant_index(actor, move.variant)).label
            date = scenario.date_of_turn(move.turn)
            line = f"Turn {move.turn} · {date.day} {date:%b %Y} {scenario.actor_name(actor)}:"
            assert f"{line} {label}" in story, (move, story)
    finally:
        app.close()


def test_the_turning_points_are_the_turns_where_the_players_tension_moved_most(answered):
    changes = {}
    for before, after in zip(answered.records, answered.records[1:], strict=False):
        change = answered.tension_of(after) - answered.tension_of(before)
        if abs(change) >= 1.0:
            changes[after.turn] = change
    biggest = sorted(changes, key=lambda turn: -abs(changes[turn]))[:3]
    assert min(changes[turn] for turn in biggest) < 0 < max(changes[turn] for turn in biggest)
    app, scene = open_end(answered)
    try:
        assert [p.turn for p in scene.points] == sorted(biggest)
        turns = " ".join(box_text(scene, "turns").split())
        for number, turn in enumerate(sorted(biggest), start=1):
            record = answered.records[turn]
            assert f"{number} Turn {turn} · {end_screen._date(record.date)}" in turns
            assert f"Tension {changes[turn]:+.1f}" in turns
            for move in record.moves:
                assert move.label in turns
    finally:
        app.close()


def test_the_screen_is_drawn_while_the_real_moves_are_replayed(standoff, monkeypatch):
    """The real moves' score arrives from a worker thread: until then the screen says it is
    replaying them, and no frame waits for it."""
    release = threading.Event()

    def slow(scenario, seed):
        release.wait()
        return real_scores(scenario, seed)

    monkeypatch.setattr(
        end_screen, "RealScores", lambda sc, seed: RealScores(sc, seed, compute=slow)
    )
    app = start_app((1280, 720), Settings(ui_scale=1.0, muted=True))
    try:
        scene = EndScreen(app, standoff)
        app.go(scene)
        run_frames(app, 3)
        assert not scene.real.ready
        assert any(w.startswith("Replaying the real moves under seed 4") for w in drawn_words())
        release.set()
        scene.settle()
        run_frames(app, 1)
        assert real_row(scene) == [
            f"{v:.1f}" for v in real_scores(standoff.scenario, SEED).values()
        ]
    finally:
        release.set()
        app.close()


def test_the_prisoners_dilemma_end_screen_has_no_history_comparison(dilemma_game):
    app, scene = open_end(dilemma_game)
    try:
        assert scene.real is None and scene.points == []
        words = drawn_words()
        assert not any(
            w.startswith(("Real moves, same luck", "In reality", "Replaying")) for w in words
        )
        assert "turns" not in scene.boxes
        story = box_text(scene, "history")
        assert "Axelrod" in story  # what really happened, in words, as before
        assert "The real ending" not in story and "The real moves" not in story
    finally:
        app.close()


def chart_words(scene) -> list[str]:
    chart = scene.rects["chart"]
    return [w for r, w in text.RECORDER.drawn if chart.contains(r)]


def row_of(label: str) -> list[str]:
    """The words drawn on the row that starts with `label`, left to right, after it."""
    drawn = list(text.RECORDER.drawn)
    start = next(r for r, w in drawn if w == label)
    return [w for _, w in sorted((r.left, w) for r, w in drawn if r.top == start.top)][1:]


def test_the_prisoners_dilemma_end_screen_charts_the_points_not_a_tension_that_never_moved(
    dilemma_game, standoff
):
    """Always defecting against tit for tat: 5 + 199 x 1 points against 199, with 200 and 199
    defections. The chart follows the points, and the counts of each choice tell the match."""
    app, scene = open_end(dilemma_game)
    try:
        words = chart_words(scene)
        assert not any("tension" in w.lower() for w in words), words
        assert "calm" not in words  # the one band of the tension that never moved
        assert any(w.startswith("Points, round by round") for w in words)
        assert "You  204" in words and "Column player  199" in words
        assert row_of("Defect") == ["200", "199"]
        assert row_of("Cooperate") == ["0", "1"]
    finally:
        app.close()
    app, scene = open_end(standoff)
    try:
        assert any(w.startswith("Tension") for w in chart_words(scene))
    finally:
        app.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{round(s * 100)}pct")
def test_the_end_screen_beside_history_fits(size, scale, standoff, dilemma_game):
    app = start_app(size, Settings(ui_scale=scale, muted=True))
    try:
        for session in (standoff, dilemma_game):
            scene = EndScreen(app, session)
            app.go(scene)
            run_frames(app, 1)
            where = f"{session.scenario.title} at {size[0]}x{size[1]}, {round(scale * 100)}%"
            check(app, where)
            if session is standoff:
                # every objective, the total and the real moves' row are on screen
                words = drawn_words()
                for line in scene.lines[0]:
                    assert line.name in words, where
                assert "Total" in words and real_row(scene), where
    finally:
        app.close()


def test_the_winning_margin_reads_as_the_figures_shown(scenario):
    """88.36 to 85.94 shows as 88.4 to 85.9, so the lead reads 2.5, not 2.4."""
    import numpy as np

    from game.ui.stakes import result_line

    line = result_line(scenario, np.array([88.36, 85.94]), 0, [0])
    assert line == "You win by 2.5 points (88.4 to 85.9)."
    assert result_line(scenario, np.array([70.04, 70.0]), 0, [0]) == "A draw: 70.0 points each."


def test_the_winner_line_reads_right_for_a_side_with_a_plural_name():
    """'EU and NATO allies wins' is wrong and 'win' would be wrong for 'Russia': the line names
    a winner that is not the player without a verb that agrees with it."""
    import numpy as np

    from game.ui.stakes import result_line

    skripal = load_scenario(SCENARIOS / "skripal_2018.yaml")
    allies = skripal.actor_index("eunato")
    scores = np.full(skripal.n_actors, 60.0)
    scores[allies] = 62.5
    line = result_line(skripal, scores, skripal.actor_index("uk"), [0])
    assert line == "Winner: EU and NATO allies, by 2.5 points (62.5 to 60.0)."
    scores[allies] = 50.0
    scores[skripal.actor_index("rus")] = 61.0
    assert result_line(skripal, scores, 0, [0]) == "Winner: Russia, by 1.0 points (61.0 to 60.0)."
    # In hot seat the screen speaks to no one player: the player's side is named too.
    uk = skripal.actor_index("uk")
    scores[uk] = 70.0
    both = list(range(skripal.n_actors))
    assert result_line(skripal, scores, uk, both).startswith("Winner: United Kingdom, by 9.0")


@pytest.mark.parametrize(("size", "scale"), [((1024, 600), 1.0), ((1920, 1080), 2.0)])
def test_a_small_end_screen_keeps_the_sides_names_and_the_summary_whole(size, scale, standoff):
    """'United St…' over its column and '22 Septem…' in the summary: the table widens a
    column or takes smaller type for a name, and the summary gives up the date first."""
    app, _ = open_end(standoff, size, scale)
    try:
        words = drawn_words()
        assert "United States" in words and "Real moves, same luck" in words
        summary = next(w for w in words if w.startswith("Persona Non Grata: December 2016"))
        assert not summary.endswith("…") and f"seed {SEED}" in summary, summary
    finally:
        app.close()


def test_a_hot_seat_end_screen_names_both_sides_and_calls_neither_you(scenario):
    """Two people shared the screen: the score table's columns are the sides' names."""
    import numpy as np

    session = GameSession.start(scenario, str(DEFAULT_SCENARIO), SEED, [0, 1], {})
    while not session.over:
        legal = session.engine.legal(session.state)[0]
        session.play({actor: int(np.flatnonzero(legal[actor])[0]) for actor in (0, 1)})
    app, _ = open_end(session)
    try:
        words = drawn_words()
        assert "You" not in words
        assert scenario.actor_name(0) in words and scenario.actor_name(1) in words
    finally:
        app.close()
