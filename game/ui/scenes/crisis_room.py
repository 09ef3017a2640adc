"""The crisis room, the main screen: the sides, tension, news, and the player's three choices.

R, S and W (or 1, 2, 3) open Retaliate, Restrain and Wait; each lists its variants with their
availability, and an unavailable one says why. Hovering over or focusing a move shows the
forecast. Choosing a move hands it to the engine; a refusal is shown and no turn passes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextBox

from game import saves
from game.engine.engine import IllegalMove
from game.errors import ScenarioError
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT
from game.scenario.load import load_scenario
from game.ui.board import Board, board_layout, news_html
from game.ui.forecast import Forecast, compute_forecast
from game.ui.labels import FOG_OPPONENTS, KIND_KEYS, KIND_LABELS, strategy_label
from game.ui.scenes.base import Scene
from game.ui.session import GameSession, default_variant
from game.ui.widgets import text
from game.ui.widgets.charts import FanChart

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


class CrisisRoom(Scene):
    name = "crisis_room"

    def __init__(self, app: App, session: GameSession) -> None:
        super().__init__(app)
        self.session = session
        self.board = Board(session.scenario, app.palette, roles_for(session), session.player)
        self.board.show(session.records[-1], snap=True)
        self.fan = FanChart(app.palette)
        self.to_move: int | None = session.humans[0] if session.humans else None
        self.pending: dict[int, int] = {}
        self.open_kind: int | None = None
        self.hovered: tuple[str, int] | None = None
        self.refusal: str | None = None
        self.reload_errors: list[str] | None = None
        self.kind_buttons: dict[int, object] = {}
        self.variant_buttons: dict[object, int] = {}
        self.news = None
        self.error_box = None
        self.spin = 0.0
        self.layout = None

    # -- the state of play ----------------------------------------------------------------------

    @property
    def fog(self) -> bool:
        return any(name in FOG_OPPONENTS for name in self.session.strategy_names.values())

    def _actor(self) -> int:
        return self.to_move if self.to_move is not None else self.session.player

    # -- widgets --------------------------------------------------------------------------------

    def build(self) -> None:
        app = self.app
        self.layout = lay = board_layout(app.window.get_size(), app.scale)
        menu = pygame.Rect(0, 0, app.px(120), app.px(34))
        menu.midright = (lay.top.right - app.px(14), lay.top.centery)
        self.button(menu, "Menu  (Esc)", self.open_pause, class_id="@menu")
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
        top = lay.news.top + card + self.app.px(10)
        return pygame.Rect(lay.news.left, top, lay.news.width, lay.news.bottom - top)

    def _build_actions(self) -> None:
        """The kind buttons and, for the open kind, its variants."""
        app, lay = self.app, self.layout
        for button in list(self.kind_buttons.values()) + list(self.variant_buttons):
            button.kill()
            self.actions.pop(button, None)
            if button in self.focus_order:
                self.focus_order.remove(button)
            if button in self.elements:
                self.elements.remove(button)
        self.kind_buttons.clear()
        self.variant_buttons.clear()
        actor = self._actor()
        gap = app.px(10)
        width = (lay.actions.width - 2 * gap) // 3
        over = self.session.over or self.to_move is None
        if self.open_kind is not None and not over:
            self._build_variants(actor)
        for kind in (RETALIATE, RESTRAIN, WAIT):
            rect = pygame.Rect(
                lay.actions.left + kind * (width + gap), lay.actions.top, width, lay.actions.height
            )
            label = f"{KIND_LABELS[kind]}   [{KIND_KEYS[kind]}]"
            button = self.button(rect, label, lambda k=kind: self.open(k), KIND_IDS[kind], "@kind")
            if over or not self.session.variants(actor, kind):
                button.disable()
            self.kind_buttons[kind] = button

    def _variant_area(self) -> pygame.Rect:
        lay = self.layout
        width = round(lay.briefing.width * 0.5)
        return pygame.Rect(lay.briefing.left, lay.briefing.top, width, lay.briefing.height)

    def _build_variants(self, actor: int) -> None:
        app = self.app
        area = self._variant_area()
        header = app.palette.font("body", app.scale, "bold").get_linesize() + app.px(14)
        variants = self.session.variants(actor, self.open_kind)
        legal = self.session.legal(actor)
        room = round(area.height * 0.66) - header
        height = max(app.px(24), min(app.px(32), room // max(1, len(variants)) - app.px(4)))
        y = area.top + header
        first = None
        for variant in variants:
            rect = pygame.Rect(area.left + app.px(10), y, area.width - app.px(20), height)
            available = bool(legal[variant.index])
            label = variant.label if available else f"×  {variant.label}"
            object_id = None if available else "#variant_unavailable"
            button = self.button(
                rect, label, lambda v=variant.index: self.choose(v), object_id, "@variant"
            )
            self.variant_buttons[button] = variant.index
            if first is None and available:
                first = button
            y += height + app.px(4)
        self.description_top = y + app.px(4)
        if first is not None:
            self.set_focus(first)

    def _build_error_box(self) -> None:
        lay, app = self.layout, self.app
        rect = pygame.Rect(
            lay.centre.left, lay.gauge.top, lay.centre.width, lay.chart.bottom - lay.gauge.top
        )
        lines = "<br>".join(_escape(line) for line in self.reload_errors or [])
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

    def handle_key(self, event: pygame.event.Event):
        if event.key in KEY_KINDS and not (event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT)):
            return self.open(KEY_KINDS[event.key])
        if event.key == pygame.K_ESCAPE:
            if self.reload_errors:
                self.close_errors()
                return None
            if self.open_kind is not None:
                self.open_kind = None
                self.hovered = None
                self._build_actions()
                return None
            return self.open_pause()
        return super().handle_key(event)

    def open(self, kind: int):
        if self.session.over or self.to_move is None:
            return None
        if not self.session.variants(self._actor(), kind):
            return None
        self.open_kind = kind
        self.refusal = None
        self._build_actions()
        if self.current_focus() is None or self.current_focus() not in self.variant_buttons:
            self.set_focus(self.kind_buttons[kind])
        return None

    def on_hover(self, element) -> None:
        if element in self.variant_buttons:
            self.hovered = ("variant", self.variant_buttons[element])
        else:
            for kind, button in self.kind_buttons.items():
                if button is element:
                    self.hovered = ("kind", kind)

    def open_pause(self):
        from game.ui.scenes.pause import PauseMenu

        return PauseMenu(self.app, self)

    def close_errors(self) -> None:
        self.reload_errors = None
        if self.error_box is not None:
            self.error_box.kill()
            if self.error_box in self.elements:
                self.elements.remove(self.error_box)
            self.error_box = None

    # -- playing --------------------------------------------------------------------------------

    def choose(self, variant: int):
        """The player picked a variant: the engine validates it, then the turn is played."""
        actor = self._actor()
        try:
            self.session.check(actor, variant)
        except IllegalMove as refusal:
            return self.refuse(str(refusal))
        self.pending[actor] = variant
        waiting = [a for a in self.session.humans if a not in self.pending]
        if waiting:
            from game.ui.scenes.popups import HandOver

            self.to_move = waiting[0]
            self.open_kind = None
            self.hovered = None
            self._build_actions()
            return HandOver(self.app, self, self.session.scenario.actor_name(self.to_move))
        try:
            record = self.session.play(self.pending)
        except IllegalMove as refusal:
            self.pending.clear()
            self.to_move = self.session.humans[0]
            return self.refuse(str(refusal))
        self.pending.clear()
        self.to_move = self.session.humans[0] if self.session.humans else None
        return self.after_turn(record)

    def refuse(self, reason: str):
        self.refusal = reason
        self.app.sound.play("refused")
        return None

    def after_turn(self, record):
        """Show the new turn: autosave, animate, then events and the end as pop-ups."""
        self.autosave()
        self.open_kind = None
        self.hovered = None
        self.refusal = None
        self.board.show(record)
        self.app.sound.play("end" if self.session.over else "turn")
        self.rebuild()
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
        self.to_move = session.humans[0] if session.humans else None
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
        return None

    def settle(self) -> None:
        """Finish the animations at once (for screenshots)."""
        self.board.settle()

    def forecast_subject(self) -> tuple[int, int] | None:
        """(actor, variant) to forecast: the hovered variant, or a hovered kind's default."""
        if self.hovered is None or self.session.over or self.to_move is None:
            return None
        actor = self._actor()
        what, index = self.hovered
        if what == "variant":
            return actor, index
        variant = default_variant(self.session, actor, index)
        return None if variant is None else (actor, variant)

    def request_forecast(self, actor: int, variant: int) -> Forecast | None:
        session = self.session
        key = (id(session), session.scenario.sha256, len(session.moves), actor, variant)
        engine, state, names = session.engine, session.state, dict(session.strategy_names)
        return self.app.forecaster.request(
            key, lambda: compute_forecast(engine, state, actor, variant, names)
        )

    def draw(self, surface: pygame.Surface) -> None:
        lay, s = self.layout, self.app.scale
        if lay is None:
            return
        record = self.session.records[-1]
        seed = f"Seed {self.session.seed}"
        coming = min(record.turn + 1, self.session.scenario.max_turns)
        choosing = None if self.session.over else coming
        self.board.draw_top(surface, lay.top, record, s, seed, choosing)
        self.board.draw_actors(surface, lay.actors, record, s, self.to_move)
        self.board.draw_gauge(surface, lay.gauge, record, s)
        self.board.draw_chart(surface, lay.chart, self.session.records, s)
        self.board.draw_latest(surface, lay.news, record, s)
        self._draw_briefing(surface)

    def _draw_briefing(self, surface: pygame.Surface) -> None:
        p, s, lay = self.app.palette, self.app.scale, self.layout
        box = lay.briefing
        pygame.draw.rect(surface, p["panel"], box)
        pygame.draw.rect(surface, p["panel_border"], box, 1)
        left = self._variant_area()
        right = pygame.Rect(left.right, box.top, box.right - left.right, box.height)
        pygame.draw.line(
            surface, p["panel_border"], (left.right, box.top + 8), (left.right, box.bottom - 8)
        )
        pad = self.app.px(12)
        head = p.font("body", s, "bold")
        body = p.font("small", s)
        actor = self._actor()
        name = self.session.scenario.actor_name(actor)
        if self.session.over:
            text.draw(
                surface, head, "The crisis is over.", p["text"], (left.left + pad, left.top + pad)
            )
        elif self.open_kind is None:
            text.draw(
                surface,
                head,
                f"Your move, {name}",
                p["accent_bright"],
                (left.left + pad, left.top + pad),
            )
            hint = (
                "Choose a response: Retaliate [R], Restrain [S] or Wait [W]. "
                "Each opens its options. Hover over or focus a move to see the forecast. "
                "Tab and the arrow keys move between buttons, Enter confirms, Esc opens the menu."
            )
            area = pygame.Rect(
                left.left + pad,
                left.top + pad + head.get_linesize() + pad // 2,
                left.width - 2 * pad,
                left.height,
            )
            area.height = left.bottom - area.top - pad
            text.draw_wrapped(surface, body, hint, p["muted"], area)
        else:
            title = f"{KIND_LABELS[self.open_kind]}: choose how"
            text.draw(surface, head, title, p["accent_bright"], (left.left + pad, left.top + pad))
            self._draw_description(surface, left)
        if self.refusal:
            self._draw_refusal(surface, left)
        self._draw_forecast(surface, right)

    def _draw_description(self, surface, area: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        pad = self.app.px(12)
        subject = self.hovered if self.hovered and self.hovered[0] == "variant" else None
        if subject is None:
            focus = self.current_focus()
            if focus in self.variant_buttons:
                subject = ("variant", self.variant_buttons[focus])
        if subject is None:
            return
        actor = self._actor()
        variant = self.session.scenario.variant(actor, subject[1])
        top = getattr(self, "description_top", area.top + round(area.height * 0.6))
        rect = pygame.Rect(area.left + pad, top, area.width - 2 * pad, area.bottom - top - pad)
        body = p.font("small", s)
        used = text.draw_wrapped(surface, body, variant.description, p["text"], rect)
        reason = self.session.why_not(actor, variant.index)
        if reason:
            rect.top += used + self.app.px(4)
            rect.height = max(0, area.bottom - rect.top - pad)
            text.draw_wrapped(
                surface, p.font("small", s, "bold"), f"Unavailable: {reason}", p["loss"], rect
            )

    def _draw_refusal(self, surface, area: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        font = p.font("small", s, "bold")
        pad = self.app.px(10)
        lines = text.wrap(font, self.refusal, area.width - 4 * pad)[:3]
        height = len(lines) * font.get_linesize() + 2 * pad
        box = pygame.Rect(area.left + pad, area.bottom - height - pad, area.width - 2 * pad, height)
        pygame.draw.rect(surface, p["shade"], box)
        pygame.draw.rect(surface, p["loss"], box, 1)
        for i, line in enumerate(lines):
            text.draw(
                surface,
                font,
                line,
                p["loss"],
                (box.left + pad, box.top + pad + i * font.get_linesize()),
            )

    def _draw_forecast(self, surface, area: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        pad = self.app.px(12)
        head = p.font("body", s, "bold")
        small = p.font("small", s)
        text.draw(surface, head, "Forecast", p["text"], (area.left + pad, area.top + pad))
        subject = self.forecast_subject()
        y = area.top + pad + head.get_linesize()
        if subject is None:
            message = "Hover over or focus a move to see what the engine expects."
            if self.session.over:
                message = "No more moves to forecast."
            rect = pygame.Rect(
                area.left + pad, y + pad, area.width - 2 * pad, area.bottom - y - 2 * pad
            )
            text.draw_wrapped(surface, small, message, p["muted"], rect)
            return
        actor, variant = subject
        spec = self.session.scenario.variant(actor, variant)
        text.draw(
            surface,
            small,
            text.fit(small, spec.label, area.width - 2 * pad),
            p["accent"],
            (area.left + pad, y),
        )
        y += small.get_linesize() + self.app.px(4)
        reason = self.session.why_not(actor, variant)
        if reason:
            rect = pygame.Rect(area.left + pad, y, area.width - 2 * pad, area.bottom - y)
            text.draw_wrapped(surface, small, f"Unavailable: {reason}", p["loss"], rect)
            return
        footer = small.get_linesize() * 2 + pad
        chart = pygame.Rect(
            area.left + pad // 2, y, area.width - pad, area.bottom - y - footer - pad // 2
        )
        try:
            forecast = self.request_forecast(actor, variant)
        except Exception as error:  # a forecast failing must not stop the game
            text.draw(surface, small, f"Forecast unavailable: {error}", p["loss"], chart.topleft)
            return
        if forecast is None:
            self._draw_spinner(surface, chart)
            return
        self.fan.draw(surface, chart, forecast, self.session.scenario.bands, s, fog=self.fog)
        line_y = chart.bottom + pad // 2
        if self.fog:
            message = "Fog of war: on Hard the forecast is hidden."
            text.draw(surface, small, message, p["muted"], (area.left + pad, line_y))
            return
        change = forecast.score_change
        colour = p["gain"] if change >= 0 else p["loss"]
        text.draw(
            surface, small, "Expected change in your score:", p["text"], (area.left + pad, line_y)
        )
        text.draw(
            surface,
            p.font("small", s, "bold"),
            f"{change:+.1f}",
            colour,
            (area.right - pad, line_y),
            "topright",
        )
        opponents = (
            ", ".join(strategy_label(n) for n in self.session.strategy_names.values())
            or "the other player"
        )
        note = f"{forecast.rollouts} simulated futures vs {opponents}"
        text.draw(
            surface,
            small,
            text.fit(small, note, area.width - 2 * pad),
            p["muted"],
            (area.left + pad, line_y + small.get_linesize()),
        )

    def _draw_spinner(self, surface, rect: pygame.Rect) -> None:
        p, s = self.app.palette, self.app.scale
        radius = self.app.px(16)
        centre = (rect.centerx, rect.centery - self.app.px(8))
        start = self.spin * 5.0
        box = pygame.Rect(0, 0, radius * 2, radius * 2)
        box.center = centre
        pygame.draw.arc(
            surface, p["accent"], box, start, start + math.pi * 1.4, max(2, self.app.px(3))
        )
        small = p.font("small", s)
        text.draw(
            surface,
            small,
            "Simulating futures…",
            p["muted"],
            (centre[0], centre[1] + radius + self.app.px(8)),
            "midtop",
        )


def _escape(line: str) -> str:
    import html

    return html.escape(line)


def _problem_line(problem) -> str:
    where = f"{problem.file}, line {problem.line}"
    return f"{where}: {problem.path + ': ' if problem.path else ''}{problem.message}"
