"""Webhook payloads from Messenger and WhatsApp as a flat list of customer messages, plus the notices
(echoes, receipts, statuses, errors, group messages, unknown kinds) that are recorded but never answered.

Any JSON is accepted: what does not have the documented shape is skipped, never an error. What Meta documents
but the bot does not answer becomes a `Notice`; `Notice.warn` ones are logged at warning level by the connector
(`log_notices`), so nothing a customer wrote disappears without a trace.

What each kind of customer event becomes (`InboundMessage.event` and the text Rasa reads):
- typed text, button and list replies: the text or our payload; an `edit` (WhatsApp `edit`, Messenger
  `message_edit`) is the new text, marked `edited` with the original message id in the metadata;
- a deleted message (WhatsApp `revoke`): `/message_deleted` (noted in the transcript, nothing said);
- a reaction (WhatsApp `reaction`, Messenger `message_reactions`): `/reaction_received` (shown to the agent in the
  transcript, nothing said);
- a catalogue `order` or a WhatsApp Flow reply (`nfm_reply`): `/request_human`, its content in `handoff_context`
  so it lands on the ticket;
- media, `unsupported` and unknown types: `/media_received` (the polite "text only, or ask for a person" answer);
- a referral from an ad or link: kept as `referral` in the message's metadata.
WhatsApp group messages (`group_id`) are not answered at all (see README, "Group messages").
"""
from __future__ import annotations

from bot.channels.events import (DELETED_TEXT, HANDOFF_TEXT, MAX_TEXT_LENGTH, MEDIA_TEXT, REACTION_TEXT, Inbound,
                                 InboundMessage, Notice, log_notices, neutralise)
from bot.channels.inbound_messenger import messenger
from bot.channels.inbound_whatsapp import whatsapp

__all__ = ["DELETED_TEXT", "HANDOFF_TEXT", "MAX_TEXT_LENGTH", "MEDIA_TEXT", "REACTION_TEXT", "Inbound",
           "InboundMessage", "Notice", "log_notices", "messenger", "neutralise", "whatsapp"]
