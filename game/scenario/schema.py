"""The scenario format as JSON Schema, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json

from game.scenario.model import Scenario

SCHEMA_ID = "https://persona-non-grata.invalid/scenario.schema.json"


def scenario_schema() -> dict[str, object]:
    schema = Scenario.model_json_schema()
    return {
        **schema,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Persona Non Grata scenario",
    }


def schema_text() -> str:
    """The exact text of scenarios/scenario.schema.json."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
