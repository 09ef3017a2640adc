"""The scenario format as pydantic models.

These models are the single source of truth for what a scenario file may contain: the loader
validates against them, `python main.py schema` exports them as JSON Schema for editors, and
docs/scenario-format.md describes them field by field. Cross-references (actor ids, variant ids,
variable names in expressions) are checked afterwards by `game.scenario.check`, because they
need the whole document.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from game import printable

KINDS: tuple[str, ...] = ("retaliate", "restrain", "wait")
"""The three kinds of move, in the order the engine numbers them."""

# What the engine and the balance lab can carry. Each is a promise to authors (listed in
# docs/scenario-format.md under "Limits") and appears in the JSON Schema.
MAX_ACTORS = 6
MAX_VARIANTS = 24
"""Variants per actor, all kinds together (and so at most this many of one kind)."""
MAX_EVENTS = 64
MAX_OUTCOMES = 16
MAX_OBJECTIVES = 16
MAX_TURNS = 1000
MAX_DIPLOMATS = 100_000
"""Diplomats one actor has with another."""
MAX_MAGNITUDE = 1_000_000
"""Largest size of a number written where an expression may stand."""
MAX_LIST = 64
"""Headlines per variant, sources, tension bands, opening moves, enable/disable lists."""

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$"),
    Field(description="Lower-case letters, digits and underscores, starting with a letter."),
]


def _text(value: str) -> str:
    cleaned = printable.clean(value)
    if printable.is_blank(cleaned):
        raise ValueError("must show some text (it is empty once invisible characters are removed)")
    return cleaned


def _name(value: str) -> str:
    return printable.one_line(_text(value))


Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), AfterValidator(_text)]
"""Text shown to players, cleaned of control and invisible characters (game.printable)."""
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_name)]
"""A name or title shown on one line."""
Gauge = Annotated[float, Field(ge=0, le=100)]
Unit = Annotated[float, Field(ge=0, le=1)]
NumberOrExpression = Annotated[
    Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
    | Annotated[str, StringConstraints(min_length=1, max_length=500)],
    Field(
        description="A number, or an expression in the scenario expression language "
        "evaluated from the acting actor's point of view."
    ),
]
Condition = Annotated[
    bool | Annotated[str, StringConstraints(min_length=1, max_length=500)],
    Field(description="true, false, or an expression; non-zero means true."),
]
DiplomatCount = Annotated[int, Field(ge=0, le=MAX_DIPLOMATS)]
VariantRef = Annotated[
    str,
    StringConstraints(min_length=1, max_length=65),
    Field(description="A variant as 'actor.variant'."),
]
StrategyName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}(:[a-z0-9.]{1,16})?$")]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt field must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Metadata(Strict):
    """What the scenario is, and how its calendar runs."""

    id: Identifier
    title: Name
    summary: Text
    start_date: datetime.date = Field(description="The date of turn 1.")
    opening_date: datetime.date | None = Field(
        None, description="The date of the opening moves (default: the day before start_date)."
    )
    days_per_turn: int = Field(ge=1, le=366)
    max_turns: int = Field(ge=1, le=MAX_TURNS)
    player_actor: Identifier = Field(description="The actor a player takes unless they choose.")
    sources: list[Text] = Field(
        default_factory=list, max_length=MAX_LIST, description="Outlets and documents used."
    )


class Personality(Strict):
    """Traits the AI strategies read; events may change them (a new leader, for instance)."""

    hawkishness: Unit = Field(0.5, description="Leaning toward the harsher answer.")
    patience: Unit = Field(0.5, description="Willingness to wait for events to turn.")
    forgiveness: Unit = Field(0.5, description="Readiness to let a grievance go.")
    volatility: Unit = Field(0.5, description="How erratic the actor's choices are.")


class PersonalityChange(Strict):
    """New values for some traits; traits left out keep their value."""

    hawkishness: Unit | None = None
    patience: Unit | None = None
    forgiveness: Unit | None = None
    volatility: Unit | None = None


class StartValues(Strict):
    """An actor's gauges before the first move."""

    pressure: Gauge = Field(30, description="Domestic pressure to answer, 0-100.")
    credibility: Gauge = Field(60, description="Whether threats and promises are believed, 0-100.")
    standing: Gauge = Field(60, description="International standing, 0-100.")
    diplomats: DiplomatCount | dict[Identifier, DiplomatCount] = Field(
        100,
        description="Diplomats this actor has stationed with each other actor: one number for "
        "all, or a mapping from actor id to number.",
    )
    staff: DiplomatCount | dict[Identifier, DiplomatCount] = Field(
        0,
        description="Local staff employed by this actor's missions in each other actor's "
        "country: one number for all, or a mapping from actor id to number.",
    )
    consulates: DiplomatCount | dict[Identifier, DiplomatCount] = Field(
        0,
        description="Consulates this actor runs in each other actor's country.",
    )
    properties: DiplomatCount | dict[Identifier, DiplomatCount] = Field(
        0,
        description="Properties (compounds, dachas, annexes) this actor holds in each other "
        "actor's country.",
    )


class GaugeEffects(Strict):
    """Changes to one actor's gauges; each may be a number or an expression."""

    pressure: NumberOrExpression = 0
    credibility: NumberOrExpression = 0
    standing: NumberOrExpression = 0


class Effects(Strict):
    """What a move does when it is played."""

    tension: NumberOrExpression = Field(
        0, description="Added to the tension between the actor and each target."
    )
    own: GaugeEffects = Field(default_factory=GaugeEffects, description="The actor's gauges.")
    other: GaugeEffects = Field(default_factory=GaugeEffects, description="Each target's gauges.")
    expel: NumberOrExpression = Field(
        0,
        description="Diplomats of each target sent home from this actor's country; never more "
        "than are there.",
    )
    expel_staff: NumberOrExpression = Field(
        0, description="Local staff of each target's missions dismissed or withdrawn."
    )
    close_consulates: NumberOrExpression = Field(
        0, description="Consulates of each target in this actor's country closed."
    )
    seize_properties: NumberOrExpression = Field(
        0, description="Properties of each target in this actor's country closed or seized."
    )
    return_properties: NumberOrExpression = Field(
        0,
        description="Properties of each target handed back, up to what it held at the start.",
    )
    cap: NumberOrExpression | None = Field(
        None,
        description="A ceiling on each target's mission in this actor's country: diplomats and "
        "local staff together are cut to this number (local staff go first).",
    )
    lasting: NumberOrExpression = Field(
        0,
        description="Change to the resting tension of the pair with each target while the "
        "measure stands: what a closure or a cap leaves behind once the exchange is over. "
        "Negative for a reversal; never below the pair's pre-crisis baseline.",
    )


class Variant(Strict):
    """One concrete way to retaliate, restrain or wait."""

    id: Identifier
    label: Name
    description: Text
    severity: float = Field(
        0,
        ge=0,
        le=10,
        description="How hostile the act is (Goldstein magnitude, 0-10). It becomes the other "
        "side's grievance, and answers the actor's own.",
    )
    target: Identifier = Field(
        "choose",
        description="Whom the act is aimed at: 'choose' (the player, or the strategy, picks one "
        "actor among the legal targets; with two actors it is the other), an actor id, "
        "'adversaries' (every actor outside this actor's alignments), 'allies' (every actor "
        "sharing one), or 'everyone'.",
    )
    available_if: Condition = Field(True, description="Evaluated from the actor's view.")
    unavailable_text: Text | None = Field(
        None, description="Shown to the player when the condition is false."
    )
    enabled: bool = Field(True, description="Whether the variant can be used before any event.")
    max_uses: int | None = Field(
        None, ge=1, le=MAX_TURNS, description="How often it may be played in a game."
    )
    effects: Effects = Field(default_factory=Effects)
    headlines: list[Text] = Field(
        min_length=1,
        max_length=MAX_LIST,
        description="News templates; with several, the game's random stream picks one each "
        "time. Placeholders: {actor}, {capital}, {leader}, {target}, {target_capital}, {other}, "
        "{other_capital} (the targets, joined with 'and'), {n} (diplomats expelled), {date}, "
        "{turn}.",
    )


class Actions(Strict):
    """The variants of each kind; a kind left out cannot be played in this scenario."""

    retaliate: list[Variant] = Field(default_factory=list, max_length=MAX_VARIANTS)
    restrain: list[Variant] = Field(default_factory=list, max_length=MAX_VARIANTS)
    wait: list[Variant] = Field(default_factory=list, max_length=MAX_VARIANTS)


class Actor(Strict):
    """A side in the crisis."""

    id: Identifier
    name: Name
    short_name: Name | None = Field(
        None,
        description="A shorter name for tight places, such as the aiming buttons of a small "
        "window: 'EU/NATO' for 'EU and NATO allies' (default: the name).",
    )
    capital: Name = Field(description="Used in headlines: 'Moscow expels ...'.")
    leader: Name
    colour: Colour
    playable: bool = True
    start: StartValues = Field(default_factory=StartValues)
    personality: Personality = Field(default_factory=Personality)
    default_strategy: StrategyName | None = Field(
        None,
        description="Strategy used when nobody names one for this actor, e.g. tit_for_tat or "
        "lookahead:hard.",
    )
    actions: Actions


class TensionModel(Strict):
    """Coefficients of the tension model; see docs/scenario-format.md for the equations."""

    start: Gauge | None = Field(
        None, description="Tension between every pair before the opening moves (default: baseline)."
    )
    baseline: Gauge = Field(20, description="Tension relaxes toward this value.")
    relax: Unit = Field(0.1, description="Share of the gap to the baseline closed each turn.")
    reaction: float = Field(
        0.5, ge=0, le=10, description="Tension added per point of unanswered grievance."
    )
    escalation: float = Field(
        0, ge=0, le=100, description="Extra tension when both sides of a pair retaliate at once."
    )
    grievance_decay: Unit = Field(0.2, description="Share of grievance forgotten each turn.")
    grievance_decay_waiting: Unit = Field(
        0.05, description="Share forgotten while the aggrieved side waits (it keeps the option)."
    )
    answer_relief: float = Field(
        1.0, ge=0, le=10, description="Grievance answered per point of severity of a retaliation."
    )
    answer_credibility: float = Field(
        1.0, ge=0, le=10, description="Credibility gained per point of grievance answered."
    )
    restraint_forgives: Unit = Field(0.5, description="Share of grievance dropped on restraint.")
    pressure_from_grievance: float = Field(
        0.5, ge=0, le=10, description="Domestic pressure added each turn per point of grievance."
    )
    pressure_baseline: Gauge = Field(30)
    pressure_relax: Unit = Field(0.1)
    wait_pressure: float = Field(
        3, ge=0, le=100, description="Pressure added each turn an actor waits."
    )
    backdown_threshold: Gauge = Field(
        60, description="Above this pressure, restraint costs credibility."
    )
    backdown_cost: float = Field(
        10, ge=0, le=100, description="Credibility lost by restraining at pressure 100."
    )
    standing_baseline: Gauge = Field(50)
    standing_relax: Unit = Field(0.05)
    shock_tension: float = Field(
        2, ge=0, le=50, description="Standard deviation of the random tension shock per turn."
    )
    shock_pressure: float = Field(
        1, ge=0, le=50, description="Standard deviation of the random pressure shock."
    )
    repeat_effect: Unit = Field(
        1.0,
        description="Diminishing returns: each earlier use of a variant multiplies its tension, "
        "gauge effects and severity by this.",
    )
    overreach_credibility: float = Field(
        0,
        ge=0,
        le=10,
        description="Credibility lost per point of answer (answer_relief x severity) beyond "
        "the grievance it answers: over-answering reads as escalation, not resolve. A first "
        "strike answers nothing, so all of it counts.",
    )
    overreach_tension: float = Field(
        0,
        ge=0,
        le=10,
        description="Tension added per point of answer (answer_relief x severity) beyond the "
        "grievance.",
    )
    credibility_headroom: Unit = Field(
        0,
        description="How much credibility gained from answering shrinks as it nears 100: the "
        "gain is multiplied by 1 - headroom * credibility / 100.",
    )
    credibility_relax: Unit = Field(
        0, description="Share of the gap to the actor's starting credibility closed each turn."
    )
    last_word: Unit = Field(
        0,
        description="Share of both sides' grievance settled when an exchange closes: a side "
        "hit in the latest turn makes no act against its attacker, and the attacker makes none "
        "either.",
    )


class TensionBand(Strict):
    """A named stretch of the tension gauge, for the UI and the transcript."""

    name: Name
    up_to: Gauge = Field(description="The band covers tension up to this value.")


class ActorEventEffects(Strict):
    """What an event does to one actor."""

    pressure: NumberOrExpression = 0
    credibility: NumberOrExpression = 0
    standing: NumberOrExpression = 0
    leader: Name | None = Field(None, description="A new leader's name.")
    personality: PersonalityChange = Field(default_factory=PersonalityChange)


class PairChange(Strict):
    """An event's change to one pair: a shock with a direction, or a lasting change."""

    between: tuple[Identifier, Identifier] = Field(description="The two actors' ids.")
    tension: NumberOrExpression = Field(0, description="Added to the pair's tension.")
    lasting: NumberOrExpression = Field(
        0,
        description="Added to the pair's resting tension (never below its pre-crisis baseline).",
    )


class EventEffects(Strict):
    """What an event changes; expressions here use the scenario-wide variables."""

    tension: NumberOrExpression = Field(0, description="Added to the tension of every pair.")
    pairs: list[PairChange] = Field(
        default_factory=list, max_length=MAX_LIST, description="Changes to particular pairs."
    )
    actors: dict[Identifier, ActorEventEffects] = Field(default_factory=dict, max_length=MAX_ACTORS)
    enable: list[VariantRef] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        description="Variants made available, as 'actor.variant'.",
    )
    disable: list[VariantRef] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        description="Variants withdrawn, as 'actor.variant'.",
    )


class Event(Strict):
    """Something that happens to the players: on a turn, on a date, or when a condition holds."""

    id: Identifier
    headline: Name
    text: Text
    turn: int | None = Field(
        None,
        ge=2,
        le=MAX_TURNS,
        description="Fires at the end of turn T-1, so that it is news before turn T's choice.",
    )
    date: datetime.date | None = Field(
        None,
        description="Fires before the choice of the first turn dated on or after this date.",
    )
    when: Condition | None = Field(
        None, description="Fires at the end of any turn where this holds (scenario-wide view)."
    )
    probability: Unit = Field(1.0, description="Chance per eligible turn.")
    repeat: bool = Field(False, description="Whether it can fire more than once.")
    effects: EventEffects = Field(default_factory=EventEffects)


class Outcome(Strict):
    """A way a game can end. The one with id 'turn_limit' ends the game at max_turns."""

    id: Identifier
    title: Name
    text: Text
    when: Condition | None = Field(
        None, description="Scenario-wide condition; required except for 'turn_limit'."
    )
    for_turns: int = Field(1, ge=1, le=100, description="Turns in a row the condition must hold.")
    at_turn_limit: bool = Field(
        False,
        description="Also the ending of games that reach max_turns (as an outcome with id "
        "'turn_limit' is); at most one outcome may say so.",
    )


class Objective(Strict):
    """One weighted part of an actor's score."""

    name: Name
    value: NumberOrExpression = Field(description="Evaluated from the actor's view.")
    weight: float = Field(1.0, ge=-1000, le=1000)
    every_turn: bool = Field(
        False,
        description="Add the value every turn (a running payoff) instead of once at the end.",
    )


class OpeningMove(Strict):
    """A move made before turn 1, which the game opens with and reciprocity strategies answer."""

    actor: Identifier
    variant: Identifier
    target: Identifier | None = Field(
        None, description="The target of a variant whose target is 'choose'."
    )


class Pair(Strict):
    """Where one pair of actors starts, when it differs from the model's defaults."""

    between: tuple[Identifier, Identifier] = Field(description="The two actors' ids.")
    tension: Gauge | None = Field(None, description="Tension before the opening moves.")
    baseline: Gauge | None = Field(
        None, description="The pair's pre-crisis resting tension (default: the model's baseline)."
    )


class Alignment(Strict):
    """A bloc: its members are allies, and acts aimed at 'adversaries' spare them."""

    name: Name
    members: list[Identifier] = Field(min_length=2, max_length=MAX_ACTORS)


class Presentation(Strict):
    """How the game screen shows a scenario that is not a diplomatic crisis (a prisoner's
    dilemma, say): what the kinds of move are called, and whether the gauges mean anything."""

    retaliate: Text | None = Field(None, description="Name of the retaliate kind on screen.")
    restrain: Text | None = Field(None, description="Name of the restrain kind on screen.")
    wait: Text | None = Field(None, description="Name of the wait kind on screen.")
    gauges: bool = Field(
        True,
        description="Show tension, pressure, credibility, standing and diplomats; false shows a "
        "points scoreboard instead, for scenarios where only the score counts.",
    )


class HistoricalMove(Strict):
    """A move really made, on a turn of this scenario's calendar, that the replay plays."""

    turn: int = Field(ge=1, le=MAX_TURNS, description="The turn it was made, 1 to max_turns.")
    actor: Identifier = Field(description="The actor that made it.")
    variant: Identifier = Field(description="One of that actor's variant ids.")
    target: Identifier | None = Field(
        None, description="The actor it was aimed at (with two actors, the other one)."
    )


MAX_HISTORY_MOVES = MAX_TURNS * MAX_ACTORS
"""At most one move per actor per turn, so a longer list is always a mistake."""


class History(Strict):
    """What really happened: the end screen's text, and the real ending and moves, which
    `python main.py history` replays to test whether the model can tell the real story."""

    text: Text | None = Field(None, description="What really happened, for the end screen.")
    outcome: Identifier | None = Field(
        None, description="The real ending: one of this scenario's outcome ids."
    )
    moves: list[HistoricalMove] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_MOVES,
        description="The real moves, by turn; an actor with no move listed for a turn plays its "
        "quiet move (see docs/scenario-format.md).",
    )
    events: dict[Identifier, datetime.date] = Field(
        default_factory=dict,
        max_length=MAX_EVENTS,
        description="The real date of events of this scenario, for the history report.",
    )


def _as_history(value: History | str) -> History:
    return History(text=value) if isinstance(value, str) else value


HistoryField = Annotated[
    Annotated[History, Tag("object")] | Annotated[Text, Tag("text")],
    Discriminator(lambda value: "text" if isinstance(value, str) else "object"),
    AfterValidator(_as_history),
    Field(description="What really happened: an object, or (the older form) its text alone."),
]
"""`history:` as an object, or as a plain text, which older files use and which loads as the
object's text alone; either way the model holds a History."""


class Scenario(Strict):
    """A whole scenario file."""

    metadata: Metadata
    tension_bands: list[TensionBand] = Field(min_length=1, max_length=MAX_LIST)
    model: TensionModel = Field(default_factory=TensionModel)
    actors: list[Actor] = Field(min_length=2, max_length=MAX_ACTORS)
    pairs: list[Pair] = Field(
        default_factory=list, max_length=MAX_LIST, description="Pairs that start differently."
    )
    alignments: list[Alignment] = Field(
        default_factory=list, max_length=MAX_LIST, description="Blocs of allies."
    )
    opening: list[OpeningMove] = Field(default_factory=list, max_length=MAX_LIST)
    events: list[Event] = Field(default_factory=list, max_length=MAX_EVENTS)
    outcomes: list[Outcome] = Field(min_length=1, max_length=MAX_OUTCOMES)
    scoring: dict[Identifier, Annotated[list[Objective], Field(max_length=MAX_OBJECTIVES)]] = Field(
        max_length=MAX_ACTORS
    )
    history: HistoryField | None = Field(
        None,
        description="What really happened: text for the end screen, and the real outcome and "
        "moves that `python main.py history` replays.",
    )
    presentation: Presentation = Field(
        default_factory=Presentation, description="How the game screen shows this scenario."
    )
    balance: BalanceTargets | None = Field(
        None, description="Targets `python main.py balance --check` holds the scenario to."
    )


Range = Annotated[
    tuple[Annotated[float, Field(ge=0, le=MAX_TURNS)], Annotated[float, Field(ge=0, le=MAX_TURNS)]],
    Field(description="[lowest, highest] allowed."),
]
ShareRange = Annotated[tuple[Unit, Unit], Field(description="[lowest, highest] share, 0-1.")]


class ShareBounds(Strict):
    """A lowest and/or highest share, each optional: `{min: 0.2}`, `{max: 0.8}`, or both."""

    min: Unit | None = Field(None, description="Lowest share allowed, 0-1.")
    max: Unit | None = Field(None, description="Highest share allowed, 0-1.")

    @model_validator(mode="after")
    def _some_bound(self) -> ShareBounds:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min exceeds max")
        return self


class BalanceTargets(Strict):
    """What the balance lab checks with --check. Each is judged against the 95% confidence
    interval of the measured figure (docs/balance.md); a target left out is not checked."""

    no_dominant_strategy: bool = Field(
        False,
        description="No actor has a strategy that does better than each of its others against "
        "everything the others play, beyond doubt.",
    )
    max_win_rate: Unit | None = Field(
        None,
        description="Highest share of games any one actor may win (its score beats every other "
        "actor's), over all strategy profiles weighted equally.",
    )
    mean_turns: Range | None = Field(
        None, description="Range for the mean game length in turns, over all profiles."
    )
    outcome_share: dict[Identifier, ShareRange] = Field(
        default_factory=dict,
        max_length=MAX_OUTCOMES,
        description="Range for the share of games ending in each named outcome, over all profiles.",
    )
    every_action_used: bool = Field(
        False, description="Every variant of every actor is played in at least one game."
    )
    history_outcome_share: ShareBounds | None = Field(
        None,
        description="Bounds for the share of seeds in which the real moves (history.moves) reach "
        "the real outcome (history.outcome).",
    )
    verdict: Literal["balanced"] | None = Field(
        None, description="The balance verdict the scenario must earn: 'balanced'."
    )


Scenario.model_rebuild()
