"""The JSON Schema editors use is shipped, up to date, and announced by every shipped scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SCENARIOS

from game.scenario.load import load_scenario
from game.scenario.schema import schema_text
from game.scenario.yaml_source import load_yaml_file

SCHEMA_FILE = SCENARIOS / "scenario.schema.json"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
SCHEMA_COMMENT = "# yaml-language-server: $schema="


def test_the_shipped_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/scenario.schema.json is stale: run `python main.py schema`"
    )


def test_the_schema_is_json_schema_for_the_format() -> None:
    schema = json.loads(schema_text())
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert {"metadata", "actors", "outcomes", "scoring"} <= set(schema["required"])
    assert schema["additionalProperties"] is False  # a misspelt key is flagged in editors too


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_scenario_announces_the_schema_and_validates(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(SCHEMA_COMMENT)
    target = (path.parent / first_line.removeprefix(SCHEMA_COMMENT).strip()).resolve()
    assert target == SCHEMA_FILE.resolve()
    load_scenario(path)  # raises ScenarioError with every problem if it does not validate


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_editors_accept_a_shipped_scenario(path: Path) -> None:
    """The schema is no stricter than the loader: what loads, an editor does not underline."""
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(json.dumps(load_yaml_file(path).data, default=str))  # dates become text
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
