"""Read one scenario YAML file into plain Python data and remember where every value was written.

Scenario files are shared between strangers, so they are treated as hostile input:

* only the events of PyYAML's safe parser are used (libyaml's when it is installed, because it is
  about fifteen times faster); nodes are composed here, iteratively, and scalars are built with
  the `SafeConstructor` rules, so nothing is ever imported or executed and no tag outside plain
  YAML values is accepted;
* size, alias count, nesting depth and the number of values after alias expansion are all capped,
  and the caps are checked while the events stream in, so an alias bomb or a ten-thousand-level
  `[[[[` is refused before any of it is built and without deep Python recursion;
* numbers follow YAML 1.2's core schema (so `1:30` is text, not a sexagesimal integer), must be
  finite and have at most 18 digits;
* mistakes PyYAML lets pass silently (duplicate keys, `yes`/`on` read as booleans in key position)
  are reported.

Every problem found in one pass is collected and raised as one `ScenarioError`, each with file,
line and column (1-based) and the field path, so an author can fix them all at once. Merge keys
(`<<`) are refused: they hide where a value came from, and writing the fields out is clearer.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeAlias

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from game.errors import Problem, ScenarioError

Path: TypeAlias = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A position in the source file, 1-based like an editor shows it."""

    line: int
    column: int


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile file from exhausting memory, time or the Python stack."""

    max_bytes: int = 1_000_000
    max_aliases: int = 100
    max_nodes: int = 100_000
    max_depth: int = 50


DEFAULT_LIMITS = Limits()


@dataclass
class SourceDocument:
    """The plain data of a scenario file plus the positions needed to point at any part of it."""

    file: str
    data: Any
    value_marks: dict[Path, Mark]
    key_marks: dict[Path, Mark]
    quoted: set[Path]

    def mark_for(self, path: Path) -> Mark:
        """Where the value at `path` was written, or failing that the closest place we know."""
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            mark = self.value_marks.get(prefix) or self.key_marks.get(prefix)
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_mark_for(self, path: Path) -> Mark:
        """Where the key of the entry at `path` was written, for problems about the key itself."""
        return self.key_marks.get(path) or self.mark_for(path)


def format_path(path: Path) -> str:
    """Render a path as `actors[1].name`, the form used in every Problem.

    A key that would print over several lines (or hide control characters) is shown as a Python
    literal, so one problem always stays on one line.
    """
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            text = part if part.isprintable() else repr(part)
            parts.append(f".{text}" if parts else text)
    return "".join(parts)


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    display_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> SourceDocument:
    """Read and parse a scenario file; `display_name` is how Problems name it (default: path)."""
    file = display_name if display_name is not None else os.fsdecode(path)
    data = _read_limited(path, file, limits.max_bytes)
    return _load_text(_decode(data, file), file, limits)


def load_yaml_text(
    text: str, file: str = "<string>", *, limits: Limits = DEFAULT_LIMITS
) -> SourceDocument:
    """Parse scenario YAML that is already in memory (tests, the editor, network input)."""
    text = text.removeprefix("\ufeff")
    _check_size(_utf8_size(text), limits.max_bytes, file)
    return _load_text(text, file, limits)


def _utf8_size(text: str, chunk: int = 1 << 20) -> int:
    """The text's size in UTF-8, measured a chunk at a time so a huge text is never copied whole."""
    if len(text) <= chunk:
        return len(text.encode("utf-8", "surrogatepass"))
    return sum(
        len(text[i : i + chunk].encode("utf-8", "surrogatepass"))
        for i in range(0, len(text), chunk)
    )


# ------------------------------------------------------------------------------------------------
# Bytes to text


_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The characters YAML allows in a stream (the same set as PyYAML's and libyaml's readers).
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _fail(file: str, message: str, mark: Mark = Mark(1, 1)) -> NoReturn:
    raise ScenarioError([Problem(file, mark.line, mark.column, "", message)])


def _read_limited(path: str | os.PathLike[str], file: str, limit: int) -> bytes:
    """Read at most `limit + 1` bytes, so a huge file costs no more memory than a legal one."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            _fail(file, "this is a folder, not a scenario file")
        if not stat.S_ISREG(info.st_mode):
            _fail(file, "this is not a regular file")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (FileNotFoundError, NotADirectoryError):
        _fail(file, "no such file")
    except PermissionError:
        _fail(file, "permission denied: the file cannot be read")
    except OSError as exc:
        _fail(file, f"the file cannot be read ({exc.strerror or exc})")
    if len(data) > limit:
        _check_size(max(len(data), info.st_size), limit, file)
    return data


def _check_size(size: int, limit: int, file: str) -> None:
    if size > limit:
        _fail(file, f"the file is {size:,} bytes, more than the limit of {limit:,} bytes")


def _decode(data: bytes, file: str) -> str:
    """Decode UTF-8 (an optional BOM is dropped), pointing at the first byte that is not."""
    data = data.removeprefix(_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        message = f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        _fail(file, message, _position(before, len(before)))


def _position(text: str, index: int, start: int = 0, origin: Mark = Mark(1, 1)) -> Mark:
    """The mark of `text[index]`, counting lines the way YAML does, from a known `origin`."""
    line, line_start = origin.line, None
    for match in _LINE_BREAK.finditer(text, start, index):
        line, line_start = line + 1, match.end()
    if line_start is None:
        return Mark(line, origin.column + index - start)
    return Mark(line, index - line_start + 1)


def _check_printable(text: str, file: str) -> None:
    """Refuse control characters ourselves, because the parsers report them without a line."""
    match = _NOT_PRINTABLE.search(text)
    if match is not None:
        code = ord(match.group())
        message = f"character U+{code:04X} is not allowed in a YAML file; remove it"
        _fail(file, message, _position(text, match.start()))


# ------------------------------------------------------------------------------------------------
# Events to nodes


# libyaml's parser emits the same events as the pure-Python one, with the same marks.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_YAML = "tag:yaml.org,2002:"
_STR, _NULL, _MAP, _SEQ, _MERGE = (_YAML + t for t in ("str", "null", "map", "seq", "merge"))
_INT, _FLOAT = _YAML + "int", _YAML + "float"
# Numbers follow the YAML 1.2 core schema, not PyYAML's YAML 1.1: no sexagesimal `1:30` (whose
# thousands of digits took seconds to build and crashed the error printer), no `1_000`, no `0b1`,
# and `0755` is decimal. Anything else a YAML 1.1 reader would take for a number is text.
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
MAX_NUMBER_DIGITS = 18
"""Longest whole number a file may hold; every number field is far smaller."""
MAX_NUMBER_TEXT = 100
"""Longest text read as a number (`0.000...1` with a million zeros is no one's scenario)."""


class _NumberProblem(ValueError):
    """A scalar that is a number by YAML's rules but not one a scenario can hold."""


def _core_int(node: ScalarNode) -> int:
    text = node.value
    if not _CORE_INT.fullmatch(text):
        raise ValueError(text)
    digits = text.lstrip("+-")
    if len(digits) > MAX_NUMBER_DIGITS:
        raise _NumberProblem(f"is too large a number (more than {MAX_NUMBER_DIGITS} digits)")
    if digits.startswith(("0o", "0x")):
        return int(digits[2:], 8 if digits[1] == "o" else 16) * (-1 if text[0] == "-" else 1)
    return int(text)


def _core_float(node: ScalarNode) -> float:
    text = node.value
    if len(text) > MAX_NUMBER_TEXT:
        raise _NumberProblem(f"is too long to be a number (more than {MAX_NUMBER_TEXT} characters)")
    if not _CORE_FLOAT.fullmatch(text):
        raise ValueError(text)
    value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    if not math.isfinite(value):
        raise _NumberProblem("is not a finite number; scenario numbers must be finite")
    return value


_CONSTRUCTOR = SafeConstructor()
_SCALAR_BUILDERS: dict[str, Callable[[ScalarNode], Any]] = {
    _STR: _CONSTRUCTOR.construct_yaml_str,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
    _YAML + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _INT: _core_int,
    _FLOAT: _core_float,
    _YAML + "timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}
_KIND_NAMES = {
    _STR: "text",
    _NULL: "empty value",
    _YAML + "bool": "true/false value",
    _YAML + "int": "whole number",
    _YAML + "float": "number",
    _YAML + "timestamp": "date",
}
_RESOLVER = Resolver()
_QUOTE_STYLES = ("'", '"')
# What SafeConstructor raises on a scalar that matches a type's pattern but is not a valid value
# (`2024-02-30`, `!!int x`, an integer longer than Python allows).
_BUILD_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError)
# Past this many, more problems only bury the first ones (and a hostile file could make millions).
_MAX_PROBLEMS = 100
# One `&anchor` or `!tag` (a verbatim `!<...>` tag may hold flow characters) and the blanks, line
# breaks and comments after it.
_PROPERTY = r"(?:!<[^>]*>|[&!][^\s,\[\]{}]*)(?:\s|#[^\r\n]*)*"
_ONE_PROPERTY = re.compile(_PROPERTY)
_PROPERTIES = re.compile(f"(?:{_PROPERTY})*")


@dataclass(slots=True, eq=False)
class _Scalar:
    mark: Mark
    value: Any
    raw: str
    tag: str
    quoted: bool
    weight: int = 1
    height: int = 0


@dataclass(slots=True, eq=False)
class _Seq:
    mark: Mark
    items: list[_Node] = field(default_factory=list)
    weight: int = 1  # nodes in this subtree once aliases are expanded
    height: int = 1  # nesting levels in this subtree once aliases are expanded


@dataclass(slots=True, eq=False)
class _Map:
    mark: Mark
    pairs: list[tuple[str, Mark, _Node]] = field(default_factory=list)
    weight: int = 1
    height: int = 1


@dataclass(slots=True, eq=False)
class _Alias:
    mark: Mark
    target: _Scalar | _Seq | _Map
    weight: int
    height: int


_Node: TypeAlias = _Scalar | _Seq | _Map | _Alias


@dataclass(slots=True, eq=False)
class _Frame:
    """A list or mapping whose end event has not arrived yet."""

    node: _Seq | _Map
    path: Path
    anchor: str | None
    key: str = ""
    key_mark: Mark = Mark(1, 1)
    key_ok: bool = False
    awaiting_value: bool = False
    seen: dict[str, Mark] = field(default_factory=dict)


class _Stop(Exception):
    """A problem after which reading on would be pointless or dangerous."""


class _Composer:
    """Builds the node graph from parser events with an explicit stack, checking every limit.

    Aliases become references to the anchored node, never copies, and each node carries its
    expanded size and height; so the limits are checked in O(1) per event, no matter how much an
    alias would expand to. A scalar's path is only worked out when there is a problem with it.
    """

    def __init__(self, text: str, file: str, limits: Limits) -> None:
        self.text, self.file, self.limits = text, file, limits
        self.problems: list[Problem] = []
        self.root: _Node | None = None
        self.stopped = False
        self.frames: list[_Frame] = []
        self.anchors: dict[str, _Scalar | _Seq | _Map] = {}
        # Keys and small values repeat all through a file; resolving each spelling once halves
        # the time spent per scalar.
        self.plain: dict[str, tuple[str, Any]] = {}
        self.documents = self.aliases = self.expanded = 0
        self.handlers: dict[type[Event], Callable[[Any], None]] = {
            StreamStartEvent: _ignore,
            StreamEndEvent: _ignore,
            DocumentEndEvent: _ignore,
            DocumentStartEvent: self._on_document_start,
            ScalarEvent: self._on_scalar,
            AliasEvent: self._on_alias,
            SequenceStartEvent: self._on_sequence_start,
            MappingStartEvent: self._on_mapping_start,
            SequenceEndEvent: self._on_collection_end,
            MappingEndEvent: self._on_collection_end,
        }

    def compose(self, loader_class: type | None = None) -> _Node | None:
        loader_class = loader_class or _LOADER
        loader = loader_class(self.text)
        try:
            while loader.check_event():
                event = loader.get_event()
                self.handlers[type(event)](event)
        except _Stop:
            self.stopped = True
        except yaml.MarkedYAMLError as exc:
            if loader_class is not yaml.SafeLoader and "nesting depth" in str(exc.problem):
                # Newer libyaml refuses deep nesting itself, while scanning far ahead of the
                # parser: the pure-Python parser lets our own limit speak, as every version does.
                return self._restart().compose(yaml.SafeLoader)
            self.stopped = True
            self.problems.append(self._syntax_problem(exc))
        except yaml.YAMLError as exc:  # not expected after `_check_printable`; still no traceback
            self.stopped = True
            lines = str(exc).splitlines() or ["this is not valid YAML"]
            self.problems.append(Problem(self.file, 1, 1, "", lines[0]))
        finally:
            loader.dispose()
        self._check_root()
        return self.root

    def _restart(self) -> _Composer:
        self.__init__(self.text, self.file, self.limits)  # type: ignore[misc]
        return self

    # -- problems --------------------------------------------------------------------------------

    def _problem(self, mark: Mark, path: Path, message: str) -> None:
        problem = Problem(self.file, mark.line, mark.column, format_path(path), message)
        self.problems.append(problem)
        if len(self.problems) == _MAX_PROBLEMS:
            note = f"stopped after {_MAX_PROBLEMS} problems; fix these first"
            self.problems.append(Problem(self.file, mark.line, mark.column, "", note))
            raise _Stop

    def _report(self, mark: Mark, message: str) -> None:
        """A problem with the node whose events are being read now."""
        self._problem(mark, self._next_path(), message)

    def _halt(self, mark: Mark, message: str) -> NoReturn:
        self._report(mark, message)
        raise _Stop

    def _next_path(self) -> Path:
        if not self.frames:
            return ()
        frame = self.frames[-1]
        if isinstance(frame.node, _Seq):
            return (*frame.path, len(frame.node.items))
        return (*frame.path, frame.key) if frame.awaiting_value else frame.path

    def _syntax_problem(self, exc: yaml.MarkedYAMLError) -> Problem:
        where = exc.problem_mark or exc.context_mark
        mark = Mark(where.line + 1, where.column + 1) if where is not None else Mark(1, 1)
        message = exc.problem or exc.context or "this is not valid YAML"
        context = exc.context_mark
        if exc.problem and exc.context and context is not None:
            position = f"line {context.line + 1}, column {context.column + 1}"
            message = f"{message} ({exc.context} at {position})"
        return Problem(self.file, mark.line, mark.column, "", message)

    def _check_root(self) -> None:
        if self.stopped or isinstance(self.root, _Map):
            return
        expected = "a scenario file must be a mapping of fields at the top level"
        root, mark = self.root, Mark(1, 1)
        if root is None or (isinstance(root, _Scalar) and not root.raw.strip()):
            message = f"{expected}, but this file is empty"
        else:
            found = "a list" if isinstance(root, _Seq) else "a single value"
            mark, message = root.mark, f"{expected}, but it holds {found}"
        # Appended directly: this runs after reading, where `_Stop` could not be caught.
        self.problems.append(Problem(self.file, mark.line, mark.column, "", message))

    # -- event handlers --------------------------------------------------------------------------

    def _on_document_start(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            message = "a scenario file holds one document, but a second one starts here ('---')"
            self._problem(_mark(event), (), message)
            raise _Stop

    def _on_scalar(self, event: ScalarEvent) -> None:
        bare = event.anchor is None and event.tag is None
        mark = _mark(event) if bare else self._content_mark(event)
        self._count(1, mark)
        tag, value = self._scalar(event, mark)
        node = _Scalar(mark, value, event.value, tag, event.style in _QUOTE_STYLES)
        self._finish(node, event.anchor)

    def _on_alias(self, event: AliasEvent) -> None:
        """Refer to the anchored node; its size and height count again here, as if copied."""
        mark = _mark(event)
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            limit = self.limits.max_aliases
            self._halt(mark, f"too many aliases: more than {limit:,} '*name' uses in one file")
        target = self._alias_target(event.anchor, mark)
        if len(self.frames) + target.height > self.limits.max_depth:
            self._halt(mark, f"{self._too_deep()} once alias '*{event.anchor}' is filled in")
        self._count(target.weight, mark)
        self._attach(_Alias(mark, target, target.weight, target.height))

    def _on_sequence_start(self, event: SequenceStartEvent) -> None:
        self._open(event, _Seq, _SEQ, "a list")

    def _on_mapping_start(self, event: MappingStartEvent) -> None:
        self._open(event, _Map, _MAP, "a mapping")

    def _on_collection_end(self, event: Event) -> None:
        frame = self.frames.pop()
        self._finish(frame.node, frame.anchor)

    # -- building --------------------------------------------------------------------------------

    def _open(self, event: NodeEvent, kind: type[_Seq | _Map], tag: str, name: str) -> None:
        mark = _mark(event)
        if len(self.frames) >= self.limits.max_depth:
            self._halt(mark, self._too_deep())
        self._count(1, mark)
        if event.tag not in (None, "!", tag):
            self._refuse_tag(event, name)
        self.frames.append(_Frame(kind(mark), self._next_path(), event.anchor))

    def _too_deep(self) -> str:
        return f"nested too deeply: more than {self.limits.max_depth} levels of lists and mappings"

    def _count(self, weight: int, mark: Mark) -> None:
        """Add nodes to the expanded total; this is what stops alias bombs, before any copying."""
        self.expanded += weight
        if self.expanded > self.limits.max_nodes:
            limit = f"more than {self.limits.max_nodes:,} values"
            if self.aliases:
                self._halt(mark, f"the file expands to {limit} once its aliases are filled in")
            self._halt(mark, f"the file has {limit}")

    def _alias_target(self, anchor: str, mark: Mark) -> _Scalar | _Seq | _Map:
        target = self.anchors.get(anchor)
        if any(frame.anchor == anchor for frame in self.frames):
            message = f"alias '*{anchor}' is used inside the value it names; that never ends"
        elif target is None:
            message = f"alias '*{anchor}' has no anchor '&{anchor}' before it"
        else:
            return target
        self._report(mark, message)
        return _Scalar(mark, f"*{anchor}", f"*{anchor}", _STR, False)

    def _scalar(self, event: ScalarEvent, mark: Mark) -> tuple[str, Any]:
        """The resolved tag and Python value of a scalar, by SafeConstructor's rules."""
        raw, tag = event.value, event.tag
        if tag is None and not event.implicit[0]:
            return _STR, raw  # quoted or block text
        if tag is None and raw in self.plain:
            return self.plain[raw]
        if tag in (None, "!"):
            tag = _RESOLVER.resolve(ScalarNode, raw, event.implicit)
            if event.implicit[0]:
                tag = _core_number_tag(raw, tag)
        elif tag not in _SCALAR_BUILDERS:
            self._refuse_tag(event, "a single value")
            return _STR, raw
        build = _SCALAR_BUILDERS.get(tag)
        if build is None:  # `<<`, `=` outside key position: YAML 1.1 oddities, kept as text
            return tag, raw
        try:
            result = tag, build(ScalarNode(tag, raw))
        except _NumberProblem as problem:
            self._report(mark, f"{_quote(raw)} {problem}")
            return tag, raw
        except _BUILD_ERRORS:
            message = f"{_quote(raw)} is not a valid {_KIND_NAMES[tag]}"
            if event.tag is None:
                message += "; put it in quotes if it is meant as text"
            self._report(mark, message)
            return tag, raw
        if event.tag is None:
            self.plain[raw] = result
        return result

    def _refuse_tag(self, event: NodeEvent, kind: str) -> None:
        shown = _quote(_show_tag(event.tag))
        if event.tag in _SCALAR_BUILDERS or event.tag in (_MAP, _SEQ):
            message = f"tag {shown} cannot be used on {kind}"
        else:
            message = f"tag {shown} is not allowed in scenario files"
        self._report(self._tag_mark(event), message)

    def _finish(self, node: _Scalar | _Seq | _Map, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        self._attach(node)

    def _attach(self, node: _Node) -> None:
        if not self.frames:
            self.root = node
            return
        frame = self.frames[-1]
        parent = frame.node
        parent.weight += node.weight
        if node.height >= parent.height:
            parent.height = node.height + 1
        if isinstance(parent, _Seq):
            parent.items.append(node)
        elif frame.awaiting_value:
            self._add_entry(frame, parent, node)
        else:
            self._take_key(frame, node)

    def _take_key(self, frame: _Frame, node: _Node) -> None:
        frame.key, problem = _key_text(node)
        frame.key_mark, frame.key_ok, frame.awaiting_value = node.mark, problem is None, True
        if problem is not None:
            self._problem(node.mark, frame.path, problem)

    def _add_entry(self, frame: _Frame, parent: _Map, node: _Node) -> None:
        first = frame.seen.get(frame.key) if frame.key_ok else None
        if frame.key_ok and first is None:
            frame.seen[frame.key] = frame.key_mark
        elif first is not None:
            where = f"first at line {first.line}, column {first.column}"
            message = f"duplicate key {_quote(frame.key)} ({where})"
            self._problem(frame.key_mark, frame.path, message)
        parent.pairs.append((frame.key, frame.key_mark, node))
        frame.awaiting_value = False

    # -- positions -------------------------------------------------------------------------------

    def _tag_mark(self, event: NodeEvent) -> Mark:
        """Where the tag is written: the event starts at the anchor when both are present."""
        start = event.start_mark.index
        index = start
        if self.text.startswith("&", start):
            index = _ONE_PROPERTY.match(self.text, start).end()  # type: ignore[union-attr]
        return _position(self.text, index, start, _mark(event))

    def _content_mark(self, event: ScalarEvent) -> Mark:
        """Where a scalar's own text (or its opening quote) starts, past `&anchor` and `!tag`."""
        start = event.start_mark.index
        index = _PROPERTIES.match(self.text, start).end()  # type: ignore[union-attr]
        return _position(self.text, index, start, _mark(event))


def _core_number_tag(raw: str, tag: str) -> str:
    """The tag of a plain scalar under YAML 1.2's core schema, where it differs from 1.1's."""
    if tag in (_INT, _FLOAT, _STR):
        if _CORE_INT.fullmatch(raw):
            return _INT
        if _CORE_FLOAT.fullmatch(raw):
            return _FLOAT
        if tag != _STR:
            return _STR
    return tag


def _ignore(event: Event) -> None:
    """Stream and document boundaries carry nothing a scenario needs."""


def _mark(event: Event) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _show_tag(tag: str) -> str:
    """Spell a resolved tag the way an author would have written it."""
    if tag.startswith(_YAML):
        return "!!" + tag.removeprefix(_YAML)
    return tag if tag.startswith("!") else f"!<{tag}>"


def _quote(text: str, limit: int = 60) -> str:
    """Quote text for a message, cut short so a hostile file cannot flood the output."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _key_text(node: _Node) -> tuple[str, str | None]:
    """The key's text for paths, and a problem if the key is not plain text."""
    target = node.target if isinstance(node, _Alias) else node
    if not isinstance(target, _Scalar):
        kind = "a list" if isinstance(target, _Seq) else "a mapping"
        return "?", f"keys must be text, but this key is {kind}"
    raw, value = target.raw, target.value
    if target.tag == _MERGE:
        return raw, "merge keys ('<<') are not supported in scenario files; write the fields out"
    if isinstance(value, str):
        return value, None
    if value is None and not raw.strip():
        return raw, "keys must be text, but this key is empty"
    if value is None:
        kind = "'no value'"
    elif isinstance(value, bool):
        kind = f"{str(value).lower()} (YAML reads yes/no/on/off as true/false)"
    else:
        kind = "a number" if isinstance(value, int | float) else "a date"
    return raw, f"keys must be text, but {_quote(raw)} is read as {kind}; put it in quotes"


# ------------------------------------------------------------------------------------------------
# Nodes to data


def _build(root: _Node, file: str) -> SourceDocument:
    """Turn the node graph into fresh plain data (aliases become independent copies) and marks.

    Iterative, so the depth of the data never meets Python's recursion limit. A path filled by an
    alias is marked at the `*name` (and so is never in `quoted`); the paths inside it are marked
    where the anchored original was written.
    """
    document = SourceDocument(file, None, {}, {}, set())
    holder: list[Any] = [None]
    stack: list[tuple[_Node, Path, Any, Any]] = [(root, (), holder, 0)]
    while stack:
        node, path, container, slot = stack.pop()
        document.value_marks[path] = node.mark
        if isinstance(node, _Alias):
            node = node.target
        elif isinstance(node, _Scalar) and node.quoted:
            document.quoted.add(path)
        container[slot] = _build_one(node, path, document, stack)
    document.data = holder[0]
    return document


def _build_one(node: _Node, path: Path, document: SourceDocument, stack: list[Any]) -> Any:
    if isinstance(node, _Scalar):
        return node.value
    if isinstance(node, _Seq):
        items: list[Any] = [None] * len(node.items)
        stack.extend((child, (*path, i), items, i) for i, child in enumerate(node.items))
        return items
    mapping: dict[str, Any] = {}
    for key, key_mark, child in node.pairs:
        mapping[key] = None  # reserve the key now so the file's order is kept
        document.key_marks[(*path, key)] = key_mark
        stack.append((child, (*path, key), mapping, key))
    return mapping


def _load_text(text: str, file: str, limits: Limits) -> SourceDocument:
    _check_printable(text, file)
    composer = _Composer(text, file, limits)
    root = composer.compose()
    if composer.problems or root is None:
        raise ScenarioError(composer.problems)
    return _build(root, file)
