"""How large an expression's numbers can get, worked out before any game is played.

Every variable an expression reads has a known range (gauges 0-100, turns up to max_turns,
diplomats up to the scenario's total, ...), so interval arithmetic over the expression gives a
bound on every number it computes. An expression that could reach infinity or NaN (`1e308 *
pressure`, or `1e308 * pressure - 1e308 * pressure`) is refused at load time with the part that
grows too large, instead of crashing a game's records or printing NaN as JSON later.

Division is where intervals lose precision: `x / y` is bounded when y keeps away from zero, or
when y only takes whole values (x / 0 is 0 in the language, and otherwise |y| >= 1). Dividing by
a gauge that can come as close to 0 as it likes is unbounded; authors write `x / max(y, 1)`.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from game.scenario.model import MAX_MAGNITUDE, Scenario
from game.scenario.variables import (
    ACTOR_VIEW,
    GLOBAL_VIEW,
    PER_ACTOR_GLOBAL,
    TRAITS,
    outcome_variable,
)

LIMIT = 1e12
"""Largest size any number inside an expression may reach: scores sum at most 16 objectives,
each weighted at most 1,000 and added up over at most 1,000 turns, which stays far from
float64's limits."""


@dataclass(frozen=True)
class Interval:
    """The values a sub-expression can take, and whether they are all whole numbers."""

    low: float
    high: float
    whole: bool = False

    @property
    def size(self) -> float:
        return max(abs(self.low), abs(self.high))

    def contains_zero(self) -> bool:
        return self.low <= 0 <= self.high


UNIT = Interval(0, 1)
FLAG = Interval(0, 1, whole=True)
GAUGE = Interval(0, 100)
UNKNOWN = Interval(-MAX_MAGNITUDE, MAX_MAGNITUDE)
"""For a variable this module has not been told about: the engine keeps values this size."""


class Unbounded(Exception):
    """A part of an expression that can grow past LIMIT; `offset` is where it starts."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


def variable_ranges(scenario: Scenario) -> dict[str, Interval]:
    """The range of every variable any expression of this scenario may read, in both views."""
    meta = scenario.metadata
    n = len(scenario.actors)
    # A grievance grows by at most the highest severity (10) per turn and per opening move, from
    # each other actor, and decay only ever shrinks it.
    grievance = Interval(0, 10.0 * (meta.max_turns + 1 + len(scenario.opening)) * max(n - 1, 1))

    def stock_total(stock: str) -> int:
        total = 0
        for actor in scenario.actors:
            spec = getattr(actor.start, stock)
            total += spec * (n - 1) if isinstance(spec, int) else sum(spec.values())
        return total

    total = stock_total("diplomats")
    diplomats = Interval(0, total, whole=True)
    turn = Interval(0, meta.max_turns + 1, whole=True)
    per_actor = {
        "pressure": GAUGE,
        "credibility": GAUGE,
        "standing": GAUGE,
        "tension": GAUGE,
        "grievance": grievance,
        "diplomats": diplomats,
        "hosted": diplomats,
        "retaliated": FLAG,
        "restrained": FLAG,
        "waited": FLAG,
        **{trait: UNIT for trait in TRAITS},
    }
    actor_view = {
        **per_actor,
        "turn": turn,
        "relations": GAUGE,
        "diplomats_kept": UNIT,
        "other_grievance": grievance,
        "other_diplomats": Interval(0, total),
        **{f"other_{g}": GAUGE for g in ("pressure", "credibility", "standing")},
        **{f"other_{k}": UNIT for k in ("retaliated", "restrained", "waited")},
        **{outcome_variable(o.id): FLAG for o in scenario.outcomes},
    }
    ranges = {name: UNKNOWN for name in ACTOR_VIEW} | actor_view
    ranges |= {
        "turn": turn,
        "mean_tension": GAUGE,
        **{f"event_{e.id}": turn for e in scenario.events},
    }
    for actor in scenario.actors:
        for var in PER_ACTOR_GLOBAL:
            ranges[f"{actor.id}_{var}"] = per_actor.get(var, UNKNOWN)
        for other in scenario.actors:
            if other.id != actor.id:
                pair = f"{actor.id}_{other.id}"
                ranges[f"tension_{pair}"] = GAUGE
                ranges[f"resting_tension_{pair}"] = GAUGE
                ranges[f"grievance_{pair}"] = grievance
                for stock in ("diplomats", "staff", "consulates", "properties"):
                    ranges[f"{stock}_{pair}"] = Interval(0, stock_total(stock), whole=True)
    for name in GLOBAL_VIEW:
        ranges.setdefault(name, UNKNOWN)
    return ranges


def check_bounded(source: str, ranges: Mapping[str, Interval]) -> Interval:
    """The range of an expression that already compiled; raises Unbounded past LIMIT.

    Offsets count characters of `source` the way the expression compiler counts them.
    """
    one_line = source.replace("\r", " ").replace("\n", " ")
    text = one_line.lstrip()
    shift = len(one_line) - len(text)
    encoded = text.encode("utf-8", "surrogatepass")

    def offset(node: ast.AST) -> int:
        prefix = encoded[: getattr(node, "col_offset", 0)]
        return shift + len(prefix.decode("utf-8", "ignore"))

    tree = ast.parse(text, mode="eval")
    return _Bounds(ranges, offset).of(tree.body)


class _Bounds:
    """Interval arithmetic over the syntax tree, checking every node against LIMIT."""

    def __init__(self, ranges: Mapping[str, Interval], offset: Callable[[ast.AST], int]) -> None:
        self.ranges, self.offset = ranges, offset

    def of(self, node: ast.AST) -> Interval:
        interval = self._of(node)
        if not interval.size <= LIMIT:  # also catches NaN
            reach = "any size" if math.isinf(interval.size) else f"about {interval.size:.0e}"
            raise Unbounded(
                f"this part can reach {reach}, more than the limit of {LIMIT:.0e}; "
                "use smaller numbers",
                self.offset(node),
            )
        return interval

    def _of(self, node: ast.AST) -> Interval:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                return FLAG
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            return Interval(number, number, whole=number.is_integer())
        if isinstance(node, ast.Name):
            return self.ranges.get(node.id, UNKNOWN)
        if isinstance(node, ast.UnaryOp):
            inner = self.of(node.operand)
            if isinstance(node.op, ast.USub):
                return Interval(-inner.high, -inner.low, inner.whole)
            return FLAG if isinstance(node.op, ast.Not) else inner
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.BoolOp | ast.Compare):
            children = (
                node.values if isinstance(node, ast.BoolOp) else [node.left, *node.comparators]
            )
            for child in children:
                self.of(child)
            return FLAG
        if isinstance(node, ast.IfExp):
            self.of(node.test)
            return _hull(self.of(node.body), self.of(node.orelse))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, [self.of(arg) for arg in node.args])
        return UNKNOWN  # not in today's language; the compiler has refused it already

    def _binary(self, node: ast.BinOp) -> Interval:
        a, b = self.of(node.left), self.of(node.right)
        whole = a.whole and b.whole
        if isinstance(node.op, ast.Add):
            return Interval(a.low + b.low, a.high + b.high, whole)
        if isinstance(node.op, ast.Sub):
            return Interval(a.low - b.high, a.high - b.low, whole)
        if isinstance(node.op, ast.Mult):
            return _span([x * y for x in (a.low, a.high) for y in (b.low, b.high)], whole)
        if not isinstance(node.op, ast.Div):
            return UNKNOWN
        if a.size == 0:
            return Interval(0, 0, whole=True)
        if b.low > 0 or b.high < 0:
            return _span([x / y for x in (a.low, a.high) for y in (b.low, b.high)])
        if b.whole:  # x / 0 is 0; any other whole divisor is at least 1 in size
            return Interval(-a.size, a.size)
        raise Unbounded(
            "dividing by this can give any size of number, because it can come as close to 0 "
            "as it likes (x / 0 is 0, but x / 0.000001 is huge); divide by max(..., 1) instead",
            self.offset(node.right),
        )

    @staticmethod
    def _call(name: str, args: list[Interval]) -> Interval:
        whole = all(arg.whole for arg in args)
        if name == "abs" and len(args) == 1:
            (a,) = args
            low = 0.0 if a.contains_zero() else min(abs(a.low), abs(a.high))
            return Interval(low, a.size, a.whole)
        if name == "min" and args:
            return Interval(min(a.low for a in args), min(a.high for a in args), whole)
        if name == "max" and args:
            return Interval(max(a.low for a in args), max(a.high for a in args), whole)
        if name == "clip" and len(args) == 3:
            x, low, high = args  # numpy's clip: min(max(x, low), high)
            floor = Interval(max(x.low, low.low), max(x.high, low.high))
            return Interval(min(floor.low, high.low), min(floor.high, high.high), whole)
        return UNKNOWN


def _hull(a: Interval, b: Interval) -> Interval:
    return Interval(min(a.low, b.low), max(a.high, b.high), a.whole and b.whole)


def _span(values: list[float], whole: bool = False) -> Interval:
    if any(math.isnan(v) for v in values):  # inf * 0: cannot happen below LIMIT, but be safe
        return Interval(-math.inf, math.inf)
    return Interval(min(values), max(values), whole)
