"""The human-handoff ticket queue in Redis."""
