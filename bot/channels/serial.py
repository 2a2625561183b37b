"""Jobs run one after another per key (a customer), in the order submitted, without blocking the caller."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Optional

logger = logging.getLogger(__name__)
Job = Callable[[], Awaitable[None]]


class SerialRunner:
    """Per key, each job starts when the previous one has ended; different keys run concurrently."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._tails: dict[str, asyncio.Task] = {}

    def submit(self, key: str, job: Job) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(self._run(self._tails.get(key), job))
        self._tails[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return task

    def _forget(self, key: str, done: asyncio.Task) -> None:
        if self._tails.get(key) is done:
            del self._tails[key]

    async def _run(self, previous: Optional[asyncio.Task], job: Job) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("A %s job failed", self.name)

    async def drain(self, timeout: float) -> None:
        """Wait for the jobs submitted so far (on shutdown)."""
        if self._tails:
            await asyncio.wait(set(self._tails.values()), timeout=timeout)
