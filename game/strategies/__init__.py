"""Scripted and searching opponents. Each strategy can play any actor, over a whole batch."""
