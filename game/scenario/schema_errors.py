"""Turn pydantic's validation errors into located, author-friendly problems.

Pydantic reports where an error is in terms of the model (with union member names mixed into the
location); authors need it in terms of their file: line, column, the field path, and a message
that says what was expected and what was found, with a suggestion for a misspelt key.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ValidationError

from game.errors import Problem
from game.scenario.suggest import close_match
from game.scenario.yaml_source import Path, SourceDocument, format_path

_EXPECTED: dict[str, str] = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "date_type": "a date like 2016-12-30",
    "date_parsing": "a date like 2016-12-30",
    "date_from_datetime_parsing": "a date like 2016-12-30",
    "date_from_datetime_inexact": "a date like 2016-12-30",
}

_PATTERNS: dict[str, str] = {
    "^[a-z][a-z0-9_]{0,31}$": "an id of lower-case letters, digits and underscores, "
    "starting with a letter (at most 32)",
    "^#[0-9a-fA-F]{6}$": "a colour like #1f77b4",
}


def describe_value(value: Any) -> str:
    """A short description of what the author wrote, for 'got ...'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _walk_data(data: Any, loc: tuple[Any, ...], keep_last: bool) -> tuple[Path, Any]:
    """Follow pydantic's location through the data, dropping union member tags."""
    path: list[str | int] = []
    current = data
    for position, element in enumerate(loc):
        if isinstance(current, dict) and isinstance(element, str) and element in current:
            current = current[element]
            path.append(element)
        elif isinstance(current, list) and isinstance(element, int) and element < len(current):
            current = current[element]
            path.append(element)
        elif keep_last and position == len(loc) - 1 and isinstance(element, str):
            path.append(element)
            current = None
    return tuple(path), current


def _unwrap(annotation: Any) -> list[tuple[type[BaseModel], bool]]:
    """Model classes inside a field's type, each with whether a mapping key comes first."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, False)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return [(model, True) for model, _ in _unwrap(args[1])]
    found: list[tuple[type[BaseModel], bool]] = []
    for arg in args:
        found.extend(_unwrap(arg))
    return found


def _model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if there is one."""
    model: type[BaseModel] = root
    key_pending = False
    for element in path:
        if isinstance(element, int):
            continue
        if key_pending:
            key_pending = False
            continue
        field = model.model_fields.get(element)
        inner = _unwrap(field.annotation) if field is not None else []
        if not inner:
            return None
        model, key_pending = inner[0]
    return None if key_pending else model


def _unknown_field_message(root: type[BaseModel], path: Path) -> str:
    key = str(path[-1])
    model = _model_at(root, path[:-1])
    message = f"unknown field '{key}'"
    if model is None:
        return message
    allowed = sorted(model.model_fields)
    close = close_match(key, allowed, cutoff=0.6)
    if close:
        return f"{message} (did you mean '{close}'?)"
    return f"{message}; allowed here: {', '.join(allowed)}"


def constraint_message(error: dict[str, Any]) -> str | None:
    """A broken constraint (a range, a length, a pattern) in an author's or player's words."""
    kind = error["type"]
    ctx = error.get("ctx", {})
    got = describe_value(error.get("input"))
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {got}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, got {got}"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']}, got {got}"
    if kind == "less_than":
        return f"must be less than {ctx['lt']}, got {got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx['max_length']} characters)"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {ctx['max_length']})"
    if kind == "finite_number":
        return f"must be a finite number, got {got}"
    if kind == "value_error" and "msg" in error:
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        wanted = _PATTERNS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"expected {wanted}, got {got}"
    return None


def translate_validation_error(
    error: ValidationError, document: SourceDocument, root: type[BaseModel]
) -> list[Problem]:
    """Every pydantic error as a Problem; union alternatives at one place become one message."""
    expected: dict[Path, list[str]] = defaultdict(list)
    got: dict[Path, Any] = {}
    problems: list[Problem] = []

    def add(path: Path, message: str, key: bool = False) -> None:
        mark = document.key_mark_for(path) if key else document.mark_for(path)
        problems.append(Problem(document.file, mark.line, mark.column, format_path(path), message))

    for item in error.errors(include_url=False):
        kind = item["type"]
        if kind == "extra_forbidden":
            path, _ = _walk_data(document.data, item["loc"], keep_last=True)
            add(path, _unknown_field_message(root, path), key=True)
        elif kind == "missing" and isinstance(item["loc"][-1], int):
            path, _ = _walk_data(document.data, item["loc"][:-1], keep_last=False)
            add(path, f"has too few items: item {item['loc'][-1] + 1} is missing")
        elif kind == "missing":
            path, _ = _walk_data(document.data, item["loc"], keep_last=True)
            add(path[:-1], f"missing required field '{path[-1]}'")
        elif kind in _EXPECTED:
            path, value = _walk_data(document.data, item["loc"], keep_last=False)
            if _EXPECTED[kind] not in expected[path]:
                expected[path].append(_EXPECTED[kind])
            got[path] = item.get("input", value)
        else:
            path, _ = _walk_data(document.data, item["loc"], keep_last=False)
            add(path, constraint_message(item) or str(item["msg"]).lower())

    # A value of the right type that breaks a constraint (`1e9` for a number or an expression)
    # also fails the union's other types; those say nothing the constraint does not.
    broken = {
        _walk_data(document.data, item["loc"], keep_last=False)[0]
        for item in error.errors()
        if constraint_message(item) is not None
    }
    for path, wanted in expected.items():
        if any(other[: len(path)] == path for other in broken):
            continue
        if "text" in wanted and "a number" in wanted:
            wanted = [w for w in wanted if w not in ("text", "a number")] + [
                "a number or an expression"
            ]
        if "text" in wanted and "true or false" in wanted:
            wanted = [w for w in wanted if w not in ("text", "true or false")] + [
                "true, false or an expression"
            ]
        add(path, f"expected {' or '.join(wanted)}, got {describe_value(got[path])}")
    return problems
