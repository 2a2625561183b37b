"""Facebook Messenger for Rasa: `connectors.messenger.MessengerInput` in credentials.yml,
webhook at /webhooks/messenger/webhook."""
from __future__ import annotations

import os
from typing import Any, Optional

from redis.exceptions import RedisError

from bot.channels import inbound as payloads
from bot.channels.config import GraphSettings, MessengerConfig
from bot.channels.customer import messenger_metadata
from bot.channels.inbound import Inbound, InboundMessage
from bot.channels.outbound import messenger_messages
from bot.channels.profiles import MessengerProfiles
from bot.channels.referrals import PendingReferrals
from bot.channels.serial import SerialRunner
from connectors.meta_output import QueuedOutput
from connectors.meta_webhook import MetaWebhookInput
from connectors.senders import MessengerSender


class MessengerOutput(QueuedOutput):
    def __init__(self, sender: MessengerSender, outbound: SerialRunner) -> None:
        super().__init__(outbound)
        self.sender = sender

    @classmethod
    def name(cls) -> str:
        return "messenger"

    def parts(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return messenger_messages(message)

    async def send_part(self, recipient_id: str, part: dict[str, Any]) -> None:
        await self.sender.send(recipient_id, part)


class MessengerInput(MetaWebhookInput):
    def __init__(self, config: MessengerConfig, sender: MessengerSender) -> None:
        super().__init__(config.app_secret, config.verify_token, accepting=config.can_send)
        self.sender = sender

    @classmethod
    def name(cls) -> str:
        return "messenger"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "MessengerInput":
        config = MessengerConfig.from_credentials(credentials, os.environ)
        return cls(config, MessengerSender.create(config, GraphSettings.from_env(os.environ)))

    def parse(self, payload: Any) -> Inbound:
        return payloads.messenger(payload)

    async def customer_metadata(self, message: InboundMessage) -> dict[str, Any]:
        profile = await MessengerProfiles(self.redis(), self.sender.profile).get(message.sender_id)
        metadata = messenger_metadata(message, profile)
        try:
            referral = await PendingReferrals(self.redis()).take(self.name(), message.sender_id)
        except RedisError:
            referral = None
        if referral and "referral" not in metadata:
            metadata["referral"] = referral
        return metadata

    def acknowledge(self, message: InboundMessage, typing: bool) -> None:
        for action in ("mark_seen", "typing_on") if typing else ("mark_seen",):
            self.outbound.submit(message.sender_id,
                                 lambda action=action: self.sender.sender_action(message.sender_id, action))

    def reply_channel(self) -> MessengerOutput:
        return MessengerOutput(self.sender, self.outbound)

    async def close(self) -> None:
        await self.sender.close()
