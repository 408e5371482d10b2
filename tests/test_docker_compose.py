"""docker-compose.yml is right by construction: Docker does not run here, so this reads the file and
checks it against the code — services, ports, health checks, volumes, and that every environment
variable a service's code reads is provided to that service."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings

from api.settings import ApiSettings
from assistant.settings import Settings
from search_index.settings import SearchSettings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
LONG_RUNNING = ["rasa", "action-server", "api", "qdrant", "postgres", "redis"]

# Which settings models each service's code reads: the shared one and the search index's everywhere,
# the gateway's own in the API.
SETTINGS_BY_SERVICE: dict[str, list[type[BaseSettings]]] = {
    "init": [Settings, SearchSettings],
    "action-server": [Settings, SearchSettings],
    "retention": [Settings, SearchSettings],
    "api": [ApiSettings, Settings, SearchSettings],
}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)")


def env_names(settings: type[BaseSettings]) -> set[str]:
    names = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias.upper() if isinstance(alias, str) else name.upper())
    return names


def environment(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment", {})
    assert isinstance(env, dict), f"{service}: environment must be a mapping"
    return {key: str(value) for key, value in env.items()}


def test_every_part_of_the_assistant_is_a_service() -> None:
    assert set(LONG_RUNNING) <= set(SERVICES)


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_long_running_services_restart_and_report_health(service: str) -> None:
    spec = SERVICES[service]
    assert spec.get("restart") in {"always", "unless-stopped"}
    check = spec.get("healthcheck", {})
    assert check.get("test"), f"{service} has no healthcheck"
    assert check.get("interval") and check.get("retries")


@pytest.mark.parametrize(
    ("service", "mount"),
    [
        ("postgres", "/var/lib/postgresql/data"),
        ("qdrant", "/qdrant/storage"),
        ("redis", "/data"),
    ],
)
def test_stateful_services_keep_their_data_in_named_volumes(service: str, mount: str) -> None:
    volumes = SERVICES[service]["volumes"]
    named = {v.split(":")[0] for v in volumes if v.split(":")[1] == mount}
    assert named and named <= set(COMPOSE["volumes"]), f"{service}: {volumes}"


def test_only_the_gateway_is_published_and_internal_ports_match_the_code() -> None:
    published = {name for name, spec in SERVICES.items() if spec.get("ports")}
    assert published == {"api"}
    assert SERVICES["api"]["ports"] == ["${API_PORT:-8000}:8000"]
    rasa_command = SERVICES["rasa"]["command"]
    assert rasa_command[rasa_command.index("--port") + 1] == "5005"
    assert "--enable-api" in rasa_command and "--auth-token" in rasa_command
    assert SERVICES["action-server"]["command"][-2:] == ["--port", "5055"]
    api_env = environment("api")
    assert api_env["RASA_URL"] == "http://rasa:5005"
    assert api_env["ACTION_SERVER_URL"] == "http://action-server:5055"
    assert environment("rasa")["ACTION_ENDPOINT_URL"] == "http://action-server:5055/webhook"


@pytest.mark.parametrize("service", sorted(SETTINGS_BY_SERVICE))
def test_every_setting_the_code_reads_is_provided(service: str) -> None:
    provided = set(environment(service))
    wanted = set().union(*(env_names(cls) for cls in SETTINGS_BY_SERVICE[service]))
    assert wanted - provided == set(), f"{service} lacks these environment variables"


def test_production_uses_postgres_redis_and_the_qdrant_server() -> None:
    for service in SETTINGS_BY_SERVICE:
        env = environment(service)
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["QDRANT_URL"] == "http://qdrant:6333"


def test_rasa_gets_every_variable_its_production_endpoints_read() -> None:
    endpoints = (ROOT / "bot" / "endpoints.production.yml").read_text(encoding="utf-8")
    wanted = set(VARIABLE.findall(endpoints))
    assert wanted, "endpoints.production.yml should take its addresses from the environment"
    assert wanted - set(environment("rasa")) == set()
    parsed = yaml.safe_load(endpoints)
    # Rasa's SQL tracker store with the turn summary of the gateway channel (tests/bot checks the class).
    assert parsed["tracker_store"]["type"] == "bot.gateway_channel.TurnSummarySQLTrackerStore"
    assert parsed["tracker_store"]["dialect"] == "postgresql"
    assert parsed["lock_store"]["type"].lower() in {"redis", "redislockstore"}


def test_rasa_and_the_action_server_are_replicated_and_the_gateway_knows_it() -> None:
    for service, variable in (("rasa", "RASA_REPLICAS"), ("action-server", "ACTION_REPLICAS")):
        replicas = SERVICES[service]["deploy"]["replicas"]
        assert replicas == f"${{{variable}:-2}}", service
        assert environment("api")[variable] == replicas
        assert "container_name" not in SERVICES[service] and not SERVICES[service].get("ports")
    # One name for every replica: the gateway resolves it to each replica's address.
    assert environment("api")["RASA_URL"] == "http://rasa:5005"
    credentials = yaml.safe_load((ROOT / "bot" / "credentials.yml").read_text(encoding="utf-8"))
    assert "bot.gateway_channel.GatewayInput" in credentials


def test_no_secret_is_written_inline() -> None:
    secret = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY")
    for name in SERVICES:
        for key, value in environment(name).items():
            if secret.search(key):
                assert str(value).startswith("${"), f"{name}.{key} must come from .env"


def test_env_example_documents_every_variable_compose_reads() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    used = set(VARIABLE.findall((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    assert used - documented == set()


def test_images_carry_rasa_with_underthesea_and_the_python_services() -> None:
    rasa_file = (ROOT / SERVICES["rasa"]["build"]["dockerfile"]).read_text(encoding="utf-8")
    assert rasa_file.startswith("# ") and "FROM rasa/rasa:3.6.21" in rasa_file
    assert "underthesea==9.5.0" in rasa_file
    app_file = (ROOT / SERVICES["init"]["build"]["dockerfile"]).read_text(encoding="utf-8")
    assert "FROM python:3.11" in app_file and "requirements/app.lock" in app_file
    for service in ("action-server", "api"):
        assert SERVICES[service]["image"] == SERVICES["init"]["image"]
        assert SERVICES[service]["depends_on"]["init"]["condition"] == "service_completed_successfully"


def test_citizens_data_is_purged_daily_after_the_retention() -> None:
    # Issue 13, finding 7: nothing ever deleted transcripts, events, handoffs or trackers.
    spec = SERVICES["retention"]
    assert "python -m assistant purge" in " ".join(spec["command"])
    assert spec.get("restart") in {"always", "unless-stopped"}
    assert "RETENTION_DAYS" in environment("retention")
