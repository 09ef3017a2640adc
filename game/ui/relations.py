"""Each pair of sides as the screens show it: its tension, where it rests, what each side holds
against the other and the missions each keeps in the other's country.

Everything is read from a turn record's values (`records.snapshot`), so the crisis room and the
replay viewer show the same numbers the engine reported; nothing here is a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.engine.records import TurnRecord
from game.scenario.compiled import STOCKS, CompiledScenario

STOCK_WORDS = {
    "diplomats": "diplomats",
    "staff": "local staff",
    "consulates": "consulates",
    "properties": "properties",
}


@dataclass(frozen=True)
class Pair:
    """Two sides, `a` before `b` in the scenario's order, as the record keys them ("a/b")."""

    a: int
    b: int
    key: str
    tension: float
    resting: float
    change: float

    def has(self, actor: int) -> bool:
        return actor in (self.a, self.b)


@dataclass(frozen=True)
class Relation:
    """The player and one other side."""

    other: int
    pair: Pair
    mine: float
    """The player's grievance against the other side."""
    theirs: float
    """The other side's grievance against the player."""
    missions: tuple[tuple[str, int, int], ...]
    """(stock, the player's in the other's country, the other's in the player's), for the
    stocks the scenario gives this pair."""


SINGULAR = {"diplomats": "diplomat", "consulates": "consulate", "properties": "property"}


def felt_by(scenario: CompiledScenario, by_pair: Mapping[str, float], viewer: int) -> float:
    """A per-pair figure ("a/b" keys) as one side feels it: the mean over the pairs that
    include it, which is the tension (or its change) a side's screens show."""
    me = scenario.actor_ids[viewer]
    values = [v for pair, v in by_pair.items() if me in pair.split("/")]
    return sum(values) / len(values) if values else 0.0


def parts_felt_by(
    scenario: CompiledScenario, by_pair: Mapping[str, Mapping[str, float]], viewer: int
) -> dict[str, float]:
    """The parts of a per-pair change (the engine's causes) as one side feels them: each part's
    mean over the pairs that include it, so that they add up to `felt_by` of the change."""
    me = scenario.actor_ids[viewer]
    pairs = [parts for pair, parts in by_pair.items() if me in pair.split("/")]
    total: dict[str, float] = {}
    for parts in pairs:
        for name, amount in parts.items():
            total[name] = total.get(name, 0.0) + amount / len(pairs)
    return total


def counted(stock: str, number: int) -> str:
    """ "1 consulate", "4 consulates", "12 local staff"."""
    word = SINGULAR.get(stock, STOCK_WORDS[stock]) if number == 1 else STOCK_WORDS[stock]
    return f"{number} {word}"


def pair_key(scenario: CompiledScenario, i: int, j: int) -> str:
    """The record's key for a pair, in either order: "rus/usa"."""
    a, b = sorted((i, j))
    return f"{scenario.actor_ids[a]}/{scenario.actor_ids[b]}"


def pairs_of(scenario: CompiledScenario, record: TurnRecord) -> list[Pair]:
    """Every pair, in the scenario's order."""
    n = scenario.n_actors
    found = []
    for a in range(n):
        for b in range(a + 1, n):
            key = pair_key(scenario, a, b)
            found.append(
                Pair(
                    a,
                    b,
                    key,
                    float(record.values["tension"][key]),
                    float(record.values["resting_tension"][key]),
                    float(record.changes.get("tension", {}).get(key, 0.0)),
                )
            )
    return found


def used_stocks(scenario: CompiledScenario, i: int, j: int) -> tuple[str, ...]:
    """The stocks a pair of sides keep in each other's countries at the start."""
    return tuple(
        stock
        for s, stock in enumerate(STOCKS)
        if scenario.stocks0[s, i, j] > 0 or scenario.stocks0[s, j, i] > 0
    )


def relations(scenario: CompiledScenario, record: TurnRecord, player: int) -> list[Relation]:
    """The player's pair with each other side, in the scenario's order."""
    ids = scenario.actor_ids
    pairs = {(p.a, p.b): p for p in pairs_of(scenario, record)}
    found = []
    for other in range(scenario.n_actors):
        if other == player:
            continue
        out = record.values["pairs"][f"{ids[player]}/{ids[other]}"]
        back = record.values["pairs"][f"{ids[other]}/{ids[player]}"]
        missions = tuple(
            (stock, int(out[stock]), int(back[stock]))
            for stock in used_stocks(scenario, player, other)
        )
        found.append(
            Relation(
                other,
                pairs[tuple(sorted((player, other)))],
                float(out["grievance"]),
                float(back["grievance"]),
                missions,
            )
        )
    return found


def missions_text(relation: Relation) -> str:
    """ "diplomats 19 / 24 · local staff 0 / 12": the player's / the other side's."""
    return " · ".join(
        f"{STOCK_WORDS[stock]} {mine} / {theirs}" for stock, mine, theirs in relation.missions
    )


def relation_tip(scenario: CompiledScenario, relation: Relation, player: int) -> str:
    """A pair in full, for its tooltip."""
    me, them = scenario.actor_name(player), scenario.actor_name(relation.other)
    pair = relation.pair
    lines = [
        f"{me} and {them}: tension {pair.tension:.1f} ({scenario.band_of(pair.tension)}), "
        f"{pair.change:+.1f} this turn; it settles toward {pair.resting:.1f} once the exchange "
        "is over.",
        f"Grievance: {me} holds {relation.mine:.1f} against {them}, {them} holds "
        f"{relation.theirs:.1f} against {me}.",
    ]
    if relation.missions:
        lines.append(
            f"Missions of {me} in {them}: "
            + ", ".join(counted(stock, mine) for stock, mine, _ in relation.missions)
            + f". Of {them} in {me}: "
            + ", ".join(counted(stock, theirs) for stock, _, theirs in relation.missions)
            + "."
        )
    return "\n".join(lines)
