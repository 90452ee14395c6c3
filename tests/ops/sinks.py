"""Loopback sinks for the operations tests: an HTTP server that records requests, an SMTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request the HTTP sink received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class HttpSink:
    """What the sink received, and the answers it gives (path → JSON body)."""

    url: str
    requests: list[Recorded] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)


@contextmanager
def http_sink(answers: dict[str, Any] | None = None) -> Iterator[HttpSink]:
    """A threaded HTTP server on 127.0.0.1 answering every request 200 (or 201 for POST) with JSON."""
    sink = HttpSink(url="")
    sink.answers.update(answers or {})

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            sink.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
            payload = json.dumps(sink.answers.get(self.path.split("?")[0], {})).encode()
            self.send_response(201 if self.command == "POST" else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = _handle

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
