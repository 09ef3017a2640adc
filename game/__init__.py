"""Persona Non Grata: a turn-based game of diplomatic reciprocity."""

__version__ = "0.1.0"
