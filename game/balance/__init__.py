"""The balance lab: tournaments between strategies, meta-game analysis and balance targets."""
