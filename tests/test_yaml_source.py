"""Tests for reading scenario YAML: exact positions, all problems at once, hostile files refused."""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.errors import Problem, ScenarioError
from game.scenario import yaml_source as ys
from game.scenario.yaml_source import (
    DEFAULT_LIMITS,
    Limits,
    Mark,
    Path,
    SourceDocument,
    format_path,
    load_yaml_file,
    load_yaml_text,
)

PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=PARSERS, ids=lambda loader: loader.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test with libyaml's parser and with the pure-Python fallback: both must agree."""
    monkeypatch.setattr(ys, "_LOADER", request.param)


def problems_of(text: str, file: str = "x.yaml", **kwargs: Any) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_yaml_text(text, file, **kwargs)
    return info.value.problems


def only_problem(text: str, **kwargs: Any) -> Problem:
    problems = problems_of(text, **kwargs)
    assert len(problems) == 1, problems
    return problems[0]


def file_problems(path: FsPath, **kwargs: Any) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_yaml_file(path, **kwargs)
    return info.value.problems


# ------------------------------------------------------------------------------------------------
# Data and marks

SCENARIO = """\
name: Embassy row
actors:
  - name: Aland
    stance: {tension: 3, trust: -1}
    actions:
      retaliate:
        - effects:
            tension: 2
          text: "They expel a diplomat"
  - name: 'Borduria'
start: 2024-03-01
"""


def test_data_is_plain_python_in_file_order(parser: None) -> None:
    data = load_yaml_text(SCENARIO).data
    assert list(data) == ["name", "actors", "start"]
    assert data["actors"][0]["stance"] == {"tension": 3, "trust": -1}
    assert data["actors"][0]["actions"]["retaliate"][0]["text"] == "They expel a diplomat"
    assert data["actors"][1] == {"name": "Borduria"}
    assert data["start"] == datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (("name",), Mark(1, 7), Mark(1, 1)),
        (("actors",), Mark(3, 3), Mark(2, 1)),
        (("actors", 0), Mark(3, 5), None),
        (("actors", 0, "stance"), Mark(4, 13), Mark(4, 5)),
        (("actors", 0, "stance", "trust"), Mark(4, 33), Mark(4, 26)),
        (("actors", 0, "actions", "retaliate"), Mark(7, 9), Mark(6, 7)),
        (("actors", 0, "actions", "retaliate", 0, "effects"), Mark(8, 13), Mark(7, 11)),
        (("actors", 0, "actions", "retaliate", 0, "effects", "tension"), Mark(8, 22), Mark(8, 13)),
        (("actors", 0, "actions", "retaliate", 0, "text"), Mark(9, 17), Mark(9, 11)),
        (("actors", 1, "name"), Mark(10, 11), Mark(10, 5)),
    ],
)
def test_marks_of_values_and_keys_at_every_depth(
    parser: None, path: Path, value: Mark, key: Mark | None
) -> None:
    document = load_yaml_text(SCENARIO)
    assert document.value_marks[path] == value
    assert document.key_marks.get(path) == key


def test_quoted_records_exactly_the_quoted_scalars(parser: None) -> None:
    document = load_yaml_text(SCENARIO)
    assert document.quoted == {
        ("actors", 0, "actions", "retaliate", 0, "text"),
        ("actors", 1, "name"),
    }


def test_scalar_marks_skip_anchor_and_tag_to_the_text(parser: None) -> None:
    text = "a: &q !!str \"hi\"\nb: !!str\n  'x'\nc: [&n 7]\n"
    document = load_yaml_text(text)
    assert document.data == {"a": "hi", "b": "x", "c": [7]}
    assert document.value_marks[("a",)] == Mark(1, 13)
    assert document.value_marks[("b",)] == Mark(3, 3)
    assert document.value_marks[("c", 0)] == Mark(4, 8)
    assert document.quoted == {("a",), ("b",)}


def test_aliases_become_independent_copies_marked_at_use_and_definition(parser: None) -> None:
    document = load_yaml_text("base: &b {x: 1}\ncopy: *b\nname: &n 'A'\nalso: *n\n")
    data = document.data
    assert data["copy"] == {"x": 1}
    data["copy"]["x"] = 2
    assert data["base"] == {"x": 1}
    assert document.value_marks[("copy",)] == Mark(2, 7)
    assert document.value_marks[("copy", "x")] == Mark(1, 14)
    assert document.key_marks[("copy", "x")] == Mark(1, 11)
    # The text at an alias's mark is `*n`, not a quote, so it must not be listed as quoted.
    assert document.quoted == {("name",)}


def test_mark_for_falls_back_to_key_then_ancestor_then_start() -> None:
    document = SourceDocument(
        file="x.yaml",
        data={},
        value_marks={("a",): Mark(2, 4)},
        key_marks={("a",): Mark(2, 1), ("a", "b"): Mark(3, 3)},
        quoted=set(),
    )
    assert document.mark_for(("a",)) == Mark(2, 4)
    assert document.mark_for(("a", "b")) == Mark(3, 3)
    assert document.mark_for(("a", "c", 0)) == Mark(2, 4)
    assert document.mark_for(("z",)) == Mark(1, 1)
    assert document.key_mark_for(("a",)) == Mark(2, 1)
    assert document.key_mark_for(("a", "c")) == Mark(2, 4)


def test_mark_for_on_a_loaded_document() -> None:
    document = load_yaml_text(SCENARIO)
    assert document.mark_for(("actors", 0, "missing", 3)) == Mark(3, 5)
    assert document.key_mark_for(("actors", 0)) == Mark(3, 5)
    assert document.mark_for(()) == Mark(1, 1)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("name",), "name"),
        (("actors", 1, "actions", "retaliate", 0, "effects", "tension"),
         "actors[1].actions.retaliate[0].effects.tension"),
        (("grid", 0, 2), "grid[0][2]"),
        (("a\nb", "c"), "'a\\nb'.c"),
    ],
)  # fmt: skip
def test_format_path(path: Path, text: str) -> None:
    assert format_path(path) == text


def test_booleans_nulls_and_text_follow_safe_loader_rules() -> None:
    text = "a: yes\nd: ~\nf: '12'\ng: ! 12\nh: <<\n"
    assert load_yaml_text(text).data == yaml.safe_load(text.replace("h: <<\n", "")) | {"h": "<<"}


def test_numbers_follow_the_yaml_1_2_core_schema() -> None:
    text = (
        "a: 0x1F\nb: 0o17\nc: 0755\nd: -12\ne: 1e3\nf: 1.5E-2\ng: .5\nh: +3.\n"
        "i: 1_000\nj: 1:30\nk: 0b101\nl: 1:30.5\n"
    )
    data = load_yaml_text(text).data
    assert _typed(data) == _typed(
        {
            "a": 31,
            "b": 15,
            "c": 755,  # decimal, not YAML 1.1's octal
            "d": -12,
            "e": 1000.0,
            "f": 0.015,
            "g": 0.5,
            "h": 3.0,
            "i": "1_000",  # YAML 1.1 numbers that 1.2 reads as text
            "j": "1:30",
            "k": "0b101",
            "l": "1:30.5",
        }
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".inf", "'.inf' is not a finite number; scenario numbers must be finite"),
        ("-.Inf", "'-.Inf' is not a finite number; scenario numbers must be finite"),
        (".nan", "'.nan' is not a finite number; scenario numbers must be finite"),
        ("1e309", "'1e309' is not a finite number; scenario numbers must be finite"),
        ("!!float 1e400", "'1e400' is not a finite number; scenario numbers must be finite"),
        ("1" * 19, f"'{'1' * 19}' is too large a number (more than 18 digits)"),
        ("-" + "9" * 5000, "is too large a number (more than 18 digits)"),
        ("0." + "0" * 200 + "1", "is too long to be a number (more than 100 characters)"),
    ],
)
def test_numbers_a_scenario_cannot_hold_are_refused_where_written(
    parser: None, value: str, message: str
) -> None:
    problem = only_problem(f"settings:\n  turns: {value}\n")
    assert (problem.line, problem.column, problem.path) == (
        2,
        10 + value.startswith("!!") * 8,
        "settings.turns",
    )
    assert problem.message.endswith(message)
    assert len(str(problem)) < 200


def test_explicit_number_tags_follow_the_core_schema_too(parser: None) -> None:
    problem = only_problem("a: !!int 1:" + "0:" * 3000 + "0\n")
    assert problem.message.startswith("'1:0:0:")
    assert problem.message.endswith("is not a valid whole number")
    assert len(problem.message) < 120


def test_a_900kb_sexagesimal_number_is_text() -> None:
    """YAML 1.1 built it digit by digit in base 60 (20 seconds), then crashed printing it."""
    number = "1:" + "0:" * 300_000 + "0"
    assert load_yaml_text(f"a: {number}\n").data == {"a": number}


# ------------------------------------------------------------------------------------------------
# Problems that are collected, several at a time


def test_duplicate_keys_are_all_reported_with_both_positions(parser: None) -> None:
    text = (
        "actors:\n"
        "  - name: A\n"
        "    tension: 1\n"
        "    name: B\n"
        "    name: C\n"
        "settings: {turns: 10, turns: 12}\n"
        "actors: []\n"
    )
    first = "(first at line 2, column 5)"
    assert problems_of(text) == [
        Problem("x.yaml", 4, 5, "actors[0]", f"duplicate key 'name' {first}"),
        Problem("x.yaml", 5, 5, "actors[0]", f"duplicate key 'name' {first}"),
        Problem("x.yaml", 6, 23, "settings", "duplicate key 'turns' (first at line 6, column 12)"),
        Problem("x.yaml", 7, 1, "", "duplicate key 'actors' (first at line 1, column 1)"),
    ]
    assert str(problems_of(text)[0]) == f"x.yaml:4:5: actors[0]: duplicate key 'name' {first}"


def test_same_key_in_different_mappings_is_not_a_duplicate() -> None:
    assert load_yaml_text("a: {x: 1}\nb: {x: 2}\n").data == {"a": {"x": 1}, "b": {"x": 2}}


def test_python_tags_are_refused_and_never_executed(tmp_path: FsPath, parser: None) -> None:
    target = tmp_path / "pwned"
    payload = f"!!python/object/apply:builtins.open [{json.dumps(str(target))}, 'w']"
    text = f"name: x\nrun: {payload}\n"
    message = "tag '!!python/object/apply:builtins.open' is not allowed in scenario files"
    assert problems_of(text) == [Problem("x.yaml", 2, 6, "run", message)]
    assert not target.exists()


def test_the_python_tag_payload_is_real(tmp_path: FsPath) -> None:
    """Proof that the test above would notice execution: an unsafe loader does create the file."""
    target = tmp_path / "created"
    handle = yaml.unsafe_load(
        f"!!python/object/apply:builtins.open [{json.dumps(str(target))}, 'w']"
    )
    handle.close()
    assert target.exists()


def test_os_system_tag_is_refused_at_the_tag(tmp_path: FsPath, parser: None) -> None:
    target = tmp_path / "touched"
    text = f"a: 1\nb:\n  c: !!python/object/apply:os.system [{json.dumps(f'touch {target}')}]\n"
    problem = only_problem(text, file="scenarios/x.yaml")
    assert str(problem).startswith(
        "scenarios/x.yaml:3:6: b.c: tag '!!python/object/apply:os.system' is not allowed"
    )
    assert not target.exists()


def test_every_bad_tag_is_reported(parser: None) -> None:
    text = (
        "a: !foo 1\n"
        "b: &x !bar [1]\n"
        "c: !!binary aGk=\n"
        "d: !!set {a: null}\n"
        "e: !<tag:evil.example,2024:x> 1\n"
        "f: !!map just text\n"
        "g: !!str [1]\n"
    )
    assert [(p.line, p.column, p.path, p.message) for p in problems_of(text)] == [
        (1, 4, "a", "tag '!foo' is not allowed in scenario files"),
        (2, 7, "b", "tag '!bar' is not allowed in scenario files"),
        (3, 4, "c", "tag '!!binary' is not allowed in scenario files"),
        (4, 4, "d", "tag '!!set' is not allowed in scenario files"),
        (5, 4, "e", "tag '!<tag:evil.example,2024:x>' is not allowed in scenario files"),
        (6, 4, "f", "tag '!!map' cannot be used on a single value"),
        (7, 4, "g", "tag '!!str' cannot be used on a list"),
    ]


def test_tag_directives_cannot_smuggle_python_tags(parser: None) -> None:
    text = "%TAG !! tag:yaml.org,2002:python/\n---\na: !!object/apply:os.system [ls]\n"
    problem = only_problem(text)
    assert (problem.line, problem.column) == (3, 4)
    assert "'!!python/object/apply:os.system' is not allowed" in problem.message


def test_standard_tags_on_scalars_are_honoured() -> None:
    data = load_yaml_text("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!null ''\n").data
    assert data == {"a": "12", "b": 7, "c": 1.0, "d": None}
    assert isinstance(data["c"], float)


def test_non_text_keys_are_all_reported(parser: None) -> None:
    text = '1: one\non: two\n~: three\n2024-01-01: four\n? [a, b]\n: five\n"yes": six\n'
    problems = problems_of(text)
    assert [(p.line, p.column, p.path) for p in problems] == [
        (1, 1, ""),
        (2, 1, ""),
        (3, 1, ""),
        (4, 1, ""),
        (5, 3, ""),
    ]
    assert all(p.message.startswith("keys must be text") for p in problems)
    assert "'on' is read as true" in problems[1].message
    assert "put it in quotes" in problems[1].message


def test_quoted_yes_and_merge_words_are_ordinary_keys() -> None:
    assert load_yaml_text("'yes': 1\n\"<<\": 2\n'1': 3\n").data == {"yes": 1, "<<": 2, "1": 3}


def test_merge_keys_are_refused(parser: None) -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"
    problem = only_problem(text)
    assert (problem.line, problem.column, problem.path) == (3, 3, "other")
    assert "merge keys ('<<') are not supported" in problem.message


def test_invalid_typed_scalars_are_reported(parser: None) -> None:
    problems = problems_of("when: 2024-02-30\ncount: !!int lots\n")
    assert [(p.line, p.column, p.path) for p in problems] == [(1, 7, "when"), (2, 14, "count")]
    assert problems[0].message == (
        "'2024-02-30' is not a valid date; put it in quotes if it is meant as text"
    )


def test_undefined_and_self_referencing_aliases(parser: None) -> None:
    problems = problems_of("a: *nowhere\nb: &loop [1, *loop]\n")
    assert [(p.line, p.column, p.path) for p in problems] == [(1, 4, "a"), (2, 14, "b[1]")]
    assert "no anchor '&nowhere'" in problems[0].message
    assert "inside the value it names" in problems[1].message


def test_a_flood_of_problems_is_cut_short() -> None:
    problems = problems_of("a: 1\n" * 500)
    assert len(problems) == 101
    assert problems[-1].message == "stopped after 100 problems; fix these first"
    assert (problems[-1].line, problems[-2].line) == (101, 101)


def test_different_kinds_of_problems_come_in_one_error(parser: None) -> None:
    problems = problems_of("a: 1\na: 2\nb: !evil x\n3: c\n")
    assert [p.line for p in problems] == [2, 3, 4]


# ------------------------------------------------------------------------------------------------
# Whole-file problems


@pytest.mark.parametrize("text", ["", "# just a comment\n", "---\n", "\n\n"])
def test_empty_file_is_refused(text: str) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.column, problem.path) == (1, 1, "")
    assert problem.message.startswith(
        "a scenario file must be a mapping of fields at the top level"
    )


@pytest.mark.parametrize(
    ("text", "found", "mark"),
    [("- a\n- b\n", "a list", (1, 1)), ("\n  just text\n", "a single value", (2, 3))],
)
def test_top_level_must_be_a_mapping(text: str, found: str, mark: tuple[int, int]) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.column) == mark
    assert "must be a mapping of fields at the top level" in problem.message
    assert problem.message.endswith(f"it holds {found}")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: a\n---\nname: b\n", 2),
        ("---\nname: a\n---\nname: b\n", 3),
        ("a: 1\n...\n---\nb: 2\n", 3),
    ],
)
def test_multiple_documents_are_refused(parser: None, text: str, line: int) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line, 1)
    assert "one document" in problem.message


@pytest.mark.parametrize(
    ("text", "mark", "words"),
    [
        ("name: [a, b\nnext: 1\n", (2, 5), "expected ',' or ']'"),
        ("a:\n\t- 1\n", (2, 1), "cannot start any token"),
        ("a: 'open\n", (2, 1), "unexpected end of stream"),
    ],
)
def test_syntax_errors_are_one_based(
    parser: None, text: str, mark: tuple[int, int], words: str
) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.column, problem.path) == (*mark, "")
    assert words in problem.message


def test_control_characters_are_refused_with_position() -> None:
    problem = only_problem("a: 1\nb: x\x07y\n")
    assert (problem.line, problem.column) == (2, 5)
    assert "U+0007" in problem.message


# ------------------------------------------------------------------------------------------------
# Limits


def billion_laughs() -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly(parser: None) -> None:
    start = time.perf_counter()
    problems = problems_of(billion_laughs())
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert len(problems) == 1
    # a0..a4 expand to 74,738 values (keys included); the first *a4 in a5 adds 66,430 more.
    assert (problems[0].line, problems[0].column, problems[0].path) == (6, 10, "a5[0]")
    assert "more than 100,000 values" in problems[0].message


def test_alias_count_is_limited(parser: None) -> None:
    problem = only_problem("a: &x 1\nb: [*x, *x, *x]\n", limits=Limits(max_aliases=2))
    assert (problem.line, problem.column, problem.path) == (2, 13, "b[2]")
    assert "too many aliases" in problem.message
    assert load_yaml_text("a: &x 1\nb: [*x, *x]\n", limits=Limits(max_aliases=2)).data


def test_node_count_is_limited_without_aliases_too() -> None:
    problem = only_problem("a: [1, 2, 3, 4]\n", limits=Limits(max_nodes=5))
    assert (problem.line, problem.column) == (1, 11)
    assert problem.message == "the file has more than 5 values"


def test_deep_nesting_is_refused_without_recursion_error(parser: None) -> None:
    problem = only_problem("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert (problem.line, problem.column) == (1, 3 + DEFAULT_LIMITS.max_depth)
    assert "nested too deeply" in problem.message


def test_depth_limit_boundary_and_block_nesting(parser: None) -> None:
    limits = Limits(max_depth=3)
    assert load_yaml_text("a: [[1]]\n", limits=limits).data == {"a": [[1]]}
    assert (only_problem("a: [[[1]]]\n", limits=limits).column) == 6
    block = "".join(f"{'  ' * i}k:\n" for i in range(60)) + "  " * 60 + "v: 1\n"
    assert only_problem(block).line == DEFAULT_LIMITS.max_depth + 1  # line n opens level n


def test_depth_counts_what_an_alias_expands_to(parser: None) -> None:
    problem = only_problem("x: &x [[1]]\ny: [*x]\n", limits=Limits(max_depth=3))
    assert (problem.line, problem.column, problem.path) == (2, 5, "y[0]")
    assert "once alias '*x' is filled in" in problem.message


def test_file_over_default_size_is_refused_before_parsing(tmp_path: FsPath) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (DEFAULT_LIMITS.max_bytes + 1))
    assert file_problems(path, display_name="big.yaml") == [
        Problem(
            "big.yaml",
            1,
            1,
            "",
            "the file is 1,000,001 bytes, more than the limit of 1,000,000 bytes",
        )
    ]


def test_size_limit_boundary_with_custom_limits(tmp_path: FsPath) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: 1\n")
    assert load_yaml_file(path, limits=Limits(max_bytes=5)).data == {"a": 1}
    path.write_bytes(b"a: 12\n")
    (problem,) = file_problems(path, limits=Limits(max_bytes=5))
    assert (problem.line, problem.column) == (1, 1)
    assert "6 bytes" in problem.message
    assert "limit of 5 bytes" in problem.message


def test_huge_file_is_never_read_into_memory(tmp_path: FsPath) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk, but 50 MB if read
    tracemalloc.start()
    try:
        problems = file_problems(path, limits=Limits(max_bytes=1000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024
    assert "52,428,800 bytes" in problems[0].message


def test_text_size_is_counted_in_utf8_bytes() -> None:
    assert load_yaml_text("a: éé", limits=Limits(max_bytes=7)).data == {"a": "éé"}
    assert "9 bytes" in only_problem("a: ééé", limits=Limits(max_bytes=7)).message


# ------------------------------------------------------------------------------------------------
# Files and encodings


def test_invalid_utf8_points_at_the_bad_byte(tmp_path: FsPath) -> None:
    path = tmp_path / "x.yaml"
    # `ä` takes two bytes, so a byte count would put the bad byte in column 13.
    path.write_bytes(b"name: x\nactors:\n  - name: A\n  - n\xc3\xa4me: B\xffrn\n")
    (problem,) = file_problems(path, display_name="x.yaml")
    assert str(problem) == "x.yaml:4:12: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"


def test_utf16_file_is_refused_at_the_start(tmp_path: FsPath) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("name: x\n".encode("utf-16"))
    (problem,) = file_problems(path)
    assert (problem.line, problem.column) == (1, 1)
    assert "not valid UTF-8" in problem.message


def test_utf8_bom_is_accepted_and_does_not_shift_columns(tmp_path: FsPath, parser: None) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: Kr\xc3\xa4he\n")
    document = load_yaml_file(path)
    assert document.data == {"name": "Krähe"}
    assert document.key_marks[("name",)] == Mark(1, 1)
    assert document.file == str(path)
    assert load_yaml_text("\ufeffa: 1\n").value_marks[("a",)] == Mark(1, 4)
    # The parsers skip a BOM on their own; our own error positions must not count it either.
    path.write_bytes(b"\xef\xbb\xbfab\xff\n")
    assert [(p.line, p.column) for p in file_problems(path)] == [(1, 3)]
    assert [(p.line, p.column) for p in problems_of("\ufeffa: \x07\n")] == [(1, 4)]


def test_missing_file(tmp_path: FsPath) -> None:
    path = tmp_path / "nope.yaml"
    assert file_problems(path) == [Problem(str(path), 1, 1, "", "no such file")]


def test_directory_is_refused(tmp_path: FsPath) -> None:
    (problem,) = file_problems(tmp_path, display_name="scenarios/")
    assert (problem.file, problem.line, problem.column) == ("scenarios/", 1, 1)
    assert "folder" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: FsPath) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)  # opening it for reading would wait forever for a writer
    (problem,) = file_problems(path)
    assert "not a regular file" in problem.message


def test_display_name_is_used_in_problems(tmp_path: FsPath) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    assert file_problems(path, display_name="shown.yaml")[0].file == "shown.yaml"


# ------------------------------------------------------------------------------------------------
# Speed and properties


def scenario_of_about(size: int) -> str:
    actor = {
        "name": "Aland",
        "description": "Ein Streit über Botschafter, 'quoted' and plain",
        "stance": {"tension": 0.5, "trust": -2, "tags": ["coastal", "proud"]},
        "actions": {"retaliate": [{"effects": {"tension": 1}, "text": "They expel an envoy"}]},
    }
    actors = []
    while len(yaml.safe_dump({"actors": actors})) < size:
        actors.append(copy.deepcopy(actor) | {"name": f"Actor {len(actors)}"})
    return yaml.safe_dump({"name": "Crisis", "actors": actors}, sort_keys=False)


def test_a_30kb_scenario_loads_like_pyyaml() -> None:
    """Its speed is measured in benchmarks/loader.py, not here."""
    text = scenario_of_about(30_000)
    assert load_yaml_text(text).data == yaml.safe_load(text)


# Left out: lone surrogates, which no UTF-8 file can hold, and NEL (U+0085), which safe_dump itself
# mangles in quoted text.
characters = st.characters(exclude_categories=("Cs",), exclude_characters="\x85")


def _not_a_core_number(text: str) -> bool:
    """safe_dump writes `1e3` or `0o7` unquoted (YAML 1.1 text), which YAML 1.2 reads as numbers."""
    return not (ys._CORE_INT.fullmatch(text) or ys._CORE_FLOAT.fullmatch(text))


keys = st.text(characters, max_size=12).filter(_not_a_core_number)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**18) + 1, 10**18 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(characters, max_size=20).filter(_not_a_core_number)
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


def _paths(data: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _typed(data: Any) -> Any:
    """Equality that also tells True from 1 and 1.0 from 1."""
    if isinstance(data, dict):
        return {key: _typed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_typed(value) for value in data]
    return (type(data).__name__, data)


def _text_at(text: str, mark: Mark) -> str:
    lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)
    return lines[mark.line - 1][mark.column - 1 :]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, values, max_size=5), st.booleans(), st.booleans())
def test_safe_dump_round_trips_with_a_mark_for_every_path(
    data: dict[str, Any], flow: bool, unicode: bool
) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    document = load_yaml_text(text)
    assert _typed(document.data) == _typed(data)
    assert list(_paths(document.data)) == list(_paths(data))  # same key order
    paths = set(_paths(data))
    assert set(document.value_marks) == paths
    assert set(document.key_marks) == {p for p in paths if p and isinstance(p[-1], str)}
    for path, mark in document.key_marks.items():
        written = _text_at(text, mark)
        assert written.startswith((str(path[-1]), "'", '"')), (path, mark, text)
    for path in document.quoted:
        assert _text_at(text, document.value_marks[path])[:1] in ("'", '"')


yamlish = st.text(alphabet="[]{}:,-?&*!|>'\"#%@` \n\tab01.~<=", max_size=60)


_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


def _core_schema(loader: type) -> type:
    """PyYAML's safe loader with YAML 1.2 core numbers: the reference our reader must match."""
    core = type(f"Core{loader.__name__}", (loader,), {})
    core.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }
    core.add_implicit_resolver(
        _INT_TAG, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
    )
    core.add_implicit_resolver(
        _FLOAT_TAG,
        re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$"),
        list("-+0123456789."),
    )

    def integer(self: Any, node: yaml.ScalarNode) -> int:
        text = node.value
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)

    core.add_constructor(_INT_TAG, integer)
    return core


@settings(max_examples=300, deadline=None)
@given(yamlish)
def test_any_text_gives_safe_loader_data_or_scenario_error(text: str) -> None:
    """Never a crash; and whatever we accept, PyYAML's own safe loader (with YAML 1.2's numbers)
    reads the same way."""
    for loader in PARSERS:
        original, ys._LOADER = ys._LOADER, loader
        try:
            document = load_yaml_text(text)
        except ScenarioError as error:
            assert error.problems
            assert all(p.line >= 1 and p.column >= 1 for p in error.problems)
            continue
        finally:
            ys._LOADER = original
        assert isinstance(document.data, dict)
        try:
            expected = yaml.load(text, Loader=_core_schema(loader))
        except yaml.YAMLError:  # PyYAML refuses `a: <<` and `a: =`, which we read as text
            continue
        assert _typed(document.data) == _typed(expected)


def test_floats_survive_in_yaml_1_2_spellings() -> None:
    data = load_yaml_text("b: -1.5e+3\nc: 1e3\nd: 2.5E-1\n").data
    assert data == {"b": -1500.0, "c": 1000.0, "d": 0.25}
