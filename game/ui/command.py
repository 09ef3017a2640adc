"""`python main.py` and `python main.py play`: start the game window, or play a script.

Without a display the game says so in one line and names the commands that need none. A script
(`--script R,S,W`) plays the player's choices without a person; `--screenshot` and
`--screenshot-end` save PNGs of the crisis room and of the end screen (these need no display:
they fall back to an off-screen driver).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.arguments import (
    add_scenario_arguments,
    check_actor,
    check_strategy,
    named_scenario,
    opponents,
    scenario_path,
    seed,
)
from game.errors import UserError

HEADLESS_COMMANDS = "validate, simulate, balance"
EXIT_OK, EXIT_USAGE, EXIT_NO_DISPLAY = 0, 2, 3
"""3: the game window cannot open; the same status for `main.py` and `main.py play`."""


def add_play_parser(commands, default_scenario: Path) -> argparse.ArgumentParser:
    """Add the `play` command to the CLI's subparsers."""
    play = commands.add_parser(
        "play",
        help="start a game directly (the game starts without any command, too)",
        description="Start a game in the window, or play scripted choices and save screenshots.",
    )
    add_scenario_arguments(play, default_scenario)
    play.add_argument(
        "--as", dest="actor", help="actor id you play (default: the scenario's player)"
    )
    play.add_argument(
        "--vs",
        type=opponents,
        help="opponent strategy, e.g. lookahead:easy|normal|hard, tit_for_tat, or 'human' for "
        "two players on one machine (default: lookahead:normal); or one per actor, "
        "ACTOR=STRATEGY,... (an actor left out plays lookahead:normal)",
    )
    play.add_argument("--seed", type=seed, help="random seed (default: a new one, shown in game)")
    play.add_argument(
        "--load", metavar="SLOT_OR_FILE", help="continue a save: autosave, slot1..slot5 or a path"
    )
    play.add_argument(
        "--script",
        metavar="CHOICES",
        help="play these choices without a person, e.g. R,S,W,R:mirror_expulsion",
    )
    play.add_argument(
        "--autoplay", metavar="STRATEGY", help="play your turns with this strategy after the script"
    )
    play.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="save the crisis room after the script and exit",
    )
    play.add_argument(
        "--screenshot-end", type=Path, metavar="PNG", help="save the end screen and exit"
    )
    play.add_argument("--size", type=_size, default=None, help=argparse.SUPPRESS)
    return play


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got '{text}'") from None
    return w, h


# -- displays -----------------------------------------------------------------------------------

OFFSCREEN_DRIVERS = ("dummy", "offscreen")


def display_available() -> bool:
    """Whether a window can be shown: a display server, or a driver that needs none."""
    driver = os.environ.get("SDL_VIDEODRIVER", "").lower()
    if driver:
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def no_display_message() -> str:
    from game.cli import program_name

    name = program_name()
    shown = "python main.py" if name == "main.py" else name
    return (
        "No display found, so the game window cannot open; without one you can use the "
        f"headless commands: {HEADLESS_COMMANDS} (see {shown} --help)."
    )


def _use_offscreen() -> None:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


# -- entry points -------------------------------------------------------------------------------


def run_default() -> int:
    """`python main.py` with no command: the title screen, or one line if there is no display."""
    if not display_available():
        print(no_display_message(), file=sys.stderr)
        return EXIT_NO_DISPLAY
    return _run_window(None, None)


def run_play(args: argparse.Namespace) -> int:
    """`python main.py play ...`. User mistakes raise UserError (printed as one line by the CLI)."""
    screenshots_only = bool(args.screenshot or args.screenshot_end)
    if screenshots_only and not display_available():
        _use_offscreen()
    if not screenshots_only and not display_available():
        print(no_display_message(), file=sys.stderr)
        return EXIT_NO_DISPLAY
    if args.screenshot_end and args.script is None and args.autoplay is None and args.load is None:
        raise UserError("--screenshot-end needs a game that ends: give --script and/or --autoplay")
    session = _session_from_args(args)
    return _run_window(session, args.size, args)


def _session_from_args(args: argparse.Namespace):
    from game.strategies.registry import UnknownStrategy, make_strategy
    from game.ui.labels import DEFAULT_OPPONENT, normalise_strategy
    from game.ui.loading import open_scenario, read_game
    from game.ui.scenes.title import random_seed
    from game.ui.session import HUMAN, GameSession

    given = named_scenario(args)
    if args.load:
        if given or args.actor or args.vs or args.seed is not None:
            raise UserError(
                "--load continues a saved game; it cannot be combined with "
                "--scenario, --as, --vs or --seed"
            )
        loaded = read_game(args.load)
        return loaded.session()
    path = scenario_path(args)
    scenario = open_scenario(path)
    actor_id = args.actor or scenario.model.metadata.player_actor
    if actor_id not in scenario.actor_ids:
        raise UserError(
            f"unknown actor '{actor_id}' for --as; choose from {', '.join(scenario.actor_ids)}"
        )
    actor = scenario.actor_index(actor_id)
    others = [a for a in range(scenario.n_actors) if a != actor]
    if isinstance(args.vs, dict):
        humans, names = [actor], _opponents_by_actor(scenario, actor_id, args.vs)
    else:
        opponent = normalise_strategy(args.vs or DEFAULT_OPPONENT)
        if opponent == HUMAN:
            if args.script or args.autoplay:
                raise UserError("--vs human is a game for two people; it cannot be scripted")
            humans, names = [actor, *others], {}
        else:
            try:
                make_strategy(opponent)
            except UnknownStrategy as error:
                raise UserError(f"--vs: {error}") from None
            humans, names = [actor], dict.fromkeys(others, opponent)
    if args.autoplay:
        try:
            make_strategy(args.autoplay)
        except UnknownStrategy as error:
            raise UserError(f"--autoplay: {error}") from None
    seed = random_seed() if args.seed is None else args.seed
    shown = str(path) if given else str(Path("scenarios") / Path(path).name)
    return GameSession.start(scenario, shown, seed, humans, names)


def _opponents_by_actor(scenario, actor_id: str, chosen: dict[str, str]) -> dict[int, str]:
    """`--vs ACTOR=STRATEGY,...`: each named actor's strategy; the others play the default
    opponent, so a three-actor game can be set up from the command line."""
    from game.ui.labels import DEFAULT_OPPONENT, normalise_strategy

    names = {}
    for other_id, name in chosen.items():
        check_actor(other_id, scenario.actor_ids, "--vs")
        if other_id == actor_id:
            raise UserError(f"--vs: {other_id} is the actor you play (--as)")
        check_strategy(normalise_strategy(name), "--vs")
        names[scenario.actor_index(other_id)] = normalise_strategy(name)
    for other in range(scenario.n_actors):
        if scenario.actor_ids[other] != actor_id:
            names.setdefault(other, DEFAULT_OPPONENT)
    return names


def play_script(session, choices, autoplay: str | None) -> None:
    """Play the scripted choices, then (with autoplay) the player's turns until the end."""
    from game.ui.script import resolve

    actor = session.humans[0]
    for choice in choices:
        if session.over:
            raise UserError(
                "--script has more choices than the game has turns "
                f"(it ended after turn {session.turn})"
            )
        session.play({actor: resolve(session, actor, choice)})
    if autoplay:
        autoplay_to_end(session, autoplay)


def autoplay_to_end(session, name: str) -> None:
    import numpy as np

    from game.match import prepare
    from game.strategies.base import Situation
    from game.strategies.registry import make_strategy

    actor = session.humans[0]
    strategy = make_strategy(name)
    models = [s if s is not None else strategy for s in session.strategies]
    prepare(session.engine, models)
    while not session.over:
        legal = session.engine.legal(session.state)
        choice = strategy.choose(Situation(session.engine, session.state, actor, legal[:, actor]))
        session.play({actor: int(np.asarray(choice)[0])})


def _screenshot_scale() -> float:
    """Screenshots are taken at 100% unless PNG_UI_SCALE names another scale (for the docs)."""
    try:
        return float(os.environ.get("PNG_UI_SCALE", "1.0"))
    except ValueError:
        return 1.0


def _run_window(session, size, args: argparse.Namespace | None = None) -> int:
    from game.ui.app import App, DisplayUnavailable
    from game.ui.scenes.crisis_room import CrisisRoom
    from game.ui.scenes.end_screen import EndScreen
    from game.ui.scenes.title import TitleScreen
    from game.ui.script import parse_script
    from game.ui.settings import load_settings

    if args is not None and session is not None and (args.script or args.autoplay):
        choices = parse_script(args.script) if args.script else []
        play_script(session, choices, args.autoplay)
    if args is not None and args.screenshot_end and (session is None or not session.over):
        raise UserError(
            f"--screenshot-end: the game is not over after the script (turn {session.turn} of "
            f"{session.scenario.max_turns}); add more choices or --autoplay STRATEGY"
        )
    screenshots = args is not None and (args.screenshot or args.screenshot_end)
    settings = load_settings()
    if screenshots:
        settings.fullscreen = False
        settings.ui_scale = _screenshot_scale()
        settings.muted = True
        size = size or (1280, 720)
    try:
        app = App(settings, size or settings.window_size())
    except DisplayUnavailable as error:
        print(error)
        return EXIT_USAGE
    except Exception as error:  # pygame.error: the window could not be opened
        import pygame

        if isinstance(error, pygame.error):
            print(f"{no_display_message()} ({error})", file=sys.stderr)
            return EXIT_NO_DISPLAY
        raise
    try:
        if session is None:
            app.go(TitleScreen(app))
            app.prepare_engine()
        elif session.over:
            app.go(EndScreen(app, session))
        else:
            app.go(CrisisRoom(app, session))
        if screenshots:
            return _screenshots(app, session, args)
        app.run()
        return EXIT_OK
    finally:
        app.close()


def _screenshots(app, session, args) -> int:
    from game.ui.scenes.crisis_room import CrisisRoom
    from game.ui.scenes.end_screen import EndScreen

    if args.screenshot:
        room = CrisisRoom(app, session)
        app.go(room)
        subject = _showcase_hover(room)
        if subject is not None:
            actor, variant = subject
            key_job = room.request_forecast(actor, variant)
            if key_job is None:
                _wait_forecast(app, room, actor, variant)
        room.settle()
        app.frame(0.0)
        path = app.screenshot(args.screenshot)
        print(f"wrote {path}")
    if args.screenshot_end:
        end = EndScreen(app, session)
        app.go(end)
        end.settle()  # the real moves' score, worked out off the frame thread
        app.frame(0.0)
        path = app.screenshot(args.screenshot_end)
        print(f"wrote {path}")
    return EXIT_OK


def _showcase_hover(room):
    """For the crisis-room screenshot: open Restrain and focus its first move, as a player
    looking at the forecast would."""
    from game.scenario.compiled import RESTRAIN

    if room.session.over:
        return None
    room.open(RESTRAIN)
    return room.forecast_subject()


def _wait_forecast(app, room, actor: int, variant: int, timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while room.request_forecast(actor, variant) is None and time.monotonic() < deadline:
        time.sleep(0.01)
