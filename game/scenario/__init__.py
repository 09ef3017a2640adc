"""Scenario files: the data that defines a crisis, and the code that checks and compiles it."""
