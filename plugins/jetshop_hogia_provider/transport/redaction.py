"""Keeping secrets and personal data out of logs and exception messages.

Bodies of both APIs carry customers' names, e-mail addresses, phone numbers and addresses, so they are
never logged whole. When an error needs context, :func:`redact_excerpt` keeps at most ~200 characters
with e-mails, phone-like digit runs and credential values blanked. Secrets the hooks derive at run time
(Basic-auth header values, OAuth tokens) are registered with Airflow's masker through
:func:`register_secret`, so they are masked even if some other library prints them.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Final

EXCERPT_LIMIT: Final = 200

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, optionally with a leading + and separators: phone numbers, personal and
# organisation numbers. Amounts rarely have that many digits before the decimal point; over-redacting
# one is cheaper than leaking a phone number.
_PHONE = re.compile(r"(?<![\w.])\+?\d(?:[\s\-()]?\d){6,}(?![\w])")
_CREDENTIAL = re.compile(
    r"(?i)(\"?(?:password|passwd|client_secret|access_token|refresh_token|token|authorization|"
    r"apikey|api_key)\"?\s*[:=]\s*\"?)(?:Bearer\s+|Basic\s+)?[^\"&\s,}<]+"
)
_XML_CREDENTIAL = re.compile(r"(?is)(<(?:\w+:)?(password|token)[^>]*>)[^<]*(</)")
_QUERY = re.compile(r"\?[^\s'\"]*")

REDACTED: Final = "***"


def redact_text(text: str) -> str:
    """``text`` with e-mails, phone-like numbers, credential values and URL query strings blanked."""
    text = _QUERY.sub("?" + REDACTED, text)
    text = _CREDENTIAL.sub(lambda m: m.group(1) + REDACTED, text)
    text = _XML_CREDENTIAL.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    text = _EMAIL.sub("<email>", text)
    return _PHONE.sub("<number>", text)


def redact_excerpt(body: bytes | str | None, limit: int = EXCERPT_LIMIT) -> str:
    """A short, redacted, single-line excerpt of a body for an error message ('' for no body).

    The text is cut *before* redaction only generously (4× limit) so a value straddling the cut is still
    recognised, then cut to ``limit`` after redaction.
    """
    if not body:
        return ""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = " ".join(text[: limit * 4].split())
    redacted = redact_text(text)
    return redacted if len(redacted) <= limit else redacted[: limit - 1] + "…"


def describe_exception(exc: BaseException) -> str:
    """``TypeName: message`` of a low-level exception, redacted (requests' messages contain full URLs)."""
    message = redact_text(" ".join(str(exc).split()))
    if len(message) > EXCERPT_LIMIT:
        message = message[: EXCERPT_LIMIT - 1] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def register_secret(value: str | None, name: str | None = None) -> None:
    """Ask Airflow to mask ``value`` in task logs; a no-op outside Airflow (the transport works without it).

    ``airflow.sdk.log.mask_secret`` is Airflow 3's public helper: it masks in the task process and tells
    the supervisor, which writes the log file. Imported lazily: importing Airflow is slow and the
    transport is also used by simulator tests and benchmarks that have no Airflow context.
    """
    if not value or len(value) < 4:  # masking very short strings would blank unrelated log text
        return
    try:
        from airflow.sdk.log import mask_secret
    except ImportError:  # pragma: no cover - Airflow is a dependency, but keep the transport usable
        return
    mask_secret(value, name)


class _QueryRedactingFilter(logging.Filter):
    """Blanks query strings in urllib3's DEBUG lines (``"GET /contacts?email=… HTTP/1.1" 200``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact_text(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact_text(str(record.msg))
        return True


_filter_lock = threading.Lock()
_filter_installed = False


def install_urllib3_log_filter() -> None:
    """Once per process: make urllib3's request lines safe; they put the URL with its query in DEBUG logs.

    Hogia's list filters (``contacts?email=…``) put personal data into query strings, and a DEBUG log
    level on a worker would otherwise write it out.
    """
    global _filter_installed
    with _filter_lock:
        if _filter_installed:
            return
        logging.getLogger("urllib3.connectionpool").addFilter(_QueryRedactingFilter())
        _filter_installed = True
