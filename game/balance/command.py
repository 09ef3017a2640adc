"""`python main.py balance`: a thin command over the balance lab."""

from __future__ import annotations

import argparse
from typing import Any


def add_balance_parser(commands: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser("balance", help="play every strategy profile and judge balance")
    parser.add_argument("scenario", help="scenario file")
    return parser


def run_balance(args: argparse.Namespace) -> int:
    raise NotImplementedError("the balance lab is being built")
