"""Check a schema-valid scenario's cross-references and compile it for the engine.

Pydantic has already checked each field on its own. What remains needs the whole document:
that every actor, variant and variable an author names exists, that expressions parse, that
headline templates use known placeholders, and that every actor always has a legal move. All
problems are collected and raised together, each at its own line and column.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from game.errors import Problem, ScenarioError
from game.scenario.bounds import Interval, Unbounded, check_bounded, variable_ranges
from game.scenario.compiled import (
    EFFECT_FIELDS,
    GAUGES,
    NO_CAP,
    STOCKS,
    TARGET_CHOOSE,
    TARGET_WORDS,
    TRAIT_INDEX,
    UNLIMITED_USES,
    CompiledEvent,
    CompiledObjective,
    CompiledOutcome,
    CompiledScenario,
    CompiledVariant,
    GaugeChange,
)
from game.scenario.expressions import Expression, ExpressionError, compile_expression
from game.scenario.model import KINDS, MAX_VARIANTS, Scenario, Variant
from game.scenario.suggest import close_match
from game.scenario.variables import TRAITS, actor_view_names, global_view_names
from game.scenario.yaml_source import Path, SourceDocument, format_path

HEADLINE_FIELDS = frozenset(
    {
        "actor",
        "capital",
        "leader",
        "target",
        "target_capital",
        "other",
        "other_capital",
        "n",
        "date",
        "turn",
    }
)
TURN_LIMIT = "turn_limit"
MAX_PROBLEMS = 100
"""Past this many problems, expressions are no longer compiled: more lines only bury the first
ones, and a hostile file could ask for thousands of "did you mean" searches."""


@dataclass
class _Checker:
    """Collects problems while compiling, so that one pass reports every mistake."""

    document: SourceDocument
    problems: list[Problem] = field(default_factory=list)
    ranges: Mapping[str, Interval] | None = None
    """Each variable's range, to check that no expression can overflow; None skips the check."""

    def report(self, path: Path, message: str, key: bool = False) -> None:
        doc = self.document
        mark = doc.key_mark_for(path) if key else doc.mark_for(path)
        self.problems.append(Problem(doc.file, mark.line, mark.column, format_path(path), message))

    def expression(
        self, source: str | float | bool, names: Collection[str], path: Path
    ) -> Expression:
        if len(self.problems) > MAX_PROBLEMS:
            return compile_expression(0)
        try:
            compiled = compile_expression(source, names)
        except ExpressionError as error:
            self.expression_problem(source, path, error.message, error.offset)
            return compile_expression(0)
        if isinstance(source, str) and self.ranges is not None:
            self.bounded(source, path)
        return compiled

    def expression_problem(self, source: object, path: Path, message: str, offset: int) -> None:
        """A problem at a character of an expression's text."""
        mark = self.document.mark_for(path)
        column = mark.column
        if isinstance(source, str) and path in self.document.value_marks:
            column += offset + (1 if path in self.document.quoted else 0)
        self.problems.append(
            Problem(self.document.file, mark.line, column, format_path(path), message)
        )

    def bounded(self, source: str, path: Path) -> None:
        """Refuse an expression that could compute infinity or NaN during a game."""
        assert self.ranges is not None
        try:
            check_bounded(source, self.ranges)
        except Unbounded as error:
            self.expression_problem(source, path, error.message, error.offset)

    def headline(self, template: str, path: Path) -> None:
        try:
            parts = [p for p in string.Formatter().parse(template) if p[1] is not None]
        except ValueError as error:
            self.report(path, f"malformed headline template: {error}")
            return
        for _, name, spec, conversion in parts:
            if spec or conversion:
                self.report(path, f"placeholder '{{{name}}}' takes no format or conversion")
            if name not in HEADLINE_FIELDS:
                allowed = ", ".join("{" + f + "}" for f in sorted(HEADLINE_FIELDS))
                self.report(path, f"unknown placeholder '{{{name}}}'; use {allowed}")


def compile_scenario(
    scenario: Scenario,
    document: SourceDocument,
    *,
    sha256: str,
    strategy_names: Collection[str] | None = None,
) -> CompiledScenario:
    """Resolve every reference and build the engine's arrays, or raise ScenarioError."""
    check = _Checker(document, ranges=variable_ranges(scenario))
    actor_ids = tuple(actor.id for actor in scenario.actors)
    outcome_ids = [outcome.id for outcome in scenario.outcomes]
    actor_names = actor_view_names(outcome_ids, actor_ids, [e.id for e in scenario.events])
    global_names = global_view_names(actor_ids, [e.id for e in scenario.events])

    _check_unique(check, [(("actors", i, "id"), a.id) for i, a in enumerate(scenario.actors)])
    _check_unique(check, [(("outcomes", i, "id"), o) for i, o in enumerate(outcome_ids)])
    _check_unique(check, [(("events", i, "id"), e.id) for i, e in enumerate(scenario.events)])
    player_path = ("metadata", "player_actor")
    player = scenario.metadata.player_actor
    if (
        _check_actor_ref(check, actor_ids, player, player_path)
        and not scenario.actors[actor_ids.index(player)].playable
    ):
        check.report(player_path, "the player's actor must be playable: true")
    _check_bands(check, scenario)
    _check_balance(check, scenario, outcome_ids)
    _check_history(check, scenario, actor_ids, outcome_ids)

    for a, actor_id in enumerate(actor_ids):
        if actor_id in TARGET_WORDS:
            check.report(("actors", a, "id"), f"'{actor_id}' is a target word; choose another id")
    allied = _alignments(check, scenario, actor_ids)
    tension0, baseline0 = _pairs(check, scenario, actor_ids)
    variants = tuple(
        _compile_variants(check, scenario, actor, actor_names, strategy_names, actor_ids)
        for actor in range(len(actor_ids))
    )
    n, v_max = len(actor_ids), max((len(vs) for vs in variants), default=1) or 1
    kind_table = np.full((n, v_max), -1, dtype=np.int8)
    severity = np.zeros((n, v_max))
    constants = np.zeros((n, v_max, len(EFFECT_FIELDS)))
    enabled0 = np.zeros((n, v_max), dtype=bool)
    max_uses = np.full((n, v_max), UNLIMITED_USES, dtype=np.int32)
    expressions: list[tuple[int, int, int, Expression]] = []
    for a, actor_variants in enumerate(variants):
        for variant in actor_variants:
            kind_table[a, variant.index] = variant.kind
            severity[a, variant.index] = variant.severity
            if variant.max_uses is not None:
                max_uses[a, variant.index] = variant.max_uses
        for i, (spec, path) in enumerate(_variant_specs(scenario, a)):
            enabled0[a, i] = spec.enabled
            for f, (source, sub_path) in enumerate(_effect_sources(spec)):
                expr = check.expression(source, actor_names, (*path, "effects", *sub_path))
                if expr.constant is not None:
                    constants[a, i, f] = expr.constant
                else:
                    expressions.append((a, i, f, expr))

    leader_names = [actor.leader for actor in scenario.actors]
    events = tuple(
        _compile_event(check, scenario, i, actor_ids, global_names, leader_names)
        for i in range(len(scenario.events))
    )
    _check_fallback(check, scenario, events, variants, allied)
    outcomes, turn_limit = _compile_outcomes(check, scenario, global_names)
    objectives = _compile_scoring(check, scenario, actor_ids, actor_names)
    opening = _compile_opening(check, scenario, actor_ids)

    start_gauges = np.array(
        [[a.start.pressure, a.start.credibility, a.start.standing] for a in scenario.actors]
    )
    stocks0 = np.stack([_stock(check, scenario, actor_ids, stock) for stock in STOCKS])
    personality0 = np.array(
        [[getattr(a.personality, trait) for trait in TRAITS] for a in scenario.actors]
    )
    _check_variant_count(check, scenario)
    _check_calendar(check, scenario)
    _check_strategy_parameters(check, scenario, strategy_names)
    if check.problems:
        raise ScenarioError(check.problems)
    warnings = _band_warnings(check, scenario)
    return CompiledScenario(
        path=document.file,
        sha256=sha256,
        model=scenario,
        actor_ids=actor_ids,
        variants=variants,
        kind_table=kind_table,
        severity=severity,
        effect_constants=constants,
        effect_expressions=tuple(expressions),
        enabled0=enabled0,
        max_uses=max_uses,
        exists=kind_table >= 0,
        start_gauges=start_gauges,
        diplomats0=stocks0[0],
        stocks0=stocks0,
        tension0=tension0,
        baseline0=baseline0,
        allied=allied,
        personality0=personality0,
        leader0=np.arange(n),
        leader_names=tuple(leader_names),
        events=events,
        outcomes=outcomes,
        turn_limit_outcome=turn_limit,
        objectives=objectives,
        opening=opening,
        bands=tuple((band.name, band.up_to) for band in scenario.tension_bands),
        coefficients=scenario.model,
        actor_view_names=actor_names,
        warnings=tuple(warnings),
    )


def _check_unique(check: _Checker, items: Iterable[tuple[Path, str]]) -> None:
    seen: dict[str, Path] = {}
    for path, value in items:
        if value in seen:
            first = check.document.mark_for(seen[value])
            check.report(
                path, f"'{value}' is used twice (first at line {first.line}, column {first.column})"
            )
        else:
            seen[value] = path


def _check_actor_ref(check: _Checker, actor_ids: tuple[str, ...], ref: str, path: Path) -> bool:
    if ref in actor_ids:
        return True
    check.report(path, _unknown("actor", ref, actor_ids))
    return False


def _unknown(what: str, ref: str, known: Collection[str]) -> str:
    shown = _quote(ref)
    close = close_match(ref, known, cutoff=0.6)
    if close:
        return f"unknown {what} {shown} (did you mean '{close}'?)"
    return f"unknown {what} {shown}; known: {', '.join(sorted(known)) or 'none'}"


def _quote(text: str, limit: int = 60) -> str:
    """Quote an author's text in a message: cut short, and escaped if it holds control codes."""
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)


def _check_bands(check: _Checker, scenario: Scenario) -> None:
    previous = -1.0
    for i, band in enumerate(scenario.tension_bands):
        if band.up_to <= previous:
            check.report(("tension_bands", i, "up_to"), "bands must rise: up_to must increase")
        previous = band.up_to
    if scenario.tension_bands and scenario.tension_bands[-1].up_to != 100:
        last = len(scenario.tension_bands) - 1
        check.report(("tension_bands", last, "up_to"), "the last band must reach up_to: 100")


def _check_balance(check: _Checker, scenario: Scenario, outcome_ids: list[str]) -> None:
    """Balance targets must name real outcomes and ranges that run from low to high."""
    targets = scenario.balance
    if targets is None:
        return
    path: Path = ("balance", "mean_turns")
    if targets.mean_turns is not None and targets.mean_turns[0] > targets.mean_turns[1]:
        check.report(path, "the lower bound exceeds the upper")
    for outcome, (lo, hi) in targets.outcome_share.items():
        path = ("balance", "outcome_share", outcome)
        if outcome not in outcome_ids:
            check.report(path, _unknown("outcome", outcome, outcome_ids), key=True)
        elif lo > hi:
            check.report(path, "the lower bound exceeds the upper")


def _plain(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _band_warnings(check: _Checker, scenario: Scenario) -> list[Problem]:
    """Where the tension bar and the endings disagree: a band named like an outcome shows that
    ending's name while play goes on, and an outcome whose tension threshold falls inside a band
    ends the game where the bar shows no change. The game still runs, so these only warn."""
    found: list[Problem] = []
    before = len(check.problems)
    bands = scenario.tension_bands
    edges = {0.0, *(band.up_to for band in bands)}
    for b, band in enumerate(bands):
        for outcome in scenario.outcomes:
            if _plain(band.name) in (_plain(outcome.id), _plain(outcome.title)):
                check.report(
                    ("tension_bands", b, "name"),
                    f"warning: the band '{band.name}' is named like the outcome '{outcome.id}', "
                    "so the tension bar can show it while the game goes on; give the band its "
                    "own name",
                )
    for o, outcome in enumerate(scenario.outcomes):
        if not isinstance(outcome.when, str):
            continue
        for _, value in tension_thresholds(outcome.when):
            if value not in edges:
                check.report(
                    ("outcomes", o, "when"),
                    f"warning: the outcome '{outcome.id}' turns on tension {value:g}, inside a "
                    "band; let a band end there (up_to) so the bar shows the threshold",
                )
    found = check.problems[before:]
    del check.problems[before:]
    return found


def tension_thresholds(condition: str) -> list[tuple[str, float]]:
    """The tension levels a condition compares against, as (operator, value): the lines the
    tension bar draws. Only plain comparisons of `tension`, `mean_tension` or a pair's tension
    with a number count; anything else is no threshold."""
    import ast

    symbols = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
    mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
    try:
        tree = ast.parse(condition, mode="eval")
    except SyntaxError:
        return []

    def tension(node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and (
            node.id in ("tension", "mean_tension") or node.id.startswith("tension_")
        )

    def number(node: ast.expr) -> float | None:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        return None

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right, kind = node.left, node.comparators[0], type(node.ops[0])
            if kind not in symbols:
                continue
            if tension(left) and number(right) is not None:
                found.append((symbols[kind], number(right)))
            elif tension(right) and number(left) is not None:
                found.append((mirrored[symbols[kind]], number(left)))
    return found  # type: ignore[return-value]


def _check_history(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...], outcome_ids: list[str]
) -> None:
    """The real moves, ending and event dates must name what this scenario has, so that the
    replay (`python main.py history`) plays exactly what the author wrote."""
    history = scenario.history
    targets = scenario.balance
    replayable = history is not None and history.outcome is not None and bool(history.moves)
    if targets is not None and targets.history_outcome_share is not None and not replayable:
        check.report(
            ("balance", "history_outcome_share"),
            "needs the real moves and ending to replay: add history.moves and history.outcome",
            key=True,
        )
    if history is None:
        return
    if history.outcome is not None and history.outcome not in outcome_ids:
        check.report(("history", "outcome"), _unknown("outcome", history.outcome, outcome_ids))
    meta = scenario.metadata
    first_move: dict[tuple[str, int], Path] = {}
    for i, move in enumerate(history.moves):
        path: Path = ("history", "moves", i)
        if move.turn > meta.max_turns:
            check.report(
                (*path, "turn"), f"turn must be between 1 and max_turns ({meta.max_turns})"
            )
        if not _check_actor_ref(check, actor_ids, move.actor, (*path, "actor")):
            continue
        actor = actor_ids.index(move.actor)
        ids = [v.id for v, _ in _variant_specs(scenario, actor)]
        if move.variant not in ids:
            what = f"variant for '{move.actor}':"
            check.report((*path, "variant"), _unknown(what, move.variant, ids))
        others = [a for a in actor_ids if a != move.actor]
        if move.target == move.actor:
            message = f"'{move.actor}' cannot aim a move at itself; aim it at {', '.join(others)}"
            check.report((*path, "target"), message)
        elif move.target is not None and move.target not in others:
            check.report((*path, "target"), _unknown("actor", move.target, others))
        earlier = first_move.setdefault((move.actor, move.turn), path)
        if earlier != path:
            first = check.document.mark_for(earlier)
            check.report(
                path,
                f"'{move.actor}' already moves on turn {move.turn} (first at line {first.line}, "
                f"column {first.column}); an actor makes one move a turn",
            )
    event_ids = [event.id for event in scenario.events]
    days = meta.max_turns * meta.days_per_turn  # from turn 1 to the day after the last turn
    # A calendar that leaves the years 1 to 9999 holds no date (_check_calendar says why).
    calendar = (datetime.date.max - meta.start_date).days >= days and not (
        meta.opening_date is None and meta.start_date == datetime.date.min
    )
    opening = after_last = meta.start_date
    if calendar:
        opening = meta.opening_date or meta.start_date - datetime.timedelta(days=1)
        after_last = meta.start_date + datetime.timedelta(days=days)
    for event_id, date in history.events.items():
        path = ("history", "events", event_id)
        if event_id not in event_ids:
            check.report(path, _unknown("event", event_id, event_ids), key=True)
        elif calendar and not opening <= date <= after_last:
            check.report(
                path,
                f"{date.isoformat()} is outside the scenario's calendar, which runs from the "
                f"opening ({opening.isoformat()}) to the day after the last turn "
                f"({after_last.isoformat()})",
            )


def _variant_specs(scenario: Scenario, actor: int) -> list[tuple[Variant, Path]]:
    """An actor's variants in engine order (by kind, then as listed), with their paths."""
    actions = scenario.actors[actor].actions
    specs = []
    for kind in KINDS:
        for i, variant in enumerate(getattr(actions, kind)):
            specs.append((variant, ("actors", actor, "actions", kind, i)))
    return specs


def _effect_sources(variant: Variant) -> list[tuple[str | float, Path]]:
    """The variant's effects in EFFECT_FIELDS order, each with its path below 'effects'."""
    e = variant.effects
    return [
        (e.tension, ("tension",)),
        (e.own.pressure, ("own", "pressure")),
        (e.own.credibility, ("own", "credibility")),
        (e.own.standing, ("own", "standing")),
        (e.other.pressure, ("other", "pressure")),
        (e.other.credibility, ("other", "credibility")),
        (e.other.standing, ("other", "standing")),
        (e.expel, ("expel",)),
        (e.expel_staff, ("expel_staff",)),
        (e.close_consulates, ("close_consulates",)),
        (e.seize_properties, ("seize_properties",)),
        (e.return_properties, ("return_properties",)),
        (NO_CAP if e.cap is None else e.cap, ("cap",)),
        (e.lasting, ("lasting",)),
    ]


def _compile_variants(
    check: _Checker,
    scenario: Scenario,
    actor: int,
    names: Collection[str],
    strategy_names: Collection[str] | None,
    actor_ids: tuple[str, ...],
) -> tuple[CompiledVariant, ...]:
    spec = scenario.actors[actor]
    if (
        strategy_names is not None
        and spec.default_strategy is not None
        and spec.default_strategy.partition(":")[0] not in strategy_names
    ):
        path = ("actors", actor, "default_strategy")
        check.report(path, _unknown("strategy", spec.default_strategy, strategy_names))
    specs = _variant_specs(scenario, actor)
    if not specs:
        check.report(("actors", actor, "actions"), "an actor needs at least one variant")
    _check_unique(check, [((*path, "id"), v.id) for v, path in specs])
    compiled = []
    for index, (variant, path) in enumerate(specs):
        available = None
        if variant.available_if is not True:
            available = check.expression(variant.available_if, names, (*path, "available_if"))
        for h, template in enumerate(variant.headlines):
            check.headline(template, (*path, "headlines", h))
        target = _target(check, variant.target, actor, actor_ids, (*path, "target"))
        compiled.append(
            CompiledVariant(
                actor=actor,
                index=index,
                kind=KINDS.index(path[3]),
                id=variant.id,
                label=variant.label,
                description=variant.description,
                severity=variant.severity,
                target=target,
                headlines=tuple(variant.headlines),
                available=available,
                available_source=None if available is None else str(variant.available_if),
                unavailable_text=variant.unavailable_text,
                max_uses=variant.max_uses,
            )
        )
    return tuple(compiled)


def _target(check: _Checker, word: str, actor: int, actor_ids: tuple[str, ...], path: Path) -> int:
    """A variant's target as the engine numbers it."""
    if word in TARGET_WORDS:
        return TARGET_WORDS[word]
    others = [a for a in actor_ids if a != actor_ids[actor]]
    if word not in others:
        check.report(path, _unknown("target", word, [*TARGET_WORDS, *others]))
        return TARGET_CHOOSE
    return actor_ids.index(word)


def _pair_of(
    check: _Checker, actor_ids: tuple[str, ...], between: tuple[str, str], path: Path
) -> tuple[int, int] | None:
    """Two distinct actors named by id, or None after reporting why not."""
    found = []
    for k, ref in enumerate(between):
        if _check_actor_ref(check, actor_ids, ref, (*path, k)):
            found.append(actor_ids.index(ref))
    if len(found) < 2:
        return None
    if found[0] == found[1]:
        check.report(path, "a pair needs two different actors")
        return None
    return found[0], found[1]


def _alignments(check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...]) -> np.ndarray:
    n = len(actor_ids)
    allied = np.zeros((n, n), dtype=bool)
    for b, bloc in enumerate(scenario.alignments):
        members = []
        for m, ref in enumerate(bloc.members):
            if _check_actor_ref(check, actor_ids, ref, ("alignments", b, "members", m)):
                members.append(actor_ids.index(ref))
        for i in members:
            for j in members:
                allied[i, j] = i != j
    return allied


def _pairs(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's starting tension and pre-crisis baseline."""
    n = len(actor_ids)
    model = scenario.model
    off_diagonal = 1 - np.eye(n)
    tension = np.full((n, n), model.baseline if model.start is None else model.start)
    baseline = np.full((n, n), model.baseline)
    seen: dict[tuple[int, int], int] = {}
    for p, pair in enumerate(scenario.pairs):
        path: Path = ("pairs", p, "between")
        found = _pair_of(check, actor_ids, pair.between, path)
        if found is None:
            continue
        key = (min(found), max(found))
        if key in seen:
            check.report(path, f"this pair is already described at pairs[{seen[key]}]")
            continue
        seen[key] = p
        i, j = found
        if pair.baseline is not None:
            baseline[i, j] = baseline[j, i] = pair.baseline
            if pair.tension is None:
                tension[i, j] = tension[j, i] = pair.baseline
        if pair.tension is not None:
            tension[i, j] = tension[j, i] = pair.tension
    return tension * off_diagonal, baseline * off_diagonal


def _variant_ref(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...], ref: str, path: Path
) -> tuple[int, int] | None:
    actor_id, dot, variant_id = ref.partition(".")
    if not dot:
        check.report(path, f"expected 'actor.variant', got {_quote(ref)}")
        return None
    if not _check_actor_ref(check, actor_ids, actor_id, path):
        return None
    actor = actor_ids.index(actor_id)
    ids = [v.id for v, _ in _variant_specs(scenario, actor)]
    if variant_id not in ids:
        check.report(path, _unknown(f"variant for '{actor_id}':", variant_id, ids))
        return None
    return actor, ids.index(variant_id)


def _compile_event(
    check: _Checker,
    scenario: Scenario,
    index: int,
    actor_ids: tuple[str, ...],
    names: Collection[str],
    leader_names: list[str],
) -> CompiledEvent:
    event = scenario.events[index]
    path: Path = ("events", index)
    meta = scenario.metadata
    triggers = [t for t in ("turn", "date", "when") if getattr(event, t) is not None]
    if len(triggers) != 1:
        check.report(path, "an event needs exactly one of 'turn', 'date' or 'when'")
    turn = event.turn
    if event.date is not None:
        days = (event.date - meta.start_date).days
        turn = -(-days // meta.days_per_turn) + 1 if days > 0 else 0
        if turn < 2 or turn > meta.max_turns:
            check.report((*path, "date"), "the date must fall after turn 1 and within max_turns")
    elif turn is not None and not 2 <= turn <= meta.max_turns:
        check.report((*path, "turn"), f"turn must be between 2 and max_turns ({meta.max_turns})")
    when = None
    if event.when is not None:
        when = check.expression(event.when, names, (*path, "when"))
    effects_path = (*path, "effects")
    gauges: list[GaugeChange] = []
    leaders: list[tuple[int, int]] = []
    traits: list[tuple[int, int, float]] = []
    for actor_id, change in event.effects.actors.items():
        actor_path = (*effects_path, "actors", actor_id)
        if actor_id not in actor_ids:
            check.report(actor_path, _unknown("actor", actor_id, actor_ids), key=True)
            continue
        actor = actor_ids.index(actor_id)
        for g, gauge in enumerate(GAUGES):
            expr = check.expression(getattr(change, gauge), names, (*actor_path, gauge))
            if expr.constant != 0:
                gauges.append(GaugeChange(actor, g, expr))
        if change.leader is not None:
            if change.leader not in leader_names:
                leader_names.append(change.leader)
            leaders.append((actor, leader_names.index(change.leader)))
        for trait, value in change.personality.model_dump().items():
            if value is not None:
                traits.append((actor, TRAIT_INDEX[trait], value))
    pairs = []
    for p, change in enumerate(event.effects.pairs):
        pair_path = (*effects_path, "pairs", p)
        found = _pair_of(check, actor_ids, change.between, (*pair_path, "between"))
        tension = check.expression(change.tension, names, (*pair_path, "tension"))
        lasting = check.expression(change.lasting, names, (*pair_path, "lasting"))
        if found is not None:
            pairs.append((*found, tension, lasting))
    toggles = {}
    for which in ("enable", "disable"):
        refs = []
        for i, ref in enumerate(getattr(event.effects, which)):
            resolved = _variant_ref(check, scenario, actor_ids, ref, (*effects_path, which, i))
            if resolved is not None:
                refs.append(resolved)
        toggles[which] = tuple(refs)
    return CompiledEvent(
        index=index,
        id=event.id,
        headline=event.headline,
        text=event.text,
        turn=turn,
        when=when,
        probability=event.probability,
        repeat=event.repeat,
        tension=check.expression(event.effects.tension, names, (*effects_path, "tension")),
        gauges=tuple(gauges),
        pairs=tuple(pairs),
        leaders=tuple(leaders),
        traits=tuple(traits),
        enable=toggles["enable"],
        disable=toggles["disable"],
    )


_STOCK_EFFECTS = ("expel", "expel_staff", "close_consulates", "seize_properties")


def _acts_on_stocks(variant: Variant) -> bool:
    """Whether a variant draws down or hands back a stock, and so can run out of targets."""
    effects = variant.effects
    drawn = any(getattr(effects, name) != 0 for name in _STOCK_EFFECTS)
    return drawn or effects.return_properties != 0 or effects.cap is not None


def _check_fallback(
    check: _Checker,
    scenario: Scenario,
    events: tuple[CompiledEvent, ...],
    variants: tuple[tuple[CompiledVariant, ...], ...],
    allied: np.ndarray,
) -> None:
    """Every actor needs a move that is always legal, or a game could get stuck: one that is
    enabled, has no condition or use limit, is never disabled, acts on no stock (a stock can
    run out), and always has someone to aim at (a bloc can be empty)."""
    disabled = {ref for event in events for ref in event.disable}
    n = len(scenario.actors)
    for actor, spec in enumerate(scenario.actors):
        others = [b for b in range(n) if b != actor]
        empty = set()
        if not any(allied[actor, b] for b in others):
            empty.add(TARGET_WORDS["allies"])
        if all(allied[actor, b] for b in others):
            empty.add(TARGET_WORDS["adversaries"])
        always = [
            i
            for i, (variant, _) in enumerate(_variant_specs(scenario, actor))
            if variant.available_if is True
            and variant.enabled
            and variant.max_uses is None
            and (actor, i) not in disabled
            and not _acts_on_stocks(variant)
            and i < len(variants[actor])
            and variants[actor][i].target not in empty
        ]
        if not always and _variant_specs(scenario, actor):
            check.report(
                ("actors", actor, "actions"),
                f"'{spec.id}' needs at least one variant that is always available: enabled, "
                "without available_if or max_uses, never disabled by an event, acting on no "
                "stock (diplomats, staff, consulates or properties can run out), and aimed where "
                "someone always is",
            )
    for actor, actor_variants in enumerate(variants):
        specs = _variant_specs(scenario, actor)
        for variant, (_, path) in zip(actor_variants, specs, strict=False):
            others = [b for b in range(n) if b != actor]
            if variant.target == TARGET_WORDS["allies"] and not any(
                allied[actor, b] for b in others
            ):
                check.report((*path, "target"), "this actor has no allies: add an alignment")
            if variant.target == TARGET_WORDS["adversaries"] and all(
                allied[actor, b] for b in others
            ):
                check.report((*path, "target"), "this actor has no adversaries to aim at")


def _compile_outcomes(
    check: _Checker, scenario: Scenario, names: Collection[str]
) -> tuple[tuple[CompiledOutcome, ...], int]:
    outcomes = []
    turn_limit = -1
    for i, outcome in enumerate(scenario.outcomes):
        path: Path = ("outcomes", i)
        when = None
        if outcome.id == TURN_LIMIT or outcome.at_turn_limit:
            if turn_limit >= 0:
                check.report(
                    (*path, "at_turn_limit") if outcome.at_turn_limit else (*path, "id"),
                    f"'{scenario.outcomes[turn_limit].id}' already ends games at max_turns; "
                    "only one outcome can",
                )
            turn_limit = i
        if outcome.id == TURN_LIMIT and outcome.when is not None:
            check.report((*path, "when"), "'turn_limit' ends the game at max_turns; no 'when'")
        elif outcome.id != TURN_LIMIT and outcome.when is None and not outcome.at_turn_limit:
            check.report(path, f"outcome '{outcome.id}' needs a 'when' condition")
        elif outcome.when is not None:
            when = check.expression(outcome.when, names, (*path, "when"))
        outcomes.append(
            CompiledOutcome(i, outcome.id, outcome.title, outcome.text, when, outcome.for_turns)
        )
    if turn_limit < 0:
        check.report(
            ("outcomes",),
            "add an outcome with id 'turn_limit', or one with at_turn_limit: true, for games "
            "that run out",
        )
    return tuple(outcomes), turn_limit


def _compile_scoring(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...], names: Collection[str]
) -> tuple[tuple[CompiledObjective, ...], ...]:
    for actor_id in scenario.scoring:
        if actor_id not in actor_ids:
            path = ("scoring", actor_id)
            check.report(path, _unknown("actor", actor_id, actor_ids), key=True)
    result = []
    for actor_id in actor_ids:
        if actor_id not in scenario.scoring:
            check.report(("scoring",), f"missing objectives for actor '{actor_id}'")
        objectives = []
        for i, objective in enumerate(scenario.scoring.get(actor_id, [])):
            path = ("scoring", actor_id, i, "value")
            value = check.expression(objective.value, names, path)
            objectives.append(
                CompiledObjective(objective.name, value, objective.weight, objective.every_turn)
            )
        result.append(tuple(objectives))
    return tuple(result)


def _compile_opening(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...]
) -> tuple[tuple[int, int, int], ...]:
    moves = []
    for i, move in enumerate(scenario.opening):
        path: Path = ("opening", i)
        if not _check_actor_ref(check, actor_ids, move.actor, (*path, "actor")):
            continue
        resolved = _variant_ref(
            check, scenario, actor_ids, f"{move.actor}.{move.variant}", (*path, "variant")
        )
        target = -1
        if move.target is not None:
            others = [a for a in actor_ids if a != move.actor]
            picks = (
                resolved is not None
                and _variant_specs(scenario, resolved[0])[resolved[1]][0].target == "choose"
            )
            if move.target not in others:
                check.report((*path, "target"), _unknown("target", move.target, others))
            elif resolved is not None and not picks:
                check.report(
                    (*path, "target"),
                    "this variant's target is set in the scenario (its target is not 'choose')",
                )
            else:
                target = actor_ids.index(move.target)
        if resolved is not None:
            moves.append((*resolved, target))
    return tuple(moves)


def _stock(
    check: _Checker, scenario: Scenario, actor_ids: tuple[str, ...], stock: str
) -> np.ndarray:
    """(N, N) what each actor keeps of one stock in each other's country."""
    n = len(actor_ids)
    table = np.zeros((n, n))
    for a, actor in enumerate(scenario.actors):
        spec = getattr(actor.start, stock)
        path: Path = ("actors", a, "start", stock)
        if isinstance(spec, int):
            if spec < 0:
                check.report(path, f"must be at least 0, got {spec}")
            table[a] = max(spec, 0)
        else:
            for other_id, count in spec.items():
                if other_id == actor.id or other_id not in actor_ids:
                    others = [o for o in actor_ids if o != actor.id]
                    check.report((*path, other_id), _unknown("actor", other_id, others), key=True)
                elif count < 0:
                    check.report((*path, other_id), f"must be at least 0, got {count}")
                else:
                    table[a, actor_ids.index(other_id)] = count
        table[a, a] = 0
    return table


# -- limits and checks that need the whole scenario ---------------------------------------------


def _check_variant_count(check: _Checker, scenario: Scenario) -> None:
    """The engine's tables are as wide as the actor with the most variants."""
    for a, actor in enumerate(scenario.actors):
        count = len(_variant_specs(scenario, a))
        if count > MAX_VARIANTS:
            check.report(
                ("actors", a, "actions"),
                f"'{actor.id}' has {count} variants; an actor may have at most {MAX_VARIANTS}",
            )


def _check_calendar(check: _Checker, scenario: Scenario) -> None:
    """Every date a game can show (the opening, and each turn up to one past max_turns) must
    exist in the calendar, which runs from year 1 to year 9999."""
    meta = scenario.metadata
    last = meta.max_turns * meta.days_per_turn  # the day of turn max_turns + 1
    if (datetime.date.max - meta.start_date).days < last:
        latest = datetime.date.max - datetime.timedelta(days=last)
        check.report(
            ("metadata", "start_date"),
            f"the last turn would fall after the year 9999; with max_turns {meta.max_turns} "
            f"and days_per_turn {meta.days_per_turn}, start on {latest.isoformat()} or earlier",
        )
    if meta.opening_date is None and meta.start_date == datetime.date.min:
        check.report(
            ("metadata", "start_date"),
            "the opening moves fall the day before start_date, which is before the year 1; "
            "start later or give opening_date",
        )


def _check_strategy_parameters(
    check: _Checker, scenario: Scenario, strategy_names: Collection[str] | None
) -> None:
    """A default strategy must be one `simulate` and the game can build, parameter and all
    ('random:2.0' names a real strategy with a probability no strategy accepts)."""
    if strategy_names is None:
        return
    from game.strategies.registry import STRATEGIES, UnknownStrategy, make_strategy

    for a, actor in enumerate(scenario.actors):
        name = actor.default_strategy
        if name is None or name.partition(":")[0] not in STRATEGIES:
            continue  # no strategy, or an unknown one, which _compile_variants reports
        try:
            make_strategy(name)
        except UnknownStrategy as error:
            check.report(("actors", a, "default_strategy"), str(error))


def opening_problems(scenario: CompiledScenario, document: SourceDocument) -> list[Problem]:
    """Opening moves the engine would refuse in the starting state, asked of the engine itself.

    An opening variant must be enabled at the start, its `available_if` must hold before turn 1,
    and it may open the game no more often than its `max_uses`.
    """
    if not scenario.opening:
        return []
    from game.engine.engine import Engine

    engine = Engine(scenario)
    state = engine.blank_games(0)
    legal = engine.legal(state)
    check = _Checker(document)
    played: dict[tuple[int, int], int] = {}
    for i, (actor, variant, _) in enumerate(scenario.opening):
        spec = scenario.variant(actor, variant)
        path = ("opening", i, "variant")
        played[actor, variant] = played.get((actor, variant), 0) + 1
        if not legal[0, actor, variant]:
            reason = engine.why_not(state, 0, actor, variant) or "it is not legal"
            if not state.enabled[0, actor, variant]:
                reason = "it is not enabled at the start (enabled: false)"
            elif spec.available_source is not None:
                reason = f"its available_if ({spec.available_source}) is false before turn 1"
            check.report(path, f"the game cannot open with '{spec.id}': {reason}")
        elif spec.max_uses is not None and played[actor, variant] > spec.max_uses:
            check.report(
                path,
                f"the game cannot open with '{spec.id}' {played[actor, variant]} times: "
                f"its max_uses is {spec.max_uses}",
            )
    return check.problems
