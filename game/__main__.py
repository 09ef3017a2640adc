"""`python -m game`: the same as `python main.py` or the installed `persona-non-grata`."""

import sys

from game.cli import run

if __name__ == "__main__":
    sys.exit(run())
