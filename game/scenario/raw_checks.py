"""Expression checks that still run when the schema check failed.

A file with a wrong type somewhere and a misspelt variable elsewhere should show both mistakes
at once. The cross-reference checks need a valid model, but expressions only need their text and
the names in scope, which can be read from the raw YAML data.
"""

from __future__ import annotations

import re
from typing import Any

from game.errors import Problem
from game.scenario.compile import MAX_PROBLEMS
from game.scenario.expressions import ExpressionError, compile_expression
from game.scenario.variables import actor_view_names, global_view_names
from game.scenario.yaml_source import Path, SourceDocument, format_path

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,31}")
_GAUGE = r"(pressure|credibility|standing)"
_ACTOR_VIEW = [
    rf"actors\.\d+\.actions\.(retaliate|restrain|wait)\.\d+\.{field}"
    for field in (
        "available_if",
        r"effects\.(tension|expel)",
        rf"effects\.(own|other)\.{_GAUGE}",
    )
] + [r"scoring\.[^.]+\.\d+\.value"]
_GLOBAL_VIEW = [
    r"events\.\d+\.when",
    r"events\.\d+\.effects\.tension",
    rf"events\.\d+\.effects\.actors\.[^.]+\.{_GAUGE}",
    r"outcomes\.\d+\.when",
]


def _ids(data: dict[str, Any], key: str) -> list[str]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    # Only ids the schema accepts: a 900 KB id is a schema error, not a name to list as known.
    return [
        item["id"]
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and _IDENTIFIER.fullmatch(item["id"])
    ]


def _strings(value: Any, path: Path) -> list[tuple[Path, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _strings(v, (*path, k))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in _strings(v, (*path, i))]
    return []


def expression_problems(document: SourceDocument) -> list[Problem]:
    """Problems in every expression of the raw data, located like the compiler locates them."""
    data = document.data
    if not isinstance(data, dict):
        return []
    actor_names = actor_view_names(
        _ids(data, "outcomes"), _ids(data, "actors"), _ids(data, "events")
    )
    global_names = global_view_names(_ids(data, "actors"), _ids(data, "events"))
    problems: list[Problem] = []
    for path, source in _strings(data, ()):
        if len(problems) > MAX_PROBLEMS:
            break
        dotted = ".".join(str(part) for part in path)
        if any(re.fullmatch(p, dotted) for p in _ACTOR_VIEW):
            names = actor_names
        elif any(re.fullmatch(p, dotted) for p in _GLOBAL_VIEW):
            names = global_names
        else:
            continue
        try:
            compile_expression(source, names)
        except ExpressionError as error:
            mark = document.mark_for(path)
            column = mark.column
            if path in document.value_marks:
                column += error.offset + (1 if path in document.quoted else 0)
            problems.append(
                Problem(document.file, mark.line, column, format_path(path), error.message)
            )
    return problems
