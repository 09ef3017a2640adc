"""The names an expression may read, with their meanings.

There are two points of view. An actor's view (availability, scaled effects, scores) reads the
actor's own gauges by plain names and the other actors' by `other_` names. The scenario-wide view
(events, outcomes) reads every actor's gauges by `ACTOR_` names. The engine computes exactly these
names, and the docs list them from here, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

TRAITS: tuple[str, ...] = ("hawkishness", "patience", "forgiveness", "volatility")

ACTOR_VIEW: dict[str, str] = {
    "turn": "the turn being played (1 for the first decision)",
    "tension": "the highest tension between this actor and any other, 0-100",
    "relations": "100 minus tension",
    "pressure": "this actor's domestic pressure, 0-100",
    "credibility": "this actor's credibility, 0-100",
    "standing": "this actor's international standing, 0-100",
    "grievance": "this actor's unanswered grievance against all others",
    "diplomats": "this actor's diplomats stationed abroad",
    "diplomats_kept": "share of this actor's starting diplomats still abroad, 0-1",
    "hosted": "other actors' diplomats stationed with this actor",
    "retaliated": "1 if this actor retaliated in the latest turn, else 0",
    "restrained": "1 if this actor restrained in the latest turn, else 0",
    "waited": "1 if this actor waited in the latest turn, else 0",
    "other_pressure": "mean domestic pressure of the other actors",
    "other_credibility": "mean credibility of the other actors",
    "other_standing": "mean standing of the other actors",
    "other_grievance": "the other actors' unanswered grievance against this actor",
    "other_diplomats": "the other actors' diplomats stationed abroad (mean)",
    "other_retaliated": "share of the other actors that retaliated in the latest turn",
    "other_restrained": "share of the other actors that restrained in the latest turn",
    "other_waited": "share of the other actors that waited in the latest turn",
    **{trait: f"this actor's {trait}, 0-1" for trait in TRAITS},
}

PER_ACTOR_GLOBAL: dict[str, str] = {
    "pressure": "domestic pressure",
    "credibility": "credibility",
    "standing": "standing",
    "grievance": "unanswered grievance against all others",
    "diplomats": "diplomats stationed abroad",
    "hosted": "foreign diplomats hosted",
    "tension": "highest tension with any other actor",
    "retaliated": "1 if the actor retaliated in the turn just played",
    "restrained": "1 if the actor restrained in the turn just played",
    "waited": "1 if the actor waited in the turn just played",
    **{trait: trait for trait in TRAITS},
}

PAIR_VIEW: dict[str, str] = {
    "tension": "tension between A and B, 0-100",
    "resting_tension": "the tension A and B settle toward: the pre-crisis baseline plus what "
    "lasting measures add",
    "grievance": "A's unanswered grievance against B",
    "diplomats": "A's diplomats stationed in B's country",
    "staff": "local staff of A's missions in B's country",
    "consulates": "A's consulates in B's country",
    "properties": "A's properties in B's country",
}
"""Pair readings, named `NAME_A_B` with two actor ids; both points of view read them."""

GLOBAL_VIEW: dict[str, str] = {
    "turn": "the turn just played",
    "tension": "the highest tension of any pair, 0-100",
    "mean_tension": "the mean tension over all pairs",
    "event_EVENT": "how often the event with id EVENT has fired so far",
}


def outcome_variable(outcome_id: str) -> str:
    """The actor-view name that is 1 when the game ended with this outcome."""
    return f"outcome_{outcome_id}"


def pair_names(actor_ids: Sequence[str]) -> set[str]:
    """Every pair reading of a scenario with these actors."""
    return {f"{name}_{a}_{b}" for name in PAIR_VIEW for a in actor_ids for b in actor_ids if a != b}


def actor_view_names(
    outcome_ids: Sequence[str], actor_ids: Sequence[str] = (), event_ids: Sequence[str] = ()
) -> frozenset[str]:
    """Every name an actor-view expression may read in a scenario with these outcomes, actors
    and events (an actor may also ask what has happened: `event_EVENT`)."""
    names = set(ACTOR_VIEW) | {outcome_variable(o) for o in outcome_ids}
    names |= {f"event_{event}" for event in event_ids}
    return frozenset(names | pair_names(actor_ids))


def global_view_names(actor_ids: Sequence[str], event_ids: Sequence[str]) -> frozenset[str]:
    """Every name a scenario-wide expression may read in a scenario with these actors."""
    names = set(GLOBAL_VIEW) | {f"event_{event}" for event in event_ids}
    for actor in actor_ids:
        names |= {f"{actor}_{var}" for var in PER_ACTOR_GLOBAL}
    return frozenset(names | pair_names(actor_ids))
