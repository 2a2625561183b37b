"""Serving aiohttp apps on 127.0.0.1 inside a test, and scripted faults they answer with."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
KINDS = ("ok", "401", "404", "429", "500", "slow", "garbage", "wrong_shape")  # "ok": answer this one normally


class Faults:
    """Tell a server to misbehave on its next requests (`faults.next("500", times=2)`); it counts every request."""

    def __init__(self, retry_after: str = "0.05", slow_seconds: float = 10.0) -> None:
        self.retry_after = retry_after  # the Retry-After header of a 429
        self.slow_seconds = slow_seconds  # how long a slow answer takes (unless released earlier)
        self.requests = 0
        self._queue: list[str] = []
        self._released = asyncio.Event()

    def next(self, kind: str, times: int = 1) -> None:
        assert kind in KINDS, kind
        self._queue += [kind] * times

    def release(self) -> None:
        """Let slow answers finish now (at the end of a test)."""
        self._released.set()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests += 1
        if not self._queue:
            return await handler(request)
        kind = self._queue.pop(0)
        if kind == "ok":
            return await handler(request)
        if kind == "slow":
            try:
                await asyncio.wait_for(self._released.wait(), self.slow_seconds)
            except asyncio.TimeoutError:
                pass
            return await handler(request)
        if kind == "429":
            return web.json_response({"errors": "Exceeded 2 calls per second for api client."}, status=429,
                                     headers={"Retry-After": self.retry_after})
        if kind == "garbage":
            return web.Response(status=200, text="<html><body>Gateway says hello</body></html>",
                                content_type="application/json")
        if kind == "wrong_shape":
            return web.json_response({"unexpected": [1, 2, 3]})
        return web.json_response({"error": kind}, status=int(kind))


@asynccontextmanager
async def serve(app: web.Application, faults: Faults | None = None) -> AsyncIterator[str]:
    """Run `app` on a free port of 127.0.0.1 and yield its base URL; `faults` come before everything else."""
    if faults is not None:
        app.middlewares.insert(0, faults.middleware)
    runner = web.AppRunner(app, shutdown_timeout=0.2, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        if faults is not None:
            faults.release()
        await runner.cleanup()
