"""Bot replies for one customer turn, queued behind each other per customer and sent after Rasa let go of the
conversation lock; when a message cannot be sent, the rest of that turn is dropped rather than sent out of order."""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.serial import SerialRunner
from connectors.graph_api import GraphRequestFailed

logger = logging.getLogger(__name__)


class QueuedOutput(OutputChannel):
    """Subclasses turn a Rasa message into platform messages (`parts`) and send one (`send_part`)."""

    def __init__(self, outbound: SerialRunner) -> None:
        self.outbound = outbound
        self.turn_failed = False

    def parts(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def send_part(self, recipient_id: str, part: dict[str, Any]) -> None:
        raise NotImplementedError

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for part in self.parts(message):
            self.outbound.submit(recipient_id, lambda part=part: self._send(recipient_id, part))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def _send(self, recipient_id: str, part: dict[str, Any]) -> None:
        if self.turn_failed:
            return
        try:
            await self.send_part(recipient_id, part)
        except GraphRequestFailed:
            self.turn_failed = True
            logger.error("%s: a reply could not be sent; the rest of this turn is dropped", self.name())
