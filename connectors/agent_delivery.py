"""Agent replies (and the hand-back and rating messages) from the desk to Messenger and WhatsApp customers,
within Meta's messaging windows; what cannot be sent is refused with a sentence the agent reads."""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Mapping

from redis.asyncio import Redis

from bot.channels.activity import last_inbound
from bot.channels.config import (MESSENGER_INPUT, WHATSAPP_INPUT, GraphSettings, MessengerConfig,
                                 WhatsAppConfig)
from bot.channels.errors import Outcome
from bot.channels.outbound import messenger_messages, whatsapp_messages, whatsapp_template
from bot.channels.window import Permission, messenger_agent_permission, whatsapp_agent_permission
from bot.handoff.delivery import ChannelFailed, Delivery, OutsideWindow
from connectors.graph_api import GraphRequestFailed
from connectors.senders import MessengerSender, WhatsAppSender

logger = logging.getLogger(__name__)

MESSENGER_CLOSED = ("Not sent: Messenger accepts replies only within 7 days of the customer's last message, "
                    "and this customer has not written for longer than that.")
MESSENGER_BOT_CLOSED = "Not sent: the customer's last Messenger message is over 24 hours old."
WHATSAPP_CLOSED = ("Not sent: the customer last wrote on WhatsApp more than 24 hours ago. WhatsApp then accepts "
                   "only an approved template, and none is configured (WHATSAPP_AGENT_TEMPLATE).")
WHATSAPP_BOT_CLOSED = "Not sent: the customer's last WhatsApp message is over 24 hours old."
META_REFUSED_WINDOW = "Not sent: {channel} says the conversation's messaging window has closed."
META_FAILED = "Not sent: {channel} did not accept the message ({detail}). Try again in a moment."


def _is_agent_reply(message: Mapping[str, Any]) -> bool:
    return bool(message.get("agent"))


def _refusal(channel: str, error: GraphRequestFailed) -> Exception:
    if error.outcome is Outcome.WINDOW_CLOSED:
        return OutsideWindow(META_REFUSED_WINDOW.format(channel=channel))
    detail = str(error.error) if error.error else "no answer in time"
    return ChannelFailed(META_FAILED.format(channel=channel, detail=detail))


class MessengerAgentDelivery:
    """Within 24 hours a normal reply; a person's reply up to 7 days with the HUMAN_AGENT tag; then refused."""

    def __init__(self, sender: MessengerSender, redis: Redis) -> None:
        self.sender = sender
        self.redis = redis

    async def __call__(self, psid: str, messages: list[dict[str, Any]]) -> None:
        permission = messenger_agent_permission(await last_inbound(self.redis, "messenger", psid), time.time())
        if permission is Permission.CLOSED:
            raise OutsideWindow(MESSENGER_CLOSED)
        for message in messages:
            tagged = permission is Permission.HUMAN_AGENT_TAG
            if tagged and not _is_agent_reply(message):
                raise OutsideWindow(MESSENGER_BOT_CLOSED)  # the tag is for what a person wrote, never the bot
            for part in messenger_messages(message):
                try:
                    await self.sender.send(psid, part, human_agent_tag=tagged)
                except GraphRequestFailed as error:
                    raise _refusal("Messenger", error) from error


class WhatsAppAgentDelivery:
    """Within 24 hours a normal reply; after that the configured template carries a person's reply, or refused."""

    def __init__(self, sender: WhatsAppSender, config: WhatsAppConfig, redis: Redis) -> None:
        self.sender = sender
        self.config = config
        self.redis = redis

    def _parts(self, permission: Permission, message: dict[str, Any]) -> list[dict[str, Any]]:
        if permission is Permission.MESSAGE:
            return whatsapp_messages(message)
        if not _is_agent_reply(message):
            raise OutsideWindow(WHATSAPP_BOT_CLOSED)
        language = self.config.template_language(str(message.get("language") or "en"))
        return [whatsapp_template(self.config.agent_template, language, str(message.get("text") or ""))]

    async def __call__(self, wa_id: str, messages: list[dict[str, Any]]) -> None:
        seen = await last_inbound(self.redis, "whatsapp", wa_id)
        permission = whatsapp_agent_permission(seen, time.time(), bool(self.config.agent_template))
        if permission is Permission.CLOSED:
            raise OutsideWindow(WHATSAPP_CLOSED)
        for message in messages:
            for part in self._parts(permission, message):
                try:
                    await self.sender.send(wa_id, part)
                except GraphRequestFailed as error:
                    raise _refusal("WhatsApp", error) from error


def register_senders(delivery: Delivery, redis: Redis, credentials: Mapping[str, Any],
                     environ: Mapping[str, str] = os.environ) -> list[MessengerSender | WhatsAppSender]:
    """Register a sender for each channel whose credentials are set; returns them, to be closed on shutdown."""
    graph = GraphSettings.from_env(environ)
    senders: list[MessengerSender | WhatsAppSender] = []
    if MESSENGER_INPUT in credentials:
        messenger = MessengerConfig.from_credentials(credentials.get(MESSENGER_INPUT), environ)
        if messenger.can_send:
            sender = MessengerSender.create(messenger, graph)
            delivery.register("messenger", MessengerAgentDelivery(sender, redis))
            senders.append(sender)
    if WHATSAPP_INPUT in credentials:
        whatsapp = WhatsAppConfig.from_credentials(credentials.get(WHATSAPP_INPUT), environ)
        if whatsapp.can_send:
            sender = WhatsAppSender.create(whatsapp, graph)
            delivery.register("whatsapp", WhatsAppAgentDelivery(sender, whatsapp, redis))
            senders.append(sender)
    logger.info("Agent replies can go to: %s", ", ".join(s.channel for s in senders) or "web chat only")
    return senders
