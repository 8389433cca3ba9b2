"""Start-up with bad settings fails with one readable line, never a traceback."""

import secrets

import pytest

from tests.helpers import run_manage

PRODUCTION = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "sms.example.org"}


def one_line_error(result):
    assert result.returncode == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    return lines


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"ALLOWED_HOSTS": "sms.example.org"},
            "Configuration error: SECRET_KEY must be set when DEBUG is off",
        ),
        (
            {"SECRET_KEY": "x" * 60},
            "Configuration error: ALLOWED_HOSTS must be set when DEBUG is off",
        ),
        (
            {"DEBUG": "maybe"},
            "Configuration error: DEBUG='maybe' is not a yes/no value; use 1 or 0.",
        ),
        (
            {**PRODUCTION, "EMAIL_PORT": "twenty-five"},
            "Configuration error: EMAIL_PORT='twenty-five' is not a whole number.",
        ),
        (
            {"DEBUG": "1", "DATABASE_URL": "mysql://root@localhost/sms"},
            "Configuration error: DATABASE_URL must point at SQLite or PostgreSQL",
        ),
        (
            {"DEBUG": "1", "CACHE_URL": "dbcache://"},
            "Configuration error: CACHE_URL='dbcache://' is not a cache URL we can use; "
            "use locmemcache://, dbcache://TABLE",
        ),
        (
            {"DEBUG": "1", "CACHE_URL": "memcache://127.0.0.1:11211"},
            "Configuration error: CACHE_URL='memcache://127.0.0.1:11211' is not a cache URL",
        ),
        (
            {"DEBUG": "1", "TRUSTED_PROXY_COUNT": "-1"},
            "Configuration error: TRUSTED_PROXY_COUNT='-1' must be at least 0.",
        ),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line_saying_what_to_fix(env, expected):
    lines = one_line_error(run_manage("check", env=env))
    assert len(lines) == 1
    assert lines[0].startswith(expected)


def test_a_missing_database_server_is_named_without_a_traceback():
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing"}
    lines = one_line_error(run_manage("migrate", env=env))
    assert lines[0].startswith("Database error:")
    assert lines[-1] == "Check DATABASE_URL and that the database server is running."


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_database_cache_is_shared_by_every_worker_once_its_table_exists(tmp_path):
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "dbcache://sms_cache",
    }
    assert run_manage("migrate", env=env).returncode == 0
    assert run_manage("createcachetable", env=env).returncode == 0
    put = "from django.core.cache import cache; cache.set('shared', 'from worker 1', 60)"
    get = "from django.core.cache import cache; print(cache.get('shared'))"
    assert run_manage("shell", "--no-imports", "-c", put, env=env).returncode == 0
    # another process, as a second worker
    result = run_manage("shell", "--no-imports", "-c", get, env=env)
    assert result.stdout.strip() == "from worker 1", result.stderr


def test_demo_data_is_refused_outside_debug(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run_manage("load_demo", env=env)
    assert result.returncode == 1
    assert "only loaded with DEBUG=1" in result.stderr


SHOW = (
    "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
    "s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.SECURE_PROXY_SSL_HEADER)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (PRODUCTION, "True True True None"),
        (
            {**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"},
            "True True True ('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
        ({"DEBUG": "1"}, "False False False None"),
        (
            {"DEBUG": "1", "TRUSTED_PROXY_COUNT": "2"},
            "False False False ('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
    ],
    ids=["production", "production behind a proxy", "debug", "debug behind proxies"],
)
def test_the_language_cookie_is_as_secure_as_the_session_and_https_headers_need_a_proxy(
    env, expected
):
    result = run_manage("shell", "--no-imports", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
