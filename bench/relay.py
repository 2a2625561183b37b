"""A small TCP load balancer on 127.0.0.1: each new connection goes to the next backend that accepts it.

Used by `make bench-faults` in front of the Rasa replicas and the action servers, and by the intake tests to cut
the way to the action server (`stop()`) and restore it (`start()`), as a network outage would.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
from typing import Optional


class Relay:
    """Listens on `port` (0: a free one) in a thread of its own and forwards to `backends` round-robin."""

    def __init__(self, backends: list[tuple[str, int]], port: int = 0, host: str = "127.0.0.1") -> None:
        self.backends = backends
        self.host = host
        self.port = port
        self._next = itertools.cycle(range(len(backends)))
        self._loop = asyncio.new_event_loop()
        self._server: Optional[asyncio.base_events.Server] = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._refused: Optional[bytes] = None
        self._answer = b""
        threading.Thread(target=self._loop.run_forever, daemon=True, name="relay").start()

    def _call(self, coroutine) -> object:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def start(self) -> "Relay":
        self._call(self._start())
        return self

    def stop(self) -> None:
        """Stop listening and drop every open connection (the backends become unreachable)."""
        self._call(self._stop())

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _start(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._serve, self.host, self.port, reuse_address=True)
            self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._connections):
            writer.close()

    async def _open_backend(self) -> Optional[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
        for _ in range(len(self.backends)):
            host, port = self.backends[next(self._next)]
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), 2)
            except (OSError, asyncio.TimeoutError):
                continue
        return None

    def refuse(self, prefix: Optional[bytes], answer: bytes = b"") -> None:
        """Cut every new connection whose first bytes start with `prefix` (e.g. b"POST /webhook": the action
        server's health check still answers, its actions fail mid-message), after writing `answer` (e.g. an HTTP
        500, an action failing with an error of its own); None forwards everything again."""
        self._refused = prefix
        self._answer = answer

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = b""
        if self._refused is not None:
            first = await reader.read(65536)
            if first.startswith(self._refused):
                if self._answer:
                    writer.write(self._answer)
                    await writer.drain()
                writer.close()
                return
        backend = await self._open_backend()
        if backend is None:
            writer.close()
            return
        backend_reader, backend_writer = backend
        if first:
            backend_writer.write(first)
        self._connections.update((writer, backend_writer))
        try:
            await asyncio.gather(self._pipe(reader, backend_writer), self._pipe(backend_reader, writer))
        finally:
            self._connections.difference_update((writer, backend_writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
