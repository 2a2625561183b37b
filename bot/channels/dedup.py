"""Meta redelivers webhooks (WhatsApp for up to 7 days), to every Rasa replica: the intake marks each message id as
processed (`bot.channels.keys.seen_message`) when processing ends, and keeps the mark this long."""
from __future__ import annotations

# WhatsApp retries for up to 7 days; a day more of margin.
SEEN_SECONDS = 8 * 24 * 3600
