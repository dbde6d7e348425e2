"""The fake Bot API over a real socket, for a bot running in another process.

A small HTTP/1.1 server on ``asyncio.start_server`` (keep-alive, bodies sent with a
``Content-Length``, which is how httpx sends PTB's requests) that hands each request to
:meth:`tests.fakebot.FakeBotAPI.handle` in the test's own event loop, so the test reads
the conversation as in the in-process tests. Also a TCP relay, to cut a process off from
PostgreSQL for a while (an outage) without touching the server others use.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from http import HTTPStatus

import httpx

from tests.fakebot import FakeBotAPI


@contextlib.asynccontextmanager
async def serving(fake: FakeBotAPI, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve ``fake`` on a free port; yields its base URL (``TELEGRAM_API_BASE_URL``)."""

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                method, target, _version = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                request = httpx.Request(
                    method, f"http://{host}{target}", headers=headers, content=body
                )
                response = await fake.handle(request)
                payload = await response.aread()
                reason = HTTPStatus(response.status_code).phrase
                head = (
                    f"HTTP/1.1 {response.status_code} {reason}\r\n"
                    "Content-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(client, host, 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://{host}:{port}"


class Relay:
    """A TCP relay to a server (PostgreSQL); :meth:`cut` drops every connection and
    refuses new ones until :meth:`restore`, as a database outage does."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.open = True
        self.links: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Relay:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.cut()
        assert self.server is not None
        self.server.close()

    def cut(self) -> None:
        self.open = False
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()

    def restore(self) -> None:
        self.open = True

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.links |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.links -= {writer, up_writer}
