"""The agents who may log in to the desk: name, display name, languages, role, password hash (in Redis)."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable, Optional

from redis.asyncio import Redis

from bot import languages
from bot.desk.passwords import DUMMY_HASH, hash_password, verify_password
from bot.desk.sessions import end_agent_sessions

AGENTS_KEY = "desk:agents"
SUPERVISOR = "supervisor"  # sees every language, and conversations the bot handled alone
ROLES = ("agent", SUPERVISOR)
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 10


class AgentError(ValueError):
    """A bad agent definition (name, languages, role or password), with a message for the operator."""


@dataclass
class Agent:
    name: str
    languages: list[str]
    role: str = "agent"
    display_name: str = ""
    password_hash: str = field(default="", repr=False)

    @property
    def signature(self) -> str:
        """How the agent signs replies to customers."""
        return self.display_name or self.name.capitalize()

    def serves(self, language: str) -> bool:
        """Supervisors see every queue, agents the languages they speak. (Customers in a language we do not
        support are queued in English, the language the bot answered them in.)"""
        return self.role == SUPERVISOR or language in self.languages

    def public(self) -> dict:
        return {"name": self.name, "display_name": self.signature, "languages": self.languages, "role": self.role}


def parse_languages(text: str) -> list[str]:
    codes = [code.strip().lower() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if not languages.is_supported(code)]
    if unknown or not codes:
        raise AgentError(f"languages must be some of {', '.join(languages.SUPPORTED)} (got {text!r})")
    return sorted(set(codes), key=codes.index)


class AgentDirectory:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def add(self, name: str, password: str, agent_languages: Iterable[str], role: str = "agent",
                  display_name: str = "", replace: bool = False) -> Agent:
        if not NAME.match(name):
            raise AgentError("names are 2-32 lower-case letters, digits, dots, dashes or underscores")
        if role not in ROLES:
            raise AgentError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AgentError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
        agent = Agent(name, list(agent_languages), role, display_name.strip()[:40], hash_password(password))
        stored = await self.redis.hsetnx(AGENTS_KEY, name, json.dumps(asdict(agent))) if not replace else None
        if replace:  # a new password or role: sessions opened with the old one end
            await self.redis.hset(AGENTS_KEY, name, json.dumps(asdict(agent)))
            await end_agent_sessions(self.redis, name)
        elif not stored:
            raise AgentError(f"agent {name!r} exists already (use --replace to change it)")
        return agent

    async def get(self, name: str) -> Optional[Agent]:
        raw = await self.redis.hget(AGENTS_KEY, name)
        return Agent(**json.loads(raw)) if raw else None

    async def all(self) -> list[Agent]:
        raws = await self.redis.hgetall(AGENTS_KEY)
        return sorted((Agent(**json.loads(raw)) for raw in raws.values()), key=lambda agent: agent.name)

    async def remove(self, name: str) -> bool:
        await end_agent_sessions(self.redis, name)
        return bool(await self.redis.hdel(AGENTS_KEY, name))

    async def log_out(self, name: str) -> int:
        """End every session of the agent (an administrator's `bot agents logout NAME`); how many there were."""
        return await end_agent_sessions(self.redis, name)

    async def authenticate(self, name: str, password: str) -> Optional[Agent]:
        agent = await self.get(name) if NAME.match(name or "") else None
        if not verify_password(password, agent.password_hash if agent else DUMMY_HASH):
            return None
        return agent
