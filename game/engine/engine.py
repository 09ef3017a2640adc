"""The engine's public surface: new games, legal moves, a step, endings and scores.

The UI, the balance lab and the strategies use only this. A move is a variant index per actor
(see `CompiledScenario.variants`); a refused move raises `IllegalMove` with the reason, which the
UI shows to the player, and no turn passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import rng
from game.engine.moves import MoveTable
from game.engine.state import State
from game.engine.step import (
    StepReport,
    apply_moves,
    fire_events,
    freeze_finished,
    objective_values,
    run_dynamics,
    settle,
)
from game.engine.views import ActorView
from game.scenario.compiled import NO_MOVE, UNLIMITED_USES, CompiledScenario


@dataclass(frozen=True)
class ScorePart:
    """One line of a score: an objective's value, its weight and the points it brings."""

    name: str
    value: float
    weight: float
    points: float


class IllegalMove(Exception):
    """A move the rules refuse in this state; the message says why, for the player."""


class Engine:
    """Steps B games of one compiled scenario at once."""

    def __init__(self, scenario: CompiledScenario) -> None:
        self.scenario = scenario
        self._moves = MoveTable.of(scenario)
        self._actor_numbers = np.arange(scenario.n_actors)
        self._limited = [
            tuple(int(i) for i in at) for at in np.argwhere(scenario.max_uses < UNLIMITED_USES)
        ]
        # Each actor's kinds with "no move" last, so that variant -1 looks up NO_MOVE.
        self._kinds_or_none = self._moves.kinds.reshape(scenario.n_actors, -1)

    # -- starting -----------------------------------------------------------------------------

    def new_games(self, seed: int, batch: int = 1, game_ids: np.ndarray | None = None) -> State:
        """B fresh games after the opening moves. Game ids default to 0..B-1.

        A game's randomness depends only on (seed, game id), so game k is the same game
        whether it is started alone (game_ids=[k]) or in any batch.
        """
        # Every game starts alike and the opening moves draw no random numbers, so one game
        # is opened and copied.
        return self._games_like(self.open(self._blank_game()), seed, batch, game_ids)

    def open(self, state: State) -> State:
        """Play the scenario's opening moves on games that have not started."""
        for actor, variant in self.scenario.opening:
            actions = np.full((state.batch, self.scenario.n_actors), NO_MOVE, dtype=np.int64)
            actions[:, actor] = variant
            state, _, _ = apply_moves(self.scenario, self._moves, state, actions)
        return state

    def blank_games(self, seed: int, batch: int = 1, game_ids: np.ndarray | None = None) -> State:
        """B games as the scenario describes them, before the opening moves."""
        return self._games_like(self._blank_game(), seed, batch, game_ids)

    def _games_like(
        self, model: State, seed: int, batch: int, game_ids: np.ndarray | None
    ) -> State:
        """Copies of a one-game state, each with its own id and random stream."""
        if game_ids is None:
            game_ids = np.arange(batch, dtype=np.uint64)
        game_ids = np.asarray(game_ids, dtype=np.uint64)
        b = game_ids.shape[0]
        key = rng.root_key(seed)
        arrays = {
            name: np.asfortranarray(np.broadcast_to(array[0], (b, *array.shape[1:])))
            for name, array in model.arrays().items()
        }
        arrays.update(game_ids=game_ids, streams=rng.game_streams(key, game_ids))
        return State(key=key, **arrays)

    def _blank_game(self) -> State:
        """One game as the scenario describes it, before the opening moves, with no id."""
        sc = self.scenario
        n, v = sc.n_actors, sc.n_variants
        c = sc.coefficients
        start_tension = c.baseline if c.start is None else c.start
        return State(
            key=np.uint64(0),
            game_ids=np.zeros(1, dtype=np.uint64),
            streams=np.zeros(1, dtype=np.uint64),
            turn=np.zeros(1, dtype=np.int32),
            tension=(np.full((n, n), float(start_tension)) * (1 - np.eye(n)))[None],
            gauges=sc.start_gauges.astype(np.float64)[None],
            diplomats=sc.diplomats0.astype(np.float64)[None],
            grievance=np.zeros((1, n, n)),
            personality=sc.personality0.astype(np.float64)[None],
            leader=sc.leader0.astype(np.int16)[None],
            enabled=sc.enabled0[None].copy(),
            uses=np.zeros((1, n, v), dtype=np.int16),
            last_variant=np.full((1, n), NO_MOVE, dtype=np.int16),
            prev_variant=np.full((1, n), NO_MOVE, dtype=np.int16),
            received=np.zeros((1, n)),
            wronged=np.zeros((1, n), dtype=bool),
            fired=np.zeros((1, len(sc.events)), dtype=np.int32),
            streak=np.zeros((1, len(sc.outcomes)), dtype=np.int32),
            score_accum=np.zeros((1, n)),
            final_score=np.zeros((1, n)),
            over=np.zeros(1, dtype=bool),
            outcome=np.full(1, -1, dtype=np.int16),
        )

    def opening_report(self, state: State) -> StepReport:
        """What the opening moves did, so that records can show them as turn 0."""
        sc = self.scenario
        kinds = np.full((state.batch, sc.n_actors), NO_MOVE)
        for actor, variant in sc.opening:
            kinds[:, actor] = sc.kind_table[actor, variant]
        return StepReport(
            kinds=kinds,
            expelled=sc.diplomats0.sum(axis=0) - state.diplomats.sum(axis=1),
            fired=np.zeros((state.batch, len(sc.events)), dtype=bool),
            ended=np.zeros(state.batch, dtype=bool),
        )

    # -- choosing -----------------------------------------------------------------------------

    def legal(self, state: State) -> np.ndarray:
        """(B, N, V) bool: which variants each actor may play now."""
        sc = self.scenario
        legal = state.enabled.copy(order="F")
        for actor, variant in self._limited:
            legal[:, actor, variant] &= state.uses[:, actor, variant] < sc.max_uses[actor, variant]
        kinds = self.latest_kinds(state)
        turn = state.turn + 1
        for actor, variants in enumerate(sc.variants):
            view = None
            for variant in variants:
                if variant.available is None:
                    continue
                if view is None:
                    view = ActorView(sc, state, actor, kinds, turn)
                holds = variant.available(view) != 0
                legal[:, actor, variant.index] &= holds
        return legal

    def why_not(self, state: State, game: int, actor: int, variant: int) -> str | None:
        """Why a variant is refused in one game, in the player's words; None if it is legal."""
        sc = self.scenario
        spec = sc.variant(actor, variant)
        if state.over[game]:
            return "The game is over."
        if not state.enabled[game, actor, variant]:
            return spec.unavailable_text or "Not on the table at this point of the crisis."
        if state.uses[game, actor, variant] >= sc.max_uses[actor, variant]:
            times = "once" if spec.max_uses == 1 else f"{spec.max_uses} times"
            return f"Already used: it can be played {times} a game."
        if not self.legal(state.game(game))[0, actor, variant]:
            return spec.unavailable_text or f"Requires {spec.available_source}."
        return None

    def latest_kinds(self, state: State) -> np.ndarray:
        """(B, N) kind of each actor's latest move, NO_MOVE before any."""
        return self.kinds_of(state.last_variant)

    def kinds_of(self, variants: np.ndarray) -> np.ndarray:
        """(B, N) kinds of (B, N) variant numbers, NO_MOVE where the variant is NO_MOVE."""
        kinds = np.empty(variants.shape, dtype=np.int8, order="F")
        for actor in range(variants.shape[1]):
            kinds[:, actor] = self._kinds_or_none[actor].take(variants[:, actor], mode="wrap")
        return kinds

    def turns_to_next_scheduled(self, state: State) -> np.ndarray:
        """(B,) decisions left before the next scheduled event that changes the game fires
        (a new leader, new traits, moves enabled or withdrawn); inf if none is pending.

        1 means the event fires right after the coming turn's moves.
        """
        result = np.full(state.batch, np.inf)
        for event in self.scenario.events:
            if event.turn is None or not event.changes_the_game:
                continue
            left = event.turn - 1 - state.turn
            pending = (state.fired[:, event.index] == 0) & (left >= 1)
            result = np.where(pending, np.minimum(result, left), result)
        return result

    # -- stepping -----------------------------------------------------------------------------

    def step(
        self, state: State, actions: np.ndarray, legal: np.ndarray | None = None
    ) -> tuple[State, StepReport]:
        """Play one turn in every running game; finished games are returned unchanged.

        `actions` is (B, N) variant indices. Raises IllegalMove if any running game's move is
        refused (pass `legal` if it was already computed for this state).
        """
        actions = np.asarray(actions)
        if legal is None:
            legal = self.legal(state)
        b, n = actions.shape
        v = self.scenario.n_variants
        in_range = (actions >= 0) & (actions < v)
        safe = actions if in_range.all() else np.clip(actions, 0, v - 1)
        # legal[g, a, m] sits at g + B * (a + N * m) of the batch-contiguous array.
        places = np.arange(b)[:, None] + b * (self._actor_numbers + n * safe)
        chosen_ok = np.asfortranarray(legal).reshape(-1, order="F").take(places)
        bad = ~(chosen_ok & in_range) & ~state.over[:, None]
        if bad.any():
            game, actor = (int(x) for x in np.argwhere(bad)[0])
            raise IllegalMove(self._refusal(state, game, actor, int(actions[game, actor])))
        sc = self.scenario
        if not state.over.any():
            # Every game moves: `places` also says where each move is counted in `uses`.
            after, kinds, expelled = apply_moves(sc, self._moves, state, actions, places)
            after, fired, ended = self._after_moves(after, kinds)
            return after, StepReport(kinds=kinds, expelled=expelled, fired=fired, ended=ended)
        # Whatever was asked of a finished game, it makes no move.
        actions = np.where(state.over[:, None], NO_MOVE, actions)
        after, kinds, expelled = apply_moves(sc, self._moves, state, actions)
        after, fired, ended = self._after_moves(after, kinds)
        after = freeze_finished(state, after)
        running = ~state.over
        report = StepReport(
            kinds=np.where(running[:, None], kinds, NO_MOVE),
            expelled=expelled * running[:, None],
            fired=fired & running[:, None],
            ended=ended & running,
        )
        return after, report

    def _after_moves(self, state: State, kinds: np.ndarray) -> tuple[State, np.ndarray, np.ndarray]:
        """The rest of a turn once the moves are applied: (state, fired, ended)."""
        state = run_dynamics(self.scenario, state, kinds)
        state, fired = fire_events(self.scenario, state, kinds)
        state, ended = settle(self.scenario, state, kinds)
        return state, fired, ended

    def _refusal(self, state: State, game: int, actor: int, variant: int) -> str:
        if not 0 <= variant < len(self.scenario.variants[actor]):
            return f"There is no move number {variant} for {self.scenario.actor_name(actor)}."
        reason = self.why_not(state, game, actor, variant) or "Not allowed now."
        return f"{self.scenario.variant(actor, variant).label}: {reason}"

    # -- results ------------------------------------------------------------------------------

    def scores(self, state: State) -> np.ndarray:
        """(B, N) scores: final for finished games, 'as if it ended now' for running ones."""
        kinds = self.latest_kinds(state)
        now = state.score_accum + objective_values(self.scenario, state, kinds, every_turn=False)
        return np.where(state.over[:, None], state.final_score, now)

    def score_parts(self, state: State, game: int, actor: int) -> list[ScorePart]:
        """An actor's score in one game, objective by objective; the points add up to its score.

        End-of-game objectives are evaluated on the current state; objectives added every turn
        are only kept as their running total, which comes as one last line.
        """
        sc = self.scenario
        one = state.game(game)
        view = ActorView(sc, one, actor, self.latest_kinds(one), one.turn)
        parts = []
        for objective in sc.objectives[actor]:
            if not objective.every_turn:
                value = float(np.broadcast_to(objective.value(view), (1,))[0])
                points = value * objective.weight + 0.0  # + 0.0 turns -0.0 into 0.0
                parts.append(ScorePart(objective.name, value, objective.weight, points))
        running = [o.name for o in sc.objectives[actor] if o.every_turn]
        if running:
            total = float(one.score_accum[0, actor])
            parts.append(ScorePart(" + ".join(running) + " (every turn)", total, 1.0, total))
        return parts

    def outcome_id(self, state: State, game: int = 0) -> str | None:
        index = int(state.outcome[game])
        return None if index < 0 else self.scenario.outcomes[index].id
