"""Rasa's conversation stores replaced through endpoints.yml: an atomic lock store and an append-only tracker store."""
