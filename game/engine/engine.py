"""The engine's public surface: new games, legal moves, a step, endings and scores.

The UI, the balance lab, saves, replays and the strategies use only this. A move is a variant
index per actor (see `CompiledScenario.variants`); a refused move raises `IllegalMove` with the
reason, which the UI shows to the player, and no turn passes. The rules themselves are compiled
per-game code (`game.engine.rules`); this class lays a scenario out for them once and runs them
over batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import batch as kernels
from game.engine import real_moves, rng
from game.engine.choose import ALWAYS_WAIT, profile_draws
from game.engine.preload import load_engine_rules
from game.engine.rules import draws_chance
from game.engine.state import State
from game.engine.tables import Tables, tables_of
from game.scenario.compiled import NO_MOVE, CompiledScenario


@dataclass(frozen=True)
class ScorePart:
    """One line of a score: an objective's value, its weight and the points it brings."""

    name: str
    value: float
    weight: float
    points: float


@dataclass(frozen=True, eq=False)
class StepReport:
    """What happened in a step beyond the new state, for turn records and statistics."""

    kinds: np.ndarray  # (B, N) kind played, NO_MOVE for an actor that did not move
    expelled: np.ndarray  # (B, N) diplomats each actor sent home
    fired: np.ndarray  # (B, E) bool, events that fired this step
    ended: np.ndarray  # (B,) bool, games that ended this step
    causes: np.ndarray | None = None
    """(B, Q, N + 6) why each quantity moved: Q is each pair's tension (i < j), then each
    actor's pressure, credibility and standing; the parts are each actor's act, then
    `rules.CAUSE_PARTS` (reaction to grievance, fatigue, mutual escalation, shock, events, and
    what the bounds took). The parts of a quantity add up to its change."""


@dataclass(frozen=True, eq=False)
class Profile:
    """One built-in strategy per actor, as the compiled code reads them: a code and four
    parameters each (see `game.engine.choose`)."""

    codes: np.ndarray  # (N,) int64
    params: np.ndarray  # (N, 4) float64


@dataclass(frozen=True)
class OutcomeProgress:
    """How close one ending is in a game, as the rules count it: its condition has held for
    `streak` turns in a row and must hold for `needed`."""

    id: str
    title: str
    streak: int
    needed: int

    @property
    def holds(self) -> bool:
        return self.streak > 0

    @property
    def turns_left(self) -> int | None:
        """Turns more it must hold for the game to end there; None while it does not hold."""
        return max(self.needed - self.streak, 0) if self.holds else None


class IllegalMove(Exception):
    """A move the rules refuse in this state; the message says why, for the player."""


class Engine:
    """Plays B games of one compiled scenario at once."""

    def __init__(self, scenario: CompiledScenario) -> None:
        self.scenario = scenario
        self.tables: Tables = tables_of(scenario)
        self._whole_games = kernels.play_games

    def bind_to_structure(self) -> None:
        """Play whole games (`play`, `play_in_place`) with the rules compiled for this
        scenario's structure (`game.engine.bound`): the same games in about 40% less time. The
        first time a structure is bound its rules compile, for about a minute (then cached):
        callers announce it, and only long runs are worth it."""
        from game.engine.bound import bound_play_games, first_compile, structure_of

        structure = structure_of(self.tables.lay)
        n = self.scenario.n_actors
        waiting = Profile(np.full(n, ALWAYS_WAIT, dtype=np.int64), np.zeros((n, 4)))
        state = self.new_games(0, batch=1)
        with first_compile(structure):
            self._whole_games = bound_play_games(structure)
            # One turn of one game: compiled now (or loaded), not in a caller's run.
            self._play_rows(state.data, state, waiting, 1, np.zeros((0, 0, 0), np.int64), 1.0)

    @property
    def structure_compiled(self) -> bool:
        """Whether `bind_to_structure` would load in a second rather than compile."""
        from game.engine.bound import is_compiled, structure_of

        return is_compiled(structure_of(self.tables.lay))

    @property
    def bound_to_structure(self) -> bool:
        """Whether whole games are played by rules compiled for this scenario's structure."""
        return self._whole_games is not kernels.play_games

    def _args(self) -> tuple:
        t = self.tables
        return t.lay, t.coefficients, t.ints, t.floats

    def _read_args(self) -> tuple:
        t = self.tables
        return t.lay, t.ints, t.floats

    # -- starting -----------------------------------------------------------------------------

    def new_games(self, seed: int, batch: int = 1, game_ids: np.ndarray | None = None) -> State:
        """B fresh games after the opening moves. Game ids default to 0..B-1.

        A game's randomness depends only on (seed, game id), so game k is the same game
        whether it is started alone (game_ids=[k]) or in any batch.
        """
        return self._games_like(self._opened_row(), seed, batch, game_ids)

    def first_games(self, seeds: np.ndarray) -> State:
        """Game 0 of each seed (at least one), one per seed in one batch: the games the UI
        starts with those seeds. Each draws from its own stream, so it plays exactly as it
        would alone; the batch's key is the first seed's."""
        keys = [rng.root_key(int(seed)) for seed in seeds]
        first = np.zeros(1, dtype=np.uint64)
        streams = np.concatenate([rng.game_streams(key, first) for key in keys])
        data = np.empty((len(keys), self.tables.lay.row))
        data[:] = self._opened_row()
        return State(self.tables.lay, keys[0], data, np.zeros(len(keys), np.uint64), streams)

    def _opened_row(self) -> np.ndarray:
        # Every game starts alike and the opening moves draw no random numbers, so one game
        # is opened and copied. Before the first game of the process the rules are loaded, or
        # they run slower (see `preload`); checking a scenario plays no game and loads less.
        load_engine_rules()
        model = self._blank_row()[None, :].copy()
        kernels.open_games(*self._args(), model)
        return model[0]

    def blank_games(self, seed: int, batch: int = 1, game_ids: np.ndarray | None = None) -> State:
        """B games as the scenario describes them, before the opening moves."""
        return self._games_like(self._blank_row(), seed, batch, game_ids)

    def open(self, state: State) -> State:
        """Play the scenario's opening moves on games that have not started."""
        data = state.data.copy()
        kernels.open_games(*self._args(), data)
        return State(state.lay, state.key, data, state.game_ids, state.streams)

    def _games_like(
        self, row: np.ndarray, seed: int, batch: int, game_ids: np.ndarray | None
    ) -> State:
        if game_ids is None:
            game_ids = np.arange(batch, dtype=np.uint64)
        ids = np.ascontiguousarray(game_ids, dtype=np.uint64)
        key = rng.root_key(seed)
        data = np.empty((ids.shape[0], row.shape[0]))
        data[:] = row
        return State(self.tables.lay, key, data, ids, rng.game_streams(key, ids))

    def _blank_row(self) -> np.ndarray:
        sc, lay = self.scenario, self.tables.lay
        row = np.zeros(lay.row)
        parts = {
            "outcome": -1.0,
            "tension": sc.tension0,
            "resting": sc.baseline0,
            "gauges": sc.start_gauges,
            "diplomats": sc.stocks0[0],
            "staff": sc.stocks0[1],
            "consulates": sc.stocks0[2],
            "properties": sc.stocks0[3],
            "aim": -1.0,
            "personality": sc.personality0,
            "leader": sc.leader0,
            "enabled": sc.enabled0,
            "last_variant": NO_MOVE,
            "prev_variant": NO_MOVE,
        }
        for name, value in parts.items():
            start = getattr(lay, name)
            flat = np.asarray(value, dtype=np.float64).reshape(-1)
            size = flat.size if flat.size > 1 else _part_size(lay, name)
            row[start : start + size] = flat
        return row

    def opening_report(self, state: State) -> StepReport:
        """What the opening moves did, so that records can show them as turn 0."""
        sc = self.scenario
        kinds = np.full((state.batch, sc.n_actors), NO_MOVE)
        for actor, variant, _ in sc.opening:
            kinds[:, actor] = sc.kind_table[actor, variant]
        people = sc.stocks0[0] + sc.stocks0[1]
        now = state.diplomats + state.staff
        return StepReport(
            kinds=kinds,
            expelled=people.sum(axis=0) - now.sum(axis=1),
            fired=np.zeros((state.batch, len(sc.events)), dtype=bool),
            ended=np.zeros(state.batch, dtype=bool),
        )

    # -- choosing -----------------------------------------------------------------------------

    def legal(self, state: State) -> np.ndarray:
        """(B, N, V) bool: which variants each actor may play now."""
        lay = self.tables.lay
        out = np.zeros((state.batch, lay.n, lay.v), dtype=np.bool_)
        kernels.legal_batch(*self._read_args(), state.data, out)
        return out

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
            if spec.available_source is None or self._condition_holds(state, game, actor, spec):
                targets = sc.reachable(actor, spec.target)
                if not targets:
                    return "It has nobody to aim at in this scenario."
                reasons = [self.why_not_target(state, game, actor, variant, b) for b in targets]
                return " ".join(dict.fromkeys(reasons))
            return spec.unavailable_text or f"Requires {spec.available_source}."
        return None

    def _condition_holds(self, state: State, game: int, actor: int, spec: object) -> bool:
        """Whether a variant's available_if holds now (so a refusal has another reason)."""
        value = kernels.condition_value(
            *self._read_args(),
            np.ascontiguousarray(state.data[game]),
            actor,
            spec.index,  # type: ignore[attr-defined]
        )
        return bool(value != 0.0)

    def latest_kinds(self, state: State) -> np.ndarray:
        """(B, N) kind of each actor's latest move, NO_MOVE before any."""
        return self.kinds_of(state.last_variant)

    def kinds_of(self, variants: np.ndarray) -> np.ndarray:
        """(B, N) kinds of (B, N) variant numbers, NO_MOVE where the variant is NO_MOVE."""
        table = self.scenario.kind_table
        variants = np.asarray(variants, dtype=np.int64)
        actors = np.arange(variants.shape[1])[None, :]
        kinds = table[actors, np.maximum(variants, 0)].astype(np.int8)
        kinds[variants < 0] = NO_MOVE
        return kinds

    def turns_to_next_scheduled(self, state: State) -> np.ndarray:
        """(B,) decisions left before the next scheduled event that changes the game (a new
        leader, new traits, moves enabled or withdrawn); inf if none is pending. 1 means the
        event fires right after the coming turn's moves."""
        out = np.empty(state.batch)
        kernels.scheduled_batch(self.tables.lay, self.tables.ints, state.data, out)
        return out

    def choose(
        self, state: State, actor: int, profile: Profile, legal: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(moves (B,), values (B, V)) of `actor`'s built-in strategy in `profile`, given its
        legal moves (B, V); values are a lookahead's expected scores (else zeros)."""
        out = np.zeros(state.batch, dtype=np.int64)
        values = np.zeros((state.batch, self.tables.lay.v))
        kernels.choose_batch(
            *self._args(),
            state.data,
            state.streams,
            state.game_ids,
            state.key,
            actor,
            profile.codes,
            profile.params,
            np.ascontiguousarray(legal, dtype=np.bool_),
            out,
            values,
        )
        return out, values

    # -- stepping -----------------------------------------------------------------------------

    def legal_targets(self, state: State, game: int, actor: int, variant: int) -> np.ndarray:
        """(N,) bool: whom a variant may be aimed at now in one game. For a 'choose' variant
        these are the player's options; for a fixed target or a group, whom it would reach."""
        out = np.zeros(self.tables.lay.n, dtype=np.bool_)
        row = np.ascontiguousarray(state.data[game])
        kernels.targets_of(self.tables.ints, self.tables.floats, row, actor, variant, out)
        return out

    def aimed_at(self, state: State, game: int, actor: int) -> list[int]:
        """The actors the latest move of `actor` reached in one game."""
        mask = int(state.last_mask[game, actor])
        return [b for b in range(self.tables.lay.n) if (mask >> b) & 1]

    def step(
        self,
        state: State,
        actions: np.ndarray,
        legal: np.ndarray | None = None,
        targets: np.ndarray | None = None,
    ) -> tuple[State, StepReport]:
        """Play one turn in every running game; finished games are returned unchanged.

        `actions` is (B, N) variant indices; `targets` (B, N) the actor each move is aimed at,
        for variants whose target is 'choose', or -1 to let the rules pick (whoever hit the
        actor hardest in the latest turn: see `rules.default_target`). Raises IllegalMove if any
        running game's move or target is refused (pass `legal` if it was already computed for
        this state).
        """
        actions = np.asarray(actions)
        if legal is None:
            legal = self.legal(state)
        b, n = actions.shape
        v = self.tables.lay.v
        in_range = (actions >= 0) & (actions < v)
        safe = np.clip(actions, 0, v - 1)
        chosen_ok = np.take_along_axis(legal, safe[:, :, None], axis=2)[:, :, 0]
        bad = ~(chosen_ok & in_range) & ~state.over[:, None]
        if bad.any():
            game, actor = (int(x) for x in np.argwhere(bad)[0])
            raise IllegalMove(self._refusal(state, game, actor, int(actions[game, actor])))
        data = state.data.copy()
        if targets is not None:
            targets = np.asarray(targets, dtype=np.int64)
            self._check_targets(state, safe, targets)
            aim = self.tables.lay.aim
            data[:, aim : aim + n] = np.where(state.over[:, None], -1, targets)
        e = self.tables.lay.e
        kinds = np.zeros((b, n), dtype=np.int64)
        expelled = np.zeros((b, n))
        fired = np.zeros((b, max(e, 1)), dtype=np.bool_)
        ended = np.zeros(b, dtype=np.bool_)
        lay = self.tables.lay
        lines = n * (n - 1) // 2 + n * 3
        causes = np.zeros((b, lines * (n + 6) + lines))
        kernels.step_batch(
            *self._args(),
            data,
            state.streams,
            np.ascontiguousarray(safe, dtype=np.int64),
            kinds,
            expelled,
            fired,
            ended,
            causes,
        )
        after = State(state.lay, state.key, data, state.game_ids, state.streams)
        report = StepReport(
            kinds=kinds.astype(np.int8),
            expelled=expelled,
            fired=fired[:, :e],
            ended=ended,
            causes=causes[:, : lines * (lay.n + 6)].reshape(b, lines, lay.n + 6),
        )
        return after, report

    def play(self, state: State, profile: Profile, max_steps: int | None = None) -> State:
        """Play every game of `state` to its end (or for max_steps turns) with built-in
        strategies, each game inside one compiled call."""
        data = state.data.copy()
        self.play_in_place(data, state, profile, max_steps)
        return State(state.lay, state.key, data, state.game_ids, state.streams)

    def play_in_place(
        self,
        data: np.ndarray,
        state: State,
        profile: Profile,
        max_steps: int | None = None,
        tension_counts: np.ndarray | None = None,
        bin_width: float = 1.0,
    ) -> None:
        """`play`, writing into `data` (rows of `state`'s games); the GIL is released.

        `tension_counts` (T + 1, pairs, bins), if given, counts each pair's tension in bins of
        `bin_width` in every game before the first turn and after each turn it plays."""
        if tension_counts is None:
            tension_counts = np.zeros((0, 0, 0), dtype=np.int64)
        games = data.shape[0]
        if games > 1 and self.plays_alike(profile) and _rows_alike(data):
            # Games that start alike and draw no random number are one game: it is played
            # once and copied, as the Axelrod library caches a deterministic match.
            counts = np.zeros_like(tension_counts)
            self._play_rows(data[:1], state, profile, max_steps, counts, bin_width)
            data[1:] = data[0]
            tension_counts += counts * games
            return
        self._play_rows(data, state, profile, max_steps, tension_counts, bin_width)

    def _play_rows(
        self,
        data: np.ndarray,
        state: State,
        profile: Profile,
        max_steps: int | None,
        tension_counts: np.ndarray,
        bin_width: float,
    ) -> None:
        """The compiled whole games on `data`'s rows, which are `state`'s first rows."""
        rows = data.shape[0]
        self._whole_games(
            *self._args(),
            data,
            state.streams[:rows],
            state.game_ids[:rows],
            state.key,
            profile.codes,
            profile.params,
            -1 if max_steps is None else max_steps,
            tension_counts,
            bin_width,
        )

    def plays_alike(self, profile: Profile) -> bool:
        """Whether every seed and game id plays the same game from the same state with these
        strategies: neither the rules of this scenario nor the strategies draw a random number
        (the prisoner's dilemma between deterministic strategies, say)."""
        t = self.tables
        if draws_chance(t.lay, t.coefficients, t.ints):
            return False
        return not profile_draws(profile.codes, profile.params)

    def rollouts(
        self,
        state: State,
        game: int,
        actor: int,
        first: int,
        turns: int,
        profile: Profile,
        copies: int,
        salt: int,
    ) -> tuple[State, np.ndarray]:
        """Copies of one game played `turns` turns ahead: `actor` plays `first`, then everyone
        plays `profile` (which must hold no lookahead). Each copy has its own stream, keyed by
        (game, turn, copy) under the key salted by the purpose. Returns the copies' final
        states and (copies, turns + 1) the actor's mean tension with the others, turn by turn.
        """
        root = np.ascontiguousarray(state.data[game])
        key = state.key ^ np.uint64(salt)
        turn = int(root[self.tables.lay.turn])
        ids = rng.branch_ids(state.game_ids[game], turn, copies)
        streams = rng.game_streams(key, ids)
        ends = np.empty((copies, root.shape[0]))
        paths = np.empty((copies, turns + 1))
        kernels.rollouts_from(
            *self._args(),
            root,
            streams,
            actor,
            first,
            turns,
            profile.codes,
            profile.params,
            ends,
            paths,
        )
        return State(state.lay, key, ends, ids, streams), paths

    def play_real_moves(
        self, state: State, moves: np.ndarray
    ) -> tuple[State, np.ndarray, np.ndarray]:
        """Every game of `state` played to its end with a history's real moves (the rule is
        `game.engine.real_moves`'s), each inside one compiled call. `moves` is (M, 4): each
        listed move's turn, actor, variant and target (-1 for none), in the order listed.
        Returns the final states, (B, E) the turn each event first greeted and (B, M) the turn
        each move was played (-1 for never). Raises ValueError for a move the scenario does
        not have (the compiled rules index their tables with it)."""
        sc = self.scenario
        moves = np.ascontiguousarray(moves, dtype=np.int64).reshape(-1, 4)
        n, v = sc.kind_table.shape
        for _, actor, variant, target in moves.tolist():
            if not (0 <= actor < n and 0 <= variant < v and sc.kind_table[actor, variant] >= 0):
                raise ValueError(f"no variant {variant} of actor {actor} in {sc.path}")
            if not -1 <= target < n:
                raise ValueError(f"no actor {target} to aim at in {sc.path}")
        held_order = np.lexsort((np.arange(moves.shape[0]), moves[:, 0])).astype(np.int64)
        picks = np.zeros(sc.kind_table.shape, dtype=np.bool_)
        for actor, variant in np.argwhere(sc.kind_table >= 0):
            picks[actor, variant] = sc.variant(int(actor), int(variant)).player_picks_target
        data = state.data.copy()
        fired_at = np.full((state.batch, len(sc.events)), real_moves.NEVER, dtype=np.int64)
        played_at = np.full((state.batch, moves.shape[0]), real_moves.NEVER, dtype=np.int64)
        t = self.tables
        real_moves.play_real_moves(
            t.coefficients,
            t.ints,
            t.floats,
            data,
            state.streams,
            moves,
            held_order,
            picks,
            np.ascontiguousarray(sc.kind_table, dtype=np.int64),
            fired_at,
            played_at,
        )
        return State(state.lay, state.key, data, state.game_ids, state.streams), fired_at, played_at

    def _check_targets(self, state: State, actions: np.ndarray, targets: np.ndarray) -> None:
        sc = self.scenario
        for game, actor in np.argwhere((targets >= 0) & ~state.over[:, None]):
            game, actor = int(game), int(actor)
            variant = int(actions[game, actor])
            target = int(targets[game, actor])
            spec = sc.variant(actor, variant)
            if target >= sc.n_actors or target == actor:
                raise IllegalMove(f"{spec.label}: there is no such target.")
            if not spec.player_picks_target:
                raise IllegalMove(f"{spec.label}: its target is set by the scenario.")
            if not self.legal_targets(state, game, actor, variant)[target]:
                raise IllegalMove(
                    f"{spec.label}: {self.why_not_target(state, game, actor, variant, target)}"
                )

    def why_not_target(self, state: State, game: int, actor: int, variant: int, target: int) -> str:
        """Why a move cannot be aimed at an actor, in the player's words."""
        sc = self.scenario
        them = sc.model.actors[target].name
        here = sc.model.actors[actor].name
        effect = _variant_model(sc, actor, variant).effects
        stocks = (
            ("expel", "diplomats", "no diplomats of {them} are left in {here} to expel"),
            ("expel_staff", "staff", "{them} has no local staff left in {here}"),
            ("close_consulates", "consulates", "{them} has no consulates left in {here}"),
            ("seize_properties", "properties", "{them} has no properties left in {here}"),
        )
        reasons = [
            text.format(them=them, here=here)
            for field, stock, text in stocks
            if getattr(effect, field) != 0 and getattr(state, stock)[game, target, actor] <= 0
        ]
        if effect.return_properties != 0:
            reasons.append(f"{them} has all its properties in {here} back already")
        if effect.cap is not None:
            reasons.append(f"{them}'s mission in {here} is already within the ceiling")
        if reasons:
            sentence = "; ".join(reasons)
            return sentence[0].upper() + sentence[1:] + "."
        return f"It cannot be aimed at {them} now."

    def _refusal(self, state: State, game: int, actor: int, variant: int) -> str:
        if not 0 <= variant < len(self.scenario.variants[actor]):
            return f"There is no move number {variant} for {self.scenario.actor_name(actor)}."
        reason = self.why_not(state, game, actor, variant) or "Not allowed now."
        return f"{self.scenario.variant(actor, variant).label}: {reason}"

    # -- results ------------------------------------------------------------------------------

    def scores(self, state: State) -> np.ndarray:
        """(B, N) scores: final for finished games, 'as if it ended now' for running ones."""
        out = np.empty((state.batch, self.tables.lay.n))
        kernels.scores_batch(*self._read_args(), state.data, out)
        return out

    def score_parts(self, state: State, game: int, actor: int) -> list[ScorePart]:
        """An actor's score in one game, objective by objective; the points add up to its score.

        End-of-game objectives are evaluated on the current state; objectives added every turn
        are only kept as their running total, which comes as one last line.
        """
        sc = self.scenario
        values = np.zeros(max(self.tables.lay.n_objectives, 1))
        row = np.ascontiguousarray(state.data[game])
        kernels.objective_values_of(*self._read_args(), row, actor, values)
        first = sum(len(objectives) for objectives in sc.objectives[:actor])
        parts = []
        for o, objective in enumerate(sc.objectives[actor]):
            if not objective.every_turn:
                value = float(values[first + o])
                points = value * objective.weight + 0.0  # + 0.0 turns -0.0 into 0.0
                parts.append(ScorePart(objective.name, value, objective.weight, points))
        running = [o.name for o in sc.objectives[actor] if o.every_turn]
        if running:
            total = float(state.score_accum[game, actor])
            parts.append(ScorePart(" + ".join(running) + " (every turn)", total, 1.0, total))
        return parts

    def outcome_progress(self, state: State, game: int = 0) -> list[OutcomeProgress]:
        """Each conditional ending and how long its condition has held, so that a player can
        read "normalisation in 2 turns if this holds" from the rules' own count."""
        progress = []
        for outcome in self.scenario.outcomes:
            if outcome.when is None:
                continue
            streak = int(state.streak[game, outcome.index])
            progress.append(OutcomeProgress(outcome.id, outcome.title, streak, outcome.for_turns))
        return progress

    def outcome_id(self, state: State, game: int = 0) -> str | None:
        index = int(state.outcome[game])
        return None if index < 0 else self.scenario.outcomes[index].id


def _variant_model(scenario: CompiledScenario, actor: int, variant: int) -> object:
    """The scenario file's description of a variant (its effects as written)."""
    spec = scenario.variant(actor, variant)
    actions = scenario.model.actors[actor].actions
    return next(v for v in getattr(actions, spec.kind_name) if v.id == spec.id)


def _part_size(lay: object, name: str) -> int:
    n = lay.n  # type: ignore[attr-defined]
    return {"outcome": 1, "last_variant": n, "prev_variant": n, "aim": n}[name]


def _rows_alike(data: np.ndarray) -> bool:
    """Whether every row holds the same numbers as the first, bit for bit."""
    bits = data.view(np.uint64)
    return bool((bits == bits[0]).all())
