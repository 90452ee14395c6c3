"""The Sync status page in a real Airflow api-server, driven through headless Chromium (Playwright).

One api-server (simple auth manager: ``admin`` may release, ``viewer`` may only look) serves the three demo
tenants' DAGs, the plugin from ``plugins/`` and a state store seeded with history: a quarantined order,
reconciliation days with a drift. The browser logs in through Airflow's login form, sees the tenant DAGs,
opens "Sync status" from the navigation, reads the chart and the quarantined order, releases it (the
state store's ledger makes it eligible again), follows the link to the DAG and triggers a run from
Airflow's trigger form. Screenshots of every step go to ``test-artifacts/ui/`` (gitignored; the path is
printed as a warning in the test summary).

Needs Debian's ``chromium`` (``/usr/bin/chromium``, or ``$SYNC_UI_CHROMIUM``): without it the tests skip
locally and fail under ``CI=true`` (``.ci/run`` installs it). Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from airflow_server import REPO, AirflowServer, prepare
from status_seed import QUARANTINE_REASON, QUARANTINE_TEXT, QUARANTINED_ORDER, Seeded, seed_tenant

from jetshop_hogia.state import OrderState, StateStore

pytestmark = [pytest.mark.airflow, pytest.mark.xdist_group("ui_browser"), pytest.mark.timeout(600)]

CHROMIUM = Path(os.environ.get("SYNC_UI_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("SYNC_UI_ARTIFACTS", REPO / "test-artifacts" / "ui"))


def _require_chromium() -> None:
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem}; under CI=true the browser tests must run, not skip")
    pytest.skip(problem)


@dataclass
class UiWorld:
    server: AirflowServer
    state_url: str
    beta: Seeded
    gamma: Seeded

    def ledger_state(self, seeded: Seeded) -> OrderState:
        with StateStore(self.state_url) as store, store.transaction() as tx:
            return tx.ledger.require(seeded.quarantined).state


@pytest.fixture(scope="module")
def ui_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiWorld]:
    """A seeded state store and a running api-server with the plugin (about a minute to start)."""
    _require_chromium()
    tmp = tmp_path_factory.mktemp("ui")
    state_url = f"sqlite:///{tmp / 'state.db'}"
    now = datetime.now(UTC)
    with StateStore(state_url) as store:
        store.migrate()
        beta = seed_tenant(store, "beta_erp_led", "beta", now, days=5)
        gamma = seed_tenant(store, "gamma_combo", "gamma", now, days=2)
    server = prepare(tmp, state_url)
    server.start()
    try:
        yield UiWorld(server, state_url, beta, gamma)
    finally:
        server.stop()


def test_page_needs_an_airflow_login_and_release_needs_permission(ui_world: UiWorld) -> None:
    base = f"{ui_world.server.url}/sync-status"
    assert requests.get(f"{base}/", timeout=30).status_code == 401

    viewer = {"Authorization": f"Bearer {ui_world.server.token('viewer')}"}
    page = requests.get(f"{base}/tenants/gamma_combo", headers=viewer, timeout=30)
    assert page.status_code == 200
    assert QUARANTINED_ORDER in page.text
    assert "view only" in page.text
    assert "Release</button>" not in page.text
    form = {"stream": "orders", "shop_id": "gamma", "record_key": QUARANTINED_ORDER}
    refused = requests.post(
        f"{base}/tenants/gamma_combo/release", data=form, headers=viewer, timeout=30, allow_redirects=False
    )
    assert refused.status_code == 403
    assert ui_world.ledger_state(ui_world.gamma) is OrderState.QUARANTINED

    admin = {"Authorization": f"Bearer {ui_world.server.token('admin')}"}
    cross_site = requests.post(
        f"{base}/tenants/gamma_combo/release",
        data=form,
        headers={**admin, "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        timeout=30,
        allow_redirects=False,
    )
    assert cross_site.status_code == 403
    assert ui_world.ledger_state(ui_world.gamma) is OrderState.QUARANTINED
    assert requests.get(f"{base}/tenants/no_such_tenant", headers=admin, timeout=30).status_code == 404
    # the filter form: "all flows" sends an empty flow; one flow narrows the list
    everyone = requests.get(f"{base}/", params={"q": "", "flow": ""}, headers=admin, timeout=30)
    assert everyone.status_code == 200
    assert everyone.text.count("<tr data-tenant=") == 3
    combo = requests.get(f"{base}/", params={"flow": "combo"}, headers=admin, timeout=30)
    assert combo.text.count("<tr data-tenant=") == 1
    assert 'data-tenant="gamma_combo"' in combo.text
    assert requests.get(f"{base}/", params={"flow": "nonsense"}, headers=admin, timeout=30).status_code == 422


def _dag_runs(server: AirflowServer, dag_id: str, token: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{server.url}/api/v2/dags/{dag_id}/dagRuns",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    runs: list[dict[str, Any]] = response.json()["dag_runs"]
    return runs


def test_browser_login_status_release_and_trigger(ui_world: UiWorld) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=60_000)  # a shared CI machine: the UI's first render can take a while
    url = ui_world.server.url
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        shot = 0

        def snap(name: str, *, full: bool = False) -> None:
            nonlocal shot
            shot += 1
            page.screenshot(path=str(ARTIFACTS / f"{shot:02d}-{name}.png"), full_page=full)

        try:
            # log in through Airflow's own form
            page.goto(f"{url}/")
            page.get_by_label("Username").fill("admin")
            page.get_by_label("Password").fill(ui_world.server.passwords["admin"])
            snap("login")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{url}/")

            # the tenant DAGs
            page.goto(f"{url}/dags")
            for dag_id in ("sync_alpha_shop_led", "sync_beta_erp_led", "sync_gamma_combo"):
                expect(page.get_by_role("link", name=dag_id, exact=True).first).to_be_visible()
            snap("dags")

            # Sync status from the navigation
            page.get_by_role("link", name="Sync status").first.click()
            frame = page.frame_locator("iframe[title='Sync status']")
            expect(frame.locator("tr[data-tenant='beta_erp_led']")).to_be_visible()
            expect(frame.locator("tr[data-tenant='beta_erp_led']")).to_contain_text("erp_led")
            snap("overview")

            # one tenant: the chart and the quarantined order
            frame.get_by_role("link", name="beta_erp_led", exact=True).click()
            chart = frame.locator("svg#chart-orders")
            expect(chart).to_be_visible()
            assert chart.locator("rect.bar[data-series='orders'][data-value='8']").count() == 1
            expect(frame.locator("svg#chart-amounts")).to_be_visible()
            row = frame.locator(f"#quarantine tr[data-record='{QUARANTINED_ORDER}']")
            expect(row).to_contain_text(QUARANTINE_REASON)
            expect(row).to_contain_text(QUARANTINE_TEXT)
            snap("tenant", full=True)

            # release it
            row.get_by_role("button", name="Release").click()
            expect(frame.locator("#released")).to_contain_text(QUARANTINED_ORDER)
            # it is sent when its window runs again: the message links the run that quarantined it
            run_link = frame.locator("#released a")
            expect(run_link).to_have_attribute("href", "/dags/sync_beta_erp_led/runs/manual__seed")
            expect(frame.locator(f"#quarantine tr[data-record='{QUARANTINED_ORDER}']")).to_have_count(0)
            assert ui_world.ledger_state(ui_world.beta) is OrderState.ELIGIBLE
            snap("released")

            # to the DAG, and a run from Airflow's trigger form
            frame.get_by_role("link", name="sync_beta_erp_led in Airflow").click()
            page.wait_for_url(f"{url}/dags/sync_beta_erp_led")
            expect(page.locator("a[href='/dags/sync_beta_erp_led/plugin/sync-status-dag']")).to_be_visible()
            snap("dag")
            page.get_by_role("button", name="Trigger").first.click()
            dialog = page.get_by_role("dialog")
            expect(dialog).to_contain_text("Trigger Dag - sync_beta_erp_led")
            dialog.get_by_role("textbox").nth(-2).fill("2026-11-30T00:00")
            dialog.get_by_role("textbox").nth(-1).fill("2026-12-01T00:00")
            snap("trigger-form")
            dialog.get_by_role("button", name="Trigger", exact=True).click()
            token = ui_world.server.token("admin")
            deadline = time.monotonic() + 30
            runs = _dag_runs(ui_world.server, "sync_beta_erp_led", token)
            while not runs and time.monotonic() < deadline:
                time.sleep(0.5)
                runs = _dag_runs(ui_world.server, "sync_beta_erp_led", token)
            assert len(runs) == 1, runs
            assert runs[0]["run_type"] == "manual"
            window = {"window_start": "2026-11-30T00:00", "window_end": "2026-12-01T00:00"}
            assert {key: runs[0]["conf"].get(key) for key in window} == window
            assert runs[0]["conf"].get("dry_run") is False  # the form's other fields keep their defaults
            snap("triggered")
        except Exception:
            snap("failure", full=True)
            raise
        finally:
            browser.close()
            # not a problem: says where the screenshots are, in pytest's warnings summary (a builtin
            # category, because pytest-xdist re-imports a warning's class in the controller process)
            warnings.warn(f"Sync status screenshots: {ARTIFACTS}", UserWarning, stacklevel=1)
