"""The per-game random streams: values in range, draws that do not depend on each other or on
the batch, and shocks with the promised shape."""

from __future__ import annotations

import numpy as np

from game.engine import rng

GAMES = 200_000


def streams(seed: int = 3, games: int = GAMES) -> np.ndarray:
    return rng.game_streams(rng.root_key(seed), np.arange(games, dtype=np.uint64))


def test_a_draw_does_not_depend_on_which_other_draws_are_made() -> None:
    s, turn = streams(games=1000), np.full(1000, 4, dtype=np.int32)
    six = rng.uniforms(s, turn, rng.CHANNEL_EVENTS, 6)
    picked = rng.uniforms(s, turn, rng.CHANNEL_EVENTS, [5, 0, 3])
    assert np.array_equal(picked, six[:, [5, 0, 3]])


def test_a_game_draws_the_same_numbers_alone_or_in_a_batch() -> None:
    key = rng.root_key(11)
    ids = np.array([0, 7, 123_456, 2**40], dtype=np.uint64)
    together = rng.uniforms(rng.game_streams(key, ids), np.full(4, 2), rng.CHANNEL_SHOCKS, 3)
    for k, game in enumerate(ids):
        alone = rng.uniforms(rng.game_streams(key, game[None]), np.full(1, 2), 1, 3)
        assert np.array_equal(alone[0], together[k])


def test_uniforms_fill_the_unit_interval_evenly_and_apart() -> None:
    s, turn = streams(), np.full(GAMES, 9, dtype=np.int32)
    u = rng.uniforms(s, turn, rng.CHANNEL_STRATEGY, 2)
    assert u.min() >= 0.0 and u.max() < 1.0
    counts = np.histogram(u[:, 0], bins=20, range=(0.0, 1.0))[0]
    # Each bin expects 10,000 with a standard deviation near 97.
    assert np.abs(counts - GAMES / 20).max() < 500, counts
    assert abs(np.corrcoef(u[:, 0], u[:, 1])[0, 1]) < 0.01
    other_turn = rng.uniforms(s, turn + 1, rng.CHANNEL_STRATEGY, 1)
    other_channel = rng.uniforms(s, turn, rng.CHANNEL_STRATEGY + 1, 1)
    assert abs(np.corrcoef(u[:, 0], other_turn[:, 0])[0, 1]) < 0.01
    assert abs(np.corrcoef(u[:, 0], other_channel[:, 0])[0, 1]) < 0.01


def test_shocks_are_the_centred_sum_of_the_two_halves_of_a_hash() -> None:
    s, turn = streams(), np.full(GAMES, 5, dtype=np.int32)
    shocks = rng.shocks(s, turn, rng.CHANNEL_SHOCKS, 3)
    words = rng.words(s, turn, rng.CHANNEL_SHOCKS, 3)
    high = (words >> np.uint64(32)).astype(np.float64) / 2.0**32
    low = (words & np.uint64(0xFFFFFFFF)).astype(np.float64) / 2.0**32
    assert np.array_equal(shocks, (high + low - 1.0) * np.sqrt(6.0))
    assert np.abs(shocks).max() <= np.sqrt(6.0)
    assert np.abs(shocks.mean(axis=0)).max() < 0.01
    assert np.abs(shocks.var(axis=0) - 1.0).max() < 0.02
