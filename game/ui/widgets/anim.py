"""Small animations: numbers that ease to their new values, and slide-ins."""

from __future__ import annotations

import math


class Eased:
    """Values that move toward their targets with exponential easing (frame-rate independent)."""

    def __init__(self, rate: float = 6.0) -> None:
        self.rate = rate
        self.values: dict[str, float] = {}
        self.targets: dict[str, float] = {}

    def set(self, key: str, target: float, snap: bool = False) -> None:
        self.targets[key] = target
        if snap or key not in self.values:
            self.values[key] = target

    def get(self, key: str) -> float:
        return self.values.get(key, self.targets.get(key, 0.0))

    def update(self, dt: float) -> None:
        blend = 1.0 - math.exp(-self.rate * dt)
        for key, target in self.targets.items():
            value = self.values.get(key, target)
            value += (target - value) * blend
            if abs(target - value) < 0.01:
                value = target
            self.values[key] = value

    def snap(self) -> None:
        self.values.update(self.targets)


class Slide:
    """Progress from 0 to 1 over `seconds`, eased out, for things that slide into place."""

    def __init__(self, seconds: float = 0.45) -> None:
        self.seconds = seconds
        self.elapsed = seconds

    def start(self) -> None:
        self.elapsed = 0.0

    def finish(self) -> None:
        self.elapsed = self.seconds

    def update(self, dt: float) -> None:
        self.elapsed = min(self.seconds, self.elapsed + dt)

    @property
    def progress(self) -> float:
        t = self.elapsed / self.seconds
        return 1.0 - (1.0 - t) ** 3
