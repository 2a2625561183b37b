"""Which agents are online: each open console keeps a short-lived Redis key alive."""
from __future__ import annotations

import json
from typing import Iterable

from redis.asyncio import Redis

from bot.handoff import keys

TTL_SECONDS = 60


async def mark_online(redis: Redis, agent: str, languages: Iterable[str]) -> None:
    await redis.set(keys.online(agent), json.dumps(sorted(languages)), ex=TTL_SECONDS)


async def mark_offline(redis: Redis, agent: str) -> None:
    await redis.delete(keys.online(agent))


async def online_agents(redis: Redis) -> dict[str, list[str]]:
    """Agent name -> languages, for every agent with a console open."""
    agents = {}
    async for key in redis.scan_iter(match=keys.online("*"), count=200):
        raw = await redis.get(key)
        if raw:
            agents[key.decode().rsplit(":", 1)[1]] = json.loads(raw)
    return agents


async def agents_online_for(redis: Redis, language: str) -> int:
    return sum(language in spoken for spoken in (await online_agents(redis)).values())
