"""Messenger user profiles (name, locale where the app may read it), asked once a day per customer."""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Optional

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels import keys

logger = logging.getLogger(__name__)
KEEP_SECONDS = 24 * 3600
KEEP_MISSING_SECONDS = 3600  # a failed lookup is not repeated for every message
PROFILE_FIELDS = ("first_name", "last_name", "locale")

Fetch = Callable[[str], Awaitable[Optional[dict[str, Any]]]]


class MessengerProfiles:
    """`fetch(psid)` asks the User Profile API; answers (and failures) are cached in Redis."""

    def __init__(self, redis: Redis, fetch: Fetch) -> None:
        self.redis = redis
        self.fetch = fetch

    async def get(self, psid: str) -> dict[str, Any]:
        key = keys.messenger_profile(psid)
        try:
            cached = await self.redis.get(key)
        except RedisError:
            cached = None
        if cached is not None:
            return json.loads(cached)
        fetched = await self.fetch(psid)
        profile = {field: fetched[field] for field in PROFILE_FIELDS if isinstance((fetched or {}).get(field), str)}
        try:
            await self.redis.set(key, json.dumps(profile), ex=KEEP_SECONDS if fetched else KEEP_MISSING_SECONDS)
        except RedisError:
            logger.warning("Could not cache a Messenger profile (Redis unavailable)")
        return profile
