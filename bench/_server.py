"""Shared by the server benchmarks: a PostgreSQL database, gunicorn, simulated people, figures.

Everything stays on this machine: PostgreSQL on 127.0.0.1:5432, gunicorn bound
to 127.0.0.1 on a free port, and the simulated people talk only to that port.
``bench/ceilings.py`` and ``bench/load.py`` use the same server start-up and the
same client code, so their figures can be divided by each other.
"""

import html
import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "sms_bench")
CEILINGS_FILE = Path(tempfile.gettempdir()) / "sms-ceilings.json"
# `make bench` sets one id for the whole run; the ceilings file is reused only within it.
RUN_ID = os.environ.get("SMS_BENCH_RUN", "")

# gunicorn: one worker process per core of this 2-core machine, threads for the
# time a request waits on PostgreSQL. Keep-alive outlasts the people's pauses.
WORKERS = 2
THREADS = 4
KEEP_ALIVE = 10
# The bare view's two pages (bench/_bare_wsgi.py): sign in as its benchmark user, and the
# answer for visitors without an account (a Quick Scan phone).
BARE_SIGN_IN_PATH = "/bench-sign-in/"
BARE_ANONYMOUS_PATH = "/anonymous/"


# --- the database and the environment of the server ---------------------------


def database_url(name=DATABASE):
    return f"{POSTGRES}/{name}"


def _admin_execute(*statements):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        for statement, name in statements:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def recreate_database(name=DATABASE):
    """An empty database ``name`` (dropped first, with anyone still connected to it)."""
    _admin_execute(
        ("DROP DATABASE IF EXISTS {} WITH (FORCE)", name),
        ("CREATE DATABASE {}", name),
    )


def drop_database(name=DATABASE):
    _admin_execute(("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))


def server_environment(database=DATABASE, **extra):
    """What the benchmark server runs with: production settings on plain local HTTP."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]),
        DEBUG="0",
        SECRET_KEY="benchmark-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url(database),
        SMS_BENCH_STATIC_ROOT=os.path.join(tempfile.gettempdir(), "sms-bench-static"),
        LOG_LEVEL="WARNING",
    )
    env.pop("SMS_BENCH_URLCONF", None)
    env.update(extra)
    return env


def configure_django_here(env):
    """Set up Django in this process with the server's environment (to create and check data)."""
    os.environ.update(env)
    for folder in (str(BENCH), str(ROOT)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    import django

    django.setup()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving ``app`` on 127.0.0.1; stopped on leaving the ``with`` block, whatever happens."""

    def __init__(self, app, env, *, workers=WORKERS, threads=THREADS, ready_path="/"):
        self.app, self.env = app, env
        self.workers, self.threads = workers, threads
        self.ready_path = ready_path
        self.process = None
        self.port = None

    @property
    def description(self):
        return f"gunicorn {self.app}, {self.workers} workers x {self.threads} threads (gthread)"

    def __enter__(self):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="sms-bench-gunicorn-", suffix=".log", delete=False
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=gthread",
            f"--threads={self.threads}",
            f"--keep-alive={KEEP_ALIVE}",
            "--timeout=60",
            "--graceful-timeout=5",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop gunicorn ourselves
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.ready_path)
                status = connection.getresponse().status
                connection.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None) is not None:
            self.log.close()

    def errors_logged(self):
        """Lines of the server's log that report an error (the log level is warning)."""
        text = Path(self.log.name).read_text(errors="replace")
        return [line for line in text.splitlines() if "ERROR" in line or "Traceback" in line]

    def __exit__(self, *exc):
        self.stop()
        return False


# --- one simulated person -----------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    text: str
    seconds: float


class Browser:
    """One simulated person: a keep-alive connection to 127.0.0.1 and their own cookies.

    Cookies are kept by hand: the server marks them Secure (DEBUG is off), which a
    standard cookie jar would refuse to send over the plain local HTTP used here.
    """

    def __init__(self, port, *, timeout=30):
        self.port, self.timeout = port, timeout
        self.connection = None
        self.used = 0.0
        self.cookies = {}

    def _connect(self):
        # gunicorn closes a keep-alive connection after KEEP_ALIVE idle seconds; a
        # browser would then open a new one, so do so well before that moment.
        if self.connection is not None and time.monotonic() - self.used > KEEP_ALIVE / 2:
            self.close()
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        return self.connection

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, fields=None):
        """Send one request and read the whole answer; ``seconds`` is that round trip."""
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        connection = self._connect()
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        seconds = time.perf_counter() - start
        self.used = time.monotonic()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(
            answer.status,
            answer.getheader("Location", ""),
            data.decode("utf-8", "replace"),
            seconds,
        )

    def sign_in(self, email, password, *, path="/accounts/login/"):
        """GET the sign-in page (for the CSRF cookie and token), then POST; True on a redirect."""
        page = self.request("GET", path)
        fields = form_fields(page.text, containing='name="password"')
        fields.update(username=email, password=password)
        answer = self.request("POST", path, fields)
        return answer, page


# --- reading a form from a page, as a browser would send it back ------------------

_FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.I | re.S)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.I | re.S)
_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.I | re.S)
_OPTION = re.compile(r"<option\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r'([\w:-]+)(?:\s*=\s*"([^"]*)")?')


def _attributes(text):
    return {name.lower(): html.unescape(value or "") for name, value in _ATTRIBUTE.findall(text)}


def form_fields(page, *, containing):
    """The fields the first form holding ``containing`` would send, its buttons left out."""
    form = next(match.group(1) for match in _FORM.finditer(page) if containing in match.group(1))
    fields = {}
    for match in _INPUT.finditer(form):
        attributes = _attributes(match.group(1))
        kind = attributes.get("type", "text").lower()
        name = attributes.get("name")
        if not name or kind in ("submit", "button", "reset", "file", "image"):
            continue
        if kind in ("radio", "checkbox") and "checked" not in attributes:
            continue
        fields[name] = attributes.get("value", "on" if kind == "checkbox" else "")
    for match in _TEXTAREA.finditer(form):
        name = _attributes(match.group(1)).get("name")
        if name:
            value = html.unescape(match.group(2))
            fields[name] = value[1:] if value.startswith("\n") else value  # as browsers do
    for match in _SELECT.finditer(form):
        name = _attributes(match.group(1)).get("name")
        options = [_attributes(option) for option in _OPTION.findall(match.group(2))]
        chosen = [o for o in options if "selected" in o] or options[:1]
        if name and chosen:
            fields[name] = chosen[0].get("value", "")
    return fields


# --- many people at once, and their figures ----------------------------------------


@dataclass
class Figures:
    """Round trips and errors of many people, gathered from their threads."""

    latencies: dict = field(default_factory=dict)  # kind -> [seconds]
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind, seconds):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, what):
        with self.lock:
            self.errors[what] += 1

    def all_latencies(self, kinds=None):
        return [s for kind, values in self.latencies.items() if kinds is None or kind in kinds
                for s in values]  # fmt: skip


def percentile(values, share):
    """Nearest-rank percentile of ``values`` (seconds), in milliseconds; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, math.ceil(share / 100 * len(ordered)) - 1)
    return ordered[index] * 1000


def summary(values, seconds):
    return {
        "requests": len(values),
        "rps": len(values) / seconds if seconds else 0.0,
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "p99_ms": percentile(values, 99),
        "max_ms": percentile(values, 100),
    }


def run_people(count, person, *, start_timeout=300):
    """Run ``person(index, start)`` for ``count`` people in threads; ``start`` is a shared barrier.

    Threads are daemons, so Ctrl-C ends the benchmark (the caller's ``with Gunicorn``
    stops the server). Returns the exceptions the people ended with, if any.
    """
    start = threading.Barrier(count, timeout=start_timeout)
    failures = []

    def run(index):
        try:
            person(index, start)
        except BaseException as error:  # reported by the caller
            failures.append((index, error))
            start.abort()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)
    return failures


def in_own_process(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in a forked process of its own; its (picklable) result.

    The simulated people then do not share this process's interpreter lock with
    anything else here; the server is a separate process anyway.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def child():
        try:
            results.put(("ok", function(*args, **kwargs)))
        except BaseException as error:  # handed to the parent
            results.put(("error", f"{type(error).__name__}: {error}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    status, value = results.get()
    process.join(timeout=30)
    if status != "ok":
        raise RuntimeError(f"the load generator failed: {value}")
    return value


def hammer(port, path, *, people, seconds, warm_up=2.0, pause=0.0, sign_in_path=None):
    """``people`` threads request ``path`` for ``seconds`` (after a warm-up); its figures.

    With ``sign_in_path`` each person first GETs it (a session of their own) and keeps the cookie.
    """
    figures = Figures()
    window = {}

    def person(index, start):
        browser = Browser(port)
        if sign_in_path:
            signed_in = browser.request("GET", sign_in_path)
            assert signed_in.status == 200 and browser.cookies, signed_in.status
        until = time.monotonic() + warm_up
        while time.monotonic() < until:
            browser.request("GET", path)
        start.wait()
        window.setdefault("start", time.monotonic())
        until = window["start"] + seconds
        while time.monotonic() < until:
            try:
                answer = browser.request("GET", path)
            except (OSError, http.client.HTTPException) as error:
                figures.error(type(error).__name__)
                continue
            if answer.status == 200:
                figures.add("get", answer.seconds)
            else:
                figures.error(f"HTTP {answer.status}")
            if pause:
                time.sleep(pause)
        window["end"] = max(window.get("end", 0), time.monotonic())
        browser.close()

    failures = run_people(people, person)
    if failures:
        raise failures[0][1]
    elapsed = window["end"] - window["start"]
    return {**summary(figures.all_latencies(), elapsed), "errors": sum(figures.errors.values())}


# --- the ceilings file ----------------------------------------------------------------


def save_ceilings(ceilings):
    ceilings = {
        **ceilings,
        "run": RUN_ID,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }
    CEILINGS_FILE.write_text(json.dumps(ceilings, indent=2))
    return ceilings


def ceilings(*, need):
    """The ceilings of this run: from the file if `make bench` measured them just now,
    otherwise measured first (``need``: "bare" and/or "weasyprint")."""
    if RUN_ID and CEILINGS_FILE.exists():
        stored = json.loads(CEILINGS_FILE.read_text())
        if stored.get("run") == RUN_ID and all(key in stored for key in need):
            return stored
    print(f"(measuring the ceilings first: {', '.join(need)})", flush=True)
    only = [] if len(need) > 1 else [f"--only={need[0]}"]
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(BENCH / "ceilings.py"), *only], check=True, stdout=subprocess.DEVNULL
    )
    return json.loads(CEILINGS_FILE.read_text())


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def ratio(value, ceiling):
    return value / ceiling if ceiling else float("nan")


def answer_the_format(preparation, motives, partner_type, number):
    """Two of every three motives offered to the side apply, with an intended outcome."""
    from sessions.models import Answer

    Answer.objects.bulk_create(
        Answer(
            preparation=preparation,
            motive=motive,
            applies=index % 3 != 0,
            intended_outcome=f"Beoogde opbrengst {number + 1}-{index}" if index % 3 else "",
        )
        for index, motive in enumerate(motives)
        if motive.offered_to(partner_type)
    )
