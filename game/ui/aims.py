"""Aiming a move: whom the player may pick, whom the rules would pick, and why a pick is refused.

A move whose target is 'choose' is aimed by the player in a crisis of three sides or more; with
two there is only the other side to aim at, and nothing to pick. A move nobody aims goes where
the rules send it (`rules.default_target`: whoever hit the actor hardest, and so on). The UI
never works that out itself: it asks the engine to play the turn on a copy of the game and reads
whom the move reached (`Engine.aimed_at`).
"""

from __future__ import annotations

import numpy as np

from game.engine.engine import IllegalMove
from game.ui.session import GameSession


def picks_target(session: GameSession, actor: int, variant: int) -> bool:
    """Whether the player aims this move: a 'choose' variant with more than one other side."""
    spec = session.scenario.variant(actor, variant)
    return session.scenario.n_actors >= 3 and spec.player_picks_target


def rules_target(session: GameSession, actor: int, variant: int) -> int | None:
    """Whom the rules would aim the move at if the player picked nobody (None if nobody)."""
    engine, state = session.engine, session.state
    legal = engine.legal(state)
    actions = np.argmax(legal, axis=2).astype(np.int64)  # any legal move for the others
    actions[0, actor] = variant
    try:
        after, _ = engine.step(state, actions, legal=legal)
    except IllegalMove:
        return None
    reached = engine.aimed_at(after, 0, actor)
    return reached[0] if reached else None


def target_refusal(session: GameSession, actor: int, variant: int, target: int) -> str | None:
    """Why the move cannot be aimed at `target` now, in the engine's words, or None if it can."""
    if target in session.legal_targets(actor, variant):
        return None
    label = session.scenario.variant(actor, variant).label
    reason = session.engine.why_not_target(session.state, 0, actor, variant, target)
    return f"{label}: {reason}"
