"""docker-compose.yaml is a complete, consistent Celery deployment (checked without a Docker engine).

The file is validated against the Compose Specification's JSON schema (tests/deploy/compose-spec.json,
from github.com/compose-spec/compose-spec, Apache-2.0), then its content: every Airflow component with a
healthcheck, one set of secrets for all of them, the CeleryExecutor on Redis and PostgreSQL, shared
volumes, the init steps, the API server on 127.0.0.1, and no package installed at container start.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from compose_model import (
    COMPOSE_FILE,
    DOCKERFILE,
    ENV_EXAMPLE,
    MissingVariableError,
    airflow_services,
    interpolate,
    interpolate_all,
    load_compose,
    published_ports,
    read_env_file,
    variables,
)

SCHEMA = Path(__file__).with_name("compose-spec.json")
AIRFLOW_COMMANDS = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}
ONE_SHOT = {"airflow-init", "airflow-cli", "demo-connections"}
SHARED_SECRETS = ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY", "AIRFLOW__CORE__FERNET_KEY")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def filled_env() -> dict[str, str]:
    """.env.example with a distinct dummy value for every secret left empty (what an operator does)."""
    return {name: value or f"dummy-{name.lower()}" for name, value in read_env_file().items()}


def test_the_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(compose)]
    assert errors == []
    # the schema is strict enough to catch a misspelt key
    broken = {
        **compose,
        "services": {**compose["services"], "redis": {**compose["services"]["redis"], "helthcheck": {}}},
    }
    assert not validator.is_valid(broken)


def test_every_airflow_component_runs_from_the_project_image(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, command in AIRFLOW_COMMANDS.items():
        assert services[name]["command"] == command, name
        assert services[name]["build"] == {"context": ".", "target": "production"}, name
        assert services[name]["image"].startswith("${JETSHOP_HOGIA_IMAGE:-"), name
    assert {"postgres", "redis", "airflow-init"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_every_long_running_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    long_running = set(compose["services"]) - ONE_SHOT
    missing = [
        name for name in long_running if not compose["services"][name].get("healthcheck", {}).get("test")
    ]
    assert missing == []
    assert "8974/health" in str(compose["services"]["airflow-scheduler"]["healthcheck"]["test"])
    assert "/api/v2/monitor/health" in str(compose["services"]["airflow-apiserver"]["healthcheck"]["test"])
    assert "inspect ping" in str(compose["services"]["airflow-worker"]["healthcheck"]["test"])


def test_airflow_components_wait_for_healthy_databases_and_a_finished_init(compose: dict[str, Any]) -> None:
    for name in AIRFLOW_COMMANDS:
        depends = compose["services"][name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert depends["airflow-init"] == {"condition": "service_completed_successfully"}, name


def test_all_airflow_services_share_one_jwt_secret_api_key_and_fernet_key(
    compose: dict[str, Any], filled_env: dict[str, str]
) -> None:
    services = airflow_services(compose)
    assert set(AIRFLOW_COMMANDS) | {"airflow-init"} <= set(services)
    for setting in SHARED_SECRETS:
        raw = {name: service["environment"][setting] for name, service in services.items()}
        assert all(value.startswith("${") for value in raw.values()), f"{setting} must come from .env: {raw}"
        effective = {interpolate(value, filled_env) for value in raw.values()}
        assert len(effective) == 1, f"{setting} differs between services: {raw}"
        with pytest.raises(MissingVariableError):  # no built-in fallback secret
            interpolate(next(iter(raw.values())), {})


def test_the_executor_is_celery_on_redis_with_postgresql_metadata(
    compose: dict[str, Any], filled_env: dict[str, str]
) -> None:
    for name, service in airflow_services(compose).items():
        env = interpolate_all(service["environment"], filled_env)
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:dummy-redis_password@redis:6379/"), (
            name
        )
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:"), name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow"), name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://"), name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"


def test_volumes_are_declared_and_shared_by_every_airflow_service(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    assert {"postgres-db-volume", "airflow-logs", "run-storage"} <= declared
    assert "postgres-db-volume:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    for name, service in airflow_services(compose).items():
        volumes = [interpolate(str(volume), {}) for volume in service["volumes"]]  # the defaults
        mounts = {volume.split(":")[1]: volume for volume in volumes}
        # batch files written by fetch on one worker are read by transform on another
        assert mounts["/opt/airflow/runs"].startswith("run-storage:"), name
        assert mounts["/opt/airflow/logs"].startswith("airflow-logs:"), name
        assert mounts["/opt/airflow/tenants"] == "./include/tenants:/opt/airflow/tenants:ro", name
        named = {volume.split(":")[0] for volume in volumes if not volume.startswith(".")}
        assert named <= declared, name


def test_only_loopback_addresses_are_published_by_default(compose: dict[str, Any]) -> None:
    published = {name: published_ports(service, {}) for name, service in compose["services"].items()}
    assert published["airflow-apiserver"] == [("127.0.0.1", "8080", "8080")]
    for name, mappings in published.items():
        assert all(host_ip == "127.0.0.1" for host_ip, _, _ in mappings), (name, mappings)
    assert published["postgres"] == published["redis"] == []


def test_nothing_is_installed_when_a_container_starts(compose: dict[str, Any]) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in text
    assert "pip install" not in text
    for name, service in compose["services"].items():
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in service.get("environment", {}), name


def test_the_image_is_built_from_airflow_3_3_2_with_the_pinned_files() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert "ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11" in dockerfile
    assert dockerfile.count("FROM ${AIRFLOW_IMAGE}") == 2
    assert "-r /tmp/requirements-runtime.txt -c /opt/jetshop-hogia/constraints.txt" in dockerfile
    assert "--no-deps /opt/jetshop-hogia/dist/*.whl" in dockerfile
    assert dockerfile.rstrip().endswith("FROM runtime AS production")  # the default target has no simulators


def test_init_migrates_and_creates_connections_and_pools(compose: dict[str, Any]) -> None:
    init = compose["services"]["airflow-init"]
    script = "\n".join(init["command"])
    steps = [
        "airflow db migrate",
        "airflow connections add sync_state --conn-type postgres --conn-host postgres",
        "--conn-schema sync_state",
        "airflow connections import --overwrite /opt/airflow/secrets/connections.json",
        "python -m jetshop_hogia.orchestration.pools",
    ]
    positions = [script.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    assert positions[0] == min(positions), "the database must be migrated before anything else"
    assert any(str(v).endswith(":/opt/airflow/secrets:ro") for v in init["volumes"])


def test_the_state_store_has_its_own_database_and_role(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    (config,) = postgres["configs"]
    assert config["target"].startswith("/docker-entrypoint-initdb.d/")
    script = compose["configs"][config["source"]]["content"]
    assert "CREATE ROLE sync_state LOGIN PASSWORD :'pw';" in script
    assert "CREATE DATABASE sync_state OWNER sync_state;" in script
    assert postgres["environment"]["SYNC_STATE_DB_PASSWORD"].startswith("${SYNC_STATE_DB_PASSWORD:?")


def test_the_simulators_run_only_in_the_demo_profile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, module in (("jetshop-simulator", "jetshop"), ("hogia-simulator", "hogia")):
        assert services[name]["profiles"] == ["demo"]
        assert services[name]["build"]["target"] == "simulators"
        assert services[name]["entrypoint"][:3] == ["python", "-m", f"jetshop_hogia_simulators.{module}"]
    assert services["demo-connections"]["profiles"] == ["demo"]
    demo_only = {name for name, service in services.items() if "demo" in service.get("profiles", [])}
    assert demo_only == {"jetshop-simulator", "hogia-simulator", "demo-connections"}


def test_env_example_lists_every_variable_and_holds_no_secret(filled_env: dict[str, str]) -> None:
    referenced = variables(COMPOSE_FILE.read_text(encoding="utf-8"))
    example = read_env_file(ENV_EXAMPLE)
    required = {name for name, op in referenced.items() if op in (":?", "?")}
    assert set(referenced) - {"HOSTNAME"} <= set(example), set(referenced) - set(example)
    assert {name for name in required if example[name]} == set(), (
        "required secrets must be blank in the example"
    )
    interpolate_all(load_compose(), filled_env)  # a filled-in .env satisfies every required variable
    with pytest.raises(MissingVariableError):
        interpolate_all(load_compose(), example)  # and the unfilled example is refused
