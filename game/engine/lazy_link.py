"""Cached rules load without reading the code kept for compiling them into later functions.

numba caches a compiled function as its machine code plus its LLVM bitcode, and parses that
bitcode as soon as it loads the function, for two uses: to learn which symbols the machine code
defines (so that it can find the function's address), and to copy the function into a later
compile that calls it. A start of the game compiles nothing, yet that parse took 0.43 s of a
1.6 s `simulate` (37 functions, 5.7 MB of bitcode), and listing the symbols of the parsed
modules 0.15 s more. Here the symbols come from the machine code's own symbol table (an ELF
object on Linux; the same names, `tests/test_lazy_link.py` checks it on every cached rule), and
the bitcode is parsed the first time a compile needs it: binding the rules to a structure, say.

Where the machine code is not ELF (macOS, Windows), or numba's internals are not the ones this
was written against (`install` then returns False), numba loads as it always did.
"""

from __future__ import annotations

import struct
import threading
from typing import Any

_ELF_MAGIC = b"\x7fELF"
_ELF64, _LITTLE_ENDIAN = 2, 1
_SYMBOL_TABLE = 2
_UNDEFINED_SECTION = 0
_SECTION_SYMBOL, _FILE_SYMBOL = 3, 4
_SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")
_SYMBOL = struct.Struct("<IBBHQQ")

_parse_lock = threading.Lock()
_PENDING = "_link_bitcode_unparsed"
_PARSED = "_link_module_parsed"


def defined_symbols(object_code: bytes) -> set[str] | None:
    """The names an ELF64 little-endian object defines (functions and data, local or global),
    or None for anything else or anything malformed: the caller then asks numba."""
    try:
        if object_code[:4] != _ELF_MAGIC or object_code[4] != _ELF64:
            return None
        if object_code[5] != _LITTLE_ENDIAN:
            return None
        (section_offset,) = struct.unpack_from("<Q", object_code, 0x28)
        entry_size, count = struct.unpack_from("<HH", object_code, 0x3A)
        if entry_size != _SECTION_HEADER.size:
            return None
        sections = [
            _SECTION_HEADER.unpack_from(object_code, section_offset + k * entry_size)
            for k in range(count)
        ]
        names: set[str] = set()
        for _, kind, _, _, offset, size, link, _, _, symbol_size in sections:
            if kind != _SYMBOL_TABLE:
                continue
            if symbol_size != _SYMBOL.size or link >= count:
                return None
            strings = sections[link][4]
            for k in range(size // symbol_size):
                name, info, _, section, _, _ = _SYMBOL.unpack_from(
                    object_code, offset + k * symbol_size
                )
                if section == _UNDEFINED_SECTION or info & 0xF in (_SECTION_SYMBOL, _FILE_SYMBOL):
                    continue
                start = strings + name
                end = object_code.index(b"\0", start)
                if end > start:
                    names.add(object_code[start:end].decode())
        return names
    except (struct.error, IndexError, ValueError, UnicodeDecodeError):
        return None


class _ParsedOnFirstUse:
    """A library's module for linking, parsed from its cached bitcode when first asked for."""

    def __get__(self, library: Any, owner: type | None = None) -> Any:
        if library is None:
            return self
        state = library.__dict__
        if _PENDING in state:
            with _parse_lock:
                if _PENDING in state:
                    import llvmlite.binding as llvm

                    state[_PARSED] = llvm.parse_bitcode(state[_PENDING])
                    del state[_PENDING]
        # A library made before `install` keeps its module where numba put it.
        return state.get(_PARSED, state.get("_shared_module"))

    def __set__(self, library: Any, module: Any) -> None:
        library.__dict__.pop(_PENDING, None)
        library.__dict__[_PARSED] = module


_NUMBA_PARTS = (
    "_unserialize",
    "enable_object_caching",
    "_set_compiled_object",
    "_finalize_final_module",
)


def install() -> bool:
    """Load cached functions without parsing their bitcode, from now on in this process; False
    (and numba untouched) if this numba is not laid out as expected."""
    from numba.core import codegen

    library_class = getattr(codegen, "CPUCodeLibrary", None)
    if library_class is None or not all(hasattr(library_class, a) for a in _NUMBA_PARTS):
        return False
    if isinstance(library_class.__dict__.get("_shared_module"), _ParsedOnFirstUse):
        return True
    numba_unserialize = library_class._unserialize.__func__

    def unserialize(cls: type, code_generator: Any, state: tuple) -> Any:
        name, kind, data = state
        engine = getattr(code_generator, "_engine", None)
        known = getattr(engine, "_defined_symbols", None)
        if kind == "object" and isinstance(known, set):
            object_code, link_bitcode = data
            names = defined_symbols(object_code)
            if names is not None:
                library = code_generator.create_library(name)
                library.enable_object_caching()
                library._set_compiled_object(object_code)
                library.__dict__[_PENDING] = link_bitcode
                library._finalize_final_module()
                known |= names
                return library
        return numba_unserialize(cls, code_generator, state)

    library_class._shared_module = _ParsedOnFirstUse()
    library_class._unserialize = classmethod(unserialize)
    return True
