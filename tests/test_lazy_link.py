"""A start loads the cached rules without parsing their bitcode, and nothing else changes.

The symbols each cached function defines are read from its machine code instead of its parsed
bitcode (see `game.engine.lazy_link`): these tests hold that the two agree on every cached rule,
that a start parses no bitcode yet plays the same games, and that a later compile which calls a
cached rule still gets the bitcode it links.
"""

from __future__ import annotations

import hashlib
import json

from helpers import SCENARIO_2016, fresh_process_output
from hypothesis import given
from hypothesis import strategies as st

from game.engine import lazy_link
from game.engine.engine import Engine
from game.match import play_batch
from game.scenario.load import load_scenario
from game.strategies.registry import make_strategy

_PLAY = f"""
from game.engine.engine import Engine
from game.match import play_batch
from game.scenario.load import load_scenario
from game.strategies.registry import make_strategy
engine = Engine(load_scenario({str(SCENARIO_2016)!r}))
strategies = [make_strategy("random"), make_strategy("lookahead")]
state = play_batch(engine, strategies, seed=3, batch=40)
"""


def _digest_of_play() -> str:
    engine = Engine(load_scenario(SCENARIO_2016))
    strategies = [make_strategy("random"), make_strategy("lookahead")]
    state = play_batch(engine, strategies, seed=3, batch=40)
    return hashlib.sha256(state.data.tobytes()).hexdigest()


def test_every_cached_rule_defines_the_symbols_its_bitcode_lists() -> None:
    spy = (
        """
import json
import game.engine.jit
import llvmlite.binding as llvm
from numba.core import codegen
from game.engine.lazy_link import defined_symbols

loading = codegen.CPUCodeLibrary._unserialize.__func__
compared = []

def unserialize(cls, code_generator, state):
    name, kind, data = state
    if kind == "object":
        module = llvm.parse_bitcode(data[1])
        listed = {
            value.name
            for values in (module.functions, module.global_variables)
            for value in values
            if not value.is_declaration
        }
        compared.append((name, sorted(listed ^ defined_symbols(data[0]))))
    return loading(cls, code_generator, state)

codegen.CPUCodeLibrary._unserialize = classmethod(unserialize)
from game.engine.preload import load_engine_rules
load_engine_rules()
"""
        + _PLAY
        + """
print(json.dumps(compared))
"""
    )
    compared = json.loads(fresh_process_output(spy))
    assert len(compared) >= 20, "the rules were compiled in this process, not loaded"
    assert [(name, differ) for name, differ in compared if differ] == []


def test_a_start_parses_no_bitcode_and_plays_the_same_games() -> None:
    counted = (
        """
import hashlib
import game.engine.jit
import llvmlite.binding as llvm
parses = []
parse = llvm.parse_bitcode
llvm.parse_bitcode = lambda data: parses.append(len(data)) or parse(data)
"""
        + _PLAY
        + """
print(len(parses), hashlib.sha256(state.data.tobytes()).hexdigest())
"""
    )
    parses, digest = fresh_process_output(counted).split()
    assert parses == "0"
    assert digest == _digest_of_play()


def test_a_compile_that_calls_a_cached_rule_still_links_it() -> None:
    linking = f"""
import json
import numba
import numpy as np
from game.engine import batch
from game.engine.engine import Engine
from game.scenario.load import load_scenario
engine = Engine(load_scenario({str(SCENARIO_2016)!r}))
state = engine.new_games(seed=1, batch=3)
scheduled = batch.scheduled_batch

@numba.njit
def calls_a_cached_rule(lay, ints, data, out):
    scheduled(lay, ints, data, out)
    return out.sum()

out = np.empty(3)
total = calls_a_cached_rule(engine.tables.lay, engine.tables.ints, state.data, out)
print(json.dumps([total, out.tolist(), engine.turns_to_next_scheduled(state).tolist()]))
"""
    total, through_new_code, through_engine = json.loads(fresh_process_output(linking))
    assert through_new_code == through_engine
    assert total == sum(through_engine)


def test_install_is_in_force_and_can_be_repeated() -> None:
    assert lazy_link.install()
    assert lazy_link.install()


def test_machine_code_that_is_not_elf_is_left_to_numba() -> None:
    assert lazy_link.defined_symbols(b"") is None
    assert lazy_link.defined_symbols(b"\xcf\xfa\xed\xfe" + bytes(60)) is None  # Mach-O
    assert lazy_link.defined_symbols(b"MZ" + bytes(62)) is None  # Windows
    assert lazy_link.defined_symbols(b"\x7fELF\x01\x01" + bytes(58)) is None  # 32-bit


@given(st.binary(max_size=300))
def test_damaged_machine_code_never_raises(tail: bytes) -> None:
    for head in (b"", b"\x7fELF\x02\x01\x01\x00", b"\x7fELF\x02\x01" + bytes(52) + b"\x40\x00"):
        found = lazy_link.defined_symbols(head + tail)
        assert found is None or isinstance(found, set)
