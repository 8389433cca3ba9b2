"""The backup can be restored: the compose ``backup`` service's dump gives the same data back.

Not part of the default run (the file name does not start with ``test_``): CI runs it
once, on PostgreSQL, with ``FAULT_DATABASE_URL`` set (see .ci/run). It migrates that
database, loads the demo data and a person's answer typed with every kind of text
(accents, emoji, quotes, newlines), dumps it with the same ``pg_dump -Fc`` the
``backup`` service runs every night, restores the dump into an empty database with
the README's ``pg_restore``, and then checks what a coordinator would check after a
restore:

- every table has the same rows (compared per table, in primary-key order);
- every session exports to the same ``sms-tool.session/1`` file;
- the restored database needs no migration, and the app signs a person in on it.
"""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("FAULT_DATABASE_URL", "")
TYPED = 'Één "motief" met\nregels, emoji 🤝 en een apostrof \u2019s-Hertogenbosch'


@pytest.fixture(autouse=True)
def postgres_only():
    if not DATABASE_URL.startswith("postgres"):
        pytest.fail("Set FAULT_DATABASE_URL=postgres://... (a database this test may recreate).")


def database_url(name):
    parts = urllib.parse.urlsplit(DATABASE_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def recreate(name):
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop(name):
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url, *args):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "CACHE_URL": "locmemcache://",
        "DJANGO_SETTINGS_MODULE": "sms_tool.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


TYPE_AN_ANSWER = f"""
from sessions.models import Answer
answer = Answer.objects.order_by("pk").first()
answer.intended_outcome = {TYPED!r}
answer.save()
print(answer.pk)
"""

SESSION_IDS = "from sessions.models import DialogueSession\n" + (
    "print(list(DialogueSession.objects.order_by('pk').values_list('pk', flat=True)))"
)

SIGN_IN = """
from django.test import Client
client = Client(HTTP_HOST="localhost")
response = client.post("/accounts/login/", {"username": "coordinator.techniek@demo.example.org",
                       "password": "demo-sms-2026"})
print(response.status_code, response.get("Location", ""))
"""


def tables(url):
    """Every table of the public schema with its rows in primary-key (or full-row) order."""
    with psycopg.connect(url) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            name: connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            for name in names
        }


def test_the_nightly_dump_restores_to_the_same_data():
    source, restored = "sms_tool_backup_source", "sms_tool_backup_restored"
    recreate(source)
    recreate(restored)
    dump = ROOT / "test-artifacts" / "backup" / "sms.dump"
    dump.parent.mkdir(parents=True, exist_ok=True)
    try:
        manage(database_url(source), "migrate", "--noinput")
        manage(database_url(source), "createcachetable")
        manage(database_url(source), "load_demo")
        answer_pk = manage(database_url(source), "shell", "-v", "0", "-c", TYPE_AN_ANSWER).strip()

        # The backup service's command (docker-compose.yml) and the README's restore.
        subprocess.run(["pg_dump", "-d", database_url(source), "-Fc", "-f", str(dump)], check=True)
        with dump.open("rb") as handle:
            subprocess.run(
                ["pg_restore", "-d", database_url(restored), "--clean", "--if-exists"],
                stdin=handle,
                check=True,
            )

        before, after = tables(database_url(source)), tables(database_url(restored))
        assert sorted(after) == sorted(before)
        assert sum(len(rows) for rows in before.values()) > 100, "the demo data was loaded"
        differing = [name for name in before if before[name] != after[name]]
        assert differing == []

        ids = json.loads(manage(database_url(source), "shell", "-v", "0", "-c", SESSION_IDS))
        assert ids, "the demo has sessions"
        for session_id in ids:
            assert manage(database_url(restored), "export_session", str(session_id)) == manage(
                database_url(source), "export_session", str(session_id)
            )
        typed = [
            answer
            for session_id in ids
            for organisation in json.loads(
                manage(database_url(restored), "export_session", str(session_id))
            )["organisations"]
            for answer in organisation.get("answers", [])
            if answer.get("intended_outcome") == TYPED
        ]
        assert len(typed) == 1, f"answer {answer_pk} came back with every character"

        assert "No planned migration" in manage(database_url(restored), "migrate", "--plan")
        status, location = manage(database_url(restored), "shell", "-v", "0", "-c", SIGN_IN).split(
            " ", 1
        )
        assert status == "302" and "login" not in location
        print(
            f"\nbackup: {dump.stat().st_size:,} bytes, {len(before)} tables, "
            f"{sum(len(rows) for rows in before.values()):,} rows restored equal, "
            f"{len(ids)} sessions export equal"
        )
    finally:
        drop(source)
        drop(restored)
