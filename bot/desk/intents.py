"""The intents an agent can choose when correcting what the bot understood: the domain's, minus those no
customer types (button payloads, connector events)."""
from __future__ import annotations

from functools import lru_cache

from bot.checks import read_yaml
from bot.settings import PROJECT_ROOT
from bot.trainer.coverage import EXEMPT_INTENTS, domain_intents


@lru_cache(maxsize=1)
def customer_intents() -> list[str]:
    return sorted(set(domain_intents(read_yaml(PROJECT_ROOT / "domain.yml"))) - set(EXEMPT_INTENTS))
