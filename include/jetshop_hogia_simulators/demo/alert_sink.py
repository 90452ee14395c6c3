"""The demo's alert inbox: a loopback HTTP endpoint that keeps every webhook alert the tenants send.

The demo tenants send their alerts (a failed task, the daily digest) through Airflow's HTTP notifier to
the connection ``demo_alerts``, which points here. Each POST body is appended as one JSON line to
``.demo/alerts.jsonl`` and echoed to this process's log, so a newcomer who breaks Hogia sees the alert
arrive (``make alerts`` or ``curl localhost:8103/alerts``) without an SMTP server or a chat service.

    python -m jetshop_hogia_simulators.demo.alert_sink --port 8103 --file .demo/alerts.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_BODY_BYTES = 64 * 1024
"""An alert is a few lines of text; anything bigger is cut (the inbox must not fill the disk)."""


def read_alerts(inbox: Path) -> list[dict[str, object]]:
    """Every alert received so far, oldest first (an absent inbox holds none)."""
    if not inbox.exists():
        return []
    lines = inbox.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def make_handler(inbox: Path) -> type[BaseHTTPRequestHandler]:
    """A request handler that appends POSTed alerts to ``inbox`` and lists them on GET."""

    class AlertHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY_BYTES)
            raw = self.rfile.read(length).decode("utf-8", errors="replace")
            try:
                body: object = json.loads(raw)
            except ValueError:
                body = raw
            entry = {"received_at": datetime.now(UTC).isoformat(), "path": self.path, "body": body}
            with inbox.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            print(f"alert on {self.path}: {json.dumps(body, ensure_ascii=False)[:500]}", flush=True)
            self._answer(200, {"stored": True})

        def do_GET(self) -> None:
            self._answer(200, read_alerts(inbox))

        def _answer(self, status: int, payload: object) -> None:
            data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the alert line above says what arrived."""

    return AlertHandler


def serve(port: int, inbox: Path, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server bound to loopback; call ``serve_forever`` (or use it in a thread in tests)."""
    inbox.parent.mkdir(parents=True, exist_ok=True)
    return ThreadingHTTPServer((host, port), make_handler(inbox))


def main(argv: list[str] | None = None) -> int:
    """Run the inbox in the foreground until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--file", type=Path, required=True, help="where the alerts are kept (JSON lines)")
    args = parser.parse_args(argv)
    server = serve(args.port, args.file)
    print(f"alert inbox on http://127.0.0.1:{args.port}/ keeping {args.file}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
