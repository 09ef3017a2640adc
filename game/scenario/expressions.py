"""Small expressions from scenario files, compiled into numpy closures over a batch of games.

Scenario authors write conditions, effects and scores as strings, such as
``"grievance > 10 and turn <= 4"`` or ``"5 + 0.2 * pressure"``. Scenario files come from
strangers, so no Python code is ever run: the text is parsed with :func:`ast.parse`, every node is
checked against a short whitelist, and the allowed nodes become a tree of closures that compute
with numpy. The closures are built once, so evaluating an expression never walks a syntax tree,
and every operation is elementwise, so one game in a batch cannot affect another.

The language is made of numbers, ``True``/``False`` and variable names. It has ``+ - * /`` (where
``x / 0`` is 0), unary ``-`` and ``+``, comparisons (chains too), and elementwise ``and``, ``or``
and ``not``. It has ``a if c else b`` and the functions ``min``, ``max``, ``clip`` and ``abs``.
Booleans count as 0 and 1 in arithmetic, and a non-zero number counts as true in a condition.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np

MAX_LENGTH = 500
"""Longest accepted source, in characters: longer text is a mistake or an attack."""

MAX_DEPTH = 50
"""Deepest accepted nesting of operations or of brackets, so no input can exhaust the stack."""

Env = Mapping[str, "np.ndarray | float"]
"""Variable values: float64 arrays of shape (B,), one entry per game, or scalars."""

_Value = np.ndarray | np.float64 | np.bool_
_Fn = Callable[[Env], _Value]

_ZERO = np.float64(0.0)
_NO_VARIABLES: Env = {}


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
    """A compiled expression: call it with variable values to get one float64 result per game."""

    source: str
    names: frozenset[str]
    """Every variable name the expression reads."""
    constant: float | None
    """The value when the expression reads no variables (folded at compile time), else None."""
    _evaluate: Callable[[Env], np.ndarray | np.float64] = field(repr=False, compare=False)
    _boolean: bool = field(default=False, repr=False, compare=False)

    def __call__(self, env: Env) -> np.ndarray | np.float64:
        """Evaluate for every game at once.

        Returns a new float64 array broadcast to the shape of the variables read, or an
        ``np.float64`` when they are all scalars (or none are read). Comparisons and logic come
        out as 0.0 and 1.0. The result never shares memory with the arrays in ``env``, and
        those arrays are never written to.
        """
        return self._evaluate(env)

    def is_boolean(self) -> bool:
        """Whether the expression is a condition: a comparison, logic, True/False, or an if-else
        whose two branches are conditions.

        Lets the scenario loader warn when an author writes a number where a condition belongs.
        """
        return self._boolean

    def __reduce__(self) -> tuple[Callable[[str], Expression], tuple[str]]:
        # Closures cannot be pickled; the source compiles back to the same expression, which lets
        # worker processes receive compiled scenarios.
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
    return Expression(
        source=text.original,
        names=frozenset(compiler.names),
        constant=None if root.value is None else float(root.value),
        _evaluate=_finish(root),
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


# --- Compiled nodes -----------------------------------------------------------------------------


class _Node(NamedTuple):
    """A compiled sub-expression.

    ``boolean`` says the closure yields booleans, which are only turned into 0.0/1.0 where
    arithmetic or the final result needs them, saving a pass over the batch. ``fresh`` says an
    array it returns was allocated by this evaluation, so the parent may write its own result
    into it instead of allocating another. ``value`` is set for constants.
    """

    fn: _Fn
    boolean: bool
    fresh: bool
    value: np.float64 | np.bool_ | None = None


def _constant(value: object) -> _Node:
    """A node that always yields one value, kept as a numpy scalar so numpy does the arithmetic."""
    if isinstance(value, np.ndarray):
        value = value[()]
    boolean = isinstance(value, bool | np.bool_)
    kept = np.bool_(value) if boolean else np.float64(value)
    return _Node(lambda env: kept, boolean=boolean, fresh=False, value=kept)


def _make(fn: _Fn, children: Sequence[_Node], *, boolean: bool, fresh: bool = True) -> _Node:
    """A node computed from children; folded to a constant if all of them are constants.

    Folding calls the very closure that would run later, so a folded value is exactly what
    evaluating would give.
    """
    if all(child.value is not None for child in children):
        # An overflow here is reported as an ExpressionError by the compiler, not as a warning.
        with np.errstate(all="ignore"):
            return _constant(fn(_NO_VARIABLES))
    return _Node(fn, boolean=boolean, fresh=fresh)


def _as_number(node: _Node) -> _Node:
    """Booleans count as 0.0/1.0 wherever arithmetic uses them."""
    if not node.boolean:
        return node
    fn = node.fn
    return _make(lambda env: fn(env).astype(np.float64), (node,), boolean=False)


def _as_truth(node: _Node) -> _Node:
    """A number counts as true where it is non-zero."""
    if node.boolean:
        return node
    fn = node.fn
    return _make(lambda env: np.not_equal(fn(env), 0.0), (node,), boolean=True)


def _variable(name: str) -> _Node:
    """Read a variable as float64, converting only what is not float64 already."""

    def read(env: Env) -> _Value:
        value = env[name]
        if type(value) is np.ndarray and value.dtype == np.float64 and value.ndim:
            return value
        array = np.asarray(value, dtype=np.float64)
        return array if array.ndim else array[()]

    return _Node(read, boolean=False, fresh=False)


def _scratch(a: _Value, b: _Value, a_fresh: bool, b_fresh: bool) -> np.ndarray | None:
    """An operand that may receive the result of ``ufunc(a, b)``, sparing an allocation.

    Only arrays this evaluation allocated qualify (never the caller's), and only if the result
    has their shape. Callers pass operands of the result's dtype.
    """
    if a_fresh and type(a) is np.ndarray and (type(b) is not np.ndarray or b.shape == a.shape):
        return a
    if b_fresh and type(b) is np.ndarray and (type(a) is not np.ndarray or a.shape == b.shape):
        return b
    return None


def _fold_left(ufunc: np.ufunc, operands: Sequence[_Node]) -> _Fn:
    """Apply a binary ufunc from left to right over two or more operands of one kind."""
    fns = [operand.fn for operand in operands]
    fresh = [operand.fresh for operand in operands]
    if len(fns) == 2:
        return _pair(ufunc, *fns, *fresh)
    first, rest = fns[0], list(zip(fns[1:], fresh[1:], strict=True))
    first_fresh = fresh[0]

    def run(env: Env) -> _Value:
        result, result_fresh = first(env), first_fresh
        for fn, is_fresh in rest:
            value = fn(env)
            result = ufunc(result, value, out=_scratch(result, value, result_fresh, is_fresh))
            result_fresh = True
        return result

    return run


def _logical(conjunction: bool, operands: Sequence[_Node]) -> _Fn:
    """``and`` / ``or`` over truths, left to right, skipping the operands left once every game
    is decided: ``turn == 1 and ...`` costs almost nothing after the first turn."""
    ufunc = np.logical_and if conjunction else np.logical_or
    first, first_fresh = operands[0].fn, operands[0].fresh
    rest = [(operand.fn, operand.fresh) for operand in operands[1:]]

    def decided(result: _Value) -> bool:
        # Only an array may end the evaluation early: a scalar would lose the batch's shape.
        if type(result) is not np.ndarray:
            return False
        return not result.any() if conjunction else bool(result.all())

    def run(env: Env) -> _Value:
        result, result_fresh = first(env), first_fresh
        for fn, is_fresh in rest:
            if decided(result):
                break
            value = fn(env)
            result = ufunc(result, value, out=_scratch(result, value, result_fresh, is_fresh))
            result_fresh = True
        return result

    return run


def _pair(ufunc: np.ufunc, f: _Fn, g: _Fn, f_fresh: bool, g_fresh: bool) -> _Fn:
    """The common two-operand case of `_fold_left`, without its loop, for small batches."""
    if not (f_fresh or g_fresh):
        return lambda env: ufunc(f(env), g(env))

    def run(env: Env) -> _Value:
        a, b = f(env), g(env)
        return ufunc(a, b, out=_scratch(a, b, f_fresh, g_fresh))

    return run


def _unary(ufunc: np.ufunc, operand: _Node) -> _Fn:
    """Apply a unary ufunc that keeps the operand's dtype, in place when the operand is fresh."""
    fn = operand.fn
    if not operand.fresh:
        return lambda env: ufunc(fn(env))

    def run(env: Env) -> _Value:
        value = fn(env)
        return ufunc(value, out=value) if type(value) is np.ndarray else ufunc(value)

    return run


def _divide(a: _Value, b: _Value) -> _Value:
    """Divide elementwise with x / 0 == 0, so no game ever sees inf or NaN from a zero divisor."""
    if type(a) is not np.ndarray and type(b) is not np.ndarray:
        return a / b if b != 0 else _ZERO
    out = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(b)))
    return np.divide(a, b, out=out, where=np.not_equal(b, 0.0))


def _chain(comparisons: Sequence[np.ufunc], operands: Sequence[_Node]) -> _Fn:
    """``a < b <= c`` means ``a < b and b <= c``, with ``b`` evaluated once."""
    fns = [operand.fn for operand in operands]

    def run(env: Env) -> _Value:
        values = [fn(env) for fn in fns]
        result = comparisons[0](values[0], values[1])
        for compare, a, b in zip(comparisons[1:], values[1:], values[2:], strict=False):
            step = compare(a, b)
            result = np.logical_and(result, step, out=_scratch(result, step, True, True))
        return result

    return run


def _choose(condition: _Node, if_true: _Node, if_false: _Node) -> _Fn:
    """``a if c else b`` per game; both branches are evaluated, which is safe as they are pure."""
    test, yes, no = condition.fn, if_true.fn, if_false.fn

    def run(env: Env) -> _Value:
        c, a, b = test(env), yes(env), no(env)
        if type(c) is not np.ndarray and type(a) is not np.ndarray and type(b) is not np.ndarray:
            return a if c else b
        return np.where(c, a, b)

    return run


def _finish(root: _Node) -> Callable[[Env], np.ndarray | np.float64]:
    """The top-level closure: float64 out, and never an alias of a caller's array."""
    if root.value is not None:
        value = np.float64(root.value)
        return lambda env: value
    fn = root.fn
    if root.boolean:
        return lambda env: fn(env).astype(np.float64)
    if root.fresh:
        return fn

    def detached(env: Env) -> _Value:
        value = fn(env)
        return value.copy() if type(value) is np.ndarray else value

    return detached


# --- The whitelist ------------------------------------------------------------------------------

_ARITHMETIC: dict[type[ast.operator], np.ufunc] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
}
_COMPARISONS: dict[type[ast.cmpop], np.ufunc] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
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
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
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
        self.names: set[str] = set()

    def _error(self, message: str, node: ast.AST) -> ExpressionError:
        return ExpressionError(message, self._text.at(node))

    def build(self, node: ast.expr) -> _Node:
        """Compile one node; recursion depth is bounded by the earlier depth check."""
        handler = self._HANDLERS.get(type(node))
        if handler is None:
            message = _REFUSED_NODES.get(type(node), f"'{type(node).__name__}' is not allowed")
            raise self._error(message, node)
        compiled = handler(self, node)
        if compiled.value is not None and not np.isfinite(compiled.value):
            raise self._error("this part evaluates to a number that is too large", node)
        return compiled

    def _literal(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, bool):
            return _constant(value)
        if isinstance(value, int | float):
            return _constant(_require_finite(value, self._text.at(node)))
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
        self.names.add(name)
        return _variable(name)

    def _refuse_operator(self, op: ast.AST, start: ast.AST, end: ast.AST) -> ExpressionError:
        symbol = _REFUSED_OPERATORS.get(type(op), type(op).__name__)
        offset = self._text.find(symbol.split()[0], start, end)
        return ExpressionError(f"the operator '{symbol}' is not allowed", offset)

    def _binary(self, node: ast.BinOp) -> _Node:
        op = type(node.op)
        if op is not ast.Div and op not in _ARITHMETIC:
            raise self._refuse_operator(node.op, node.left, node.right)
        left = _as_number(self.build(node.left))
        right = _as_number(self.build(node.right))
        if op is ast.Div:
            fl, fr = left.fn, right.fn
            return _make(lambda env: _divide(fl(env), fr(env)), (left, right), boolean=False)
        return _make(_fold_left(_ARITHMETIC[op], (left, right)), (left, right), boolean=False)

    def _unary_op(self, node: ast.UnaryOp) -> _Node:
        if isinstance(node.op, ast.Not):
            operand = _as_truth(self.build(node.operand))
            return _make(_unary(np.logical_not, operand), (operand,), boolean=True)
        if isinstance(node.op, ast.USub):
            operand = _as_number(self.build(node.operand))
            return _make(_unary(np.negative, operand), (operand,), boolean=False)
        if isinstance(node.op, ast.UAdd):
            return _as_number(self.build(node.operand))
        symbol = _REFUSED_OPERATORS[type(node.op)]
        raise self._error(f"the operator '{symbol}' is not allowed", node)

    def _bool_op(self, node: ast.BoolOp) -> _Node:
        operands = [_as_truth(self.build(value)) for value in node.values]
        # An early end returns the first operand's own array: fresh only if that one is.
        logical = _logical(isinstance(node.op, ast.And), operands)
        return _make(logical, operands, boolean=True, fresh=operands[0].fresh)

    def _compare(self, node: ast.Compare) -> _Node:
        nodes = [node.left, *node.comparators]
        for op, before, after in zip(node.ops, nodes, nodes[1:], strict=False):
            if type(op) not in _COMPARISONS:
                raise self._refuse_operator(op, before, after)
        operands = [self.build(operand) for operand in nodes]
        comparisons = [_COMPARISONS[type(op)] for op in node.ops]
        return _make(_chain(comparisons, operands), operands, boolean=True)

    def _if_else(self, node: ast.IfExp) -> _Node:
        condition = _as_truth(self.build(node.test))
        if_true, if_false = self.build(node.body), self.build(node.orelse)
        boolean = if_true.boolean and if_false.boolean
        if not boolean:
            if_true, if_false = _as_number(if_true), _as_number(if_false)
        children = (condition, if_true, if_false)
        return _make(_choose(*children), children, boolean=boolean)

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
        arguments = [_as_number(self.build(argument)) for argument in node.args]
        if name == "abs":
            return _make(_unary(np.absolute, arguments[0]), arguments, boolean=False)
        if name == "clip":
            value, low_bound, high_bound = arguments
            return _reduce(np.minimum, [_reduce(np.maximum, [value, low_bound]), high_bound])
        return _reduce(np.minimum if name == "min" else np.maximum, arguments)

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


def _reduce(ufunc: np.ufunc, operands: Sequence[_Node]) -> _Node:
    """min and max over numbers, left to right."""
    return _make(_fold_left(ufunc, operands), operands, boolean=False)
