"""Strategies that answer what the other side did: the tit-for-tat family.

'The other side retaliated' means another actor retaliated against this one in the latest turn
(an act aimed elsewhere is no blow to answer), the scenario's opening moves included. Without a
retaliation to answer, these strategies restrain. They answer pair by pair: a retaliation is aimed
at whoever hit them hardest (`Strategy.targets`).
"""

from __future__ import annotations

from game.engine import choose
from game.strategies.base import Strategy

GENEROUS_FORGIVENESS = choose.GENEROUS_FORGIVENESS


class TitForTat(Strategy):
    name = "tit_for_tat"
    description = "Restrains first, then retaliates exactly when the other side just did."
    reads = ("others_last",)
    code = choose.TIT_FOR_TAT


class GenerousTitForTat(Strategy):
    name = "generous_tit_for_tat"
    description = "Tit-for-tat that lets a retaliation go unanswered with some probability."
    stochastic = True
    reads = ("others_last",)
    code = choose.GENEROUS_TIT_FOR_TAT

    def __init__(self, forgiveness: float = GENEROUS_FORGIVENESS) -> None:
        if not 0.0 <= forgiveness <= 1.0:
            raise ValueError(f"forgiveness must be between 0 and 1, got {forgiveness}")
        self.forgiveness = forgiveness

    def params(self) -> dict[str, float]:
        return {} if self.forgiveness == GENEROUS_FORGIVENESS else {"forgiveness": self.forgiveness}

    def kernel_params(self) -> tuple[float, ...]:
        return (self.forgiveness,)


class TitForTwoTats(Strategy):
    name = "tit_for_two_tats"
    description = "Retaliates only after the other side retaliated two turns running."
    reads = ("others_last", "others_previous")
    code = choose.TIT_FOR_TWO_TATS


class GrimTrigger(Strategy):
    name = "grim_trigger"
    description = "Restrains until it suffers one hostile act, then retaliates for ever."
    reads = ("wronged",)
    code = choose.GRIM_TRIGGER


class WaitAndSee(Strategy):
    """Waits while a scheduled event that changes the game (a new leader, new or withdrawn
    moves) is due within `horizon` turns, then plays tit-for-tat.

    A new administration, a vote, a summit: when something that could change the game is on
    the calendar, keeping the option open is worth more than answering now.
    """

    name = "wait_and_see"
    description = "Waits while a scheduled event is pending, then reciprocates."
    reads = ("schedule", "others_last")
    code = choose.WAIT_AND_SEE

    def __init__(self, horizon: int = 4) -> None:
        if horizon < 0:
            raise ValueError(f"horizon must be 0 or more, got {horizon}")
        self.horizon = horizon

    def params(self) -> dict[str, int]:
        return {} if self.horizon == 4 else {"horizon": self.horizon}

    def kernel_params(self) -> tuple[float, ...]:
        return (float(self.horizon),)
