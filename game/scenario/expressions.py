"""Small expressions from scenario files, checked against a whitelist and compiled to data.

Scenario authors write conditions, effects and scores as strings, such as
``"grievance > 10 and turn <= 4"`` or ``"5 + 0.2 * pressure"``. Scenario files come from
strangers, so no Python code is ever run: the text is parsed with :func:`ast.parse`, every node is
checked against a short whitelist, and the allowed nodes become instructions for the engine's
stack machine (`game.engine.program`). Instructions are plain integers, so the rules compiled once
per install run every scenario, and an edited scenario reloads without compiling anything.

The language is made of numbers, ``True``/``False`` and variable names. It has ``+ - * /`` (where
``x / 0`` is 0), unary ``-`` and ``+``, comparisons (chains too), and ``and``, ``or`` and
``not``. It has ``a if c else b`` and the functions ``min``, ``max``, ``clip`` and ``abs``.
Booleans count as 0 and 1 in arithmetic, and a non-zero number counts as true in a condition.
Each game is evaluated on its own, so one game in a batch cannot affect another.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np

from game.scenario import opcodes as op
from game.scenario.suggest import close_match

MAX_LENGTH = 500
"""Longest accepted source, in characters: longer text is a mistake or an attack."""

MAX_DEPTH = 50
"""Deepest accepted nesting of operations or of brackets, so no input can exhaust the stack."""

Env = Mapping[str, "np.ndarray | float"]
"""Variable values: float64 arrays of shape (B,), one entry per game, or scalars."""

Instruction = tuple[int, int, int, int]


class ExpressionError(Exception):
    """A mistake in an expression, located within the expression's text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message, offset)
        self.message = message
        self.offset = offset
        """0-based character offset within the source string where the problem starts."""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Expression:
    """A compiled expression: instructions for the engine's stack machine, and what they read."""

    source: str
    names: frozenset[str]
    """Every variable name the expression reads."""
    constant: float | None
    """The value when the expression reads no variables (folded at compile time), else None."""
    code: np.ndarray = field(repr=False, compare=False)
    """(M, 4) int64 instructions; a variable is read as `(OP_VAR, VAR_SLOT, -1, slot)`."""
    constants: np.ndarray = field(repr=False, compare=False)
    """float64 values that `OP_CONST` instructions push, by index."""
    slots: tuple[str, ...] = field(repr=False, compare=False)
    """The variable names by slot number."""
    depth: int = field(repr=False, compare=False)
    """The most values the machine holds at once while running it."""
    _boolean: bool = field(default=False, repr=False, compare=False)

    def __call__(self, env: Env) -> np.ndarray | np.float64:
        """Evaluate for every game at once, with variable values given by name.

        Returns a new float64 array broadcast to the shape of the variables read, or an
        ``np.float64`` when they are all scalars (or none are read). Conditions come out as
        0.0 and 1.0. The arrays in ``env`` are never written to.
        """
        if self.constant is not None:
            return np.float64(self.constant)
        from game.engine.program import evaluate_rows

        values = [np.asarray(env[name], dtype=np.float64) for name in self.slots]
        shape = np.broadcast_shapes(*(value.shape for value in values))
        rows = np.empty((int(np.prod(shape, dtype=np.int64)), len(values)))
        for slot, value in enumerate(values):
            rows[:, slot] = np.broadcast_to(value, shape).reshape(-1)
        out = np.empty(rows.shape[0])
        evaluate_rows(self.code, self.constants, rows, np.empty(self.depth), out)
        return out.reshape(shape) if shape else np.float64(out[0])

    def is_boolean(self) -> bool:
        """Whether the expression is a condition: a comparison, logic, True/False, or an if-else
        whose two branches are conditions.

        Lets the scenario loader warn when an author writes a number where a condition belongs.
        """
        return self._boolean

    def __reduce__(self) -> tuple[Callable[[str], Expression], tuple[str]]:
        # The source compiles back to the same expression, which keeps pickles small and
        # independent of the instruction format.
        return compile_expression, (self.source,)


def compile_expression(
    source: str | int | float | bool, allowed_names: Collection[str] | None = None
) -> Expression:
    """Check and compile an expression; raise ExpressionError if it is not in the language.

    Numbers and booleans are accepted as they are, because YAML turns ``effect: 5`` into an int.
    With ``allowed_names``, reading any other variable is an error that suggests a close match.
    """
    text = _SourceText(_as_text(source))
    tree = _parse(text)
    _check_tree_depth(tree, text)
    compiler = _Compiler(text, None if allowed_names is None else frozenset(allowed_names))
    root = compiler.build(tree.body)
    code = np.array(root.code, dtype=np.int64).reshape(-1, op.WIDTH)
    return Expression(
        source=text.original,
        names=frozenset(compiler.slots),
        constant=root.value,
        code=code,
        constants=np.array(compiler.constants, dtype=np.float64),
        slots=tuple(compiler.slots),
        depth=_stack_depth(code),
        _boolean=root.boolean,
    )


# --- Reading the text ---------------------------------------------------------------------------


def _as_text(source: object) -> str:
    """Accept what YAML may hand over for an expression: a string, a number or a boolean."""
    if isinstance(source, str):
        return source
    if isinstance(source, bool | np.bool_):
        return "True" if source else "False"
    if isinstance(source, int | np.integer):
        _require_finite(source)
        return str(int(source))
    if isinstance(source, float | np.floating):
        _require_finite(source)
        return repr(float(source))
    raise ExpressionError(f"expected an expression or a number, not {type(source).__name__}")


def _require_finite(number: int | float | np.number, offset: int = 0) -> float:
    """Convert to float, refusing what has no finite float value (it would spread inf and NaN)."""
    try:
        value = float(number)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise ExpressionError("the number is too large or not finite", offset)
    return value


class _SourceText:
    """The author's text, the text given to the parser, and the map between their positions.

    Line breaks become spaces so that YAML block strings may span lines, and leading blanks are
    dropped because the parser would take them for indentation. Neither changes any position
    past the blanks, so an error offset is a parser position plus the number of blanks.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        if len(original) > MAX_LENGTH:
            raise ExpressionError(
                f"the expression is too long ({len(original)} characters; at most {MAX_LENGTH})",
                MAX_LENGTH,
            )
        one_line = original.replace("\r", " ").replace("\n", " ")
        self.text = one_line.lstrip()
        self.shift = len(one_line) - len(self.text)
        self._encoded = self.text.encode("utf-8", "surrogatepass")
        if not self.text.strip():
            raise ExpressionError("the expression is empty", 0)
        if "#" in self.text:
            # With line breaks turned to spaces, a comment would silently swallow what follows.
            raise ExpressionError(
                "comments ('#') are not allowed in expressions", self.shift + self.text.index("#")
            )
        self._check_brackets()

    def _check_brackets(self) -> None:
        """Refuse deep bracket nesting, which makes no syntax-tree nodes but strains the parser."""
        depth = 0
        for index, char in enumerate(self.text):
            if char in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ExpressionError(
                        f"brackets are nested too deeply (more than {MAX_DEPTH} levels)",
                        self.shift + index,
                    )
            elif char in ")]}":
                depth -= 1

    def offset(self, byte_offset: int) -> int:
        """Character offset in the original text of a parser position (which counts UTF-8 bytes)."""
        prefix = self._encoded[:byte_offset].decode("utf-8", "ignore")
        return self.shift + len(prefix)

    def at(self, node: ast.AST) -> int:
        """Character offset in the original text where a node starts."""
        return self.offset(getattr(node, "col_offset", 0))

    def find(self, symbol: str, start: ast.AST, end: ast.AST) -> int:
        """Where an operator between two nodes is, since the syntax tree does not record it."""
        begin = getattr(start, "end_col_offset", None) or 0
        position = self._encoded.find(symbol.encode(), begin, getattr(end, "col_offset", None))
        return self.offset(position) if position >= 0 else self.at(start)


def _parse(text: _SourceText) -> ast.Expression:
    """Parse with Python's own parser (it never runs code); report its errors as ours."""
    try:
        with warnings.catch_warnings():
            # Some odd but harmless input (such as "1(2)") makes the parser warn; the whitelist
            # refuses it anyway, with a clearer message.
            warnings.simplefilter("ignore")
            return ast.parse(text.text, mode="eval")
    except SyntaxError as error:
        if error.offset is None:
            position = 0
        elif error.offset == 0:
            # The parser reports running out of input (as in "1 +") at offset 0.
            position = len(text.original.rstrip())
        else:
            position = min(text.shift + error.offset - 1, len(text.original))
        raise ExpressionError(error.msg or "invalid syntax", position) from None
    except (ValueError, MemoryError, RecursionError) as error:
        raise ExpressionError(f"the expression cannot be parsed ({error})", 0) from None


def _check_tree_depth(tree: ast.Expression, text: _SourceText) -> None:
    """Refuse deeply nested operations before the (recursive) compiler sees them."""
    pending: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                text.at(node),
            )
        for child in ast.iter_child_nodes(node):
            pending.append((child, depth + isinstance(child, ast.expr)))


# --- Instructions -------------------------------------------------------------------------------


class _Node(NamedTuple):
    """A compiled sub-expression: its instructions, whether it yields a condition (0.0 or 1.0),
    and its value when it is a constant."""

    code: tuple[Instruction, ...]
    boolean: bool
    value: float | None = None


def _stack_depth(code: np.ndarray) -> int:
    """The most values held at once: each instruction's effect on the stack, in order (a jump
    that is taken keeps one value where falling through would pop it, so no more)."""
    depth = most = 0
    for instruction in code:
        depth += _STACK_EFFECT[int(instruction[0])]
        most = max(most, depth)
    return max(most, 1)


_STACK_EFFECT = {
    op.OP_CONST: 1,
    op.OP_VAR: 1,
    op.OP_NEG: 0,
    op.OP_NOT: 0,
    op.OP_TRUTH: 0,
    op.OP_ABS: 0,
    op.OP_WHERE: -2,
    op.OP_AND_JUMP: -1,
    op.OP_OR_JUMP: -1,
    **{binary: -1 for binary in range(op.OP_ADD, op.OP_MAX + 1)},
}


def _fold(code: tuple[Instruction, ...], constants: list[float]) -> float:
    """The value of instructions that read no variable, by the engine's own machine (run as
    plain Python, so nothing is compiled to load a scenario)."""
    from game.engine.program import fold

    array = np.array(code, dtype=np.int64).reshape(-1, op.WIDTH)
    with np.errstate(all="ignore"):
        return fold(array, np.array(constants, dtype=np.float64), _stack_depth(array))


def _jumps(operation: int, operands: Sequence[_Node]) -> tuple[Instruction, ...]:
    """``a and b and c``: each operand but the last is followed by a jump past the rest, taken
    when it decides the whole (false for ``and``, true for ``or``)."""
    code: list[Instruction] = list(operands[-1].code)
    for operand in reversed(operands[:-1]):
        code = [*operand.code, (operation, len(code), 0, 0), *code]
    return tuple(code)


# --- The whitelist ------------------------------------------------------------------------------

_ARITHMETIC: dict[type[ast.operator], int] = {
    ast.Add: op.OP_ADD,
    ast.Sub: op.OP_SUB,
    ast.Mult: op.OP_MUL,
    ast.Div: op.OP_DIV,
}
_COMPARISONS: dict[type[ast.cmpop], int] = {
    ast.Lt: op.OP_LT,
    ast.LtE: op.OP_LE,
    ast.Gt: op.OP_GT,
    ast.GtE: op.OP_GE,
    ast.Eq: op.OP_EQ,
    ast.NotEq: op.OP_NE,
}
_REFUSED_OPERATORS: dict[type[ast.AST], str] = {
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_REFUSED_NODES: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "indexing ('[...]') is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.JoinedStr: "text is not allowed; expressions compute with numbers",
    ast.NamedExpr: "assignment (':=') is not allowed",
    ast.Starred: "unpacking ('*') is not allowed",
    ast.Slice: "slices are not allowed",
}
_FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "clip": (3, 3),
    "max": (2, None),
    "min": (2, None),
}
_FUNCTION_LIST = ", ".join(sorted(_FUNCTION_ARITY))


def _did_you_mean(name: str, known: Collection[str], what: str) -> str:
    """A hint for a misspelt name: the closest known one, or else a few of the known ones."""
    close = close_match(name, known)
    if close:
        return f" (did you mean '{close}'?)"
    if not known:
        return f" (no {what} are available here)"
    listed = sorted(known)
    more = ", ..." if len(listed) > 8 else ""
    return f" (known {what}: {', '.join(listed[:8])}{more})"


class _Compiler:
    """Compiles one checked syntax tree, node by node, refusing anything off the whitelist."""

    def __init__(self, text: _SourceText, allowed_names: frozenset[str] | None) -> None:
        self._text = text
        self._allowed = allowed_names
        self.slots: dict[str, int] = {}
        self.constants: list[float] = []

    def _error(self, message: str, node: ast.AST) -> ExpressionError:
        return ExpressionError(message, self._text.at(node))

    def build(self, node: ast.expr) -> _Node:
        """Compile one node; recursion depth is bounded by the earlier depth check."""
        handler = self._HANDLERS.get(type(node))
        if handler is None:
            message = _REFUSED_NODES.get(type(node), f"'{type(node).__name__}' is not allowed")
            raise self._error(message, node)
        compiled = handler(self, node)
        if compiled.value is not None and not math.isfinite(compiled.value):
            raise self._error("this part evaluates to a number that is too large", node)
        return compiled

    # -- making nodes ---------------------------------------------------------------------

    def _constant(self, value: float, boolean: bool = False) -> _Node:
        self.constants.append(float(value))
        index = len(self.constants) - 1
        return _Node(((op.OP_CONST, index, 0, 0),), boolean=boolean, value=float(value))

    def _make(self, code: Sequence[Instruction], children: Sequence[_Node], boolean: bool) -> _Node:
        """A node computed from children; folded to a constant if all of them are constants.

        Folding runs the very instructions that would run later, so a folded value is exactly
        what evaluating would give.
        """
        if all(child.value is not None for child in children):
            return self._constant(_fold(tuple(code), self.constants), boolean)
        return _Node(tuple(code), boolean=boolean)

    def _truth(self, node: _Node) -> _Node:
        """A number counts as true where it is non-zero."""
        if node.boolean:
            return node
        return self._make((*node.code, (op.OP_TRUTH, 0, 0, 0)), (node,), boolean=True)

    @staticmethod
    def _number(node: _Node) -> _Node:
        """Conditions are already 0.0 and 1.0, which is how arithmetic counts them."""
        return node._replace(boolean=False)

    def _apply(self, operation: int, operands: Sequence[_Node], boolean: bool = False) -> _Node:
        """A binary operation folded from left to right over two or more operands."""
        code = list(operands[0].code)
        for operand in operands[1:]:
            code += [*operand.code, (operation, 0, 0, 0)]
        return self._make(code, operands, boolean)

    # -- the node types -------------------------------------------------------------------

    def _literal(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, bool):
            return self._constant(float(value), boolean=True)
        if isinstance(value, int | float):
            return self._constant(_require_finite(value, self._text.at(node)))
        if isinstance(value, str | bytes):
            raise self._error("text is not allowed; expressions compute with numbers", node)
        raise self._error(f"{value!r} is not a number", node)

    def _name(self, node: ast.Name) -> _Node:
        name = node.id
        if name.startswith("_"):
            raise self._error(f"names starting with '_' are not allowed ('{name}')", node)
        if self._allowed is not None and name not in self._allowed:
            hint = _did_you_mean(name, self._allowed, "variables")
            raise self._error(f"unknown variable '{name}'{hint}", node)
        slot = self.slots.setdefault(name, len(self.slots))
        return _Node(((op.OP_VAR, op.VAR_SLOT, -1, slot),), boolean=False)

    def _refuse_operator(self, operator: ast.AST, start: ast.AST, end: ast.AST) -> ExpressionError:
        symbol = _REFUSED_OPERATORS.get(type(operator), type(operator).__name__)
        offset = self._text.find(symbol.split()[0], start, end)
        return ExpressionError(f"the operator '{symbol}' is not allowed", offset)

    def _binary(self, node: ast.BinOp) -> _Node:
        kind = type(node.op)
        if kind not in _ARITHMETIC:
            raise self._refuse_operator(node.op, node.left, node.right)
        left = self._number(self.build(node.left))
        right = self._number(self.build(node.right))
        return self._apply(_ARITHMETIC[kind], (left, right))

    def _unary_op(self, node: ast.UnaryOp) -> _Node:
        if isinstance(node.op, ast.Not):
            operand = self._truth(self.build(node.operand))
            return self._make((*operand.code, (op.OP_NOT, 0, 0, 0)), (operand,), boolean=True)
        if isinstance(node.op, ast.USub):
            operand = self._number(self.build(node.operand))
            return self._make((*operand.code, (op.OP_NEG, 0, 0, 0)), (operand,), boolean=False)
        if isinstance(node.op, ast.UAdd):
            return self._number(self.build(node.operand))
        symbol = _REFUSED_OPERATORS[type(node.op)]
        raise self._error(f"the operator '{symbol}' is not allowed", node)

    def _bool_op(self, node: ast.BoolOp) -> _Node:
        operands = [self._truth(self.build(value)) for value in node.values]
        jump = op.OP_AND_JUMP if isinstance(node.op, ast.And) else op.OP_OR_JUMP
        return self._make(_jumps(jump, operands), operands, boolean=True)

    def _compare(self, node: ast.Compare) -> _Node:
        """``a < b <= c`` means ``a < b and b <= c``; ``b`` is computed twice, which is the
        same since expressions have no side effects."""
        nodes = [node.left, *node.comparators]
        for operator, before, after in zip(node.ops, nodes, nodes[1:], strict=False):
            if type(operator) not in _COMPARISONS:
                raise self._refuse_operator(operator, before, after)
        operands = [self.build(operand) for operand in nodes]
        steps = [
            self._apply(_COMPARISONS[type(operator)], (a, b), boolean=True)
            for operator, a, b in zip(node.ops, operands, operands[1:], strict=False)
        ]
        if len(steps) == 1:
            return steps[0]
        return self._make(_jumps(op.OP_AND_JUMP, steps), steps, boolean=True)

    def _if_else(self, node: ast.IfExp) -> _Node:
        condition = self._truth(self.build(node.test))
        if_true, if_false = self.build(node.body), self.build(node.orelse)
        boolean = if_true.boolean and if_false.boolean
        children = (condition, if_true, if_false)
        code = (*condition.code, *if_true.code, *if_false.code, (op.OP_WHERE, 0, 0, 0))
        return self._make(code, children, boolean=boolean)

    def _call(self, node: ast.Call) -> _Node:
        name = self._function_name(node)
        if node.keywords:
            raise self._error(f"{name}() takes no keyword arguments", node.keywords[0])
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                raise self._error(_REFUSED_NODES[ast.Starred], argument)
        low, high = _FUNCTION_ARITY[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            wanted = f"{low}" if low == high else f"at least {low}"
            raise self._error(f"{name}() takes {wanted} arguments, not {count}", node)
        arguments = [self._number(self.build(argument)) for argument in node.args]
        if name == "abs":
            (value,) = arguments
            return self._make((*value.code, (op.OP_ABS, 0, 0, 0)), arguments, boolean=False)
        if name == "clip":
            value, low_bound, high_bound = arguments
            return self._apply(op.OP_MIN, [self._apply(op.OP_MAX, [value, low_bound]), high_bound])
        return self._apply(op.OP_MIN if name == "min" else op.OP_MAX, arguments)

    def _function_name(self, node: ast.Call) -> str:
        """The called function's name, if it is one of the few the language has."""
        func = node.func
        if not isinstance(func, ast.Name):
            message = _REFUSED_NODES.get(type(func), f"only {_FUNCTION_LIST} can be called")
            raise self._error(message, func)
        if func.id not in _FUNCTION_ARITY:
            hint = _did_you_mean(func.id, _FUNCTION_ARITY, "functions")
            raise self._error(f"unknown function '{func.id}'{hint}", func)
        return func.id

    _HANDLERS: ClassVar[dict[type[ast.AST], Callable[[_Compiler, ast.expr], _Node]]] = {
        ast.Constant: _literal,
        ast.Name: _name,
        ast.BinOp: _binary,
        ast.UnaryOp: _unary_op,
        ast.BoolOp: _bool_op,
        ast.Compare: _compare,
        ast.IfExp: _if_else,
        ast.Call: _call,
    }
