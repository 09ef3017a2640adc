"""A scenario's conditions in words, for players: `tension >= 88 and diplomats_rus_usa <= 400`
reads "tension at or above 88 and Russia's diplomats in the United States at or below 400".

Scenario-wide names (the ones endings and events read) are put in words from the actors' names;
anything the wording does not know, such as a call to `min`, is quoted as the author wrote it,
so a condition is never shown wrong, only less smoothly. The source was checked against the
language's whitelist when the scenario loaded; it is parsed again here with `ast`, never run.
"""

from __future__ import annotations

import ast
import functools

from game.scenario.compiled import CompiledScenario
from game.scenario.variables import PAIR_VIEW, PER_ACTOR_GLOBAL

COMPARISON_WORDS: dict[str, str] = {
    ">=": "at or above",
    ">": "above",
    "<=": "at or below",
    "<": "below",
    "==": "at",
    "!=": "not at",
}
"""How a comparison of a figure with a number reads ("tension at or above 85")."""
_SYMBOLS: dict[type[ast.cmpop], str] = {
    ast.GtE: ">=",
    ast.Gt: ">",
    ast.LtE: "<=",
    ast.Lt: "<",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "plus",
    ast.Sub: "minus",
    ast.Mult: "times",
    ast.Div: "divided by",
}
_GLOBAL_NAMES = {
    "turn": "the turn",
    "tension": "tension",
    "mean_tension": "the mean tension",
}
_PAIR_WORDS = {
    "tension": "tension between {a} and {b}",
    "resting_tension": "resting tension between {a} and {b}",
    "grievance": "{a_s} grievance against {b}",
    "diplomats": "{a_s} diplomats in {b_capital}",
    "staff": "{a_s} local staff in {b_capital}",
    "consulates": "{a_s} consulates in {b_capital}",
    "properties": "{a_s} properties in {b_capital}",
}
"""A pair's stocks are placed by the host's capital: "in Washington" needs no article."""
_TURN_WORDS: dict[type[ast.cmpop], str] = {
    ast.GtE: "from turn {k}",
    ast.Gt: "after turn {k}",
    ast.LtE: "up to turn {k}",
    ast.Lt: "before turn {k}",
    ast.Eq: "on turn {k}",
    ast.NotEq: "on any turn but {k}",
}
_KINDS = {"retaliated": "retaliate", "restrained": "restrain", "waited": "wait"}
_ACTOR_WORDS = {
    "pressure": "domestic pressure",
    "grievance": "grievance",
    "diplomats": "diplomats abroad",
    "hosted": "foreign diplomats hosted",
    "tension": "highest tension",
}


def possessive(name: str) -> str:
    """ "Russia's", "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


class _Words:
    """Names and nodes of one scenario's scenario-wide expressions in words."""

    def __init__(self, scenario: CompiledScenario) -> None:
        ids = scenario.actor_ids
        names = {actor_id: scenario.actor_name(i) for i, actor_id in enumerate(ids)}
        capitals = {actor.id: actor.capital for actor in scenario.model.actors}
        self.names = dict(_GLOBAL_NAMES)
        self.kinds: dict[str, tuple[str, str]] = {}
        for a, a_name in names.items():
            for variable in PER_ACTOR_GLOBAL:
                word = _ACTOR_WORDS.get(variable, PER_ACTOR_GLOBAL[variable])
                self.names[f"{a}_{variable}"] = f"{possessive(a_name)} {word}"
            for past, verb in _KINDS.items():
                self.kinds[f"{a}_{past}"] = (f"{a_name} {past}", f"{a_name} did not {verb}")
                self.names[f"{a}_{past}"] = f"{a_name} {past}"
            for b, b_name in names.items():
                if a == b:
                    continue
                for variable in PAIR_VIEW:
                    words = _PAIR_WORDS[variable]
                    self.names[f"{variable}_{a}_{b}"] = words.format(
                        a=a_name, b=b_name, a_s=possessive(a_name), b_capital=capitals[b]
                    )
        self.events = {f"event_{event.id}": event.headline for event in scenario.events}
        for name, headline in self.events.items():
            self.names[name] = f"the times '{headline}' happened"

    def node(self, node: ast.expr, inside: bool = False) -> str:
        if isinstance(node, ast.BoolOp):
            parts = [self.node(value, inside=True) for value in node.values]
            if isinstance(node.op, ast.And):
                text = ", ".join(parts[:-1]) + " and " + parts[-1]
            else:
                text = " or ".join(parts)
            return f"({text})" if inside and isinstance(node.op, ast.Or) else text
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            steps = []
            for operator, left, right in zip(node.ops, sides, sides[1:], strict=False):
                steps.append(self._comparison(operator, left, right))
            return " and ".join(steps)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            if isinstance(node.operand, ast.Name) and node.operand.id in self.kinds:
                return self.kinds[node.operand.id][1]
            return f"not ({self.node(node.operand)})"
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            value = float(node.value)
            return f"{value:g}" if value.is_integer() else f"{value}"
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            left, right = self.node(node.left), self.node(node.right)
            return f"{left} {_ARITHMETIC[type(node.op)]} {right}"
        return ast.unparse(node)

    def _comparison(self, operator: ast.cmpop, left: ast.expr, right: ast.expr) -> str:
        number = _number(right)
        if isinstance(left, ast.Name) and number is not None:
            if left.id == "turn":
                return _TURN_WORDS[type(operator)].format(k=f"{number:g}")
            headline = self.events.get(left.id)
            if headline is not None and (type(operator), number) in _HAPPENED:
                happened = _HAPPENED[type(operator), number]
                return f"'{headline}' {happened}"
        words = COMPARISON_WORDS[_SYMBOLS[type(operator)]]
        return f"{self.node(left)} {words} {self.node(right)}"


_HAPPENED: dict[tuple[type[ast.cmpop], float], str] = {
    (ast.GtE, 1.0): "has happened",
    (ast.Gt, 0.0): "has happened",
    (ast.Eq, 0.0): "has not happened",
    (ast.Lt, 1.0): "has not happened",
    (ast.LtE, 0.0): "has not happened",
}


def _number(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    return None


@functools.lru_cache(maxsize=256)
def condition_in_words(source: str, scenario: CompiledScenario) -> str:
    """A scenario-wide condition (an ending's or an event's `when`) in words. Kept once
    worked out: the crisis room asks for its endings' words on every frame."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return source.strip()
    return _words_of(scenario).node(tree.body)


@functools.lru_cache(maxsize=16)
def _words_of(scenario: CompiledScenario) -> _Words:
    """The names of a scenario in words, made once for all its conditions."""
    return _Words(scenario)
