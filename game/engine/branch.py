"""Copies of games for looking ahead: each copy gets its own random stream.

The lookahead AI and the UI's forecast both branch a game into many hypothetical futures. The
copies must not share the real game's stream (or the AI would foresee the real shocks), must
differ from each other, and must still be reproducible from the seed: so each copy's stream is a
hash of (game, turn, copy) under a key salted by the purpose.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.state import State

_SPREAD = np.uint64(0x100000001B3)
_TURN_SHIFT = np.uint64(40)


def branch(state: State, sources: np.ndarray, copies: np.ndarray, salt: int) -> State:
    """Games `sources` of `state`, where copy number `copies[k]` of game `sources[k]` gets a
    stream of its own; `salt` keeps different purposes apart."""
    roots = state.take(sources)
    key = state.key ^ np.uint64(salt)
    with np.errstate(over="ignore"):
        ids = rng.mix(
            roots.game_ids * _SPREAD
            ^ (roots.turn.astype(np.uint64) << _TURN_SHIFT)
            ^ copies.astype(np.uint64)
        )
    return roots.replace(key=key, game_ids=ids, streams=rng.game_streams(key, ids))
