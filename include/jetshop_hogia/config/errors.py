"""Errors that say which tenant file, which field and what is wrong — in words an operator can act on.

A broken tenant file surfaces as an Airflow import error (see ``orchestration.factory``); whoever reads
it in the UI has no stack trace context, so the message itself must carry file, field and problem.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

MAX_TEXT = 200
"""Longest message of one problem; a value quoted in it is cut far shorter (see :func:`short_text`)."""
MAX_PROBLEMS = 20
"""Problems listed per file; the rest are counted. A file with 5,000 bad entries must not make an
import error of megabytes (Airflow stores it, the UI renders it)."""


def _bounded_repr() -> reprlib.Repr:
    """A ``repr`` that quotes a bad value at bounded cost: a few elements of a big structure, no more."""
    bounded = reprlib.Repr()
    bounded.maxlevel = 2
    bounded.maxtuple = bounded.maxlist = bounded.maxdict = bounded.maxset = bounded.maxfrozenset = 3
    bounded.maxstring = bounded.maxother = 60
    bounded.maxlong = 40
    return bounded


_VALUE_REPR = _bounded_repr()


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
        lines += [f"  - {short_text(str(problem), MAX_TEXT)}" for problem in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"  - … and {len(self.problems) - MAX_PROBLEMS} more problem(s)")
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
    """Turn pydantic's errors into :class:`Problem` s, with the offending value where it helps.

    At most :data:`MAX_PROBLEMS` are returned, the last one counting those not spelled out, so a file
    with thousands of bad values costs no more than one with twenty.
    """
    problems = []
    details = error.errors(include_url=False, include_input=True, include_context=False)
    shown = details if len(details) <= MAX_PROBLEMS else details[: MAX_PROBLEMS - 1]
    for detail in shown:
        loc = [part for part in detail["loc"] if not _is_union_branch(part)]
        message = short_text(detail["msg"].removeprefix("Value error, "), MAX_TEXT)
        if detail["type"] not in {"missing", "extra_forbidden"}:
            message += f" (got {value_repr(detail.get('input'))})"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; unknown keys are not ignored)"
        problems.append(Problem(field_path(loc), message))
    if len(details) > len(shown):
        problems.append(Problem("<file>", f"… and {len(details) - len(shown)} more problem(s)"))
    return problems


def _is_union_branch(part: int | str) -> bool:
    """pydantic adds the tried type (``'int'``, ``'function-after[...]'``) to locations inside unions."""
    return isinstance(part, str) and (
        part.startswith(("function-", "constrained-")) or part in {"int", "str"}
    )


def value_repr(value: Any) -> str:
    """A short quote of a bad value; its cost is bounded by the limits, not by the value's size."""
    return short_text(_VALUE_REPR.repr(value))


def short_text(value: Any, limit: int = 80) -> str:
    """``str(value)`` (``repr`` for non-strings) cut to ``limit`` characters."""
    text = value if isinstance(value, str) else _VALUE_REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
