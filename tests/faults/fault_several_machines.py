"""Several machines on one: two app instances and two workers share PostgreSQL and Redis.

Not part of the default run (the file name does not start with ``test_``): CI runs
it once, on PostgreSQL, with ``FAULT_DATABASE_URL`` set (see .ci/run). It starts two
gunicorn instances and two ``run_worker`` processes as separate process groups, as
separate machines would be, spreads a load of acknowledged writes (password mails)
and report downloads over both instances, and in the middle kills one app instance
(SIGKILL, master and workers) and the worker that is rendering the report. Then:

- every request that was acknowledged (302) has its mail, sent exactly once;
- the report was stored exactly once for the session's state, and was served;
- the surviving instance kept answering.

It prints the figures the closing note of issue 15 asks for.
"""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("FAULT_DATABASE_URL", "")
REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/1")
PASSWORD = "fault-test-wachtwoord-42"  # noqa: S105
COORDINATOR = "coordinator.techniek@demo.example.org"
LOAD_SECONDS = float(os.environ.get("FAULT_LOAD_SECONDS", "40"))
CLIENTS = 6


@pytest.fixture(autouse=True)
def postgres_only():
    if not DATABASE_URL.startswith("postgres"):
        pytest.fail("Set FAULT_DATABASE_URL=postgres://... (a database this test may recreate).")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(mail_dir):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "TASK_STALE_SECONDS": "60",
        "LOG_LEVEL": "WARNING",
        "REQUEST_LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
    }


def manage(env, *args, timeout=600):
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def start(env, *command, log):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_group(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop_group(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        kill_group(process)


class PlainHttpCookies(http.cookiejar.DefaultCookiePolicy):
    """Sends the production settings' Secure cookies over the test's plain HTTP, as a TLS
    proxy in front would."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """One person with a cookie jar and the CSRF token of the last form."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar(policy=PlainHttpCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path):
        return self.opener.open(self.base + path, timeout=30)

    def token(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path, data):
        self.get(path).read()
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token()}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            return self.opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response


def wait_for(url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=5).status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


def sent_messages(mail_dir):
    ids = []
    for path in Path(mail_dir).glob("*.log"):
        ids += re.findall(r"^Message-ID: (.+)$", path.read_text(errors="replace"), re.M)
    return ids


def test_two_instances_and_two_workers_survive_losing_one_of_each(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = environment(mail_dir)
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        name = DATABASE_URL.rsplit("/", 1)[1]
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")  # as the image does at build
    manage(env, "import_session", "fixtures/demo/03_techniek_dialogue.json")
    manage(
        env, "shell", "-c",
        "from partnerships.models import User\n"
        f"u = User.objects.get(email='{COORDINATOR}'); u.set_password('{PASSWORD}'); u.save()",
    )  # fmt: skip
    with psycopg.connect(DATABASE_URL) as db:
        session_id = db.execute("SELECT max(id) FROM dialogue_sessions_dialoguesession").fetchone()[
            0
        ]
        people = [row[0] for row in db.execute("SELECT email FROM partnerships_user ORDER BY id")]

    logs = open(tmp_path / "processes.log", "w")  # noqa: SIM115
    ports = [free_port(), free_port()]
    apps = [
        start(env, sys.executable, "-m", "gunicorn", "sms_tool.wsgi", "-c", "gunicorn.conf.py",
              "--bind", f"127.0.0.1:{port}", log=logs)
        for port in ports
    ]  # fmt: skip
    workers = [
        start(env, sys.executable, "manage.py", "run_worker", "--worker-id", f"machine-{n}",
              "--periodic-interval", "5", log=logs)
        for n in (1, 2)
    ]  # fmt: skip
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/health/")
        acknowledged, refused, served = [], [], []
        report = f"/sessions/{session_id}/report.pdf?language=nl"
        stop = threading.Event()

        def person(index):
            port = ports[index % 2]
            browser = Browser(f"http://127.0.0.1:{port}")
            status = browser.post(
                "/accounts/login/", {"username": COORDINATOR, "password": PASSWORD}
            )
            assert status == 302, status
            turn = 0
            while not stop.is_set():
                turn += 1
                email = people[(index + turn) % len(people)]
                try:
                    status = browser.post("/accounts/password_reset/", {"email": email})
                    (acknowledged if status == 302 else refused).append(email)
                    answer = browser.get(report)
                    if answer.headers.get("Content-Type") == "application/pdf":
                        served.append(answer.read())
                except OSError:
                    refused.append(email)  # the instance died under this request
                    if index % 2 == 0:
                        port = ports[1]  # a load balancer would send the person on
                        browser = Browser(f"http://127.0.0.1:{port}")
                        browser.post(
                            "/accounts/login/", {"username": COORDINATOR, "password": PASSWORD}
                        )
                time.sleep(0.2)

        threads = [threading.Thread(target=person, args=(i,)) for i in range(CLIENTS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        # Kill the worker that renders the report, as soon as one does; and, halfway,
        # one whole machine's app instance.
        killed_worker, killed_rendering, killed_at, app_killed_at = None, False, 0.0, 0.0
        with psycopg.connect(DATABASE_URL, autocommit=True) as db:
            while time.monotonic() - started < LOAD_SECONDS:
                if app_killed_at == 0.0 and time.monotonic() - started >= LOAD_SECONDS / 2:
                    kill_group(apps[0])
                    app_killed_at = time.monotonic() - started
                if killed_worker is None:
                    row = db.execute(
                        "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
                        "WHERE status = 'RUNNING' AND task_path LIKE '%%render_report_task'"
                    ).fetchone()
                    if row and row[0]:
                        killed_worker = int(row[0][-1].rsplit("-", 1)[1])
                        kill_group(workers[killed_worker - 1])
                        killed_rendering, killed_at = True, time.monotonic() - started
                time.sleep(0.05)
        if killed_worker is None:  # no render seen during the load: kill one idle worker
            killed_worker, killed_at = 1, time.monotonic() - started
            kill_group(workers[0])
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

        # The surviving worker finishes the queue, the killed render included (stale after 60 s).
        deadline = time.monotonic() + 240
        with psycopg.connect(DATABASE_URL, autocommit=True) as db:
            while time.monotonic() < deadline:
                waiting = db.execute(
                    "SELECT count(*) FROM notifications_outgoingmail WHERE status <> 'sent'"
                ).fetchone()[0]
                unrendered = db.execute(
                    "SELECT count(*) FROM dialogue_sessions_reportrendering WHERE status <> 'ready'"
                ).fetchone()[0]
                if waiting == 0 and unrendered == 0:
                    break
                time.sleep(1)
            mails = db.execute(
                "SELECT count(*), count(*) FILTER (WHERE status = 'sent'), max(attempts) "
                "FROM notifications_outgoingmail"
            ).fetchone()
            renderings = db.execute(
                "SELECT count(*), max(attempts), max(render_seconds), max(worker_peak_mb) "
                "FROM dialogue_sessions_reportrendering WHERE session_id = %s",
                [session_id],
            ).fetchone()
        drained_at = time.monotonic() - started
        messages = sent_messages(mail_dir)

        print(
            f"\nfault test: {len(acknowledged)} acknowledged mail requests, {len(refused)} cut off "
            f"by the kill; {mails[0]} mails queued, {mails[1]} sent, {len(messages)} messages "
            f"written ({len(set(messages))} distinct), max attempts {mails[2]}; worker "
            f"machine-{killed_worker} killed at {killed_at:.1f} s "
            f"{'while rendering' if killed_rendering else 'idle'}, app instance 1 "
            f"at {app_killed_at:.1f} s; queue drained at {drained_at:.1f} s; report renderings "
            f"{renderings[0]} (tries {renderings[1]}, {renderings[2] or 0:.1f} s, worker peak "
            f"{renderings[3] or 0:.0f} MB), served {len(served)} times"
        )
        assert mails[0] >= len(acknowledged) > 0  # every acknowledged request queued its mail
        assert mails[1] == mails[0]  # and every queued mail went out
        assert len(messages) == len(set(messages)) == mails[0]  # exactly once each
        assert renderings[0] == 1  # one stored report for the session's state
        assert len({bytes(pdf) for pdf in served}) <= 1
        wait_for(f"http://127.0.0.1:{ports[1]}/health/", seconds=5)  # the survivor answers
        answer = Browser(f"http://127.0.0.1:{ports[1]}")
        answer.post("/accounts/login/", {"username": COORDINATOR, "password": PASSWORD})
        assert answer.get(report).headers["Content-Type"] == "application/pdf"
    finally:
        for process in apps + workers:
            stop_group(process)
        logs.close()
