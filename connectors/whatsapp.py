"""WhatsApp (Cloud API) for Rasa: `connectors.whatsapp.WhatsAppInput` in credentials.yml,
webhook at /webhooks/whatsapp/webhook."""
from __future__ import annotations

import os
from typing import Any, Optional

from bot.channels import inbound as payloads
from bot.channels.config import GraphSettings, WhatsAppConfig
from bot.channels.customer import whatsapp_metadata
from bot.channels.inbound import Inbound, InboundMessage, Notice
from bot.channels.outbound import whatsapp_messages
from bot.channels.serial import SerialRunner
from connectors.meta_output import QueuedOutput
from connectors.meta_webhook import MetaWebhookInput
from connectors.senders import WhatsAppSender


class WhatsAppOutput(QueuedOutput):
    def __init__(self, sender: WhatsAppSender, outbound: SerialRunner) -> None:
        super().__init__(outbound)
        self.sender = sender

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def parts(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return whatsapp_messages(message)

    async def send_part(self, recipient_id: str, part: dict[str, Any]) -> None:
        await self.sender.send(recipient_id, part)


class WhatsAppInput(MetaWebhookInput):
    def __init__(self, config: WhatsAppConfig, sender: WhatsAppSender) -> None:
        super().__init__(config.app_secret, config.verify_token, accepting=config.can_send)
        self.sender = sender
        self.phone_number_id = config.phone_number_id

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "WhatsAppInput":
        config = WhatsAppConfig.from_credentials(credentials, os.environ)
        return cls(config, WhatsAppSender.create(config, GraphSettings.from_env(os.environ)))

    def parse(self, payload: Any) -> Inbound:
        """Messages to our number; another number of the same business account is someone else's to answer."""
        parsed = payloads.whatsapp(payload)
        ours = [m for m in parsed.messages if m.business_id in ("", self.phone_number_id)]
        others = len(parsed.messages) - len(ours)
        elsewhere = Notice("another number", warn=True, detail="for another phone number id of the account")
        return Inbound(ours, parsed.notices + [elsewhere] * others)

    async def customer_metadata(self, message: InboundMessage) -> dict[str, Any]:
        return whatsapp_metadata(message)

    def acknowledge(self, message: InboundMessage, typing: bool) -> None:
        self.outbound.submit(message.sender_id, lambda: self.sender.mark_read(message.message_id, typing))

    def reply_channel(self) -> WhatsAppOutput:
        return WhatsAppOutput(self.sender, self.outbound)

    async def close(self) -> None:
        await self.sender.close()
