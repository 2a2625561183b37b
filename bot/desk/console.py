"""The agent console: queue, conversation view, replies, claim/release/transfer, hand back and close."""
from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import Any, Optional

from aiohttp import web

from bot import conversation
from bot.corrections import Correction, Corrections
from bot.desk import transcript
from bot.desk.agents import SUPERVISOR, Agent
from bot.desk.canned import load_canned
from bot.desk.intents import customer_intents
from bot.desk.keys import AGENT, AGENTS, DELIVERY, QUEUE, RASA, REDIS
from bot.desk.security import csrf_token, page
from bot.handoff.delivery import ChannelFailed, NotDelivered, OutsideWindow, UndeliverableChannel
from bot.handoff.presence import online_agents
from bot.handoff.queue import Ticket
from bot.profile import cached_profile
from bot.rasa_client import RasaUnavailable

logger = logging.getLogger(__name__)
RESOLUTIONS = ("resolved", "unresolved", "duplicate", "spam")
HANDED_BACK = "handed_back"
MAX_REPLY_LENGTH = 2000


def ticket_view(ticket: Ticket, now: float) -> dict[str, Any]:
    """A ticket as the console shows it, with its wait against the channel's first-response target."""
    target = cached_profile().first_response_minutes(ticket.channel)
    waited = (ticket.first_response_at or now) - ticket.created_at
    return {**asdict(ticket), "waiting_seconds": round(waited), "target_minutes": target,
            "overdue": waited > target * 60}


async def queue_snapshot(request: web.Request) -> dict[str, Any]:
    agent: Agent = request[AGENT]
    queue, now = request.app[QUEUE], time.time()
    open_tickets = await queue.open_tickets()
    visible = [t for t in open_tickets if agent.serves(t.language)]
    waiting = sorted((t for t in visible if t.state == "waiting"), key=queue.score)
    languages = sorted({t.language for t in visible} | set(agent.languages))
    return {
        "agent": agent.public(),
        "waiting": [ticket_view(t, now) for t in waiting],
        "mine": [ticket_view(t, now) for t in open_tickets if t.state == "claimed" and t.agent == agent.name],
        "others": [ticket_view(t, now) for t in visible if t.state == "claimed" and t.agent != agent.name],
        "stats": await queue.stats(languages),
        "online": await online_agents(request.app[REDIS]),
    }


async def _ticket_for(request: web.Request, ticket_id: str) -> Ticket:
    ticket = await request.app[QUEUE].get(ticket_id)
    if ticket is None:
        raise web.HTTPNotFound(text="no such ticket")
    if not request[AGENT].serves(ticket.language):
        raise web.HTTPForbidden(text=f"this conversation is in a language you do not serve ({ticket.language})")
    return ticket


async def _held_ticket(request: web.Request) -> Ticket:
    """The ticket in the URL, which must be open and claimed by the agent asking."""
    ticket = await _ticket_for(request, request.match_info["ticket_id"])
    if ticket.state != "claimed" or ticket.agent != request[AGENT].name:
        raise web.HTTPConflict(text="claim this ticket first (it is not yours, or it is closed)")
    return ticket


async def _conversation_ticket(request: web.Request) -> Optional[Ticket]:
    """The latest ticket of the conversation in the URL; agents may only open conversations they serve.

    Supervisors may also read conversations that were never handed to a person (the links in `bot review`);
    there is no ticket then (None), so nothing to claim or answer.
    """
    ticket = await request.app[QUEUE].latest_ticket(request.match_info["conversation_id"])
    if ticket is not None:
        return await _ticket_for(request, ticket.id)
    if request[AGENT].role != SUPERVISOR:
        raise web.HTTPNotFound(text="this conversation was never handed to a person")
    return None


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON")
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


# ---- pages -----------------------------------------------------------------------------------------------------
async def queue_page(request: web.Request) -> web.Response:
    agent: Agent = request[AGENT]
    return page("queue.html", csrf=await csrf_token(request), agent=agent.signature)


async def conversation_page(request: web.Request) -> web.Response:
    await _conversation_ticket(request)
    return page("conversation.html", csrf=await csrf_token(request), agent=request[AGENT].signature,
                conversation=request.match_info["conversation_id"])


# ---- API -------------------------------------------------------------------------------------------------------
async def api_me(request: web.Request) -> web.Response:
    return web.json_response(request[AGENT].public())


async def api_queue(request: web.Request) -> web.Response:
    return web.json_response(await queue_snapshot(request))


async def api_conversation(request: web.Request) -> web.Response:
    ticket = await _conversation_ticket(request)
    try:
        tracker = await request.app[RASA].tracker(request.match_info["conversation_id"])
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=str(error))
    events = tracker.get("events") or []
    corrected = await Corrections(request.app[REDIS]).of_conversation(request.match_info["conversation_id"])
    corrections = [{"time": moment, "intent": intent} for moment, intent in corrected.items()]
    understood = {"transcript": transcript.transcript(events), "intents": customer_intents(), "corrections": corrections,
                  "paused": bool(tracker.get("paused"))}
    if ticket is None:  # a supervisor reading a conversation the bot handled alone
        return web.json_response({**understood, "ticket": None, "canned": [], "resolutions": []})
    agent: Agent = request[AGENT]
    profile = cached_profile()
    values = {
        "name": ticket.customer_name, "agent": agent.signature, "company": profile.company,
        "order_id": transcript.latest_entity(events, "order_id"),
        "product": transcript.latest_entity(events, "product"), "ticket_id": ticket.id,
    }
    script = conversation.serbian_script(events)
    return web.json_response({
        **understood,
        "ticket": ticket_view(ticket, time.time()),
        "canned": load_canned().render(ticket.language, values, script, tuple(profile.latin_names)),
        "resolutions": list(RESOLUTIONS),
    })


async def api_correct(request: web.Request) -> web.Response:
    """The agent says what a customer message really meant; `bot review` hands it to the trainers."""
    await _conversation_ticket(request)
    body = await _json_body(request)
    intent = str(body.get("intent", ""))
    if intent not in customer_intents():
        raise web.HTTPBadRequest(text="choose one of the intents the bot knows")
    conversation_id = request.match_info["conversation_id"]
    try:
        events = (await request.app[RASA].tracker(conversation_id)).get("events") or []
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=str(error))
    said = {float(e["timestamp"]) for e in events if e.get("event") == "user" and e.get("timestamp") is not None}
    try:
        moment = float(body.get("time"))
    except (TypeError, ValueError):
        raise web.HTTPBadRequest(text="time must be the customer message's time")
    if moment not in said:
        raise web.HTTPBadRequest(text="no customer message at that time in this conversation")
    await Corrections(request.app[REDIS]).mark(Correction(conversation_id, moment, intent, request[AGENT].name))
    return web.json_response({"time": moment, "intent": intent})


async def api_claim(request: web.Request) -> web.Response:
    ticket = await _ticket_for(request, request.match_info["ticket_id"])
    claimed = await request.app[QUEUE].claim(ticket.id, request[AGENT].name)
    if claimed is None:
        raise web.HTTPConflict(text="someone else took this ticket")
    return web.json_response(ticket_view(claimed, time.time()))


async def api_release(request: web.Request) -> web.Response:
    ticket = await _held_ticket(request)
    released = await request.app[QUEUE].release(ticket.id, request[AGENT].name)
    return web.json_response(ticket_view(released, time.time()))


async def api_transfer(request: web.Request) -> web.Response:
    ticket = await _held_ticket(request)
    target = str((await _json_body(request)).get("to", ""))
    colleague = await request.app[AGENTS].get(target)
    if colleague is None or not colleague.serves(ticket.language):
        raise web.HTTPBadRequest(text=f"{target!r} is not an agent who serves {ticket.language}")
    moved = await request.app[QUEUE].transfer(ticket.id, request[AGENT].name, colleague.name)
    if moved is None:
        raise web.HTTPConflict(text="the ticket changed meanwhile")
    return web.json_response(ticket_view(moved, time.time()))


async def api_reply(request: web.Request) -> web.Response:
    """Send the agent's message to the customer's channel and append it to the Rasa tracker."""
    ticket = await _held_ticket(request)
    text = str((await _json_body(request)).get("text", "")).strip()
    if not text:
        raise web.HTTPBadRequest(text="the message is empty")
    if len(text) > MAX_REPLY_LENGTH:
        raise web.HTTPBadRequest(text=f"messages are at most {MAX_REPLY_LENGTH} characters")
    agent: Agent = request[AGENT]
    signed = f"{text}\n— {agent.signature}"
    reply = {"text": signed, "agent": agent.signature, "language": ticket.language}
    try:
        await request.app[DELIVERY].send(ticket.channel, ticket.conversation_id, [reply])
    except UndeliverableChannel as error:
        raise web.HTTPNotImplemented(text=str(error))
    except OutsideWindow as error:  # nothing was sent, so nothing goes on the transcript
        raise web.HTTPConflict(text=str(error))
    except ChannelFailed as error:
        raise web.HTTPBadGateway(text=str(error))
    event = {"event": "bot", "text": signed, "timestamp": time.time(),
             "metadata": {"agent": agent.name, "agent_signature": agent.signature, "ticket": ticket.id}}
    try:
        await request.app[RASA].append_events(ticket.conversation_id, [event])
    except RasaUnavailable as error:
        logger.error("Agent reply sent but not added to the transcript: %s", error)
    await request.app[QUEUE].record_first_response(ticket.id)
    return web.json_response({"sent": signed})


async def _end(request: web.Request, ticket: Ticket, response: str, resolution: str) -> web.Response:
    """Give the conversation back to the bot, let the bot say `response`, and close the ticket."""
    rasa = request.app[RASA]
    try:
        await rasa.append_events(ticket.conversation_id, [{"event": "resume", "timestamp": time.time()}])
        messages = await rasa.run_action(ticket.conversation_id, response)
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=f"the ticket stays open: {error}")
    closed = await request.app[QUEUE].close(ticket.id, resolution)
    try:
        await request.app[DELIVERY].send(ticket.channel, ticket.conversation_id, messages)
    except NotDelivered as error:
        logger.error("Closing message not delivered: %s", error)
    return web.json_response(ticket_view(closed, time.time()) if closed else {})


async def api_hand_back(request: web.Request) -> web.Response:
    return await _end(request, await _held_ticket(request), "utter_handed_back", HANDED_BACK)


async def api_close(request: web.Request) -> web.Response:
    ticket = await _held_ticket(request)
    resolution = str((await _json_body(request)).get("resolution", ""))
    if resolution not in RESOLUTIONS:
        raise web.HTTPBadRequest(text=f"resolution must be one of {', '.join(RESOLUTIONS)}")
    return await _end(request, ticket, "utter_ask_rating", resolution)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk", queue_page)
    app.router.add_get("/desk/conversations/{conversation_id}", conversation_page)
    app.router.add_get("/desk/api/me", api_me)
    app.router.add_get("/desk/api/queue", api_queue)
    app.router.add_get("/desk/api/conversations/{conversation_id}", api_conversation)
    app.router.add_post("/desk/api/conversations/{conversation_id}/corrections", api_correct)
    app.router.add_post("/desk/api/tickets/{ticket_id}/claim", api_claim)
    app.router.add_post("/desk/api/tickets/{ticket_id}/release", api_release)
    app.router.add_post("/desk/api/tickets/{ticket_id}/transfer", api_transfer)
    app.router.add_post("/desk/api/tickets/{ticket_id}/reply", api_reply)
    app.router.add_post("/desk/api/tickets/{ticket_id}/hand-back", api_hand_back)
    app.router.add_post("/desk/api/tickets/{ticket_id}/close", api_close)
