"""Load a scenario file: YAML safely, then the schema, then cross-references and expressions.

This is the only way into the game for a scenario, so nothing runs on a file that has not passed
every check. Every problem found is reported with its file, line, column and field path.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from pathlib import Path

from pydantic import ValidationError

from game.errors import Problem, ScenarioError
from game.scenario.compile import MAX_PROBLEMS, compile_scenario, opening_problems
from game.scenario.compiled import CompiledScenario
from game.scenario.model import Scenario
from game.scenario.raw_checks import expression_problems
from game.scenario.schema_errors import translate_validation_error
from game.scenario.yaml_source import SourceDocument, load_yaml_file, load_yaml_text


def load_scenario(
    path: str | os.PathLike[str], *, strategy_names: Collection[str] | None = None
) -> CompiledScenario:
    """Load and check a scenario file, or raise ScenarioError listing every problem."""
    document = load_yaml_file(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _build(document, digest, strategy_names)


def load_scenario_text(
    text: str, file: str = "<string>", *, strategy_names: Collection[str] | None = None
) -> CompiledScenario:
    """Load a scenario from text; tests and the UI's reload use it."""
    document = load_yaml_text(text, file)
    return _build(document, hashlib.sha256(text.encode()).hexdigest(), strategy_names)


def _build(
    document: SourceDocument, digest: str, strategy_names: Collection[str] | None
) -> CompiledScenario:
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as error:
        problems = translate_validation_error(error, document, Scenario)
        raise ScenarioError(_capped(problems + expression_problems(document))) from None
    if strategy_names is None:
        from game.strategies.registry import STRATEGY_NAMES

        strategy_names = STRATEGY_NAMES
    try:
        compiled = compile_scenario(
            scenario, document, sha256=digest, strategy_names=strategy_names
        )
    except ScenarioError as error:
        raise ScenarioError(_capped(error.problems)) from None
    problems = opening_problems(compiled, document)
    if problems:
        raise ScenarioError(problems)
    return compiled


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems in file order, then a note where the next one is."""
    ordered = sorted(set(problems))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    first_left_out = ordered[MAX_PROBLEMS]
    note = f"stopped after {MAX_PROBLEMS} problems; fix these first"
    where = (first_left_out.file, first_left_out.line, first_left_out.column)
    return [*ordered[:MAX_PROBLEMS], Problem(*where, "", note)]
