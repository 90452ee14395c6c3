"""Running a simulator: alone from the command line, or in a thread on a free port for tests.

Both simulators bind to 127.0.0.1 by default: they are test doubles with open admin endpoints and must
never face a network.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from jetshop_hogia_simulators.common.faults import FaultConfig

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ThreadedServer:
    """A uvicorn server in a daemon thread; ``url`` is set once it accepts connections."""

    def __init__(self, app: Any, *, host: str = LOOPBACK, port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            app,
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_keep_alive=30,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"sim-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> ThreadedServer:
        """Start and wait until the server is up."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"simulator on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask the server to exit and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)


@contextmanager
def running(app: Any, *, host: str = LOOPBACK, port: int | None = None) -> Iterator[ThreadedServer]:
    """Context manager around :class:`ThreadedServer`."""
    server = ThreadedServer(app, host=host, port=port).start()
    try:
        yield server
    finally:
        server.stop()


def common_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    """Flags every simulator's command line has."""
    parser.add_argument("--host", default=LOOPBACK, help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument("--seed", type=int, default=42, help="seed of the demo data generator")
    parser.add_argument(
        "--faults",
        default=None,
        help="fault configuration as JSON or @file.json, e.g. '{\"error_503_share\": 0.1}'",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help="SQLite file to keep state in across restarts (default: memory only)",
    )


def parse_faults(value: str | None) -> FaultConfig:
    """The ``--faults`` flag's value as a validated :class:`FaultConfig`."""
    if not value:
        return FaultConfig()
    text = Path(value[1:]).read_text(encoding="utf-8") if value.startswith("@") else value
    return FaultConfig.model_validate(json.loads(text))


def serve_forever(app: Any, host: str, port: int) -> None:
    """Run in the foreground until interrupted."""
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, lifespan="off")
