"""Fixtures of the dry-run tests: the catalog and order helpers are shared with their own test folders."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in ("catalog", "orders", "order_status"):
    sys.path.insert(0, str(HERE.parent / folder))
