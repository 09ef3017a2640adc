"""Persona Non Grata: start the game or one of its headless commands."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
