"""One customer turn as the intake sees it inside Rasa: which of its actions the action server did not run, the
output channel that counts its replies, and the tracker reading and reverting that finish it on a re-claim.

Rasa 3.6 runs a custom action through `RemoteAction`; when the action server cannot be reached mid-turn it raises,
and `MessageProcessor._run_action` logs "Encountered an exception while running action '<name>'", records the
action without its events and goes on predicting: the turn is saved and the customer hears nothing. Nothing is
patched here: a logging filter on Rasa's processor logger notes such failures for the turn running in the current
task (a context variable), the output channel drops what Rasa says after the failure, and the intake resumes the
turn later (`connectors/intake.py`): `ActionReverted` events undo the failed action and what followed it, and the
prediction runs again from the stored tracker, so the customer's message is in the tracker once.
"""
from __future__ import annotations

import asyncio
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

import aiohttp
from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import ActionExecuted, ActionReverted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.intake.consumer import caused_by

RASA_PROCESSOR_LOGGER = "rasa.core.processor"
_FAILED_ACTION = re.compile(r"while running action '([^']+)'")
_GATEWAY_DOWN = (502, 503, 504)  # a load balancer in front of action servers that are all down
OnSent = Callable[[str, int], Awaitable[None]]  # recipient, index of the turn's message just handed to the channel


@dataclass
class Turn:
    """What happened in one turn: the index of its next bot message, the actions the action server did not run."""

    message_id: str
    next_index: int = 0
    failed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # actions that failed with an error of their own (a bug)
    last_send: Optional[asyncio.Task] = None  # the turn's last queued send (Messenger, WhatsApp)

    @property
    def silent_after_a_bug(self) -> bool:
        """An action failed with an error of its own (not an outage: resuming would fail again) and the turn said
        nothing: the customer gets the sorry note with the offer of a person instead of silence."""
        return bool(self.broken) and not self.failed and self.next_index == 0

    async def sent(self) -> None:
        """Wait until every reply of the turn was sent, or given up."""
        if self.last_send is not None:
            await asyncio.wait({self.last_send})


_current: ContextVar[Optional[Turn]] = ContextVar("intake_turn", default=None)


def action_server_unreachable(error: BaseException) -> bool:
    """Connection refused or lost, a timeout, or a gateway answering that no action server is up."""
    if caused_by(error, (aiohttp.ClientConnectionError, asyncio.TimeoutError)):
        return True
    seen, current = set(), error
    while current is not None and id(current) not in seen:
        # aiohttp's ClientResponseError, or Rasa's own (rasa.utils.endpoints), which is no subclass of it
        if isinstance(current, aiohttp.ClientError) and getattr(current, "status", None) in _GATEWAY_DOWN:
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class _ActionFailures(logging.Filter):
    """Notes, for the turn of the current task, each action Rasa could not run: because of the action server
    (`failed`, resumed later) or because the action itself failed (`broken`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        turn = _current.get()
        if turn is not None and record.exc_info and record.exc_info[1] is not None:
            found = _FAILED_ACTION.search(str(record.msg))
            if found:
                unreachable = action_server_unreachable(record.exc_info[1])
                (turn.failed if unreachable else turn.broken).append(found.group(1))
        return True


_FILTER = _ActionFailures()


def watch_action_failures() -> None:
    """Install the filter once per process (after Rasa configured its logging)."""
    logger = logging.getLogger(RASA_PROCESSOR_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


class watching:
    """`with watching(turn):` failures Rasa logs in this task belong to `turn`."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self._token = None

    def __enter__(self) -> Turn:
        self._token = _current.set(self.turn)
        return self.turn

    def __exit__(self, *_: Any) -> None:
        _current.reset(self._token)


class TurnOutput(OutputChannel):
    """The channel Rasa answers the turn through: counts the turn's messages, and drops those that come after an
    action the action server did not run (the resumed turn says what should have been said)."""

    def __init__(self, inner: OutputChannel, turn: Turn, on_sent: Optional[OnSent] = None) -> None:
        self.inner = inner
        self.turn = turn
        self.on_sent = on_sent

    def name(self) -> str:  # type: ignore[override] - the NLG picks channel-specific responses by this name
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.turn.failed:
            return
        index = self.turn.next_index
        self.turn.next_index += 1
        await self.inner.send_response(recipient_id, message)
        if self.on_sent is not None:
            await self.on_sent(recipient_id, index)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


def _user_index(events: list, message_id: str) -> Optional[int]:
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            return index
    return None


def has_message(tracker: Optional[DialogueStateTracker], message_id: str) -> bool:
    return tracker is not None and _user_index(list(tracker.events), message_id) is not None


def turn_replies(tracker: DialogueStateTracker, message_id: str) -> list[dict[str, Any]]:
    """The bot messages that answer the message (not undone by a resume), as Rasa hands them to a channel."""
    applied = tracker.applied_events()
    start = _user_index(applied, message_id)
    replies: list[dict[str, Any]] = []
    for event in applied[start + 1:] if start is not None else []:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            replies.append(event.message())
    return replies


def failed_in_turn(tracker: DialogueStateTracker, message_id: str, names: list[str]) -> Optional[str]:
    """The first action of the message's turn (as it stands) that is among those the action server did not run."""
    applied = tracker.applied_events()
    start = _user_index(applied, message_id)
    for event in applied[start + 1:] if start is not None else []:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name in names:
            return event.action_name
    return None


def revert_failed_action(tracker: DialogueStateTracker, message_id: str, action: str) -> bool:
    """Undo the failed action of the message's turn and everything after it (`ActionReverted`, marked with the
    message id); False when the turn cannot be found as expected (then nothing should be saved)."""
    applied = tracker.applied_events()
    start = _user_index(applied, message_id)
    if start is None:
        return False
    target = next((index for index in range(start + 1, len(applied))
                   if isinstance(applied[index], ActionExecuted) and applied[index].action_name == action), None)
    if target is None:
        return False
    for _ in range(sum(isinstance(event, ActionExecuted) for event in applied[target:])):
        tracker.update(ActionReverted(metadata={"resumed_message": message_id}))
    return len(tracker.applied_events()) == target


def resumed_since(tracker: DialogueStateTracker, events: int, message_id: str) -> bool:
    """Whether a resume of this message was saved after the tracker held `events` events."""
    later = list(tracker.events)[events:]
    return bool(later) and isinstance(later[0], ActionReverted) and \
        later[0].metadata.get("resumed_message") == message_id
