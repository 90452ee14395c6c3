"""Reading docker-compose.yaml the way Docker Compose would, without Docker.

``load_compose`` parses the file with YAML merge keys resolved (``<<: *airflow-common``), so each
service shows the settings it really gets. ``interpolate`` applies Compose's variable rules
(``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``, ``$$``) with a given
environment, so a test can see the effective value of a setting for the defaults or for .env.example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yaml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERFILE = REPO / "Dockerfile"

_VARIABLE = re.compile(r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\})")


class MissingVariableError(ValueError):
    """A ``${VAR:?message}`` whose variable is unset or empty: Compose refuses to start."""


def load_compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return document


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """``NAME=value`` lines of an env file (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            name, _, value = stripped.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """``value`` after Compose's variable substitution with ``env``."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg") or ""
        current = env.get(name)
        missing = not current if op in (":-", ":?") else current is None  # ":" also counts "" as unset
        if not missing:
            return current or ""
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise MissingVariableError(f"{name}: {arg}")
        return ""

    return _VARIABLE.sub(substitute, value)


def interpolate_all(node: Any, env: dict[str, str]) -> Any:
    """The whole document (or any part of it) with every string interpolated."""
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolate_all(item, env) for item in node]
    if isinstance(node, dict):
        return {key: interpolate_all(item, env) for key, item in node.items()}
    return node


def variables(text: str) -> dict[str, str | None]:
    """Every variable the text references → its operator (``:?``, ``:-``, … or None)."""
    return {m.group("name"): m.group("op") for m in _VARIABLE.finditer(text) if m.group("name")}


def airflow_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run Airflow (they carry the common Airflow environment)."""
    return {
        name: service
        for name, service in compose["services"].items()
        if "AIRFLOW__CORE__EXECUTOR" in service.get("environment", {})
    }


def published_ports(service: dict[str, Any], env: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(host_ip, host_port, container_port)`` of every short-syntax port mapping, interpolated."""
    mappings = []
    for entry in service.get("ports", []):
        parts = interpolate(str(entry), env).split(":")
        if len(parts) == 3:
            mappings.append((parts[0], parts[1], parts[2]))
        elif len(parts) == 2:
            mappings.append(("", parts[0], parts[1]))  # no host ip: Docker binds every interface
        else:
            mappings.append(("", parts[0], parts[0]))
    return mappings
