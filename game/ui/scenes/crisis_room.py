"""The crisis room, the main screen: the sides, tension, score, news, and the player's choices.

R, S and W (or 1, 2, 3) open Retaliate, Restrain and Wait and select the first available
variant; the arrow keys and Tab move the selection, a click selects, and only Enter (or the
Play button) plays the selected move. The description and the forecast always show the selected
move, never the one under the mouse, so what is read is what is played. A turn's work (the step,
the autosave) runs off the frame thread and input waits until it is shown.

In a crisis of three sides or more, a move whose target is the player's to pick shows a button
for each other side above Play, the rules' pick framed until the player picks another: the
arrow keys reach them right after the move, T cycles them, a click picks, and Enter on one
plays the move at it.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextBox

from game import saves
from game.engine.engine import IllegalMove
from game.errors import ScenarioError
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT
from game.scenario.load import load_scenario
from game.scenario.wording import possessive
from game.ui.aims import picks_target, rules_target, target_refusal
from game.ui.board import Board, news_html
from game.ui.figures import signed
from game.ui.forecast import Forecast, compute_forecast
from game.ui.labels import FOG_OPPONENTS, KIND_KEYS, kind_label, shows_gauges, strategy_label
from game.ui.scenes.base import Action, Scene
from game.ui.session import GameSession
from game.ui.stakes import GAUGE_HELP, endings_tip, gauge_tip, progress_lines
from game.ui.widgets import text
from game.ui.widgets.panels import Panel, PanelCache
from game.ui.widgets.points_chart import PointsChart, PointsLine

if TYPE_CHECKING:
    from game.ui.app import App

KIND_IDS = ("#kind_retaliate", "#kind_restrain", "#kind_wait")
KEY_KINDS = {
    pygame.K_r: RETALIATE,
    pygame.K_1: RETALIATE,
    pygame.K_s: RESTRAIN,
    pygame.K_2: RESTRAIN,
    pygame.K_w: WAIT,
    pygame.K_3: WAIT,
}
TARGET_KEY = pygame.K_t
AIM_HELP = (
    "Whom this move is aimed at: it reaches that side alone. Until you pick one, the rules "
    "aim it at whoever hit you hardest last turn, else at the side you hold the most grievance "
    "against, else at an adversary before an ally. A side it cannot reach now is marked ×. "
    "T picks the next side; Enter on a side plays the move at it."
)
CHANGE_ROWS = (
    ("score", "Your score"),
    ("tension", "Tension"),
    ("pressure", "Pressure"),
    ("credibility", "Credibility"),
    ("standing", "Standing"),
)


def roles_for(session: GameSession) -> dict[int, str]:
    roles = {}
    for actor in range(session.scenario.n_actors):
        if actor in session.humans:
            roles[actor] = (
                "You" if not session.hot_seat else f"Player {session.humans.index(actor) + 1}"
            )
        else:
            roles[actor] = "Computer: " + strategy_label(session.strategy_names[actor])
    return roles


POINTS_SPAN = 20
"""Rounds the points chart widens by as a long match goes on."""


class CrisisRoom(Scene):
    name = "crisis_room"
    shows_toast = True  # notices go in the title bar, where the seed is, covering nothing

    def __init__(self, app: App, session: GameSession) -> None:
        super().__init__(app)
        self.session = session
        self.board = Board(session.scenario, app.palette, roles_for(session), session.player)
        self.board.show(session.records[-1], snap=True)
        self.points_chart = PointsChart(app.palette)
        self.to_move: int | None = session.humans[0] if session.humans else None
        self.pending: dict[int, int] = {}
        self.pending_targets: dict[int, int] = {}
        self.open_kind: int | None = None
        self.selected: int | None = None
        self.aim: int | None = None
        """The side the player picked for the selected move, None for the rules' pick."""
        self.target_buttons: dict[object, int] = {}
        """The shown buttons to aim the selected move, to the side each aims at."""
        self._target_pools: dict[int, dict[object, int]] = {}
        """Variant -> its aiming buttons made so far this turn (hidden unless it is selected)."""
        self._rules_targets: tuple[object, dict[tuple[int, int], int | None]] = (None, {})
        self.refusal: str | None = None
        self.reload_errors: list[str] | None = None
        self.kind_buttons: dict[int, object] = {}
        self.variant_buttons: dict[object, int] = {}
        self.play_button = None
        self.menu_button = None
        self.news = None
        self.error_box = None
        self.spin = 0.0
        self.layout = None
        self.handover_due = False
        self.description_top = 0
        self._parts: tuple[object, list, float] | None = None
        self.panels = PanelCache()
        self._builds = 0  # every build lays the board out anew, so it invalidates every panel
        self._shown_forecast: tuple[Forecast | None, str | None] = (None, "none")
        self._prepared = -1  # the app's draw pass the panels were last brought up to date in
        self._pools: dict[int, tuple[dict[object, int], int]] = {}
        """Kind -> its variant buttons made so far (to variant index) and where the
        description starts below them."""
        self._parked: dict[object, Action] = {}
        """Kept buttons hidden for now, with the action each has when shown."""
        self._actions_for: tuple[int, bool] | None = None
        self._to_prepare: list[int] = []
        """Kinds whose buttons and descriptions idle frames still have to prepare."""
        self._to_describe: dict[int, list[int]] = {}
        """Kind -> its moves whose descriptions idle frames have not rendered yet."""

    # -- the state of play ----------------------------------------------------------------------

    @property
    def fog(self) -> bool:
        return any(name in FOG_OPPONENTS for name in self.session.strategy_names.values())

    def _actor(self) -> int:
        return self.to_move if self.to_move is not None else self.session.player

    def score_parts(self):
        """The player's score by objective, asked once per state."""
        state = self.session.state
        if self._parts is None or self._parts[0] is not state:
            engine, player = self.session.engine, self._score_actor()
            parts = engine.score_parts(state, 0, player)
            self._parts = (state, parts, float(sum(p.points for p in parts)))
        return self._parts[1], self._parts[2]

    def _score_actor(self) -> int:
        return self._actor() if self.session.hot_seat else self.session.player

    # -- widgets --------------------------------------------------------------------------------

    def build(self) -> None:
        app = self.app
        self._builds += 1
        score_lines = len(self.session.engine.score_parts(self.session.state, 0, 0))
        session = self.session
        aiming = any(
            picks_target(session, actor, v.index)
            for actor in session.humans
            for v in session.scenario.variants[actor]
        )
        self.layout = lay = self.board.layout(
            app.window.get_size(),
            app.scale,
            session.records[-1],
            score_lines,
            briefing_min=230 + 36 * aiming,  # room for the aiming buttons
        )
        menu = pygame.Rect(0, 0, app.px(118), app.px(34))
        menu.midright = (lay.top.right - app.px(12), lay.top.centery)
        self.menu_button = self.button(menu, "Menu  (Esc)", self.open_pause, class_id="@menu")
        self.news = self.add(
            UITextBox(
                news_html(self.session.scenario, self.session.records[:-1], app.palette),
                self._news_rect(),
                manager=app.manager,
                object_id=ObjectID(object_id="#news", class_id=None),
            )
        )
        self._build_actions()
        if self.reload_errors:
            self._build_error_box()

    def _news_rect(self) -> pygame.Rect:
        lay = self.layout
        card = self.board.draw_latest(
            pygame.Surface((1, 1)), lay.news, self.session.records[-1], self.app.scale
        )
        top = lay.news.top + card + self.app.px(8)
        return pygame.Rect(lay.news.left, top, lay.news.width, lay.news.bottom - top)

    def regions(self) -> dict[str, pygame.Rect]:
        return self.layout.regions() if self.layout is not None else {}

    def teardown(self) -> None:
        super().teardown()
        self.kind_buttons = {}
        self.variant_buttons = {}
        self.play_button = None
        self._pools = {}
        self._parked = {}
        self._actions_for = None
        self._to_prepare = []
        self._to_describe = {}
        self.target_buttons = {}
        self._target_pools = {}

    def _forget(self, button) -> None:
        button.kill()
        self.actions.pop(button, None)
        self._parked.pop(button, None)
        if button in self.focus_order:
            self.focus_order.remove(button)
        if button in self.elements:
            self.elements.remove(button)

    def _park(self, button) -> None:
        """Hide a kept button: it takes no input and no focus until it is shown again."""
        if button in self.actions:
            self._parked[button] = self.actions.pop(button)
        if button in self.focus_order:
            self.focus_order.remove(button)
        if button.is_selected:
            button.unselect()
        button.hide()

    def _unpark(self, button) -> None:
        if button in self._parked:
            self.actions[button] = self._parked.pop(button)
        button.show()

    def _build_actions(self) -> None:
        """The kind buttons and, for the open kind, its variants and the Play button.

        Making a button costs a few milliseconds at large scales, which a key press cannot
        afford three or four times in one frame. So the buttons of a turn are kept: the kind
        buttons and Play while the same side moves, each kind's variants once made (hidden
        while another kind is open); idle frames make the kinds not opened yet (`update`)."""
        actor = self._actor()
        over = self.session.over or self.to_move is None
        if self._actions_for != (actor, over):
            for button in [*self.kind_buttons.values(), *self._parked]:
                self._forget(button)
            for pool in self._pools.values():
                for button in pool[0]:
                    self._forget(button)
            for targets in self._target_pools.values():
                for button in targets:
                    self._forget(button)
            if self.play_button is not None:
                self._forget(self.play_button)
            self.kind_buttons, self._pools, self.play_button = {}, {}, None
            self.target_buttons, self._target_pools = {}, {}
            self._actions_for = (actor, over)
            self._build_kinds(over)
            self._to_prepare = [] if over else list(self.kind_buttons)
            self._to_describe = {}
        for button in [*self.variant_buttons, *self.target_buttons]:
            self._park(button)
        self.variant_buttons, self.target_buttons = {}, {}
        if self.play_button is not None:
            self._park(self.play_button)
        self.focus_index = None
        kept = [*self.variant_buttons, *self.kind_buttons.values(), self.play_button]
        self.focus_order = [e for e in self.focus_order if e not in kept]
        if self.open_kind is None or over:
            self.focus_order += self.kind_buttons.values()
            return
        while not self._build_variant(actor, self.open_kind):
            pass
        buttons, self.description_top = self._pools[self.open_kind]
        self.variant_buttons = dict(buttons)
        for button in [*self.variant_buttons, self.play_button]:
            self._unpark(button)
        self.focus_order += [*self.variant_buttons, self.play_button, *self.kind_buttons.values()]
        variants = self.session.variants(actor, self.open_kind)
        legal = self.session.legal(actor)
        chosen = self.selected if self.selected in self.variant_buttons.values() else None
        if chosen is None:
            chosen = next((v.index for v in variants if legal[v.index]), variants[0].index)
        self.select(chosen)

    def _build_kinds(self, over: bool) -> None:
        app, lay = self.app, self.layout
        actor = self._actor()
        kinds = [k for k in (RETALIATE, RESTRAIN, WAIT) if self.session.variants(actor, k)]
        gap = app.px(10)
        width = (lay.actions.width - gap * (len(kinds) - 1)) // max(1, len(kinds))
        for i, kind in enumerate(kinds):
            rect = pygame.Rect(
                lay.actions.left + i * (width + gap), lay.actions.top, width, lay.actions.height
            )
            label = f"{kind_label(self.session.scenario, kind)}   [{KIND_KEYS[kind]}]"
            button = self.button(rect, label, lambda k=kind: self.open(k), KIND_IDS[kind], "@kind")
            if over:
                button.disable()
            self.kind_buttons[kind] = button
        if not over:
            area, _ = self._panes()
            pad, play_h = app.px(10), app.px(36)
            play = pygame.Rect(
                area.left + pad, area.bottom - pad - play_h, area.width - 2 * pad, play_h
            )
            label = "Play the selected move  (Enter)"
            if self.fit_label(label, play.width, None, "@menu")[0] != label:
                label = "Play it  (Enter)"  # whole words rather than a cut label
            self.play_button = self.button(play, label, self.play_selected)
            self._park(self.play_button)

    def _panes(self) -> tuple[pygame.Rect, pygame.Rect]:
        """The briefing's two panes: the moves on the left, the forecast on the right."""
        box = self.layout.briefing
        width = round(box.width * 0.56)
        left = pygame.Rect(box.left, box.top, width, box.height)
        return left, pygame.Rect(left.right, box.top, box.right - left.right, box.height)

    def _build_variant(self, actor: int, kind: int) -> bool:
        """Make the next missing variant button of `kind` (hidden); True once all are made."""
        app = self.app
        area, _ = self._panes()
        pad = app.px(10)
        head = app.palette.font("body", app.scale, "bold")
        variants = self.session.variants(actor, kind)
        legal = self.session.legal(actor)
        play_h = app.px(36)
        top = area.top + pad + head.get_linesize() + app.px(4)
        room = area.bottom - pad - play_h - app.px(8) - top - app.px(44)
        if any(picks_target(self.session, actor, v.index) for v in variants):
            room -= self._target_row().height + app.px(8)
        height = max(app.px(24), min(app.px(32), room // max(1, len(variants)) - app.px(4)))
        buttons, _ = self._pools.get(kind, ({}, 0))
        made = len(buttons)
        if made < len(variants):
            variant = variants[made]
            y = top + made * (height + app.px(4))
            rect = pygame.Rect(area.left + pad, y, area.width - 2 * pad, height)
            available = bool(legal[variant.index])
            label = variant.label if available else f"×  {variant.label}"
            object_id = None if available else "#variant_unavailable"
            button = self.button(
                rect, label, lambda v=variant.index: self.choose(v), object_id, "@variant"
            )
            self._park(button)
            buttons[button] = variant.index
            made += 1
        description_top = top + made * (height + app.px(4)) + app.px(2)
        self._pools[kind] = (buttons, description_top)
        return made == len(variants)

    def _build_error_box(self) -> None:
        lay, app = self.layout, self.app
        bottom = lay.chart.bottom if lay.chart is not None else lay.gauge.bottom
        rect = pygame.Rect(lay.centre.left, lay.gauge.top, lay.centre.width, bottom - lay.gauge.top)
        lines = "<br>".join(html.escape(line) for line in self.reload_errors or [])
        body = (
            "<b>The scenario file has errors; the game goes on with the last good version.</b><br>"
            f"{lines}<br><br>"
            "<i>Fix the file and press F5 again, or press Esc to close this panel.</i>"
        )
        self.error_box = self.add(
            UITextBox(
                body,
                rect,
                manager=app.manager,
                object_id=ObjectID(object_id="#error_panel", class_id=None),
            )
        )

    # -- input ----------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event):
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.variant_buttons:
            # A click selects; only Enter or the Play button plays.
            self.app.sound.play("click")
            self.select(self.variant_buttons[event.ui_element])
            return None
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.target_buttons:
            self.app.sound.play("click")
            self.pick_target(self.target_buttons[event.ui_element])
            return None
        return super().handle(event)

    def handle_key(self, event: pygame.event.Event):
        plain = not (event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT))
        if event.key in KEY_KINDS and plain:
            return self.open(KEY_KINDS[event.key])
        if event.key == TARGET_KEY and plain:
            self.cycle_target()
            return None
        if event.key == pygame.K_ESCAPE:
            if self.reload_errors:
                self.close_errors()
                return None
            if self.open_kind is not None:
                self.close_kind()
                return None
            return self.open_pause()
        return super().handle_key(event)

    def open(self, kind: int):
        if self.session.over or self.to_move is None or self.app.busy:
            return None
        if not self.session.variants(self._actor(), kind):
            return None
        if kind != self.open_kind:
            self.selected = None
        self.open_kind = kind
        self.refusal = None
        self._build_actions()
        return None

    def close_kind(self) -> None:
        self.open_kind = None
        self.selected = None
        self.aim = None
        self._build_actions()

    def select(self, variant: int) -> None:
        """Make `variant` the selected move: focused, described and forecast."""
        if variant != self.selected:
            self.aim = None
        self.selected = variant
        self.refusal = None
        self._show_targets()
        for button, index in self.variant_buttons.items():
            if index == variant:
                self.set_focus(button)

    def on_hover(self, element) -> None:
        if element is not self.current_focus():
            return
        if element in self.variant_buttons:
            variant = self.variant_buttons[element]
            if variant != self.selected:
                self.selected, self.aim = variant, None
                self._show_targets()
        elif element in self.target_buttons:
            self.aim = self.target_buttons[element]

    # -- aiming ---------------------------------------------------------------------------------

    def aims(self, actor: int, variant: int) -> bool:
        """Whether the player aims this move now (it is playable and its target is theirs to
        pick among other sides)."""
        return picks_target(self.session, actor, variant) and not self.session.why_not(
            actor, variant
        )

    def rules_target(self, actor: int, variant: int) -> int | None:
        """Whom the rules would aim the move at (asked of the engine once per state)."""
        state = self.session.state
        if self._rules_targets[0] is not state:
            self._rules_targets = (state, {})
        known = self._rules_targets[1]
        if (actor, variant) not in known:
            known[(actor, variant)] = rules_target(self.session, actor, variant)
        return known[(actor, variant)]

    def target(self) -> int | None:
        """The side the selected move goes to: the player's pick, else the rules' (None when
        the player does not aim it)."""
        actor, variant = self._actor(), self.selected
        if variant is None or not self.target_buttons:
            return None
        return self.aim if self.aim is not None else self.rules_target(actor, variant)

    def pick_target(self, target: int) -> None:
        """The player aims the selected move at `target` (refused, if it is, when played)."""
        self.aim = target
        self.refusal = None
        for button, other in self.target_buttons.items():
            if other == target:
                self.set_focus(button)

    def cycle_target(self) -> None:
        """T: aim the selected move at the next side."""
        others = list(self.target_buttons.values())
        if not others:
            return
        current = self.target()
        after = others.index(current) + 1 if current in others else 0
        self.pick_target(others[after % len(others)])

    def aim_and_play(self, target: int):
        """Enter on an aiming button: aim the selected move there and play it."""
        self.pick_target(target)
        return self.play_selected()

    def _target_row(self) -> pygame.Rect:
        """Where the aiming buttons go: a row above Play, under the move's description."""
        area, _ = self._panes()
        pad, play_h, height = self.app.px(10), self.app.px(36), self.app.px(28)
        top = area.bottom - pad - play_h - self.app.px(8) - height
        return pygame.Rect(area.left + pad, top, area.width - 2 * pad, height)

    def _target_label(self) -> str:
        """'Aim  [T]', or only the key when the row is so tight that the word would cost a side
        its name (four sides in a small window)."""
        app, row = self.app, self._target_row()
        font = app.palette.font("small", app.scale, "bold")
        sides = self.session.scenario.n_actors - 1
        room = row.width - font.size("Aim  [T]")[0] - app.px(10) - app.px(6) * (sides - 1)
        longest = max(font.size(a.id.upper())[0] for a in self.session.scenario.model.actors)
        return "Aim  [T]" if room // max(sides, 1) >= longest + app.px(24) else "[T]"

    def _targets_of(self, actor: int, variant: int) -> dict[object, int]:
        """The move's aiming buttons, one per other side (made once a turn, hidden)."""
        pool = self._target_pools.get(variant)
        if pool is not None:
            return pool
        session, app = self.session, self.app
        legal = set(session.legal_targets(actor, variant))
        others = [a for a in range(session.scenario.n_actors) if a != actor]
        row = self._target_row()
        font = app.palette.font("small", app.scale, "bold")
        label_w = font.size(self._target_label())[0] + app.px(10)
        gap = app.px(6)
        width = (row.width - label_w - gap * (len(others) - 1)) // len(others)
        pool = {}
        names = self._aim_names(others, width, legal)
        for i, other in enumerate(others):
            rect = pygame.Rect(row.left + label_w + i * (width + gap), row.top, width, row.height)
            available = other in legal
            object_id = None if available else "#variant_unavailable"
            name = names[i]
            full = session.scenario.actor_name(other)
            button = self.button(
                rect,
                name if available else f"×  {name}",
                lambda t=other: self.aim_and_play(t),
                object_id,
                "@aim",
                tooltip=None if name == full else full,
            )
            self._park(button)
            pool[button] = other
        self._target_pools[variant] = pool
        return pool

    def _aim_names(self, others: list[int], width: int, legal: set[int]) -> list[str]:
        """The sides' names on the aiming buttons, all in one style: the whole names, else the
        short names the scenario gives, else the capitals, else the ids in capitals ("RUS"),
        whichever fits every button; a cramped window gets codes rather than "Ru…" beside
        "United States"."""
        actors = self.session.scenario.model.actors
        styles = (
            [actors[a].name for a in others],
            [actors[a].short_name or actors[a].name for a in others],
            [actors[a].capital for a in others],
            [actors[a].id.upper() for a in others],
        )
        for names in styles:
            labels = [n if a in legal else f"×  {n}" for a, n in zip(others, names, strict=True)]
            if all(self.fit_label(x, width, None, "@aim")[0] == x for x in labels):
                return names
        return styles[-1]

    def _show_targets(self) -> None:
        """Show the selected move's aiming buttons if the player aims it, right after it in the
        keyboard order, and hide any others."""
        actor, variant = self._actor(), self.selected
        wanted: dict[object, int] = {}
        if variant is not None and self.play_button is not None and self.aims(actor, variant):
            wanted = self._targets_of(actor, variant)
        if list(wanted) == list(self.target_buttons):
            return
        focused = self.current_focus()
        for button in self.target_buttons:
            self._park(button)
        self.target_buttons = dict(wanted)
        for button in wanted:
            self._unpark(button)
        anchor = next((b for b, v in self.variant_buttons.items() if v == variant), None)
        if wanted and anchor in self.focus_order:
            at = self.focus_order.index(anchor) + 1
            self.focus_order[at:at] = list(wanted)
        self.focus_index = self.focus_order.index(focused) if focused in self.focus_order else None

    def play_selected(self):
        if self.selected is None:
            return None
        return self.choose(self.selected)

    def open_pause(self):
        from game.ui.scenes.pause import PauseMenu

        return PauseMenu(self.app, self)

    def close_errors(self) -> None:
        self.reload_errors = None
        self.close_error_widget_only()

    # -- playing --------------------------------------------------------------------------------

    def choose(self, variant: int):
        """The player plays a variant: the engine validates it, then the turn is played off the
        frame thread while input waits."""
        if self.app.busy:
            return None
        actor = self._actor()
        try:
            self.session.check(actor, variant)
        except IllegalMove as refusal:
            return self.refuse(str(refusal))
        target = self.aim if variant == self.selected and self.target_buttons else None
        if target is not None:
            refusal = target_refusal(self.session, actor, variant, target)
            if refusal is not None:
                return self.refuse(refusal)
            self.pending_targets[actor] = target
        self.pending[actor] = variant
        waiting = [a for a in self.session.humans if a not in self.pending]
        if waiting:
            from game.ui.scenes.popups import HandOver

            self.to_move = waiting[0]
            self.open_kind = None
            self.selected = None
            self.aim = None
            self._build_actions()
            return HandOver(self.app, self, self.session.scenario.actor_name(self.to_move))
        choices, targets = dict(self.pending), dict(self.pending_targets)
        self.pending.clear()
        self.pending_targets.clear()
        session = self.session

        def job():
            record = session.play(choices, targets)
            try:
                saves.write_save(session.to_save(), "autosave")
            except (saves.SaveError, ValueError) as error:
                return record, f"Autosave failed: {error}"
            return record, None

        self.app.start_work("Playing the turn…", job, self._turn_played)
        return None

    def _turn_played(self, result):
        self.to_move = self.session.humans[0] if self.session.humans else None
        if isinstance(result, IllegalMove):
            return self.refuse(str(result))
        if isinstance(result, Exception):
            raise result
        record, problem = result
        if problem:
            self.app.toast(problem, 5.0)
        return self.after_turn(record)

    def refuse(self, reason: str):
        self.refusal = reason
        self.app.sound.play("refused")
        return None

    def after_turn(self, record):
        """Show the new turn: animate, then events and the end as pop-ups."""
        self.open_kind = None
        self.selected = None
        self.aim = None
        self.refusal = None
        self.board.show(record)
        self.app.sound.play("end" if self.session.over else "turn")
        self.rebuild()
        self.handover_due = self.session.hot_seat and not self.session.over
        if record.events:
            from game.ui.scenes.popups import EventPopup

            self.app.sound.play("event")
            return EventPopup(self.app, self, list(record.events))
        return self.finish_if_over()

    def finish_if_over(self):
        if self.session.over:
            from game.ui.scenes.end_screen import EndScreen

            return EndScreen(self.app, self.session)
        return None

    def on_return(self) -> None:
        if self.session.over:
            return
        focus = self.kind_buttons.get(RESTRAIN)
        if focus is not None and self.current_focus() is None:
            self.set_focus(focus)

    def autosave(self) -> None:
        try:
            saves.write_save(self.session.to_save(), "autosave")
        except (saves.SaveError, ValueError) as error:
            self.app.toast(f"Autosave failed: {error}")

    def on_reload(self):
        """F5: reload the scenario from disk and replay this game's moves under it."""
        if self.app.busy:
            return None
        path = self.session.scenario_path
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            return self.show_errors([_problem_line(p) for p in error.problems])
        except OSError as error:
            return self.show_errors([f"{path}: {error.strerror or error}"])
        try:
            session = self.session.with_scenario(scenario)
        except saves.SaveError as error:
            return self.show_errors(
                [f"{path}: this game's moves no longer fit the scenario: {error}"]
            )
        self.session = session
        self.board = Board(scenario, self.app.palette, roles_for(session), session.player)
        self.board.show(session.records[-1], snap=True)
        self.reload_errors = None
        self.pending.clear()
        self.pending_targets.clear()
        self.to_move = session.humans[0] if session.humans else None
        self._parts = None
        self.rebuild()
        self.app.toast("Scenario reloaded from disk")
        return self.finish_if_over()

    def show_errors(self, lines: list[str]):
        self.reload_errors = lines[:12] + (
            [f"... and {len(lines) - 12} more"] if len(lines) > 12 else []
        )
        self.close_error_widget_only()
        self._build_error_box()
        self.app.sound.play("refused")
        return None

    def close_error_widget_only(self) -> None:
        if self.error_box is not None:
            self.error_box.kill()
            if self.error_box in self.elements:
                self.elements.remove(self.error_box)
            self.error_box = None

    # -- time and drawing -----------------------------------------------------------------------

    def update(self, dt: float):
        self.board.update(dt)
        self.spin += dt
        idle = not self.panels.painted  # the last frame redrew no panel
        self.panels.painted = []
        if self._to_prepare and idle and not self.app.busy:
            self._prepare_ahead()
        if self.handover_due and self.app.top is self and not self.app.busy:
            from game.ui.scenes.popups import HandOver

            self.handover_due = False
            actor = self.session.humans[0]
            return HandOver(self.app, self, self.session.scenario.actor_name(actor))
        return None

    def _prepare_ahead(self) -> None:
        """One small piece of work ahead of the player, on a frame after one that redrew
        nothing: make a variant button of a kind not opened yet, render a move's description,
        make a move's aiming buttons or ask the engine whom the rules would aim it at, so that
        a key opening a kind or selecting a move only shows them."""
        actor = self._actor()
        kind = self._to_prepare[0]
        if not self._build_variant(actor, kind):
            return
        buttons, top = self._pools[kind]
        waiting = self._to_describe.setdefault(kind, list(buttons.values()))
        if waiting:
            scratch = pygame.Surface((1, 1))
            self._draw_description(scratch, self._panes()[0], waiting.pop(0), top)
            return
        aiming = [v for v in buttons.values() if self.aims(actor, v)]
        unmade = [v for v in aiming if v not in self._target_pools]
        if unmade:
            self._targets_of(actor, unmade[0])
            return
        known = self._rules_targets[1] if self._rules_targets[0] is self.session.state else {}
        unknown = [v for v in aiming if (actor, v) not in known]
        if unknown:
            self.rules_target(actor, unknown[0])
            return
        self._to_prepare.pop(0)

    def settle(self) -> None:
        """Finish the animations at once (for screenshots)."""
        self.board.settle()

    def forecast_subject(self) -> tuple[int, int] | None:
        """(actor, variant) to forecast: the selected move, and nothing else."""
        if self.selected is None or self.session.over or self.to_move is None:
            return None
        return self._actor(), self.selected

    def request_forecast(self, actor: int, variant: int, target: int = -1) -> Forecast | None:
        """The forecast of a move (aimed at `target`, or where the rules aim it when -1)."""
        session = self.session
        key = (id(session), session.scenario.sha256, len(session.moves), actor, variant)
        key += (target,) if target >= 0 else ()
        engine, state, names = session.engine, session.state, dict(session.strategy_names)
        return self.app.forecaster.request(
            key, lambda: compute_forecast(engine, state, actor, variant, names, target=target)
        )

    def _current_forecast(self) -> tuple[Forecast | None, str | None]:
        """The selected move's forecast (None while it computes) or why there is none."""
        subject = self.forecast_subject()
        if subject is None or self.app.busy:
            return None, "none"
        actor, variant = subject
        if self.session.why_not(actor, variant):
            return None, "unavailable"
        target = self.aim if self.target_buttons and self.aim is not None else -1
        if target >= 0 and target_refusal(self.session, actor, variant, target):
            return None, "unreachable"
        try:
            return self.request_forecast(actor, variant, target), None
        except Exception as error:  # a forecast failing must not stop the game
            return None, f"Forecast unavailable: {error}"

    def prepare(self) -> list[pygame.Rect] | None:
        """Bring the board's panels up to date on the kept surface: each is drawn again only
        when something it shows has changed (most frames: redrawing every panel and its text
        at 200% costs more than a frame has, and a new selection changes two panels)."""
        if self.layout is None:
            return None
        self._prepared = self.app.draw_pass
        self._shown_forecast = self._current_forecast()
        palette = self.app.palette
        return self.panels.update(self.app.window, palette["background"], self._panels())

    def draw(self, surface: pygame.Surface) -> None:
        if self.layout is None:
            return
        if self._prepared != self.app.draw_pass:
            self.prepare()  # drawn under a pop-up, which does not prepare it
        self.panels.blit(surface, self.tips)

    def covers_window(self) -> bool:
        return self.layout is not None

    def _panels(self) -> list[Panel]:
        """The board's panels, each keyed by everything its drawing reads (beyond the game's
        turn, the layout and the session, which every key holds)."""
        lay, session, board = self.layout, self.session, self.board
        forecast, problem = self._shown_forecast
        spinning = forecast is None and problem is None and not self.fog
        shown = None if self.fog else forecast
        base = (self._builds, id(session), id(board), len(session.records), session.over)
        eased = board.eased.values
        # Exact values: a needle or bar moves by a pixel on smaller changes than any rounding
        # would keep, and easing settles on the target, so the keys stop changing anyway.
        tension = tuple(v for k, v in eased.items() if k == "tension" or k.startswith("pair."))
        sides = tuple(v for k, v in eased.items() if k != "tension" and not k.startswith("pair."))
        toast = self.app.toast_text()
        panels = [
            # The title bar's rule runs along its bottom edge, one pixel below the rect.
            Panel(
                "top",
                pygame.Rect(lay.top.topleft, (lay.top.width, lay.top.height + 1)),
                (base, toast),
                self._paint_top,
            ),
            Panel("actors", lay.actors, (base, sides, self.to_move), self._paint_actors),
            Panel("gauge", lay.gauge, (base, tension), self._paint_gauge),
        ]
        if lay.chart is not None:
            chart_key = (base, tension, id(shown), self._forecasting())
            panels.append(Panel("chart", lay.chart, chart_key, self._paint_chart))
        if lay.score is not None:
            panels.append(Panel("score", lay.score, (base, self.to_move), self._paint_score))
        slide = board.slide.progress
        panels.append(Panel("latest", lay.news, (base, slide), self._paint_latest))
        left, right = self._panes()
        target = self.target()
        moves = (
            base,
            self.to_move,
            self.open_kind,
            self.selected,
            self.refusal,
            tuple(self.kind_buttons),
            self.description_top,
            self.aim,
            tuple(self.target_buttons.values()),
            target,
        )
        panels.append(Panel("moves", left, moves, self._paint_moves))
        spin = round(self.spin * 30) if spinning else 0
        outlook = (base, self.selected, id(forecast), problem, spin, target)
        panels.append(Panel("forecast", right, outlook, self._paint_forecast))
        return panels

    def _paint_top(self, surface: pygame.Surface, tips: list) -> None:
        session = self.session
        record = session.records[-1]
        right = self.app.toast_text() or f"Seed {session.seed}"
        coming = min(record.turn + 1, session.scenario.max_turns)
        choosing = None if session.over else coming
        self.board.draw_top(
            surface,
            self.layout.top,
            record,
            self.app.scale,
            right,
            choosing,
            self.menu_button.relative_rect.left,
        )

    def _paint_actors(self, surface: pygame.Surface, tips: list) -> None:
        session = self.session
        record = session.records[-1]
        for rect, key, actor in self.board.draw_actors(
            surface,
            self.layout.actors,
            record,
            self.app.scale,
            self.to_move,
            session.state,
            session.scores(),
            session.records,
        ):
            words = gauge_tip(session.scenario, record, key, actor, self.board.player)
            if key == "diplomats" and not self.board.by_pair:
                words += "\n\n" + self.board.missions_tip(record, actor)
            tips.append((rect, words))

    def _paint_gauge(self, surface: pygame.Surface, tips: list) -> None:
        lay, s, session = self.layout, self.app.scale, self.session
        record = session.records[-1]
        if not shows_gauges(session.scenario):
            self._draw_scoreboard(surface, lay.gauge)
            return
        progress = session.engine.outcome_progress(session.state, 0)
        notes = [] if session.over else progress_lines(progress)
        endings = endings_tip(session.scenario, progress)
        tips += self.board.draw_gauge(surface, lay.gauge, record, s, notes, session.over, endings)

    def _paint_chart(self, surface: pygame.Surface, tips: list) -> None:
        lay, session = self.layout, self.session
        if not shows_gauges(session.scenario):
            self._draw_points_chart(surface, lay.chart)
            return
        forecast = None if self.fog else self._shown_forecast[0]
        self.board.draw_chart(
            surface,
            lay.chart,
            session.records,
            self.app.scale,
            forecast=forecast,
            forecasting=self._forecasting() or forecast is not None,
        )

    def _forecasting(self) -> bool:
        """Whether the chart carries a forecast: a move is chosen and the forecast not hidden
        (it may still be on its way)."""
        return not self.fog and self.forecast_subject() is not None

    def _paint_score(self, surface: pygame.Surface, tips: list) -> None:
        parts, total = self.score_parts()
        hot_seat = self.session.hot_seat
        title = f"{possessive(self._score_name())} score" if hot_seat else "Your score"
        self.board.draw_score(surface, self.layout.score, parts, total, self.app.scale, title)
        tips.append((self.layout.score, GAUGE_HELP["score"]))

    def _paint_latest(self, surface: pygame.Surface, tips: list) -> None:
        self.board.draw_latest(surface, self.layout.news, self.session.records[-1], self.app.scale)

    def _score_name(self) -> str:
        return self.session.scenario.actor_name(self._score_actor())

    def _draw_scoreboard(self, surface, rect: pygame.Rect) -> None:
        """For scenarios shown as points: each side's total and the last round's payoffs."""
        p, s, sc = self.app.palette, self.app.scale, self.session.scenario
        pad = self.app.px(12)
        pygame.draw.rect(surface, p["panel"], rect)
        pygame.draw.rect(surface, p["panel_border"], rect, 1)
        head = p.font("body", s, "bold")
        figure = p.font("figure", s, "bold")
        text.draw(surface, head, "Points", p["text"], (rect.left + pad, rect.top + pad // 2))
        history = self.session.score_history
        previous = history[-2][1] if len(history) > 1 else None
        n = sc.n_actors
        width = (rect.width - 2 * pad) // n
        y = rect.top + pad // 2 + head.get_linesize()
        live = self.session.scores()
        for i in range(n):
            x = rect.left + pad + i * width
            now = float(live[i])
            gained = now - float(previous[i]) if previous is not None else 0.0
            colour = pygame.Color(sc.model.actors[i].colour).lerp(p["text"], 0.3)
            shown = text.draw(surface, figure, f"{now:.0f}", p["accent_bright"], (x, y))
            name = f"{sc.actor_name(i)}  (+{gained:.0f} last round)" if previous is not None else ""
            text.draw_fit(
                surface,
                p.font("small", s),
                name or sc.actor_name(i),
                colour,
                (shown.right + pad, shown.centery),
                x + width - shown.right - 2 * pad,
                "midleft",
            )

    def _draw_points_chart(self, surface, rect: pygame.Rect) -> None:
        """Each side's points round by round, over the whole match."""
        sc = self.session.scenario
        history = self.session.scores_by_turn()
        lines = [
            PointsLine(
                sc.actor_name(actor),
                pygame.Color(sc.model.actors[actor].colour),
                tuple((turn, float(scores[actor])) for turn, scores in history),
            )
            for actor in range(sc.n_actors)
        ]
        # A long match (200 rounds) is charted as far as it has gone, in steps of 20 rounds,
        # so its first rounds are not a sliver at the left of the chart.
        step = POINTS_SPAN
        span = min(sc.max_turns, max(step, -(-(self.session.turn + 1) // step) * step))
        self.points_chart.draw(surface, rect, lines, span, self.app.scale)

    def _draw_briefing_box(self, surface: pygame.Surface) -> None:
        """The briefing's frame and the rule between its panes; each pane draws it (clipped to
        itself), so either can be drawn again alone."""
        p, box = self.app.palette, self.layout.briefing
        pygame.draw.rect(surface, p["panel"], box)
        pygame.draw.rect(surface, p["panel_border"], box, 1)
        left, _ = self._panes()
        pygame.draw.line(
            surface, p["panel_border"], (left.right, box.top + 8), (left.right, box.bottom - 8)
        )

    def _paint_forecast(self, surface: pygame.Surface, tips: list) -> None:
        self._draw_briefing_box(surface)
        self._draw_forecast(surface, self._panes()[1])

    def _paint_moves(self, surface: pygame.Surface, tips: list) -> None:
        """The briefing's left pane: whose move it is, or the open kind's moves described."""
        self._draw_briefing_box(surface)
        p, s = self.app.palette, self.app.scale
        left, _ = self._panes()
        pad = self.app.px(10)
        head = p.font("body", s, "bold")
        body = p.font("small", s)
        name = self.session.scenario.actor_name(self._actor())
        inner = left.width - 2 * pad
        at = (left.left + pad, left.top + pad)
        if self.session.over:
            text.draw_fit(surface, head, "The crisis is over.", p["text"], at, inner)
        elif self.open_kind is None:
            who = "Your move" if not self.session.hot_seat else "To move"
            text.draw_fit(surface, head, f"{who}, {name}", p["accent_bright"], at, inner)
            kinds = ", ".join(
                f"{kind_label(self.session.scenario, k)} [{KIND_KEYS[k]}]"
                for k in self.kind_buttons
            )
            hint = (
                f"Choose a response: {kinds}. Each lists its moves; select one to read it and "
                "see its forecast, then press Enter or Play to play it. Esc opens the menu."
            )
            if len(self.session.records) == 1:
                hint += (
                    " The news on the right fills with every turn's moves and headlines; your "
                    "score by objective is above it."
                )
            area = pygame.Rect(
                left.left + pad,
                left.top + pad + head.get_linesize() + pad // 2,
                inner,
                0,
            )
            area.height = left.bottom - area.top - pad
            text.draw_wrapped(surface, body, hint, p["muted"], area)
        else:
            title = f"{kind_label(self.session.scenario, self.open_kind)}: select a move"
            text.draw_fit(surface, head, title, p["accent_bright"], at, inner)
            self._draw_description(surface, left)
            if self.target_buttons:
                tips.append((self._draw_aiming(surface), AIM_HELP))
        if self.refusal:
            self._draw_refusal(surface, left)

    def _draw_aiming(self, surface: pygame.Surface) -> pygame.Rect:
        """The aiming row's label, and a frame around the button of the side the move goes to
        (the buttons themselves are widgets, drawn over the panel); returns the label's place."""
        p, s = self.app.palette, self.app.scale
        row = self._target_row()
        bold = p.font("small", s, "bold")
        label = text.draw(surface, bold, self._target_label(), p["muted"], row.midleft, "midleft")
        target = self.target()
        for button, other in self.target_buttons.items():
            if other == target:
                ring = pygame.Rect(button.relative_rect).inflate(self.app.px(6), self.app.px(6))
                pygame.draw.rect(surface, p["accent"], ring, max(2, self.app.px(2)))
        return label

    def _aim_words(self, actor: int, variant: int) -> tuple[str, pygame.Color]:
        """Where the selected move goes, in a line above its description."""
        p, sc = self.app.palette, self.session.scenario
        target = self.target()
        if target is None:
            return "", p["muted"]
        name = sc.actor_name(target)
        if self.aim is not None and target_refusal(self.session, actor, variant, target):
            why = self.session.engine.why_not_target(self.session.state, 0, actor, variant, target)
            return f"Not at {name}: {why}", p["loss"]
        if self.aim is None:
            return f"At {name}: the rules' pick.", p["accent"]
        return f"At {name}: your pick.", p["accent"]

    def _draw_description(
        self, surface, area: pygame.Rect, selected: int | None = None, top: int | None = None
    ) -> None:
        """The selected move's description (or `selected`'s, below `top`, to have its text
        rendered before it is shown: see `_prepare_ahead`)."""
        p, s = self.app.palette, self.app.scale
        pad = self.app.px(10)
        selected = self.selected if selected is None else selected
        top = self.description_top if top is None else top
        if selected is None:
            return
        actor = self._actor()
        variant = self.session.scenario.variant(actor, selected)
        bottom = self.play_button.relative_rect.top - self.app.px(4) if self.play_button else 0
        if self.play_button is not None and self.aims(actor, selected):
            bottom = self._target_row().top - self.app.px(8)
        if self.refusal and selected == self.selected:  # the refusal covers the rest
            bottom = min(bottom, self._refusal_box(area)[0].top - self.app.px(4))
        rect = pygame.Rect(area.left + pad, top, area.width - 2 * pad, max(0, bottom - top))
        small = p.font("small", s)
        bold = p.font("small", s, "bold")
        reason = self.session.why_not(actor, variant.index)
        words = variant.description
        lead, colour = ("", p["loss"])
        if reason:
            lead = f"Unavailable: {reason}"
        elif selected == self.selected and self.target_buttons:
            lead, colour = self._aim_words(actor, selected)
        if lead:
            used = text.draw_wrapped(surface, bold, lead, colour, rect)
            rect.top += used
            rect.height = max(0, bottom - rect.top)
        text.draw_wrapped(surface, small, words, p["text"], rect)

    def _refusal_box(self, area: pygame.Rect) -> tuple[pygame.Rect, list[str]]:
        """Where the refusal goes (above Play, or above the aiming buttons) and its lines."""
        font = self.app.palette.font("small", self.app.scale, "bold")
        pad = self.app.px(10)
        bottom = self.play_button.relative_rect.top if self.play_button else area.bottom - pad
        if self.target_buttons:
            bottom = self._target_row().top - self.app.px(4)
        top = self.description_top if self.open_kind is not None else area.top + pad
        room = max(1, (bottom - pad // 2 - top - pad) // font.get_linesize())
        lines = list(text.wrap(font, self.refusal or "", area.width - 4 * pad))
        shown = min(3, room)
        if len(lines) > shown:  # the last line shown ends on an ellipsis
            lines = [*lines[: shown - 1], " ".join(lines[shown - 1 :])]
        height = len(lines) * font.get_linesize() + pad
        box = pygame.Rect(area.left + pad, bottom - height - pad // 2, area.width - 2 * pad, height)
        return box, lines

    def _draw_refusal(self, surface, area: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        font = p.font("small", s, "bold")
        pad = self.app.px(10)
        box, lines = self._refusal_box(area)
        pygame.draw.rect(surface, p["shade"], box)
        pygame.draw.rect(surface, p["loss"], box, 1)
        for i, line in enumerate(lines):
            text.draw_fit(
                surface,
                font,
                line,
                p["loss"],
                (box.left + pad, box.top + pad // 2 + i * font.get_linesize()),
                box.width - 2 * pad,
            )

    def _draw_forecast(self, surface, area: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        pad = self.app.px(10)
        head = p.font("body", s, "bold")
        small = p.font("small", s)
        bold = p.font("small", s, "bold")
        inner = area.width - 2 * pad
        x, right = area.left + pad, area.right - pad
        y = area.top + pad
        target = self.target()
        title = "Forecast"
        if target is not None and self._shown_forecast[1] is None:
            title += f", aimed at {self.session.scenario.actor_name(target)}"
        text.draw_fit(surface, head, title, p["text"], (x, y), inner)
        y += head.get_linesize()
        forecast, problem = self._shown_forecast
        rest = pygame.Rect(x, y + pad // 2, inner, area.bottom - y - pad)
        if problem == "none":
            message = "Select a move to see what the engine expects from it."
            if self.session.over:
                message = "No more moves to forecast."
            text.draw_wrapped(surface, small, message, p["muted"], rest)
            return
        if problem == "unreachable":
            name = self.session.scenario.actor_name(self.aim if self.aim is not None else 0)
            words = f"This move cannot reach {name} now."
            text.draw_wrapped(surface, small, words, p["loss"], rest)
            return
        if problem == "unavailable":
            text.draw_wrapped(surface, small, "This move cannot be played now.", p["loss"], rest)
            return
        if problem:
            text.draw_wrapped(surface, small, problem, p["loss"], rest)
            return
        if self.fog:
            message = "Fog of war: against the hard AI the forecast is hidden."
            text.draw_wrapped(surface, small, message, p["muted"], rest)
            return
        if forecast is None:
            self._draw_spinner(surface, rest)
            return
        step = small.get_linesize()
        sc = self.session.scenario
        turns = len(forecast.turns) - 1
        last = int(forecast.turns[-1])
        word = "turn" if shows_gauges(sc) else "round"
        heading = f"By {word} {last} ({turns} {word}{'' if turns == 1 else 's'} ahead):"
        text.draw_fit(surface, bold, heading, p["text"], (x, y), inner)
        y += step
        rows = [(o.title, forecast.outcomes.get(o.id, 0.0)) for o in sc.outcomes if o.when]
        if last < sc.max_turns:
            rows.append(("Still going", forecast.running))
        else:
            rows += [
                (o.title, forecast.outcomes.get(o.id, 0.0))
                for o in sc.outcomes
                if o.index == sc.turn_limit_outcome
            ]
        for title, share in rows:
            figure = text.draw(surface, small, f"{share:.0%}", p["text"], (right, y), "topright")
            text.draw_fit(
                surface, small, title, p["muted"], (x + pad, y), figure.left - x - 2 * pad
            )
            y += step
        y += pad // 2
        heading = "Expected change, likely range:"
        if text.fit(bold, heading, inner) != heading:
            heading = "Likely change:"  # whole words rather than a cut heading
        text.draw_fit(surface, bold, heading, p["text"], (x, y), inner)
        y += step
        names = CHANGE_ROWS if shows_gauges(sc) else CHANGE_ROWS[:1]
        for key, label in names:
            change = forecast.changes[key]
            if y + step > area.bottom - pad:
                break
            colour = p["gain"] if change.mean * change.good > 0.05 else p["text"]
            if change.mean * change.good < -0.05:
                colour = p["loss"]
            spread = f"{signed(change.low, 0)} to {signed(change.high, 0)}"
            spread_rect = text.draw(surface, small, spread, p["muted"], (right, y), "topright")
            mean = text.draw(
                surface,
                bold,
                signed(change.mean),
                colour,
                (spread_rect.left - pad, y),
                "topright",
            )
            text.draw_fit(surface, small, label, p["muted"], (x + pad, y), mean.left - x - 2 * pad)
            y += step
        y += pad // 2
        note = pygame.Rect(x, y, inner, area.bottom - pad - y)
        text.draw_wrapped(surface, small, forecast.assumption, p["muted"], note, 1.0)

    def _draw_spinner(self, surface, rect: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        radius = self.app.px(14)
        centre = (rect.centerx, rect.top + radius + self.app.px(12))
        start = self.spin * 5.0
        box = pygame.Rect(0, 0, radius * 2, radius * 2)
        box.center = centre
        pygame.draw.arc(
            surface, p["accent"], box, start, start + math.pi * 1.4, max(2, self.app.px(3))
        )
        small = p.font("small", s)
        text.draw_fit(
            surface,
            small,
            "Simulating futures…",
            p["muted"],
            (centre[0], centre[1] + radius + self.app.px(6)),
            rect.width,
            "midtop",
        )


def _problem_line(problem) -> str:
    where = f"{problem.file}, line {problem.line}"
    return f"{where}: {problem.path + ': ' if problem.path else ''}{problem.message}"
