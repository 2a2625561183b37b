"""Per-language evaluation of the NLU on held-out test sets (tests/data)."""
