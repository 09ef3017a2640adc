"""Text from files strangers wrote, made safe to print on a terminal or draw in the game window.

A scenario's names, headlines and texts reach the terminal (`simulate`) and pygame's font
renderer. YAML's double-quoted escapes let an author put anything in them: `"\\e[2J"` clears a
terminal, `"\\0"` makes pygame refuse to render, and a name made only of zero-width spaces
renders as nothing (pygame raises "Text has zero width") or looks like another name. So every
text is cleaned once, when it is loaded, and a name that is empty once cleaned is refused.

Cleaning removes terminal escape sequences, control characters (line breaks and tabs become
plain line breaks and spaces), invisible format characters such as zero-width spaces and
bidirectional overrides, and lone surrogates. The zero-width joiner and non-joiner are kept:
some scripts and emoji need them, and they never make text empty (`is_blank` sees through them).
"""

from __future__ import annotations

import re
import unicodedata

# ESC followed by a CSI, OSC, DCS/SOS/PM/APC string, or a two-character sequence; and the
# 8-bit CSI (U+009B) with its parameters. The rest of a broken sequence goes as control text.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_JOINERS = frozenset("\u200c\u200d")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Letters and symbols that draw nothing, so a name made of them looks empty.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")


def _kept(char: str) -> bool:
    if char in "\n\t" or char in _JOINERS:
        return True
    return unicodedata.category(char) not in _REMOVED_CATEGORIES


def clean(text: str) -> str:
    """`text` without escape sequences, control or invisible format characters; line breaks kept.

    Plain printable text comes back unchanged (and cheaply: that is the common case).
    """
    if text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return "".join(char for char in text if _kept(char))


def one_line(text: str) -> str:
    """`clean(text)` on a single line: line breaks become spaces."""
    return clean(text).replace("\n", " ")


def is_blank(text: str) -> bool:
    """Whether the text would show nothing: only spaces, joiners and glyphs that draw nothing."""
    return all(
        char.isspace()
        or char in _JOINERS
        or char in _BLANK_GLYPHS
        or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc", "Cs", "Zs")
        for char in text
    )
