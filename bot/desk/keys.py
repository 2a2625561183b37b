"""Typed keys for what the desk app shares between handlers."""
import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from bot.desk.agents import Agent, AgentDirectory
from bot.handoff.delivery import Delivery
from bot.handoff.queue import TicketQueue
from bot.rasa_client import RasaClient
from bot.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
REDIS = web.AppKey("redis", Redis)
AGENTS = web.AppKey("agents", AgentDirectory)
QUEUE = web.AppKey("queue", TicketQueue)
DELIVERY = web.AppKey("delivery", Delivery)
RASA = web.AppKey("rasa", RasaClient)

# Set on each request by the login middleware.
AGENT = "agent"
__all__ = ["AGENT", "AGENTS", "Agent", "DELIVERY", "HTTP", "QUEUE", "RASA", "REDIS", "SETTINGS"]
