"""The real moves replay as they did before the replay moved into the compiled rules.

The digests below were taken from the replay as it was written in Python (turn by turn through
`Engine.step`) before `game.engine.real_moves` played it inside one compiled call per game; the
compiled replay reproduced them bit for bit. They cover every scenario that lists real moves,
held moves and picked targets included, over 5,000 seeds. A meant change of a scenario or of
the rules changes a digest: the failure prints the new ones to paste here.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from helpers import ROOT

from game.history.replay import replay, seeds_for
from game.scenario.load import load_scenario

SEEDS = 5000
DIGESTS = {
    "scenarios/expulsion_2016.yaml": "43d84ef15e297ff1",
    "scenarios/expulsions_1986.yaml": "a486717fa86c0e41",
    "scenarios/skripal_2018.yaml": "90d561edc34f220e",
    "scenarios/tutorial.yaml": "8e2068c5b203c55e",
    "tests/data/history.yaml": "e703be544ff8db11",
}


def _digest(path: str) -> str:
    played = replay(load_scenario(ROOT / path), seeds_for(SEEDS))
    digest = hashlib.sha256()
    for array in (played.outcome, played.turns, played.scores, played.fired, played.played):
        digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(str(array.dtype).encode())
        digest.update(str(array.shape).encode())
    return digest.hexdigest()[:16]


@pytest.mark.parametrize("path", sorted(DIGESTS))
def test_the_real_moves_replay_as_fingerprinted(path: str) -> None:
    actual = _digest(path)
    assert actual == DIGESTS[path], f'"{path}": "{actual}",'
