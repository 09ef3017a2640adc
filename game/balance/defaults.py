"""The balance lab's default sizes, in a module of their own so that the command line can name
them in `--help` without importing the engine (game.balance.tournament and game.balance.plan use
the same values)."""

DEFAULT_GAMES = 1000
"""Games per profile."""
LOOKAHEAD_TURNS = 2000
"""Lookahead profiles play about this many turns' worth of games by default..."""
LOOKAHEAD_DECISIONS = 40_000
"""...but fewer when the run's lookahead profiles would otherwise make more lookahead decisions
than this in all (as many as the two-actor default run makes: 20 lookahead sides, 100 games of
20 turns)..."""
MIN_LOOKAHEAD_GAMES = 8
"""...and never fewer games than this."""
LINEUPS = 20
"""Line-ups per actor in a sampled run: each actor plays every strategy against this many
combinations of the others' strategies, drawn at random."""

# A sample's figures are uncertain mostly because of which line-ups were drawn, not because of
# the games each profile plays, so its profiles play fewer games by default:
SAMPLE_GAMES = 250
"""Games per profile in a sampled run."""
SAMPLE_LOOKAHEAD_DECISIONS = 20_000
"""A sampled run's lookahead decisions in all..."""
SAMPLE_MIN_LOOKAHEAD_GAMES = 4
"""...and the fewest games a lookahead profile of a sampled run plays."""
