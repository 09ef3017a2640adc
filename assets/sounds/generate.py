"""Synthesise the game's sound effects (short, quiet, CC0) into this folder.

Run `python assets/sounds/generate.py` to rebuild them; the output is deterministic.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 22050
HERE = Path(__file__).resolve().parent


def _envelope(n: int, attack: float, decay: float) -> np.ndarray:
    t = np.arange(n) / RATE
    rise = np.clip(t / attack, 0.0, 1.0)
    return rise * np.exp(-t / decay)


def _tone(freqs: list[float], seconds: float, attack: float, decay: float) -> np.ndarray:
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    wave_sum = sum(np.sin(2 * np.pi * f * t) / (i + 1) for i, f in enumerate(freqs))
    return wave_sum * _envelope(n, attack, decay)


def _write(name: str, samples: np.ndarray, volume: float) -> None:
    samples = samples / max(np.abs(samples).max(), 1e-9) * volume
    data = (samples * 32767).astype("<i2").tobytes()
    with wave.open(str(HERE / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data)


def main() -> None:
    _write("click.wav", _tone([1200.0, 2400.0], 0.05, 0.002, 0.012), 0.35)
    _write("turn.wav", _tone([220.0, 440.0, 660.0], 0.6, 0.01, 0.18), 0.4)
    teletype = np.concatenate([_tone([900.0, 1800.0], 0.07, 0.002, 0.02) for _ in range(3)])
    _write("event.wav", np.concatenate([teletype, _tone([523.3, 784.0], 0.5, 0.01, 0.15)]), 0.4)
    chord = _tone([261.6, 329.6, 392.0, 523.3], 1.4, 0.05, 0.5)
    _write("end.wav", chord, 0.45)
    _write("refused.wav", _tone([180.0, 190.0], 0.25, 0.005, 0.08), 0.4)


if __name__ == "__main__":
    main()
