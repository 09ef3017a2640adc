"""The instruction set of scenario expressions, shared by the scenario compiler and the engine.

An instruction is four integers: (operation, a, b, c). `game.scenario.expressions` writes them;
`game.engine.program` runs them. This module holds only the numbers, so loading a scenario never
loads the engine's compiler.
"""

# Operations. a, b, c are the instruction's other three integers.
OP_CONST = 0  # push constants[a]
OP_VAR = 1  # push reading a of actor b (-1: the viewing actor) with index c
OP_NEG = 2
OP_NOT = 3
OP_TRUTH = 4  # x != 0
OP_ABS = 5
OP_ADD = 6
OP_SUB = 7
OP_MUL = 8
OP_DIV = 9
OP_LT = 10
OP_LE = 11
OP_GT = 12
OP_GE = 13
OP_EQ = 14
OP_NE = 15
OP_MIN = 16
OP_MAX = 17
OP_WHERE = 18  # pops condition, if-true, if-false
OP_AND_JUMP = 19  # if the top is false, skip a instructions and keep it; else pop it
OP_OR_JUMP = 20  # if the top is true, skip a instructions and keep it; else pop it
# A reading compared with a constant, fused into one instruction when a scenario is laid out for
# the engine (`game.engine.tables`): push (reading a, of actor (b >> 16) - 1, with index
# b & 0xFFFF) OP constants[c], for OP = LT, LE, GT, GE, EQ, NE in that order.
OP_VAR_LT = 21
OP_VAR_NE = 26
FUSED_INDEX_BITS = 16
# A reading taken into the value under it, fused the same way: the top becomes top + reading,
# top - reading or top * reading (a, b, c as for OP_VAR).
OP_VAR_ADD = 27
OP_VAR_SUB = 28
OP_VAR_MUL = 29

WIDTH = 4
"""Integers per instruction."""

# Readings (the `a` of OP_VAR). The viewing actor's readings take b = -1.
VAR_SLOT = 0  # variable c of the caller's own values (names not yet resolved to readings)
VAR_TURN = 1
VAR_TENSION = 2  # highest tension between the actor and any other
VAR_RELATIONS = 3
VAR_GRIEVANCE = 4  # the actor's grievance against all others
VAR_OTHER_GRIEVANCE = 5  # the others' grievance against the actor
VAR_DIPLOMATS = 6
VAR_OTHER_DIPLOMATS = 7
VAR_DIPLOMATS_KEPT = 8
VAR_HOSTED = 9
VAR_GAUGE = 10  # c: gauge
VAR_OTHER_GAUGE = 11  # c: gauge; mean over the other actors
VAR_KIND = 12  # c: kind; 1 if the actor's latest move was of that kind
VAR_OTHER_KIND = 13  # c: kind; share of the other actors
VAR_TRAIT = 14  # c: trait
VAR_OUTCOME = 15  # c: outcome; 1 if the game ended with it
VAR_MAX_TENSION = 16
VAR_MEAN_TENSION = 17
VAR_EVENT = 18  # c: event; how often it fired
VAR_PAIR_TENSION = 19  # tension between actor b and actor c
VAR_PAIR_GRIEVANCE = 20  # grievance of actor b against actor c
VAR_PAIR_STOCK = 21  # c = stock * PAIR_STRIDE + j: what actor b keeps of a stock in j's country
VAR_RESTING_TENSION = 22  # the resting tension between actor b and actor c
PAIR_STRIDE = 64
"""More than the actors a scenario may have, so one integer carries a stock and an actor."""

# Shortcuts: how the engine may answer a whole expression without running its instructions
# (`game.engine.peephole.shortcut`). Each expression has SHORTCUT_COLUMNS integers: the mode; a
# reading as the largest of `count` row slots in a row from first + actor * stride (read as the
# machine reads it); the comparison (0..5 for LT..NE); and the index of the constant compared
# with (for SHORTCUT_CONSTANT, of the constant itself).
SHORTCUT_NONE = 0  # run the instructions
SHORTCUT_CONSTANT = 1  # the constant
SHORTCUT_WINDOW = 2  # 1.0 (inside its turn window, which decides it)
SHORTCUT_READING = 3  # the reading
SHORTCUT_COMPARISON = 4  # the reading compared with the constant, as 1.0 or 0.0
SHORTCUT_GUARD = 5  # 0.0 if that comparison fails, else run the instructions
SHORTCUT_COLUMNS = 6
