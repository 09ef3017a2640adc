"""Scripted choices for `play --script R,S,W,R:mirror_expulsion`: a player without a person.

R, S and W (or retaliate, restrain, wait) play the first legal variant of that kind in the
scenario's order; KIND:variant_id plays that variant. Tests and the README's screenshots use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.errors import UserError
from game.scenario.compiled import RESTRAIN, RETALIATE, WAIT
from game.ui.session import GameSession

KIND_KEYS = {"r": RETALIATE, "retaliate": RETALIATE, "s": RESTRAIN, "restrain": RESTRAIN}
KIND_KEYS |= {"w": WAIT, "wait": WAIT}


@dataclass(frozen=True)
class ScriptedChoice:
    kind: int
    variant: str | None = None

    def __str__(self) -> str:
        letter = "RSW"[self.kind]
        return f"{letter}:{self.variant}" if self.variant else letter


def parse_script(text: str) -> list[ScriptedChoice]:
    """Parse 'R,S,W,R:expel_35'; raises UserError naming the bad item."""
    choices = []
    for position, item in enumerate(text.split(","), start=1):
        item = item.strip()
        kind_text, _, variant = item.partition(":")
        kind = KIND_KEYS.get(kind_text.strip().lower())
        if kind is None:
            raise UserError(
                f"--script item {position} '{item}': expected R, S or W, optionally "
                "followed by :variant_id"
            )
        choices.append(ScriptedChoice(kind, variant.strip() or None))
    return choices


def resolve(session: GameSession, actor: int, choice: ScriptedChoice) -> int:
    """The variant index a scripted choice means now; raises UserError if there is none."""
    sc = session.scenario
    turn = session.turn + 1
    kind_name = ("Retaliate", "Restrain", "Wait")[choice.kind]
    if choice.variant is not None:
        matching = [v for v in sc.variants[actor] if v.id == choice.variant]
        if not matching or matching[0].kind != choice.kind:
            ids = ", ".join(v.id for v in session.variants(actor, choice.kind)) or "none"
            raise UserError(
                f"--script turn {turn}: {sc.actor_name(actor)} has no {kind_name.lower()} "
                f"variant '{choice.variant}' (choose from {ids})"
            )
        return matching[0].index
    legal = session.legal(actor)
    for variant in session.variants(actor, choice.kind):
        if legal[variant.index]:
            return variant.index
    raise UserError(
        f"--script turn {turn}: no {kind_name} move is available to {sc.actor_name(actor)}"
    )
