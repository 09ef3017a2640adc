""" "Did you mean ...?" for a misspelt name, at a bounded cost.

difflib's matcher costs the product of the two lengths for every known name, and a hostile file
can misspell thousands of names, each hundreds of characters long. Only names of a plausible
length are compared, and only with known names whose length alone does not already rule them
out, so one suggestion costs little and the loader's cap on problems bounds how many are made.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

MAX_NAME = 64
"""Longer names get no suggestion: nobody misspells a 65-character variable by a letter."""


def close_match(name: str, known: Collection[str], cutoff: float = 0.6) -> str | None:
    """The known name most like `name` (difflib's ratio at least `cutoff`), or None."""
    if len(name) > MAX_NAME:
        return None
    size = len(name)
    # difflib's ratio is at most 2 * min(a, b) / (a + b) for lengths a and b.
    candidates = [
        other
        for other in known
        if len(other) <= MAX_NAME and 2 * min(size, len(other)) >= cutoff * (size + len(other))
    ]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None
