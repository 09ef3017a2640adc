"""Persona Non Grata: start the game or one of its headless commands."""

import sys

from game.cli import run

if __name__ == "__main__":
    sys.exit(run())
