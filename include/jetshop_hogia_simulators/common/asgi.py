"""Dropping a connection from inside an ASGI app, for the reset and lost-response faults.

A FastAPI handler cannot close its own TCP connection. The outermost middleware here can: when a
handler marks the request with :func:`mark_drop`, the response is never sent; the socket is closed
with ``SO_LINGER 0`` so the client sees a reset, exactly as when a load balancer or network drops it.
Works with uvicorn's h11 and httptools protocols (their ``send`` is bound to a cycle holding the
transport); with any other server the connection is closed without a response (still a lost answer).
"""

from __future__ import annotations

import contextlib
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_DROP_KEY = "simulator.drop_connection"


def mark_drop(request: Request) -> None:
    """Ask the outer middleware to drop this request's connection instead of answering."""
    request.scope.setdefault("state", {})[_DROP_KEY] = True


def _abort_transport(send: Send) -> bool:
    owner = getattr(send, "__self__", None)
    transport = getattr(owner, "transport", None)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return True


class ConnectionDropMiddleware:
    """Outermost middleware: swallows the response of a marked request and resets the socket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dropped = False

        async def guarded_send(message: Message) -> None:
            nonlocal dropped
            if dropped:
                return
            if message["type"] == "http.response.start" and scope.get("state", {}).get(_DROP_KEY):
                dropped = True
                if not _abort_transport(send):
                    raise ConnectionAbortedError("simulated connection drop")
                return
            await send(message)

        await self.app(scope, receive, guarded_send)


class DroppableFastAPI(FastAPI):
    """FastAPI whose outermost layer is :class:`ConnectionDropMiddleware`.

    The drop middleware must receive the server's own ``send`` to reach the socket; added with
    ``add_middleware`` it would sit inside Starlette's error middleware and could only answer 500.
    A simulator that needs its own outer layer (e.g. a fast path) overrides :meth:`wrap_stack`.
    """

    def wrap_stack(self, app: ASGIApp) -> ASGIApp:
        """Layers between the drop middleware and FastAPI's own stack; none by default."""
        return app

    def build_middleware_stack(self) -> ASGIApp:
        return ConnectionDropMiddleware(self.wrap_stack(super().build_middleware_stack()))
