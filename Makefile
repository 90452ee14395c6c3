# The two commands a newcomer needs: `make demo` and `make test`. Everything else is for developers.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install test test-fast lint typecheck bench demo stop simulators clean

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	# the simulators and the demo are not in the wheel; a development venv imports them from include/
	echo "$(CURDIR)/include" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/jetshop_hogia_dev.pth"
	touch $(STAMP)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: install
	$(BIN)/python -m pytest -m "not airflow" -x

lint: install
	$(BIN)/ruff check include plugins dags tests benchmarks
	$(BIN)/ruff format --check include plugins dags tests benchmarks
	$(BIN)/mypy
	# the layering contracts of pyproject.toml [tool.importlinter]; make test runs them too (tests/architecture)
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python -m benchmarks

simulators: install
	$(BIN)/python -m jetshop_hogia_simulators.demo.simulators

demo: install
	$(BIN)/python -m jetshop_hogia_simulators.demo

stop:
	-$(BIN)/python -m jetshop_hogia_simulators.demo stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .demo

# --- operations (docs/operations.md) ---------------------------------------------------------------
.PHONY: airflow backfill quarantine alerts demo-scenario

alerts: install  ## the alerts the demo tenants sent (webhook) to the demo's alert inbox
	$(BIN)/python -m jetshop_hogia_simulators.demo alerts

airflow: install  ## the Airflow CLI against the demo's AIRFLOW_HOME: make airflow ARGS="dags list"
	$(BIN)/python -m jetshop_hogia_simulators.demo airflow $(ARGS)

backfill: install  ## re-run the failed runs of one local day: make backfill TENANT=alpha_shop_led DAY=2026-11-24
	@test -n "$(TENANT)" -a -n "$(DAY)" || { echo 'usage: make backfill TENANT=<tenant_id> DAY=YYYY-MM-DD [WHOLE_DAY=1]'; exit 2; }
	$(BIN)/python -m jetshop_hogia_simulators.demo run $(BIN)/python -m jetshop_hogia backfill \
		--tenant $(TENANT) --day $(DAY) --wait $(or $(WAIT),900) $(if $(WHOLE_DAY),--whole-day)

quarantine: install  ## quarantine of the demo: make quarantine ARGS="list --tenant alpha_shop_led"
	$(BIN)/python -m jetshop_hogia_simulators.demo run $(BIN)/python -m jetshop_hogia quarantine $(ARGS)

demo-scenario: install  ## a situation for a manual DAG: make demo-scenario ARGS="quarantine-order" (then "fix-order"), or ARGS="go-live-assortment" (initial sync)
	$(BIN)/python -m jetshop_hogia_simulators.demo scenario $(ARGS)

# The distributed run on a real CeleryExecutor (Redis broker, PostgreSQL metadata, workers killed
# mid-write); part of `make test` too. Needs PostgreSQL and Redis on 127.0.0.1. About 3 minutes.
.PHONY: e2e-celery
e2e-celery: install
	$(BIN)/python -m pytest tests/e2e_celery
