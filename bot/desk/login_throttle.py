"""Slowing down password guessing without locking the real agent out.

Attempts are counted per (name, address) and per address, in one Lua script that checks and counts at once (no
race between parallel guesses). After a few free attempts each further one must wait twice as long as the one
before, up to a ceiling: a guesser from one address gets a few dozen tries an hour, while the agent logs in from
their own address at once, and from the guesser's address again once the wait is over. A successful login clears
its (name, address) count.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass
from typing import Iterable

from redis.asyncio import Redis

logger = logging.getLogger(__name__)

PAIR_KEY = "desk:login:pair:{}"
ADDRESS_KEY = "desk:login:address:{}"
NAME_KEY = "desk:login:name:{}"

# KEYS: the counters (each a hash: n = attempts, until = ms before which attempts are refused)
# ARGV: now_ms, window_s, base_ms, max_ms, then one free-attempts number per key
_ACQUIRE = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local until_ms = tonumber(redis.call('HGET', key, 'until') or '0')
  if until_ms > now and until_ms - now > wait then wait = until_ms - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', 1)
  local free = tonumber(ARGV[4 + i])
  if n >= free then
    local backoff = math.min(tonumber(ARGV[3]) * 2 ^ (n - free), tonumber(ARGV[4]))
    redis.call('HSET', key, 'until', now + backoff)
  end
  redis.call('EXPIRE', key, tonumber(ARGV[2]))
end
return 0
"""


@dataclass(frozen=True)
class Limits:
    pair_free: int = 5  # attempts for one name from one address before the waits start
    address_free: int = 30  # attempts from one address, all names together
    base_seconds: float = 1.0  # the first wait; each next one doubles
    max_seconds: float = 15 * 60
    window_seconds: int = 24 * 3600  # counts are forgotten a day after the last attempt


def client_address(remote: str, forwarded_for: str, trusted: Iterable[str]) -> str:
    """The customer-facing address: the peer, or behind trusted proxies (the ingress) the last address of
    X-Forwarded-For that is not one of them."""
    networks = [ipaddress.ip_network(net.strip(), strict=False) for net in trusted if net.strip()]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in networks)

    if not is_trusted(remote):
        return remote
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop
    return remote


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class LoginThrottle:
    def __init__(self, redis: Redis, limits: Limits = Limits()) -> None:
        self.redis = redis
        self.limits = limits
        self._acquire = redis.register_script(_ACQUIRE)

    def _keys(self, name: str, address: str) -> list[str]:
        return [PAIR_KEY.format(_digest(f"{name}\n{address}")), ADDRESS_KEY.format(_digest(address))]

    async def acquire(self, name: str, address: str) -> float:
        """Count this attempt; 0 if it may go on, else the seconds to wait (the attempt was not counted)."""
        limits = self.limits
        waiting_ms = await self._acquire(
            keys=self._keys(name, address),
            args=[int(time.time() * 1000), limits.window_seconds, int(limits.base_seconds * 1000),
                  int(limits.max_seconds * 1000), limits.pair_free, limits.address_free],
        )
        return int(waiting_ms) / 1000

    async def failed(self, name: str) -> None:
        """Guesses at one name from many addresses are not blocked (that would lock its owner out) but counted
        and logged, for the operator."""
        key = NAME_KEY.format(_digest(name))
        count = await self.redis.incr(key)
        await self.redis.expire(key, self.limits.window_seconds)
        if count in (50, 500, 5000):
            logger.warning("Many failed desk logins for one agent name (%d in a day), from many addresses", count)

    async def succeeded(self, name: str, address: str) -> None:
        await self.redis.delete(self._keys(name, address)[0])
