"""docker-compose.yml cannot run here (no Docker engine), so we read it instead.

``COMPOSE_SCHEMA`` is the part of the Compose Specification this file uses, with
the keys each level may have: a misspelt key (``healtcheck``), a wrong type or an
unknown ``depends_on`` condition fails here as ``docker compose config`` would.
"""

import re

import pytest
import yaml

from notifications.management.commands.run_worker import QUEUES
from tests.helpers import ROOT

DURATION = re.compile(r"^\d+(ms|s|m|h)$")
SERVICE_KEYS = {
    "image", "build", "command", "entrypoint", "environment", "depends_on", "volumes",
    "ports", "expose", "healthcheck", "restart", "deploy",
}  # fmt: skip
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "disable"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def schema_problems(config):
    problems = []
    for key in config:
        if key not in {"services", "volumes", "networks", "secrets", "configs", "name"} and not (
            key.startswith("x-")
        ):
            problems.append(f"unknown top-level key {key}")
    named_volumes = set(config.get("volumes") or {})
    services = config["services"]
    for name, service in services.items():
        where = f"services.{name}"
        problems += [f"{where}: unknown key {key}" for key in set(service) - SERVICE_KEYS]
        if not ("image" in service or "build" in service):
            problems.append(f"{where}: needs image or build")
        environment = service.get("environment", {})
        if not isinstance(environment, dict) or not all(
            isinstance(value, str | int) for value in environment.values()
        ):
            problems.append(f"{where}: environment must map names to strings")
        for other, rule in (service.get("depends_on") or {}).items():
            if other not in services:
                problems.append(f"{where}: depends on unknown service {other}")
            if rule.get("condition") not in CONDITIONS:
                problems.append(f"{where}: unknown condition {rule.get('condition')}")
        health = service.get("healthcheck")
        if health is not None:
            problems += [
                f"{where}.healthcheck: unknown key {k}" for k in set(health) - HEALTHCHECK_KEYS
            ]
            if not (isinstance(health["test"], list) and health["test"][0] in {"CMD", "CMD-SHELL"}):
                problems.append(f"{where}.healthcheck: test must start with CMD or CMD-SHELL")
            for key in ("interval", "timeout", "start_period"):
                if key in health and not DURATION.match(str(health[key])):
                    problems.append(f"{where}.healthcheck: {key} is not a duration")
        if str(service.get("restart", "no")) not in RESTART:
            problems.append(f"{where}: unknown restart policy")
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith(("/", ".")) and source not in named_volumes:
                problems.append(f"{where}: volume {source} is not declared")
        for field in ("command", "entrypoint"):
            if field in service and not isinstance(service[field], str | list):
                problems.append(f"{where}: {field} must be a string or a list")
    return problems


def test_the_file_follows_the_compose_schema():
    assert schema_problems(compose()) == []


def test_the_schema_check_catches_a_misspelt_key_and_an_unknown_condition():
    config = compose()
    config["services"]["web"]["healtcheck"] = config["services"]["web"].pop("healthcheck")
    config["services"]["worker"]["depends_on"]["db"]["condition"] = "service_ready"
    problems = schema_problems(config)
    assert "services.web: unknown key healtcheck" in problems
    assert "services.worker: unknown condition service_ready" in problems


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_health_check():
    config = compose()
    db = config["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert any(volume.startswith("pgdata:/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pgdata" in config["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "report-worker"])
def test_every_long_running_service_has_a_health_check(name):
    assert compose()["services"][name]["healthcheck"]["test"]


def test_migrations_run_once_in_their_own_job_before_web_and_worker():
    services = compose()["services"]
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "report-worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert "migrate" not in " ".join(services[name]["command"])


def test_several_web_replicas_behind_a_proxy_share_redis_and_report_health():
    services = compose()["services"]
    web = services["web"]
    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web  # replicas cannot share a host port; the proxy publishes it
    assert "8000:8000" in services["proxy"]["ports"]
    assert web["environment"]["CACHE_URL"].startswith("${CACHE_URL:-redis://redis:6379/")
    assert "/health/" in " ".join(web["healthcheck"]["test"])
    assert "gunicorn.conf.py" in web["command"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DEBUG"] == "0"


def _queues(service):
    command = service["command"]
    return set(command[command.index("--queues") + 1].split(","))


def test_the_workers_run_every_queue_between_them_and_reports_have_their_own():
    services = compose()["services"]
    assert _queues(services["worker"]) | _queues(services["report-worker"]) == set(QUEUES)
    assert _queues(services["report-worker"]) == {"reports"}
    assert "reports" not in _queues(services["worker"])  # a mail never waits behind a render


def test_the_report_worker_is_bounded_in_count_and_memory_and_recycled():
    report = compose()["services"]["report-worker"]
    command = report["command"]
    assert report["deploy"]["replicas"] == 1
    assert report["deploy"]["resources"]["limits"]["memory"] == "1g"
    assert int(command[command.index("--max-rss-mb") + 1]) <= 600
    assert int(command[command.index("--max-tasks") + 1]) <= 50
    assert report["restart"] == "unless-stopped"


def test_every_setting_in_the_readme_is_passed_through_to_every_app_service():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for row in table.splitlines():
        if row.startswith("| `"):
            documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1]))
    assert len(documented) > 30
    services = compose()["services"]
    for name in ("migrate", "web", "worker", "report-worker"):
        missing = documented - set(services[name]["environment"])
        assert missing == set(), (name, sorted(missing))


def test_the_image_collects_static_files_at_build_and_installs_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "RUN SECRET_KEY=build-only" in dockerfile and "collectstatic" in dockerfile
    assert "migrate" not in dockerfile.split("CMD", 1)[1]


def test_the_build_context_leaves_out_the_virtualenv_database_and_history():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", "db.sqlite3", "staticfiles"):
        assert entry in ignored
