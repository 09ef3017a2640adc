"""One game as the UI plays it: who is human, who is the computer, and every turn so far.

This is the UI's model and holds no pygame: it asks the engine what is legal and why not, lets
the computer's strategies choose through `game.match`, steps the engine, and keeps the turn
records the news feed, charts and replays read. A human move is only a variant index; the engine
validates it, and a refusal comes back as `IllegalMove` with the reason, with no turn played.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from game import saves
from game.engine.engine import Engine, IllegalMove
from game.engine.records import TurnRecord, opening_record, turn_record
from game.engine.state import State
from game.match import choose_moves, prepare
from game.scenario.compiled import CompiledScenario, CompiledVariant
from game.strategies.base import Strategy
from game.strategies.reciprocity import GenerousTitForTat
from game.strategies.registry import make_strategy
from game.ui.relations import felt_by

HUMAN = "human"
"""The opponent name that makes a game hot seat: both sides are people."""


@dataclass
class GameSession:
    """A game in progress: scenario, seed, sides, state and the record of every turn."""

    scenario: CompiledScenario
    scenario_path: str
    seed: int
    humans: list[int]
    strategy_names: dict[int, str]
    state: State
    records: list[TurnRecord]
    moves: list[list[int]] = field(default_factory=list)
    created: str = ""
    targets: list[list[int]] = field(default_factory=list)
    """Per turn, whom each move was aimed at (-1 where the rules aimed it)."""
    engine: Engine = field(init=False)
    strategies: list[Strategy | None] = field(init=False)
    score_history: list[tuple[int, np.ndarray]] = field(init=False, repr=False)
    """(turn, every side's score) from the start of this session on, for the scoreboard."""
    _legal: tuple[State, np.ndarray] | None = field(init=False, default=None, repr=False)
    _why: tuple[State | None, dict] = field(init=False, default=(None, {}), repr=False)

    def __post_init__(self) -> None:
        self.engine = Engine(self.scenario)
        self.strategies = [
            make_strategy(self.strategy_names[a]) if a in self.strategy_names else None
            for a in range(self.scenario.n_actors)
        ]
        # Lookahead opponents model each person as generous tit-for-tat.
        models = [s if s is not None else GenerousTitForTat() for s in self.strategies]
        prepare(self.engine, models)
        self.score_history = [(self.turn, self.scores())]
        if not self.created:
            self.created = datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"
            )

    # -- starting -------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        scenario: CompiledScenario,
        scenario_path: str,
        seed: int,
        humans: Sequence[int],
        strategy_names: Mapping[int, str],
    ) -> GameSession:
        """A new game after the scenario's opening moves (turn 0)."""
        engine = Engine(scenario)
        state = engine.new_games(seed, game_ids=[0])
        records = [opening_record(scenario, state)]
        return cls(
            scenario, scenario_path, seed, list(humans), dict(strategy_names), state, records
        )

    @classmethod
    def from_save(cls, save: saves.SaveGame, scenario: CompiledScenario) -> GameSession:
        """The saved game, rebuilt by replaying its moves; raises saves.SaveError."""
        state, records = saves.replay(save, scenario)
        humans = [scenario.actor_index(a) for a in save.player_actors]
        names = {scenario.actor_index(a): n for a, n in save.strategies.items()}
        return cls(
            scenario,
            save.scenario_path,
            save.seed,
            humans,
            names,
            state,
            records,
            [list(m) for m in save.moves],
            save.created,
            [list(t) for t in save.targets] or [[-1] * len(m) for m in save.moves],
        )

    def restarted(self, seed: int | None = None) -> GameSession:
        """The same sides from the start, with the same seed or a new one."""
        return GameSession.start(
            self.scenario,
            self.scenario_path,
            self.seed if seed is None else seed,
            self.humans,
            self.strategy_names,
        )

    def to_save(self) -> saves.SaveGame:
        ids = self.scenario.actor_ids
        return saves.SaveGame(
            version=saves.SAVE_VERSION,
            scenario_path=str(self.scenario_path),
            scenario_sha256=self.scenario.sha256,
            seed=int(self.seed),
            player_actors=[ids[a] for a in self.humans],
            strategies={ids[a]: n for a, n in self.strategy_names.items()},
            moves=[list(m) for m in self.moves],
            created=self.created,
            targets=[list(t) for t in self.targets],
        )

    def with_scenario(self, scenario: CompiledScenario) -> GameSession:
        """This game replayed under a changed scenario (F5); raises saves.SaveError if it no
        longer fits."""
        save = dataclasses.replace(self.to_save(), scenario_sha256=scenario.sha256)
        return GameSession.from_save(save, scenario)

    # -- reading --------------------------------------------------------------------------------

    @property
    def turn(self) -> int:
        return int(self.state.turn[0])

    @property
    def over(self) -> bool:
        return bool(self.state.over[0])

    @property
    def hot_seat(self) -> bool:
        return len(self.humans) > 1

    @property
    def player(self) -> int:
        """The actor whose point of view the screens take first."""
        return self.humans[0] if self.humans else self.scenario.player_actor

    def opponent_of(self, actor: int) -> int:
        return next(a for a in range(self.scenario.n_actors) if a != actor)

    def variants(self, actor: int, kind: int) -> list[CompiledVariant]:
        return [v for v in self.scenario.variants[actor] if v.kind == kind]

    def legal(self, actor: int) -> np.ndarray:
        """(V,) which of the actor's variants can be played now (asked once per state: the
        screens ask every frame)."""
        if self._legal is None or self._legal[0] is not self.state:
            self._legal = (self.state, self.engine.legal(self.state)[0])
        return self._legal[1][actor]

    def why_not(self, actor: int, variant: int) -> str | None:
        key = (actor, variant)
        if self._why[0] is not self.state:
            self._why = (self.state, {})
        if key not in self._why[1]:
            self._why[1][key] = self.engine.why_not(self.state, 0, actor, variant)
        return self._why[1][key]

    def scores(self) -> np.ndarray:
        return self.engine.scores(self.state)[0]

    def scores_by_turn(self) -> list[tuple[int, np.ndarray]]:
        """Every side's score after each turn from the first, for the points chart: a game
        loaded part-way through is played again from its seed to fill in the turns before."""
        if self.score_history[0][0] != 0:
            state = self.engine.new_games(self.seed, game_ids=[0])
            earlier = [(0, self.engine.scores(state)[0])]
            first = self.score_history[0][0]
            for row, aims in zip(self.moves[:first], self.targets[:first], strict=True):
                actions = np.array([row], dtype=np.int64)
                state, _ = self.engine.step(state, actions, targets=np.array([aims], np.int64))
                earlier.append((int(state.turn[0]), self.engine.scores(state)[0]))
            self.score_history[:1] = earlier
        return self.score_history

    def outcome(self):
        index = int(self.state.outcome[0])
        return None if index < 0 else self.scenario.outcomes[index]

    def tension_of(self, record: TurnRecord, actor: int | None = None) -> float:
        """The tension the player feels: the mean over the pairs that include the actor."""
        actor = self.player if actor is None else actor
        return felt_by(self.scenario, record.values["tension"], actor)

    def tension_history(self) -> list[float]:
        return [self.tension_of(r) for r in self.records]

    # -- playing --------------------------------------------------------------------------------

    def check(self, actor: int, variant: int) -> None:
        """Raise IllegalMove with the engine's reason if a person may not play this now."""
        reason = self.why_not(actor, variant)
        if reason is not None:
            label = self.scenario.variant(actor, variant).label
            raise IllegalMove(f"{label}: {reason}")

    def legal_targets(self, actor: int, variant: int) -> list[int]:
        """Whom a person may aim a move at now: for a variant whose target the player picks,
        its legal targets; otherwise none to pick (the scenario or the rules aim it)."""
        if not self.scenario.variant(actor, variant).player_picks_target:
            return []
        legal = self.engine.legal_targets(self.state, 0, actor, variant)
        return [int(b) for b in np.flatnonzero(legal)]

    def play(
        self, choices: Mapping[int, int], targets: Mapping[int, int] | None = None
    ) -> TurnRecord:
        """Play one turn with the people's choices; the computer chooses for everyone else.
        `targets` aims a person's move at an actor (see `legal_targets`); a move without one is
        aimed by the rules, at whoever hit the actor hardest.

        Raises IllegalMove (the state is unchanged) if the engine refuses a choice.
        """
        missing = [a for a in self.humans if a not in choices]
        if missing:
            raise ValueError(f"no choice for human actor {missing[0]}")
        for actor, variant in choices.items():
            self.check(actor, variant)
        legal = self.engine.legal(self.state)
        fixed = {a: np.array([v]) for a, v in choices.items()}
        actions = choose_moves(self.engine, self.state, self.strategies, legal, fixed)
        before = self.state
        aims = np.full((1, self.scenario.n_actors), -1, dtype=np.int64)
        for actor, target in (targets or {}).items():
            aims[0, actor] = target
        after, report = self.engine.step(before, actions, legal=legal, targets=aims)
        record = turn_record(self.scenario, before, after, report)
        self.state = after
        self.records.append(record)
        self.moves.append([int(a) for a in actions[0]])
        self.targets.append([int(t) for t in aims[0]])
        self.score_history.append((self.turn, self.scores()))
        return record


__all__ = ["HUMAN", "GameSession", "IllegalMove"]


def default_variant(session: GameSession, actor: int, kind: int) -> int | None:
    """The variant a kind means when no variant is named: its first legal one, in scenario order."""
    legal = session.legal(actor)
    for variant in session.variants(actor, kind):
        if legal[variant.index]:
            return variant.index
    return None
