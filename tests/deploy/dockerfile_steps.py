"""The Dockerfile's install commands, as a test can run them outside Docker.

The Dockerfile marks its install commands with ``# install-step: <name>`` … ``# end-install-step``;
:func:`install_step` returns one of them as the shell command ``RUN`` would execute (continuation lines
joined), and :func:`copy_sources` the ``(sources, destination)`` of the ``COPY`` lines of a stage.
"""

from __future__ import annotations

import re
import shlex

from compose_model import DOCKERFILE


def _logical_lines() -> list[str]:
    """Dockerfile lines with backslash continuations joined."""
    joined, current = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if raw.rstrip().endswith("\\"):
            current += raw.rstrip()[:-1] + " "
            continue
        joined.append(current + raw)
        current = ""
    return joined


def install_step(name: str) -> str:
    """The shell command of the ``RUN`` between ``# install-step: <name>`` and ``# end-install-step``."""
    lines = _logical_lines()
    start = lines.index(f"# install-step: {name}")
    end = lines.index("# end-install-step", start)
    (run,) = [line for line in lines[start + 1 : end] if line.startswith("RUN ")]
    return re.sub(r"\s+", " ", run.removeprefix("RUN ")).strip()


def copy_sources(stage: str) -> list[tuple[list[str], str]]:
    """``(sources, destination)`` of every ``COPY`` (without ``--from``) in the stage named ``stage``."""
    copies: list[tuple[list[str], str]] = []
    current = None
    for line in _logical_lines():
        if line.startswith("FROM "):
            current = line.split(" AS ")[-1].strip() if " AS " in line else None
        elif line.startswith("COPY ") and current == stage:
            words = [word for word in shlex.split(line)[1:] if not word.startswith("--chown")]
            if any(word.startswith("--from") for word in words):
                continue
            copies.append((words[:-1], words[-1]))
    return copies
