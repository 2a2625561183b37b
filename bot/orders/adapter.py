"""What every HTTP-backed adapter shares: one `JsonClient`, and the catalogue kept for a short while."""
from __future__ import annotations

import asyncio
import time
from abc import abstractmethod
from typing import Optional

from bot.orders.http import JsonClient
from bot.orders.model import Product
from bot.orders.system import OrderSystem


class HttpOrderSystem(OrderSystem):
    def __init__(self, client: JsonClient, return_window_days: int = 30, catalogue_ttl: float = 60.0) -> None:
        super().__init__(return_window_days)
        self.client = client
        self.catalogue_ttl = catalogue_ttl  # seconds a loaded catalogue is reused; 0 reloads every time
        self._catalogue: Optional[tuple[float, list[Product]]] = None
        self._lock: Optional[tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = None

    def _catalogue_lock(self) -> asyncio.Lock:
        """One catalogue load at a time (a lock per event loop: an instance may outlive a loop)."""
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    async def products(self) -> list[Product]:
        async with self._catalogue_lock():
            if self._catalogue is None or time.monotonic() >= self._catalogue[0]:
                products = await self.load_products()
                self._catalogue = (time.monotonic() + self.catalogue_ttl, products)
            return list(self._catalogue[1])

    @abstractmethod
    async def load_products(self) -> list[Product]:
        """The whole catalogue, every page of it, from the order system."""

    async def close(self) -> None:
        await self.client.close()
