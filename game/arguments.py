"""Argument types shared by every command, so that a seed means the same everywhere."""

from __future__ import annotations

import argparse


def seed(text: str) -> int:
    """A seed: a whole number from 0 to 2**63-1 (hex like 0x2a is fine too)."""
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be a whole number, got '{text}'") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"the seed must be between 0 and 2**63-1, got {value}")
    return value
