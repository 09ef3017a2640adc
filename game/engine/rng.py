"""Per-game random streams that do not depend on the batch.

Each game's numbers are a hash of (root key, game id, turn, channel, draw), where the root key
comes from `numpy.random.SeedSequence(seed)`. So game k draws exactly the same numbers whether it
runs alone or among 100,000 others, on any machine, in any process, and a replay needs nothing
but the seed. A counter-based hash is used instead of one `Generator` per game because it is
vectorized: one call serves the whole batch.
"""

from __future__ import annotations

import functools

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_S32, _S12, _S19, _S29 = np.uint64(32), np.uint64(12), np.uint64(19), np.uint64(29)
_LOW32 = np.uint64(0xFFFFFFFF)
_ONE_BITS = np.uint64(0x3FF0000000000000)  # the bits of 1.0: exponent 0, mantissa 0
_TURN_STRIDE = np.uint64(0x100000001B3)

# Channels keep unrelated uses of randomness apart, so adding a draw to one never shifts another.
CHANNEL_SHOCKS = 1
CHANNEL_EVENTS = 3
CHANNEL_STRATEGY = 100
"""Strategies use CHANNEL_STRATEGY + actor (see game.strategies)."""


def root_key(seed: int) -> np.uint64:
    """The key every stream of a seeded batch derives from."""
    return np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection on 64-bit words with good avalanche."""
    with np.errstate(over="ignore"):  # a numpy scalar warns when its product wraps
        return _mix_words(x)


def _mix_words(x: np.ndarray) -> np.ndarray:
    # Arrays of unsigned integers wrap silently, so the hot path needs no np.errstate.
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def game_streams(key: np.uint64, game_ids: np.ndarray) -> np.ndarray:
    """One 64-bit stream base per game."""
    with np.errstate(over="ignore"):
        return mix(game_ids.astype(np.uint64) * _GOLDEN ^ key)


@functools.lru_cache(maxsize=1024)
def _golden_multiple(k: int) -> np.uint64:
    """k times the golden-ratio constant, modulo 2**64, computed without numpy scalar
    overflow."""
    return np.uint64((k * int(_GOLDEN)) % 2**64)


def _words(
    streams: np.ndarray, turn: np.ndarray, channel: int, columns: range | list[int]
) -> np.ndarray:
    """(B, len(columns)) hashed words, batch-contiguous; word c of a turn and channel does not
    depend on which other words are drawn. Built column by column, which numpy does several
    times faster than one two-dimensional hash."""
    base = streams + turn.astype(np.uint64) * _TURN_STRIDE
    base += _golden_multiple(channel)
    base = _mix_words(base)
    words = np.empty((streams.shape[0], len(columns)), dtype=np.uint64, order="F")
    for at, column in enumerate(columns):
        if column == 0:
            words[:, at] = base
        else:
            np.add(base, _golden_multiple(column), out=words[:, at])
            _remix(words[:, at])
    return words


def _remix(x: np.ndarray) -> None:
    """A lighter finaliser, in place, for words derived from an already well-mixed base word."""
    shifted = x >> _S31
    x ^= shifted
    x *= _M2
    np.right_shift(x, _S29, out=shifted)
    x ^= shifted


def _unit_interval(mantissas: np.ndarray) -> np.ndarray:
    """Numbers m / 2**52 in [0, 1) for integers m < 2**52, in place of the words.

    Written straight into the bits of doubles in [1, 2): numpy has no fast conversion from
    64-bit integers to floats on most CPUs, and this is six times quicker and exact.
    """
    mantissas |= _ONE_BITS
    unit = mantissas.view(np.float64)
    unit -= 1.0
    return unit


def uniforms(
    streams: np.ndarray, turn: np.ndarray, channel: int, count: int | list[int]
) -> np.ndarray:
    """(B, count) uniform numbers in [0, 1) for this turn and channel, with 52 random bits.

    `count` may list the draws wanted instead: `uniforms(..., [3, 5])` is columns 3 and 5 of
    `uniforms(..., 6)`.
    """
    columns = range(count) if isinstance(count, int) else count
    return _unit_interval(_words(streams, turn, channel, columns) >> _S12)


def shocks(streams: np.ndarray, turn: np.ndarray, channel: int, count: int) -> np.ndarray:
    """(B, count) zero-mean, unit-variance shocks.

    Triangular rather than normal: the sum of two uniforms (the two halves of one hash) is
    cheaper than Box-Muller and bounded, so a shock can never be absurdly large.
    """
    words = _words(streams, turn, channel, range(count))
    # The two 32-bit halves h and l, summed as integers: (h + l) / 2**32 is the sum of the two
    # uniforms. Made (h + l) / 2**33, doubled and less one, it is exact until the last product.
    halves = words >> _S32
    words &= _LOW32
    halves += words
    halves <<= _S19
    unit = _unit_interval(halves)
    unit *= 2.0
    unit -= 1.0
    unit *= np.sqrt(6.0)
    return unit
