"""The documents show what the commands print: every command in README.md and docs/*.md runs, and
its output is compared with the document's.

A fenced block whose first line starts with `$ ` is a transcript: each `$ COMMAND` line runs (with
bash, in a scratch folder that links to this checkout, `python` being this interpreter), and the
lines after it are what it prints, stdout then stderr. In the expected lines, a line that is only
`...` (inside a table, `│ ... │`) stands for any number of lines. The balance lab's tip to use
`--bind`, printed after a run that took longer than a few seconds, may be left out: whether it
shows depends on the machine's speed. Other blocks that show a
command, and Python blocks, need a reason not to run. An HTML comment just before a block
changes how it is checked:

    <!-- doctest: skip: REASON -->          the block is not run (it installs, opens a window...)
    <!-- doctest: columns N -->             run as in a terminal N columns wide
    <!-- doctest: machine-dependent "T" --> an expected line with T in it only needs an actual
                                            line with T in it: its figures depend on the machine
    <!-- doctest: builds FILE -->           a YAML block adds its top-level sections to FILE, or
                                            replaces the sections of the same name
    <!-- doctest: builds FILE into KEY -->  a YAML block of indented lines adds them to KEY
    <!-- doctest: local cluster -->         the Dask recipe; tested by starting it (see below)
    <!-- doctest: figures -->               marks prose figures from a benchmark: not checked

A Python block runs as a script in the scratch folder and must succeed.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game.balance.command import BIND_HINT

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[\w-]*)\s*$")
DIRECTIVE = re.compile(r"<!--\s*doctest:\s*(?P<text>.*?)\s*-->")
KNOWN = re.compile(
    r"skip: .+|columns \d+|machine-dependent \".+\"|builds \S+( into \w+)?|local cluster|figures"
)
ELLIPSIS = re.compile(r"^[\s│┃|]*\.\.\.[\s│┃|]*$")
SHELLS = ("", "console", "sh", "bash", "shell", "text")


@dataclass
class Block:
    document: Path
    line: int  # of the opening fence, counting from 1
    info: str
    lines: list[str]
    directives: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"

    @property
    def transcript(self) -> bool:
        first = next((line for line in self.lines if line.strip()), "")
        return first.startswith("$ ")

    def directive(self, name: str) -> list[str]:
        return [d[len(name) :].strip() for d in self.directives if d.startswith(name)]


def blocks(document: Path) -> list[Block]:
    found: list[Block] = []
    pending: list[str] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        for match in DIRECTIVE.finditer(line):
            pending.append(match.group("text"))
        fence = FENCE.match(line)
        if fence is None:
            if line.strip() and not DIRECTIVE.search(line):
                pending = []
            number += 1
            continue
        indent, start = len(fence.group("indent")), number
        body = []
        number += 1
        while number < len(lines) and not FENCE.match(lines[number]):
            body.append(lines[number][indent:])
            number += 1
        found.append(Block(document, start + 1, fence.group("info"), body, pending))
        pending = []
        number += 1
    return found


ALL_BLOCKS = [block for document in DOCUMENTS for block in blocks(document)]


# -- matching ----------------------------------------------------------------------------------


def matches(expected: list[str], actual: list[str], loose: list[str]) -> bool:
    """Whether `actual` reads as `expected`, with `...` lines standing for any lines."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(actual)
        if ELLIPSIS.match(expected[i]):
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        if j == len(actual):
            return False
        marker = next((text for text in loose if text in expected[i]), None)
        same = marker in actual[j] if marker is not None else expected[i] == actual[j]
        return same and match(i + 1, j + 1)

    return match(0, 0)


def commands(block: Block) -> Iterator[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$` line of a transcript."""
    command: str | None = None
    expected: list[str] = []
    for line in block.lines:
        if line.startswith("$ "):
            if command is not None:
                yield command, expected
            command, expected = line[2:], []
        else:
            expected.append(line.rstrip())
    if command is not None:
        while expected and not expected[-1]:
            expected.pop()
        yield command, expected


# -- running -----------------------------------------------------------------------------------


class Scratch:
    """A folder that looks like the checkout (its data linked, scenarios copied so that the
    worked example can write into them) with `python` first on the PATH. The code is imported
    from the checkout itself, by its real path, so the compiled engine cached for it serves."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copy(ROOT / "main.py", folder / "main.py")
        for name in ("tests", "benchmarks", "assets", "docs"):
            (folder / name).symlink_to(ROOT / name)
        shutil.copytree(ROOT / "scenarios", folder / "scenarios")
        bin_folder = folder / ".bin"
        bin_folder.mkdir()
        for name in ("python", "python3"):
            # A script, not a link: a link to a virtualenv's interpreter, called by another
            # path, starts the interpreter it points at without the virtualenv's packages.
            launcher = bin_folder / name
            launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
            launcher.chmod(0o755)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("COLUMNS", "LINES", "DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")
        }
        self.env.update(
            # Then the interpreter's own folder, for the commands installed with it (dask).
            PATH=os.pathsep.join(
                (str(bin_folder), str(Path(sys.executable).parent), os.environ.get("PATH", ""))
            ),
            SDL_VIDEODRIVER="dummy",
            SDL_AUDIODRIVER="dummy",
            PYTHONPATH=str(ROOT),
        )
        self.built: dict[str, list[tuple[str, list[str]]]] = {}

    def run(self, command: str, columns: int | None = None) -> list[str]:
        env = dict(self.env)
        if columns is not None:
            env["COLUMNS"] = str(columns)
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        return [line.rstrip() for line in (done.stdout + done.stderr).splitlines()]

    def build(self, target: str, lines: list[str], into: str | None) -> None:
        """Add a YAML block's top-level sections to `target`, replacing those of the same name
        (or, `into` a section, append indented lines to it), as the worked example does."""
        sections = self.built.setdefault(target, [])
        if into is not None:
            for key, body in sections:
                if key == into:
                    body.extend(lines)
                    break
            else:
                raise AssertionError(f"no section '{into}' in {target} yet")
        else:
            new: list[tuple[str, list[str]]] = []
            for line in lines:
                key = re.match(r"^([\w-]+):", line)
                if key or not new:
                    new.append((key.group(1) if key else "", [line]))
                else:
                    new[-1][1].append(line)
            for key, body in new:
                old = next((i for i, (k, _) in enumerate(sections) if k == key and key), None)
                if old is None:
                    sections.append((key, body))
                else:
                    sections[old] = (key, body)
        text = "\n".join(line for _, body in sections for line in body) + "\n"
        path = self.folder / target
        path.unlink(missing_ok=True)
        path.write_text(text, encoding="utf-8")


_OUTPUTS: dict[tuple[str, int | None], list[str]] = {}


def output_of(scratch: Scratch, command: str, columns: int | None) -> list[str]:
    """A command's output; long commands shared by several documents run once."""
    key = (command, columns)
    if "balance" not in command:
        return scratch.run(command, columns)
    if key not in _OUTPUTS:
        _OUTPUTS[key] = scratch.run(command, columns)
    return _OUTPUTS[key]


def check_transcript(scratch: Scratch, block: Block) -> list[str]:
    columns = [int(c) for c in block.directive("columns")]
    loose = [text.strip('"') for text in block.directive("machine-dependent")]
    failures = []
    for command, expected in commands(block):
        actual = output_of(scratch, command, columns[0] if columns else None)
        if BIND_HINT not in expected:
            actual = [line for line in actual if line != BIND_HINT]
        if not matches(expected, actual, loose):
            diff = difflib.unified_diff(
                expected, actual, "the document", "the command", lineterm=""
            )
            failures.append(f"{block.where}: $ {command}\n" + "\n".join(diff))
    return failures


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_command_prints_what_the_document_shows(document: Path, tmp_path: Path) -> None:
    scratch = Scratch(tmp_path)
    failures: list[str] = []
    for block in (b for b in ALL_BLOCKS if b.document == document):
        if block.directive("skip") or block.directive("local cluster"):
            continue
        for target in block.directive("builds"):
            path, _, into = target.partition(" into ")
            scratch.build(path, block.lines, into or None)
        if block.transcript:
            failures += check_transcript(scratch, block)
        elif block.info == "python":
            script = tmp_path / "block.py"
            script.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
            done = subprocess.run(
                [sys.executable, str(script)],
                cwd=tmp_path,
                env=scratch.env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0:
                failures.append(f"{block.where}: the Python block fails:\n{done.stderr}")
    assert not failures, "\n\n".join(failures)


def test_every_command_shown_is_run_or_says_why_not() -> None:
    unexplained = []
    for block in ALL_BLOCKS:
        if block.transcript or block.directives:
            continue
        shows_command = any(
            line.lstrip().startswith(("python", "pip", "$ ", "dask ")) for line in block.lines
        )
        if block.info in SHELLS and shows_command:
            unexplained.append(block.where)
    assert not unexplained, f"blocks that show a command but neither run nor say why: {unexplained}"


def test_every_directive_is_one_the_test_knows() -> None:
    unknown = [
        f"{document.relative_to(ROOT)}: {match.group('text')}"
        for document in DOCUMENTS
        for match in DIRECTIVE.finditer(document.read_text(encoding="utf-8"))
        if not KNOWN.fullmatch(match.group("text"))
    ]
    assert not unknown


def test_the_readme_starts_with_the_two_set_up_commands() -> None:
    shown = [
        line.strip()
        for block in blocks(ROOT / "README.md")
        for line in block.lines
        if line.strip() and not line.startswith("#")
    ]
    assert shown[:2] == [
        "python -m pip install -r requirements.txt && python main.py",
        "python -m pip install -r requirements-dev.txt && python -m pytest -n auto",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert shown[1] in ci, "CI runs the README's test command"


def test_the_local_cluster_recipe_runs_as_a_script_and_plays_a_balance(tmp_path: Path) -> None:
    """The recipe keeps its cluster until Enter is pressed, and `balance --dask` can use it."""
    pytest.importorskip("distributed")
    recipes = [b for b in ALL_BLOCKS if b.directive("local cluster")]
    assert len(recipes) == 1
    scratch = Scratch(tmp_path)
    script = tmp_path / "cluster.py"
    script.write_text("\n".join(recipes[0].lines) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=scratch.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("tcp://"), process.stderr.read() if process.stderr else ""
        scenario = "scenarios/worked_example.yaml"
        command = f"python main.py balance {scenario} --games 20 --strategies tit_for_tat,random"
        output = scratch.run(f"{command} --quiet --dask {shlex.quote(address)}")
        assert output == []
        process.stdin.write("\n")
        process.stdin.flush()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
