"""Tell a problem of the tenant's set-up apart from a problem of one record, for every stream.

A record with bad data (an unknown article, a missing customer field) is quarantined and the run stays
green: the other records went through and a human fixes that one record. A refusal that is about the
tenant — Hogia's invoicing module switched off, credentials revoked, the company gone, or *every* record
of a batch refused for the same reason — is different: quarantining each record hides a company-wide
outage behind a green run. Such a run must fail with one message that names the cause and what to fix.

Pure functions over what a write step observed (record key, reason code, error text); no Airflow, no I/O,
so any stream (orders today, products later) classifies its batch the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_MAX_QUARANTINED_SHARE = 0.5
"""A batch in which more than this share of records was refused is treated as a tenant problem."""
MIN_BATCH_FOR_SHARE = 4
"""Below this many records a share means little (1 of 2 is 50 %): only the other rules apply."""

_ERROR_CODE = re.compile(r'(?:"errorCode"\s*:\s*"|\berrorCode=)(?P<code>[A-Za-z0-9_.-]+)')
"""The API's error code as the hooks quote it (``errorCode=ModuleNotActive``) or as a raw JSON body has it."""
_HTTP_STATUS = re.compile(r"\bHTTP (?P<status>\d{3})\b")


@dataclass(frozen=True)
class Rejection:
    """One record the target refused (or the stream quarantined) in this write."""

    record_key: str
    reason_code: str
    """The quarantine reason code (``push_rejected``, ``unknown_article`` …)."""
    detail: str = ""
    """The error text as recorded (may quote the API's error body; never personal data in a log)."""


@dataclass(frozen=True)
class SetupProblem:
    """A known refusal that concerns the tenant, with what an operator must do about it."""

    cause: str
    explanation: str
    fix: str


SETUP_PROBLEMS: dict[str, SetupProblem] = {
    "ModuleNotActive": SetupProblem(
        "module_not_active",
        "Hogia refuses every invoice because the company's Fakturering (invoicing) module is not active",
        "activate the Fakturering module for the company in Hogia Smart; the next run sends the held "
        "records by itself",
    ),
    "CompanyNotFound": SetupProblem(
        "company_not_found",
        "Hogia does not know the company the tenant's connection names",
        "check the organisation id in the tenant's Hogia connection",
    ),
    "http_401": SetupProblem(
        "authentication",
        "the target system rejects the tenant's credentials (HTTP 401)",
        "renew the client id/secret in the tenant's Airflow connection",
    ),
    "http_403": SetupProblem(
        "authorisation",
        "the target system refuses access for the tenant's credentials (HTTP 403)",
        "grant the API client access to the company (or renew the credentials) in the connection",
    ),
}
"""Refusals that are about the tenant, by Hogia ``errorCode`` or ``http_<status>``."""


@dataclass(frozen=True)
class TenantFailure:
    """The verdict: this batch failed because of the tenant's set-up, not because of its records."""

    cause: str
    """A short code (``module_not_active``, ``same_reason_for_all``, ``too_many_quarantined``, …)."""
    message: str
    """One sentence for the task log and the alert: what happened, to how many records, what to fix."""
    affected: tuple[str, ...]
    """Record keys refused because of it; a stream may release them so they are sent after the fix."""


class TenantSetupError(RuntimeError):
    """A write failed because of the tenant's set-up; retrying the task cannot fix it (permanent)."""

    def __init__(self, failure: TenantFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.run_note = f"FAILED ({failure.cause}): {failure.message}"
        """Shown as the DAG run's note (see ``orchestration.tasks``)."""


def from_refused_call(error: BaseException, *, what: str = "records") -> TenantFailure | None:
    """The set-up problem behind an exception that stopped a whole write (credentials), if it is one."""
    match = _HTTP_STATUS.search(str(error))
    problem = SETUP_PROBLEMS.get(f"http_{match.group('status')}") if match else None
    if problem is None:
        return None
    return TenantFailure(
        problem.cause, f"{problem.explanation}; no {what} were sent. Fix: {problem.fix}.", ()
    )


def signature(rejection: Rejection) -> str:
    """What a refusal is about: the API's ``errorCode`` if quoted, else ``http_<status>``, else the reason."""
    if match := _ERROR_CODE.search(rejection.detail):
        return match.group("code")
    if (match := _HTTP_STATUS.search(rejection.detail)) and match.group("status") in ("401", "403"):
        return f"http_{match.group('status')}"
    return rejection.reason_code


def reason_counts(rejections: Iterable[Rejection]) -> Counter[str]:
    """Rejections per reason code, for the run summary's first line."""
    return Counter(rejection.reason_code for rejection in rejections)


def classify(
    rejections: Sequence[Rejection],
    batch_size: int,
    *,
    max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE,
    what: str = "records",
) -> TenantFailure | None:
    """The tenant-level failure this batch shows, or None when its refusals are per-record problems.

    In order: a known set-up refusal (even for one record: it will hit every record); every record of a
    batch of two or more refused for the same reason; more than ``max_quarantined_share`` of a batch of
    at least :data:`MIN_BATCH_FOR_SHARE` refused.
    """
    if not rejections:
        return None
    signatures = Counter(signature(rejection) for rejection in rejections)
    for code, problem in SETUP_PROBLEMS.items():
        if code in signatures:
            affected = tuple(r.record_key for r in rejections if signature(r) == code)
            message = (
                f"{problem.explanation}: {len(affected)} of {batch_size} {what} refused "
                f"({code}). Fix: {problem.fix}."
            )
            return TenantFailure(problem.cause, message, affected)
    keys = tuple(rejection.record_key for rejection in rejections)
    if batch_size >= 2 and len(rejections) == batch_size and len(signatures) == 1:
        (only,) = signatures
        return TenantFailure(
            "same_reason_for_all",
            f"all {batch_size} {what} of the batch were refused for the same reason ({only}): this is "
            "most likely the tenant's set-up (articles, VAT codes, modules, mapping), not the data. "
            f"Fix: look at one refused record (e.g. {keys[0]}) and correct the set-up, then release "
            "the quarantined records.",
            keys,
        )
    share = len(rejections) / batch_size if batch_size else 0.0
    if batch_size >= MIN_BATCH_FOR_SHARE and share > max_quarantined_share:
        top = ", ".join(f"{count} {code}" for code, count in signatures.most_common(3))
        return TenantFailure(
            "too_many_quarantined",
            f"{len(rejections)} of {batch_size} {what} ({share:.0%}, above the limit of "
            f"{max_quarantined_share:.0%}) were refused ({top}). Fix: check the tenant's set-up for the "
            "most frequent reason, then release the quarantined records.",
            keys,
        )
    return None
