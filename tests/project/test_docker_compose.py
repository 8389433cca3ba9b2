"""docker-compose.yml cannot run here (no Docker engine), so we read it instead."""

import yaml

from tests.helpers import ROOT


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_health_check():
    config = compose()
    db = config["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert any(volume.startswith("pgdata:/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pgdata" in config["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_web_waits_for_a_healthy_database_and_serves_on_port_8000():
    web = compose()["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "8000:8000" in web["ports"]
    assert web["build"] == "."


def test_web_migrates_collects_static_and_runs_gunicorn_from_environment_settings():
    web = compose()["services"]["web"]
    command = web["command"]
    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "sms_tool.wsgi" in command
    env = web["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["DEBUG"] == "0"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert name in env


def test_web_workers_share_a_database_cache_created_before_gunicorn_starts():
    web = compose()["services"]["web"]
    command = web["command"]
    assert web["environment"]["CACHE_URL"] == "dbcache://sms_cache"
    assert command.index("migrate") < command.index("createcachetable") < command.index("gunicorn")
    assert "--workers 3" in command  # several processes: why the cache must be shared


def test_the_image_installs_the_project_and_weasyprints_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert "pip install" in dockerfile
