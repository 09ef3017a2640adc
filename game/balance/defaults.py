"""The balance lab's default sizes, in a module of their own so that the command line can name
them in `--help` without importing the engine (game.balance.tournament uses the same values)."""

DEFAULT_GAMES = 1000
"""Games per profile."""
LOOKAHEAD_TURNS = 2000
"""Lookahead profiles play about this many turns' worth of games by default."""
MIN_LOOKAHEAD_GAMES = 8
"""...but never fewer games than this."""
