"""The tenant file's ``operations`` block: how far runs heal by themselves, when to fail, whom to tell.

Kept apart from :mod:`jetshop_hogia.config.models` so the schema of the sync itself stays readable; the
block is optional and every key has a default, so existing tenant files need no change::

    operations:
      max_catch_up_days: 7            # a run also covers failed/missed windows this far back
      max_quarantined_share: 0.5      # more refused records than this share fails the write task
      alerts:
        no_success_for_minutes: 120   # alert when the tenant had no successful run for this long
        email: {to: [ops@example.se], conn_id: smtp_default}
        webhook: {conn_id: ops_webhook, endpoint: /hooks/airflow}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EmailAlert(_Strict):
    """Alerts by e-mail through an Airflow SMTP connection (``apache-airflow-providers-smtp``)."""

    to: list[str] = Field(min_length=1, description="Recipients; addresses of the ops team, not shoppers")
    conn_id: str = Field(default="smtp_default", pattern=r"^[A-Za-z0-9_.\-]{1,200}$")
    from_email: str | None = None


class WebhookAlert(_Strict):
    """Alerts as a JSON POST through an Airflow HTTP connection (``apache-airflow-providers-http``)."""

    conn_id: str = Field(pattern=r"^[A-Za-z0-9_.\-]{1,200}$")
    endpoint: str = Field(default="", description="Path appended to the connection's host")


class AlertsConfig(_Strict):
    """Where failures and stale tenants are reported; nothing configured means log-only."""

    email: EmailAlert | None = None
    webhook: WebhookAlert | None = None
    no_success_for_minutes: int | None = Field(
        default=None,
        ge=5,
        le=7 * 24 * 60,
        description="Alert when no run of the tenant has succeeded for this long (Airflow DeadlineAlert)",
    )

    @property
    def configured(self) -> bool:
        """Whether any channel is set up."""
        return self.email is not None or self.webhook is not None


class OperationsConfig(_Strict):
    """Operational limits of one tenant."""

    max_catch_up_days: int = Field(default=7, ge=0, le=60)
    max_quarantined_share: float = Field(default=0.5, gt=0, le=1)
    alerts: AlertsConfig = AlertsConfig()
