"""A throw-away distributed Airflow for one test: CeleryExecutor, Redis broker, PostgreSQL metadata.

What the deployment in docker-compose.yaml runs in containers, this runs as processes from the test's
virtualenv, each in its own session (process group), so a test can SIGKILL one Celery worker *with
every process it started* (pool children, task supervisors and the task processes, which Airflow puts
in process groups of their own) — what a lost machine looks like to the scheduler — and teardown can
prove nothing it started is left behind.

Isolation from other tests and other runs on the same machine:

- PostgreSQL: a fresh database for Airflow's metadata (``airflow_e2e_<random>``) and one for the state
  store (``sync_state_e2e_<random>``), both dropped (``WITH (FORCE)``) at the end.
- Redis: database :data:`BROKER_DB` (tests/conftest.py's ``redis_url`` uses 15), flushed before and after.
- Ports: the api-server and each worker's log server listen on free loopback ports; AIRFLOW_HOME is
  the test's tmp_path.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest
import redis
import requests
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from jetshop_hogia_simulators.common.server import free_port

BIN = Path(sys.executable).parent
BROKER_DB = 13
"""Redis database of the Celery broker in this test; no other test uses it (the shared one is 15)."""
DAG_ID = "sync_alpha_shop_led"
"""The demo tenant's DAG, the one the fixture deploys."""
SERVICES = ("api-server", "scheduler", "dag-processor")
TASK_RETRIES = 2
"""Task retries of the tenant DAG in this test (one is needed: the try whose worker is killed)."""

T = TypeVar("T")


def process_tree(pid: int) -> list[psutil.Process]:
    """Process ``pid`` and all its live descendants (empty when it is gone)."""
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    return []


def alive(process: psutil.Process) -> bool:
    """Still running and not a zombie (``is_running`` also guards against a reused pid)."""
    with contextlib.suppress(psutil.Error):
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    return False


@dataclass
class Databases:
    """The two PostgreSQL databases of one run, created on an admin connection to the test database."""

    base_url: str
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    @property
    def metadata_name(self) -> str:
        return f"airflow_e2e_{self.suffix}"

    @property
    def state_name(self) -> str:
        return f"sync_state_e2e_{self.suffix}"

    def url(self, database: str, driver: str = "postgresql+psycopg2") -> str:
        return (
            make_url(self.base_url)
            .set(drivername=driver, database=database)
            .render_as_string(hide_password=False)
        )

    def _admin(self) -> Engine:
        return create_engine(self.base_url, isolation_level="AUTOCOMMIT")

    def create(self) -> None:
        engine = self._admin()
        with engine.connect() as connection:
            for name in (self.metadata_name, self.state_name):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()

    def drop(self) -> None:
        engine = self._admin()
        with engine.connect() as connection:
            for name in (self.metadata_name, self.state_name):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    def exist(self) -> list[str]:
        """Which of this run's databases still exist (for the teardown check)."""
        engine = self._admin()
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname IN (:a, :b)"),
                {"a": self.metadata_name, "b": self.state_name},
            )
            names = sorted(row[0] for row in rows)
        engine.dispose()
        return names


class Cluster:
    """The components of one distributed Airflow, their logs, and read access to its metadata DB."""

    def __init__(self, home: Path, env: dict[str, str], dbs: Databases, broker_url: str) -> None:
        self.home = home
        self.env = env
        self.broker_url = broker_url
        self.metadata = create_engine(dbs.url(dbs.metadata_name), pool_pre_ping=True)
        self.state = create_engine(dbs.url(dbs.state_name), pool_pre_ping=True)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.killed: dict[str, subprocess.Popen[bytes]] = {}
        self.seen: set[psutil.Process] = set()
        """Every process observed in a component's tree. Airflow's task supervisor puts each task process
        in a process group of its own, so neither killing a component's group nor its parent reaches it;
        remembering the trees while they are intact is what lets kill and teardown find them."""

    # --- processes ------------------------------------------------------------------------------------
    def cli(self, *args: str, timeout: float = 180) -> str:
        """Run ``airflow <args>`` to completion; a non-zero exit fails the test with its output."""
        done = subprocess.run(
            [str(BIN / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert done.returncode == 0, (
            f"airflow {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    def python(self, *args: str, timeout: float = 180) -> None:
        """Run ``python <args>`` (this venv) with the cluster's environment; fail on a non-zero exit."""
        done = subprocess.run(
            [sys.executable, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, (
            f"python {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start ``airflow <args>`` as component ``name`` in a new session; output goes to ``<name>.log``."""
        with (self.home / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(
                [str(BIN / "airflow"), *args],
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.procs[name] = proc
        self.observe()
        return proc

    def observe(self) -> None:
        """Remember every process currently in the trees of the started components."""
        for proc in [*self.procs.values(), *self.killed.values()]:
            self.seen.update(process_tree(proc.pid))

    def start_worker(self, name: str, *, wait: bool = True) -> None:
        """Start a Celery worker named ``<name>@<host>``; with ``wait``, until it consumes from the broker."""
        self.start(
            name,
            "celery", "worker", "--celery-hostname", f"{name}@%h", "--pid", str(self.home / f"{name}.pid"),
            "--without-mingle", "--without-gossip",
            env={"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())},
        )  # fmt: skip
        if wait:
            self.wait_worker(name)

    def wait_worker(self, name: str) -> None:
        """Wait until Celery worker ``name`` says it is ready (connected, consuming)."""
        log = self.home / f"{name}.log"
        self.wait(f"Celery {name} to be ready", lambda: " ready." in log.read_text(errors="replace"), 120)

    def kill_tree(self, name: str) -> None:
        """SIGKILL component ``name`` and every process it started, as if its machine had died.

        The tree is frozen first (SIGSTOP), so nothing in it can fork or finish a request between the
        snapshot and the kill; then every member gets SIGKILL at once.
        """
        proc = self.procs.pop(name)
        self.killed[name] = proc  # still in the logs, no longer expected to be alive
        tree = process_tree(proc.pid)
        for process in tree:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGSTOP)
        tree = process_tree(proc.pid)
        self.seen.update(tree)
        for process in tree:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        _, survivors = psutil.wait_procs(tree, timeout=10)
        assert not [p for p in survivors if alive(p)], f"{name}'s processes survived SIGKILL: {survivors}"

    def stop(self) -> None:
        """SIGTERM every component (whole process group), SIGKILL every known process left after a grace."""
        self.observe()
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        psutil.wait_procs(list(self.seen), timeout=5)  # a test cluster needs no long graceful shutdown
        self.observe()
        for process in self.seen:
            with contextlib.suppress(psutil.Error):
                if alive(process):
                    process.kill()
        psutil.wait_procs(list(self.seen), timeout=10)
        for proc in [*self.procs.values(), *self.killed.values()]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        self.metadata.dispose()
        self.state.dispose()

    def leftovers(self) -> list[psutil.Process]:
        """Processes this cluster started (directly or not) that are still alive; empty after :meth:`stop`."""
        return [process for process in self.seen if alive(process)]

    # --- observation ----------------------------------------------------------------------------------
    def logs(self, lines: int = 40) -> str:
        """The tail of every component log (and which ones died), for an assertion message."""
        parts = []
        for name, proc in {**self.procs, **self.killed}.items():
            path = self.home / f"{name}.log"
            tail = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            status = f"exit {proc.returncode}" if proc.poll() is not None else "up"
            parts.append(f"--- {name} ({status}) ---\n" + "\n".join(tail))
        return "\n".join(parts)

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read Airflow's metadata database (the scheduler is the writer)."""
        with self.metadata.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def query_state(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read the state store (the ``sync_state`` database the tasks write)."""
        with self.state.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def wait(self, what: str, condition: Callable[[], T], seconds: float, *, interval: float = 1.0) -> T:
        """Poll ``condition()`` until truthy; fail with the logs when a component died or time ran out.

        Components killed on purpose (:meth:`kill_group`) are no longer part of the liveness check.
        """
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.observe()
            dead = [name for name, proc in self.procs.items() if proc.poll() is not None]
            assert not dead, f"{dead} exited while waiting for {what}\n{self.logs()}"
            with contextlib.suppress(OperationalError, ProgrammingError, requests.RequestException):
                result = condition()
                if result:
                    return result
            time.sleep(interval)
        pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}\n{self.logs()}")

    def flush_broker(self) -> None:
        client = redis.Redis.from_url(self.broker_url)
        try:
            client.flushdb()
        finally:
            client.close()


@contextlib.contextmanager
def reported(cluster: Cluster) -> Iterator[None]:
    """Append the component logs to any assertion that fails inside the block."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"{error}\n{cluster.logs()}") from None
