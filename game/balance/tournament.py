"""Play every strategy profile N times and keep the tallies: the balance lab's data.

A profile is one strategy per actor. Its games are numbered 0..N-1 and started from a seed
derived from (run seed, the profile's strategy names), and a chunk of them is identified by its
game numbers; so a result never depends on which worker, process or machine played a chunk, on
how many there were, or on which other profiles were in the run. Chunks are cut the same way
whatever the executor, and each profile's tallies are merged in chunk order.

Lookahead profiles cost two to three orders of magnitude more per game (every decision plays
rollouts), so they play at most `lookahead_games` games; each such profile carries a note. By
default that is enough games for about LOOKAHEAD_TURNS turns at the scenario's turn limit (100
games of a 20-turn scenario, 10 of a 200-turn one), never fewer than MIN_LOOKAHEAD_GAMES.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from game.balance.defaults import DEFAULT_GAMES, LOOKAHEAD_TURNS, MIN_LOOKAHEAD_GAMES
from game.balance.tally import Tally, play_chunk
from game.engine.engine import Engine
from game.scenario.compiled import CompiledScenario
from game.strategies.lookahead import Lookahead
from game.strategies.registry import STRATEGY_NAMES, UnknownStrategy, make_strategy

CHUNK = 16_384
"""Most games one engine batch plays: bounds memory and keeps arrays cache-friendly."""
LOOKAHEAD_CHUNK = 128
"""Most games per batch in lookahead profiles, whose rollouts multiply the batch ~200-fold."""


def default_lookahead_games(scenario: CompiledScenario) -> int:
    """Games per lookahead profile unless told: about LOOKAHEAD_TURNS turns' worth."""
    return max(MIN_LOOKAHEAD_GAMES, LOOKAHEAD_TURNS // scenario.max_turns)


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
    scenario: CompiledScenario,
    strategies: Sequence[str],
    games: int,
    seed: int,
    lookahead_games: int | None = None,
) -> list[Profile]:
    """Every combination of one strategy per actor, in actor-major order."""
    if lookahead_games is None:
        lookahead_games = default_lookahead_games(scenario)
    profiles = []
    combos = itertools.product(strategies, repeat=scenario.n_actors)
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
def _engine(scenario_text: str, file: str) -> Engine:
    from game.scenario.load import load_scenario_text

    return Engine(load_scenario_text(scenario_text, file))


def play_remote(scenario_text: str, file: str, chunk: Chunk) -> tuple[int, int, Tally]:
    """Run one chunk in a worker, which compiles the scenario once from its text."""
    engine = _engine(scenario_text, file)
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
    profiles: list[Profile]
    tallies: list[Tally]
    seconds: float = 0.0
    workers: str = "1 thread"


Progress = Callable[[int, int], None]
"""Called with (games done, games in all) as chunks finish."""


def run_tournament(
    scenario: CompiledScenario,
    scenario_text: str | None = None,
    *,
    games: int = DEFAULT_GAMES,
    seed: int = 1,
    strategies: Sequence[str] | None = None,
    lookahead_games: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Tournament:
    """Play every profile; with an executor, chunks run there (the scenario goes as text).

    Raises BadStrategy for an unknown strategy and ValueError for a non-positive game count.
    """
    if lookahead_games is None:
        lookahead_games = default_lookahead_games(scenario)
    if games < 1 or lookahead_games < 1:
        raise ValueError("the number of games must be at least 1")
    names = strategy_set(scenario, strategies)
    profiles = make_profiles(scenario, names, games, seed, lookahead_games)
    chunks = make_chunks(profiles)
    total = sum(c.games for c in chunks)
    began = time.perf_counter()
    results: dict[tuple[int, int], Tally] = {}
    done = 0
    if executor is None:
        engine = Engine(scenario)
        for chunk in chunks:
            tally = play_chunk(engine, chunk.strategies, chunk.seed, chunk.start, chunk.stop)
            results[chunk.profile, chunk.number] = tally
            done += chunk.games
            if progress is not None:
                progress(done, total)
    else:
        if scenario_text is None:
            raise ValueError("an executor needs the scenario's text to send to its workers")
        # The slowest chunks go first, so that no worker is left with one at the end.
        ordered = sorted(chunks, key=lambda c: (not profiles[c.profile].expensive, c.profile))
        futures: dict[Future[tuple[int, int, Tally]], Chunk] = {
            executor.submit(play_remote, scenario_text, scenario.path, chunk): chunk
            for chunk in ordered
        }
        for future in as_completed(futures):
            profile, number, tally = future.result()
            results[profile, number] = tally
            done += futures[future].games
            if progress is not None:
                progress(done, total)
    tallies = []
    for profile in profiles:
        keys = sorted(key for key in results if key[0] == profile.index)
        merged = results[keys[0]]
        for key in keys[1:]:
            merged = merged.merge(results[key])
        tallies.append(merged)
    return Tournament(
        scenario=scenario,
        seed=seed,
        games=games,
        lookahead_games=lookahead_games,
        strategies=tuple(names),
        profiles=profiles,
        tallies=tallies,
        seconds=time.perf_counter() - began,
    )
