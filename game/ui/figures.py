"""How a signed figure reads on screen.

A change that rounds to nothing reads "+0", never "-0": a minus sign on a zero tells a player
something fell when, at the precision shown, nothing did.
"""

from __future__ import annotations


def signed(value: float, digits: int = 1) -> str:
    """`value` with its sign, to `digits` decimals, without a negative zero."""
    shown = round(float(value), digits) + 0.0  # adding 0.0 turns -0.0 into 0.0
    return f"{shown:+.{digits}f}"
