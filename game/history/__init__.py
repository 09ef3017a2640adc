"""History as a test: replay a scenario's real moves and see whether the model tells the real
story (`python main.py history`, the balance target `history_outcome_share`, and the end
screen's score of the real moves).

`replay` plays the moves; `figures` turns replays into shares with intervals; `command` is the
command line. Nothing is imported here, so that building the parser stays fast.
"""
