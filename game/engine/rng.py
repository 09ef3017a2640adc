"""Per-game random streams that do not depend on the batch.

Each game's numbers are a hash of (root key, game id, turn, channel, draw), where the root key
comes from `numpy.random.SeedSequence(seed)`. So game k draws exactly the same numbers whether it
runs alone or among 100,000 others, on any machine, in any process, on any thread, and a replay
needs nothing but the seed. A counter-based hash suits the compiled per-game rules: a draw is a
pure function of where it is used, with no generator state to carry between games or threads.
"""

from __future__ import annotations

import numpy as np

from game.engine.jit import inline, kernel

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_S32, _S12, _S29 = np.uint64(32), np.uint64(12), np.uint64(29)
_LOW32 = np.uint64(0xFFFFFFFF)
_TURN_STRIDE = np.uint64(0x100000001B3)
_SPREAD = np.uint64(0x100000001B3)
_S40 = np.uint64(40)
_TWO_TO_MINUS_52 = 2.0**-52
_TWO_TO_MINUS_33 = 2.0**-33
_SQRT6 = float(np.sqrt(6.0))

# Channels keep unrelated uses of randomness apart, so adding a draw to one never shifts another.
CHANNEL_SHOCKS = 1
CHANNEL_EVENTS = 3
CHANNEL_HEADLINES = 4
"""Which of a variant's headlines the news prints: column = actor."""
CHANNEL_STRATEGY = 100
"""Strategies use CHANNEL_STRATEGY + actor."""


def root_key(seed: int) -> np.uint64:
    """The key every stream of a seeded batch derives from."""
    return np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]


@inline
def mix(x: np.uint64) -> np.uint64:
    """SplitMix64's finaliser: a bijection on 64-bit words with good avalanche."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@inline
def stream_of(key: np.uint64, game_id: np.uint64) -> np.uint64:
    """A game's 64-bit stream base."""
    return mix((game_id * _GOLDEN) ^ key)


@inline
def branch_id(game_id: np.uint64, turn: int, copy: int) -> np.uint64:
    """The id of copy `copy` of a game at a turn, for lookahead and forecast rollouts: copies
    must differ from each other and from the game, and be reproducible from the seed."""
    return mix((game_id * _SPREAD) ^ (np.uint64(turn) << _S40) ^ np.uint64(copy))


@inline
def _base(stream: np.uint64, turn: int, channel: int) -> np.uint64:
    return mix(stream + np.uint64(turn) * _TURN_STRIDE + np.uint64(channel) * _GOLDEN)


@inline
def _word(base: np.uint64, column: int) -> np.uint64:
    """Word `column` of a turn and channel: column 0 is the base, the others a lighter remix
    of it, since the base is already well mixed."""
    if column == 0:
        return base
    x = base + np.uint64(column) * _GOLDEN
    x ^= x >> _S31
    x *= _M2
    x ^= x >> _S29
    return x


@inline
def uniform(stream: np.uint64, turn: int, channel: int, column: int) -> float:
    """A number in [0, 1) with 52 random bits; exact, as m / 2**52 for a 52-bit m."""
    return np.float64(_word(_base(stream, turn, channel), column) >> _S12) * _TWO_TO_MINUS_52


@inline
def shock(stream: np.uint64, turn: int, channel: int, column: int) -> float:
    """A zero-mean, unit-variance shock.

    Triangular rather than normal: the sum of two uniforms (the two 32-bit halves of one hash)
    is cheaper than Box-Muller and bounded, so a shock can never be absurdly large.
    """
    word = _word(_base(stream, turn, channel), column)
    halves = (word >> _S32) + (word & _LOW32)
    unit = np.float64(halves) * _TWO_TO_MINUS_33
    return (unit * 2.0 - 1.0) * _SQRT6


@kernel
def _streams_of(key: np.uint64, game_ids: np.ndarray, out: np.ndarray) -> None:
    for g in range(game_ids.shape[0]):
        out[g] = stream_of(key, game_ids[g])


def game_streams(key: np.uint64, game_ids: np.ndarray) -> np.ndarray:
    """One 64-bit stream base per game."""
    ids = np.ascontiguousarray(game_ids, dtype=np.uint64)
    out = np.empty(ids.shape[0], dtype=np.uint64)
    _streams_of(np.uint64(key), ids, out)
    return out


@kernel
def _branch_ids_of(game_id: np.uint64, turn: int, out: np.ndarray) -> None:
    for copy in range(out.shape[0]):
        out[copy] = branch_id(game_id, turn, copy)


def branch_ids(game_id: np.uint64, turn: int, copies: int) -> np.ndarray:
    """The ids of copies 0..copies-1 of a game at a turn (see `branch_id`)."""
    out = np.empty(copies, dtype=np.uint64)
    _branch_ids_of(np.uint64(game_id), turn, out)
    return out


@kernel
def _uniforms_of(
    streams: np.ndarray, turns: np.ndarray, channel: int, columns: np.ndarray, out: np.ndarray
) -> None:
    for g in range(streams.shape[0]):
        for at in range(columns.shape[0]):
            out[g, at] = uniform(streams[g], turns[g], channel, columns[at])


def uniforms(
    streams: np.ndarray, turn: np.ndarray, channel: int, count: int | list[int]
) -> np.ndarray:
    """(B, count) uniform numbers in [0, 1) for this turn and channel, with 52 random bits.

    `count` may list the draws wanted instead: `uniforms(..., [3, 5])` is columns 3 and 5 of
    `uniforms(..., 6)`.
    """
    columns = np.arange(count) if isinstance(count, int) else np.asarray(count, dtype=np.int64)
    streams = np.ascontiguousarray(streams, dtype=np.uint64)
    out = np.empty((streams.shape[0], len(columns)))
    turns = np.ascontiguousarray(np.broadcast_to(turn, streams.shape), dtype=np.int64)
    _uniforms_of(streams, turns, channel, columns.astype(np.int64), out)
    return out


@kernel
def _words_of(streams: np.ndarray, turns: np.ndarray, channel: int, out: np.ndarray) -> None:
    for g in range(streams.shape[0]):
        base = _base(streams[g], turns[g], channel)
        for column in range(out.shape[1]):
            out[g, column] = _word(base, column)


def words(streams: np.ndarray, turn: np.ndarray, channel: int, count: int) -> np.ndarray:
    """(B, count) the hashed 64-bit words that `uniform` and `shock` are made from."""
    streams = np.ascontiguousarray(streams, dtype=np.uint64)
    out = np.empty((streams.shape[0], count), dtype=np.uint64)
    turns = np.ascontiguousarray(np.broadcast_to(turn, streams.shape), dtype=np.int64)
    _words_of(streams, turns, channel, out)
    return out


@kernel
def _shocks_of(streams: np.ndarray, turns: np.ndarray, channel: int, out: np.ndarray) -> None:
    for g in range(streams.shape[0]):
        for column in range(out.shape[1]):
            out[g, column] = shock(streams[g], turns[g], channel, column)


def shocks(streams: np.ndarray, turn: np.ndarray, channel: int, count: int) -> np.ndarray:
    """(B, count) zero-mean, unit-variance shocks (see `shock`)."""
    streams = np.ascontiguousarray(streams, dtype=np.uint64)
    out = np.empty((streams.shape[0], count))
    turns = np.ascontiguousarray(np.broadcast_to(turn, streams.shape), dtype=np.int64)
    _shocks_of(streams, turns, channel, out)
    return out
