"""The engine plays every shipped scenario exactly as the fingerprint says, bit for bit.

The fingerprint (tests/data/engine_fingerprint.json) was first taken from the vectorized numpy
engine before the rules were rewritten as compiled per-game code; it covers every shipped scenario
with every pair of strategies (the lookahead included), two seeds, turn by turn and whole games,
and a three-actor scenario. A meant change of the rules regenerates it (see tests/fingerprint.py);
it was last regenerated for Model 2 (targeted acts, stocks, resting tension, the rewritten 2016
scenario).
"""

from __future__ import annotations

import json

import pytest
from fingerprint import FINGERPRINT_FILE, TWO_ACTOR_SCENARIOS, compute


@pytest.mark.parametrize("scenario", [*TWO_ACTOR_SCENARIOS, "three_actors"])
def test_every_case_plays_as_fingerprinted(scenario: str) -> None:
    expected = {
        key: value
        for key, value in json.loads(FINGERPRINT_FILE.read_text()).items()
        if key.startswith(f"{scenario}|")
    }
    actual = compute(f"{scenario}|")
    assert expected, f"no fingerprint for {scenario}"
    assert actual.keys() == expected.keys()
    differing = sorted(key for key in expected if actual[key] != expected[key])
    assert not differing, f"{len(differing)} cases play differently, e.g. {differing[:3]}"
