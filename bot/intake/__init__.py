"""Durable intake: every customer message is appended to a Redis stream before the channel answers 200, then
processed once, in order per customer, by whichever Rasa replica is alive (see `stream.py`, `consumer.py`)."""
