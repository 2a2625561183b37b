"""Sending to one customer on Messenger or WhatsApp: bot replies, typing and read markers, profile look-ups."""
from __future__ import annotations

import logging
from typing import Any, Optional

from bot.channels.config import GraphSettings, MessengerConfig, WhatsAppConfig
from bot.channels.profiles import PROFILE_FIELDS
from connectors.graph_api import GraphClient, GraphRequestFailed

logger = logging.getLogger(__name__)
HUMAN_AGENT_TAG = "HUMAN_AGENT"


class MessengerSender:
    """The Send API (`me/messages`) and the User Profile API with the Page access token."""

    channel = "messenger"

    def __init__(self, client: GraphClient) -> None:
        self.client = client

    @classmethod
    def create(cls, config: MessengerConfig, graph: GraphSettings) -> "MessengerSender":
        return cls(GraphClient(graph, config.page_access_token, token_in_query=True))

    async def send(self, psid: str, message: dict[str, Any], human_agent_tag: bool = False) -> None:
        body: dict[str, Any] = {"recipient": {"id": psid}, "message": message}
        if human_agent_tag:
            body.update(messaging_type="MESSAGE_TAG", tag=HUMAN_AGENT_TAG)
        else:
            body["messaging_type"] = "RESPONSE"
        await self.client.post("me/messages", body, what="Messenger message")

    async def sender_action(self, psid: str, action: str) -> None:
        """`mark_seen`, `typing_on`: nice to have, so tried once and never an error."""
        try:
            await self.client.post("me/messages", {"recipient": {"id": psid}, "sender_action": action},
                                   what=f"Messenger {action}", retry=False)
        except GraphRequestFailed:
            pass  # already logged; the conversation goes on without it

    async def profile(self, psid: str) -> Optional[dict[str, Any]]:
        """Name and locale; without the app's access to `locale`, Meta refuses the field, so ask again without."""
        failure = None
        for fields in (PROFILE_FIELDS, tuple(field for field in PROFILE_FIELDS if field != "locale")):
            try:
                return await self.client.get(psid, {"fields": ",".join(fields)}, what="Messenger profile", retry=False)
            except GraphRequestFailed as error:
                failure = error
        logger.info("No Messenger profile for this customer, so no name: %s", failure)
        return None

    async def close(self) -> None:
        await self.client.close()


class WhatsAppSender:
    """The Cloud API (`{phone-number-id}/messages`) with the access token."""

    channel = "whatsapp"

    def __init__(self, client: GraphClient, phone_number_id: str) -> None:
        self.client = client
        self.phone_number_id = phone_number_id

    @classmethod
    def create(cls, config: WhatsAppConfig, graph: GraphSettings) -> "WhatsAppSender":
        return cls(GraphClient(graph, config.access_token), config.phone_number_id)

    async def send(self, wa_id: str, message: dict[str, Any]) -> None:
        """To a phone number (`to`) or, for a customer known only by a business-scoped user id, to `recipient`."""
        address = {"to": wa_id} if wa_id.isdigit() else {"recipient": wa_id}
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **address, **message}
        await self.client.post(f"{self.phone_number_id}/messages", body, what="WhatsApp message")

    async def mark_read(self, message_id: str, typing: bool) -> None:
        """Blue ticks on the customer's message, with the typing indicator when a reply follows; tried once."""
        body: dict[str, Any] = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        if typing:
            body["typing_indicator"] = {"type": "text"}
        try:
            await self.client.post(f"{self.phone_number_id}/messages", body, what="WhatsApp read", retry=False)
        except GraphRequestFailed:
            pass  # already logged; the conversation goes on without it

    async def close(self) -> None:
        await self.client.close()
