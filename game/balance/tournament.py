"""Play the run's strategy profiles N times each and keep the tallies: the balance lab's data.

A profile is one strategy per actor; game.balance.plan chooses which profiles a run plays (every
one, or each actor's strategies against sampled line-ups of the others). A profile's games are
numbered 0..N-1 and started from a seed derived from (run seed, the profile's strategy names),
and a chunk of them is identified by its game numbers; so a result never depends on which
worker, process or machine played a chunk, on how many there were, or on which other profiles
were in the run. Chunks are cut the same way whatever the executor, and each profile's tallies
are merged in chunk order.

Lookahead profiles cost two to three orders of magnitude more per game (every decision plays
rollouts), so they play at most `lookahead_games` games; each such profile carries a note. By
default that is enough games for about LOOKAHEAD_TURNS turns at the scenario's turn limit (100
games of a 20-turn scenario, 10 of a 200-turn one), and fewer if the run's lookahead sides would
then make more than LOOKAHEAD_DECISIONS decisions in all, but never fewer than
MIN_LOOKAHEAD_GAMES.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from game.balance.defaults import (
    DEFAULT_GAMES,
    LOOKAHEAD_DECISIONS,
    LOOKAHEAD_TURNS,
    MIN_LOOKAHEAD_GAMES,
    SAMPLE_GAMES,
    SAMPLE_LOOKAHEAD_DECISIONS,
    SAMPLE_MIN_LOOKAHEAD_GAMES,
)
from game.balance.plan import Plan, make_plan
from game.balance.tally import Tally, play_chunk
from game.engine.engine import Engine
from game.scenario.compiled import CompiledScenario
from game.strategies.lookahead import Lookahead
from game.strategies.registry import STRATEGY_NAMES, UnknownStrategy, make_strategy

if TYPE_CHECKING:
    from game.history.figures import HistoryFigures

CHUNK = 16_384
"""Most games one engine batch plays: bounds memory and keeps arrays cache-friendly."""
LOOKAHEAD_CHUNK = 128
"""Most games per batch in lookahead profiles, whose rollouts multiply the batch ~200-fold."""


def default_lookahead_games(
    scenario: CompiledScenario, sides: int = 0, sampled: bool = False
) -> int:
    """Games per lookahead profile unless told: about LOOKAHEAD_TURNS turns' worth, fewer when
    the run's `sides` (actors playing lookahead, summed over its profiles) would otherwise make
    more than LOOKAHEAD_DECISIONS decisions (SAMPLE_LOOKAHEAD_DECISIONS in a sampled run), and
    never fewer than MIN_LOOKAHEAD_GAMES (SAMPLE_MIN_LOOKAHEAD_GAMES)."""
    budget = SAMPLE_LOOKAHEAD_DECISIONS if sampled else LOOKAHEAD_DECISIONS
    least = SAMPLE_MIN_LOOKAHEAD_GAMES if sampled else MIN_LOOKAHEAD_GAMES
    games = LOOKAHEAD_TURNS // scenario.max_turns
    if sides:
        games = min(games, budget // (sides * scenario.max_turns))
    return max(least, games)


def lookahead_sides(plan: Plan, strategies: Sequence[str]) -> int:
    """Actors playing lookahead, summed over the plan's profiles."""
    expensive = [is_lookahead(name) for name in strategies]
    return sum(expensive[s] for profile in plan.profiles for s in profile)


class BadStrategy(ValueError):
    """A strategy name the registry does not know (the message lists the valid ones)."""


def strategy_set(scenario: CompiledScenario, requested: Sequence[str] | None = None) -> list[str]:
    """The strategies every actor tries: the requested ones, or every built-in strategy plus
    any default strategy the scenario names. Raises BadStrategy for an unknown name."""
    if requested is None:
        names = list(STRATEGY_NAMES)
        for actor in range(scenario.n_actors):
            default = scenario.default_strategy(actor)
            if default is not None and default not in names:
                names.append(default)
    else:
        names = list(dict.fromkeys(name.strip() for name in requested if name.strip()))
        if not names:
            raise BadStrategy("no strategy named; give names like tit_for_tat,always_wait")
    for name in names:
        try:
            make_strategy(name)
        except UnknownStrategy as error:
            raise BadStrategy(str(error)) from None
    return names


def is_lookahead(name: str) -> bool:
    return isinstance(make_strategy(name), Lookahead)


def derived_seed(seed: int, strategies: Sequence[str]) -> int:
    """The engine seed of one profile: a function of the run seed and the profile only."""
    digest = hashlib.sha256("\x00".join(strategies).encode()).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    sequence = np.random.SeedSequence(entropy=[seed, *words])
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True)
class Profile:
    """One strategy per actor, and how many games it plays."""

    index: int
    strategies: tuple[str, ...]
    games: int
    seed: int
    note: str | None = None

    @property
    def expensive(self) -> bool:
        return any(is_lookahead(name) for name in self.strategies)


@dataclass(frozen=True)
class Chunk:
    """Games [start, stop) of one profile: the unit of work sent to an executor."""

    profile: int
    number: int
    strategies: tuple[str, ...]
    seed: int
    start: int
    stop: int

    @property
    def games(self) -> int:
        return self.stop - self.start


def make_profiles(
    plan: Plan, strategies: Sequence[str], games: int, seed: int, lookahead_games: int
) -> list[Profile]:
    """The plan's profiles, in its order, with their seeds and game counts."""
    profiles = []
    combos = (tuple(strategies[s] for s in cells) for cells in plan.profiles)
    for index, combo in enumerate(combos):
        n, note = games, None
        if any(is_lookahead(name) for name in combo) and lookahead_games < games:
            n = lookahead_games
            note = f"lookahead: {n} of {games} games (each decision plays rollouts)"
        profiles.append(Profile(index, tuple(combo), n, derived_seed(seed, combo), note))
    return profiles


def make_chunks(profiles: Iterable[Profile]) -> list[Chunk]:
    chunks = []
    for profile in profiles:
        size = LOOKAHEAD_CHUNK if profile.expensive else CHUNK
        for number, start in enumerate(range(0, profile.games, size)):
            stop = min(start + size, profile.games)
            chunks.append(
                Chunk(profile.index, number, profile.strategies, profile.seed, start, stop)
            )
    return chunks


@lru_cache(maxsize=4)
def _engine(scenario_text: str, file: str, bind: bool = False) -> Engine:
    from game.scenario.load import load_scenario_text

    engine = Engine(load_scenario_text(scenario_text, file))
    if bind:
        engine.bind_to_structure()
    return engine


def play_remote(
    scenario_text: str, file: str, chunk: Chunk, bind: bool = False
) -> tuple[int, int, Tally]:
    """Run one chunk in a worker, which compiles the scenario once from its text (and binds
    the rules to its structure, if asked: `Engine.bind_to_structure`)."""
    engine = _engine(scenario_text, file, bind)
    return (
        chunk.profile,
        chunk.number,
        play_chunk(engine, chunk.strategies, chunk.seed, chunk.start, chunk.stop),
    )


@dataclass
class Tournament:
    """Every profile's tally, plus what is needed to read them."""

    scenario: CompiledScenario
    seed: int
    games: int
    lookahead_games: int
    strategies: tuple[str, ...]
    plan: Plan
    profiles: list[Profile]  # in the order of plan.profiles
    tallies: list[Tally]
    replays: int = DEFAULT_GAMES
    """Replays of the real moves for a history target: the games asked for (not fewer because
    the run samples)."""
    seconds: float = 0.0
    workers: str = "1 thread"
    bound: bool = False
    """Whether the games were played by rules compiled for the scenario's structure."""
    history: HistoryFigures | None = None
    """The real moves replayed `replays` times, when the scenario declares the
    `history_outcome_share` target (played beside the games: see `run_tournament`)."""


Progress = Callable[[int, int], None]
"""Called with (games done, games in all) as chunks finish."""


def run_tournament(
    scenario: CompiledScenario,
    scenario_text: str | None = None,
    *,
    games: int | None = None,
    seed: int = 1,
    strategies: Sequence[str] | None = None,
    lookahead_games: int | None = None,
    lineups: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    bind: bool = False,
) -> Tournament:
    """Play the plan's profiles (every one, or a sample of `lineups` line-ups per actor: see
    game.balance.plan), `games` games each (by default DEFAULT_GAMES, SAMPLE_GAMES in a
    sample); with an executor, chunks run there (the scenario goes as text). With `bind`, the
    games are played by rules compiled for the scenario's structure (the same results in
    about 40% less time; the first time for a structure it compiles for about a minute).

    Raises BadStrategy for an unknown strategy and ValueError for a non-positive game count.
    """
    names = strategy_set(scenario, strategies)
    plan = make_plan(scenario.n_actors, names, seed, lineups)
    replays = DEFAULT_GAMES if games is None else games
    if games is None:
        games = SAMPLE_GAMES if plan.sampled else DEFAULT_GAMES
    if lookahead_games is None:
        sides = lookahead_sides(plan, names)
        lookahead_games = default_lookahead_games(scenario, sides, plan.sampled)
    if games < 1 or lookahead_games < 1:
        raise ValueError("the number of games must be at least 1")
    profiles = make_profiles(plan, names, games, seed, lookahead_games)
    chunks = make_chunks(profiles)
    total = sum(c.games for c in chunks)
    began = time.perf_counter()
    stop = threading.Event()
    history = _replay_beside(scenario, replays, stop)
    try:
        results = _play_chunks(
            scenario, scenario_text, profiles, chunks, executor, progress, bind, total
        )
        figures = None if history is None else history.result()
    finally:
        stop.set()  # a failed or interrupted run does not wait for the replay
    return Tournament(
        scenario=scenario,
        seed=seed,
        games=games,
        lookahead_games=lookahead_games,
        strategies=tuple(names),
        plan=plan,
        profiles=profiles,
        tallies=_merged(profiles, results),
        replays=replays,
        seconds=time.perf_counter() - began,
        bound=bind,
        history=figures,
    )


def _replay_beside(
    scenario: CompiledScenario, replays: int, stop: threading.Event
) -> Future[HistoryFigures] | None:
    """Start the replay of the real moves that the `history_outcome_share` target is judged
    on, on a thread of its own: the games' compiled rules release the GIL, so the replay's
    seeding and its own compiled games use what the games leave of the processor."""
    targets = scenario.model.balance
    if targets is None or targets.history_outcome_share is None:
        return None
    from game.history.figures import figures
    from game.history.replay import replay, seeds_for

    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    future = side.submit(lambda: figures(replay(scenario, seeds_for(replays), stop=stop)))
    side.shutdown(wait=False)
    return future


def _play_chunks(
    scenario: CompiledScenario,
    scenario_text: str | None,
    profiles: list[Profile],
    chunks: list[Chunk],
    executor: Executor | None,
    progress: Progress | None,
    bind: bool,
    total: int,
) -> dict[tuple[int, int], Tally]:
    results: dict[tuple[int, int], Tally] = {}
    done = 0
    if executor is None:
        engine = Engine(scenario)
        if bind:
            engine.bind_to_structure()
        for chunk in chunks:
            tally = play_chunk(engine, chunk.strategies, chunk.seed, chunk.start, chunk.stop)
            results[chunk.profile, chunk.number] = tally
            done += chunk.games
            if progress is not None:
                progress(done, total)
    else:
        if scenario_text is None:
            raise ValueError("an executor needs the scenario's text to send to its workers")
        if bind and isinstance(executor, ThreadPoolExecutor):
            # Here, once, rather than in every thread at the same moment (a Dask worker,
            # maybe on another machine, binds on its first chunk).
            _engine(scenario_text, scenario.path, bind)
        # The slowest chunks go first, so that no worker is left with one at the end.
        ordered = sorted(chunks, key=lambda c: (not profiles[c.profile].expensive, c.profile))
        futures: dict[Future[tuple[int, int, Tally]], Chunk] = {
            executor.submit(play_remote, scenario_text, scenario.path, chunk, bind): chunk
            for chunk in ordered
        }
        for future in as_completed(futures):
            profile, number, tally = future.result()
            results[profile, number] = tally
            done += futures[future].games
            if progress is not None:
                progress(done, total)
    return results


def _merged(profiles: list[Profile], results: dict[tuple[int, int], Tally]) -> list[Tally]:
    """One tally per profile, in the profiles' order, from its chunks' in chunk order."""
    tallies = []
    by_profile: dict[int, list[int]] = {}
    for index, number in results:
        by_profile.setdefault(index, []).append(number)
    for profile in profiles:
        numbers = sorted(by_profile[profile.index])
        merged = results[profile.index, numbers[0]]
        for number in numbers[1:]:
            merged = merged.merge(results[profile.index, number])
        tallies.append(merged)
    return tallies
