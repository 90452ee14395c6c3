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


@dataclass
class SmtpSink:
    """Messages (raw DATA) and envelopes the SMTP sink accepted."""

    host: str
    port: int
    messages: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """A minimal SMTP server on 127.0.0.1 (EHLO, MAIL, RCPT, DATA, QUIT) that keeps what it receives."""
    import socketserver

    sink = SmtpSink("127.0.0.1", 0)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 sink ESMTP")
            envelope: dict[str, Any] = {"rcpt": []}
            while raw := self.rfile.readline():
                command = raw.decode(errors="replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 sink")
                elif verb == "MAIL":
                    envelope = {"from": command[10:], "rcpt": []}
                    self.reply("250 OK")
                elif verb == "RCPT":
                    envelope["rcpt"].append(command[8:])
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    lines = []
                    while (line := self.rfile.readline().decode(errors="replace")) not in (
                        ".\r\n",
                        ".\n",
                        "",
                    ):
                        lines.append(line)
                    sink.messages.append({**envelope, "data": "".join(lines)})
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sink.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
