"""The two simulator admin look-ups every demo scenario makes: a Hogia company's id, and whether a record
exists. One place, so the scenarios agree on the URLs, the timeout and what a 404 means."""

from __future__ import annotations

import requests

TIMEOUT = 10
"""Seconds per admin call (the simulators answer on loopback)."""


def organisation_id(session: requests.Session, hogia_url: str, client_id: str) -> str:
    """The organisation id of the Hogia company whose client id is ``client_id``."""
    answer = session.get(f"{hogia_url}/_admin/companies", timeout=TIMEOUT)
    answer.raise_for_status()
    return str(next(c["organisationId"] for c in answer.json() if c["clientId"] == client_id))


def exists(session: requests.Session, url: str) -> bool:
    """True when the admin record at ``url`` exists, False on 404; any other failure raises."""
    answer = session.get(url, timeout=TIMEOUT)
    if answer.status_code == 404:
        return False
    answer.raise_for_status()
    return True
