"""Errors that say which tenant file, which field and what is wrong — in words an operator can act on.

A broken tenant file surfaces as an Airflow import error (see ``orchestration.factory``); whoever reads
it in the UI has no stack trace context, so the message itself must carry file, field and problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

_MAX_INPUT_REPR = 80


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a tenant file: the field path (``shops[0].channels[1].currency``) and why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"field '{self.field}': {self.message}"


class TenantConfigError(ValueError):
    """A tenant file that cannot be used; lists every problem found, not just the first."""

    def __init__(self, tenant: str, path: Path | str, problems: Sequence[Problem]) -> None:
        self.tenant = tenant
        self.path = str(path)
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"tenant '{self.tenant}' ({self.path}) is invalid:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        """Keep the exception picklable (Airflow ships errors between processes)."""
        return (type(self), (self.tenant, self.path, self.problems))


class TenantConfigErrors(ValueError):
    """Several broken tenant files, reported together as one Airflow import error."""

    def __init__(self, errors: Iterable[TenantConfigError]) -> None:
        self.errors = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        header = f"{len(self.errors)} tenant configuration file(s) are invalid; their DAGs are not loaded."
        return "\n".join([header, *(str(error) for error in self.errors)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))


def field_path(loc: Sequence[int | str]) -> str:
    """``('shops', 0, 'channels', 1, 'currency')`` → ``shops[0].channels[1].currency``."""
    path = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for "the key itself is invalid"
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "<file>"


def problems_from_validation_error(error: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into :class:`Problem` s, with the offending value where it helps."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = [part for part in detail["loc"] if not _is_union_branch(part)]
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] not in {"missing", "extra_forbidden"}:
            message += f" (got {_short_repr(detail.get('input'))})"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; unknown keys are not ignored)"
        problems.append(Problem(field_path(loc), message))
    return problems


def _is_union_branch(part: int | str) -> bool:
    """pydantic adds the tried type (``'int'``, ``'function-after[...]'``) to locations inside unions."""
    return isinstance(part, str) and (
        part.startswith(("function-", "constrained-")) or part in {"int", "str"}
    )


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_INPUT_REPR else text[: _MAX_INPUT_REPR - 3] + "..."
