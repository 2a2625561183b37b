"""Meta's messaging windows: what may be sent to a customer, given when they last wrote.

Inside 24 hours anything may be sent. After that, a person (never the bot) may still answer on Messenger for
7 days with the HUMAN_AGENT tag; on WhatsApp only an approved template may be sent.
"""
from __future__ import annotations

import enum
from typing import Optional

STANDARD_WINDOW_SECONDS = 24 * 3600
HUMAN_AGENT_WINDOW_SECONDS = 7 * 24 * 3600


class Permission(enum.Enum):
    MESSAGE = "message"  # a normal reply
    HUMAN_AGENT_TAG = "human_agent_tag"  # Messenger: MESSAGE_TAG + HUMAN_AGENT
    TEMPLATE = "template"  # WhatsApp: the configured template
    CLOSED = "closed"  # nothing may be sent


def _age(last_inbound: Optional[float], now: float) -> Optional[float]:
    return None if last_inbound is None else max(0.0, now - last_inbound)


def within_standard_window(last_inbound: Optional[float], now: float) -> bool:
    age = _age(last_inbound, now)
    return age is not None and age <= STANDARD_WINDOW_SECONDS


def messenger_agent_permission(last_inbound: Optional[float], now: float) -> Permission:
    age = _age(last_inbound, now)
    if age is None or age > HUMAN_AGENT_WINDOW_SECONDS:
        return Permission.CLOSED
    return Permission.MESSAGE if age <= STANDARD_WINDOW_SECONDS else Permission.HUMAN_AGENT_TAG


def whatsapp_agent_permission(last_inbound: Optional[float], now: float, has_template: bool) -> Permission:
    if within_standard_window(last_inbound, now):
        return Permission.MESSAGE
    return Permission.TEMPLATE if has_template else Permission.CLOSED
