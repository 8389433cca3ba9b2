"""The deployed configuration under load: gunicorn.conf.py as compose runs it, PostgreSQL, each cache.

    .venv/bin/python bench/deployed.py [--people 10] [--seconds 15]
        [--rounds 1] [--port PORT] [--redis redis://127.0.0.1:6379/12]

The load tool is locust, in a virtualenv of its own and so in a process of its own
(not in the project's lock files):

    python3.11 -m venv /work/benchvenv && /work/benchvenv/bin/pip install -r bench/requirements.txt

(``BENCH_LOCUST`` names another locust executable). In its own PostgreSQL database
(``BENCH_DATABASE``, dropped at the end) it creates one session in preparation with
``--people`` partner organisations, each with one member whose format is filled in and
who is signed in (a session row made here: the password hash is not what is measured).
Then, for each cache of docker-compose.yml's web service (the database cache, and
Redis), A B A B ... for ``--rounds``:

A. ``gunicorn sms_tool.wsgi -c gunicorn.conf.py`` (sync workers, WEB_CONCURRENCY=3 as
   compose sets it, max-requests and timeouts from that file) and locust's people
   reading their format pages for ``--seconds``, pausing 0.2-0.8 s;
B. the same gunicorn settings serving bench/_bare_wsgi.py, the bare view behind the
   same login (the same session cookies, the same session and user lookups).

Per run, after 30 warm-up requests: requests per second, p50/p95 (locust), failures, and the CPU seconds of
gunicorn's workers per request (from /proc, recycled workers included): the ratio
A/B of CPU per request is the price of the format page over a bare page behind the
same login, in the deployed configuration. Prints the load average with each run.
A benchmark, not a test: never run by pytest or CI; without locust it says so and exits 0.
"""

import argparse
import csv
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    BARE_SIGN_IN_PATH,
    BENCH,
    DATABASE,
    ROOT,
    Gunicorn,
    answer_the_format,
    configure_django_here,
    drop_database,
    free_port,
    load_average,
    recreate_database,
    server_environment,
)

LOCUST = os.environ.get("BENCH_LOCUST", "/work/benchvenv/bin/locust")
WEB_CONCURRENCY = "3"  # docker-compose.yml's default for the web service


def prepare(people):
    """Migrate, collect static files, make the cache table and the signed-in partners."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from motives.models import Motive
    from partnerships.models import LearningCommunity, Membership, Organisation, User
    from sessions.models import DialogueSession, Phase, Preparation

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    community = LearningCommunity.objects.create(
        name="Deployed LC", sector="ICT", setting="public-private", start_year=2015
    )
    session = DialogueSession.objects.create(
        community=community, title="Deployed", phase=Phase.PREPARATION
    )
    motives = list(Motive.objects.active().in_catalogue_order())
    found = []
    for number in range(people):
        partner_type = "education" if number % 3 == 0 else "practice"
        organisation = Organisation.objects.create(
            community=community, name=f"Partner {number + 1:02}", partner_type=partner_type
        )
        person = User.objects.create(email=f"p{number + 1:02}@deployed.example.org", name="P")
        Membership.objects.create(person=person, organisation=organisation)
        preparation = Preparation.objects.create(session=session, organisation=organisation)
        answer_the_format(preparation, motives, partner_type, number)
        client = Client()
        client.force_login(person)
        found.append(
            {
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "path": f"/sessions/{session.pk}/preparations/{preparation.pk}/",
            }
        )
    connections.close_all()
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "people": found}


def worker_cpu(master_pid):
    """CPU seconds of gunicorn's workers: the live ones and those already recycled (reaped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    master = Path(f"/proc/{master_pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(master[13]) + int(master[14])) / ticks  # cutime + cstime: reaped workers
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class DeployedGunicorn(Gunicorn):
    """gunicorn with gunicorn.conf.py (its bind replaced by our port)."""

    @property
    def description(self):
        return f"gunicorn {self.app} -c gunicorn.conf.py, WEB_CONCURRENCY={WEB_CONCURRENCY} (sync)"

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="sms-bench-deployed-", suffix=".log", delete=False
        )
        command = [sys.executable, "-m", "gunicorn", self.app, "-c", str(ROOT / "gunicorn.conf.py"),
                   f"--bind=127.0.0.1:{self.port}"]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self


def run_locust(port, people_file, *, people, seconds, path=None):
    folder = tempfile.mkdtemp(prefix="sms-bench-locust-")
    env = dict(os.environ, SMS_BENCH_PEOPLE=str(people_file))
    env.pop("SMS_BENCH_PATH", None)
    if path:
        env["SMS_BENCH_PATH"] = path
    subprocess.run(  # noqa: S603 - the benchmark's own load tool
        [LOCUST, "-f", str(BENCH / "_locustfile.py"), "--headless", f"--users={people}",
         f"--spawn-rate={people}", f"--run-time={seconds}s", f"--host=http://127.0.0.1:{port}",
         f"--csv={folder}/run", "--only-summary", "--loglevel=WARNING"],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{folder}/run_stats.csv") as stats:  # noqa: PTH123
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
    }


def warm_up(port, people_file, path, requests=30):
    """A few requests first, so that the workers have imported and compiled what the page needs."""
    people = json.loads(people_file.read_text())
    for index in range(requests):
        person = people["people"][index % len(people["people"])]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookie = f"{people['cookie_name']}={person['session']}"
        connection.request("GET", path or person["path"], headers={"Cookie": cookie})
        connection.getresponse().read()
        connection.close()


def one_run(app, env, port, people_file, arguments, path=None):
    # The bare view's URLs have no sign-in page to redirect to: probe its sign-in URL instead.
    server = DeployedGunicorn(
        app, env, ready_path="/health/" if path is None else BARE_SIGN_IN_PATH
    )
    server.port = port
    with server:
        warm_up(port, people_file, path)
        load = load_average()
        before = worker_cpu(server.process.pid)
        figures = run_locust(port, people_file, people=arguments.people,
                             seconds=arguments.seconds, path=path)  # fmt: skip
        cpu = worker_cpu(server.process.pid) - before
        errors = server.errors_logged()
    figures.update(
        cpu_s=cpu,
        cpu_ms_per_request=1000 * cpu / figures["requests"] if figures["requests"] else 0.0,
        load=load,
        errors_logged=len(errors),
        server=server.description,
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--port", type=int, help="default: a free port")
    parser.add_argument("--redis", default=os.environ.get("SMS_BENCH_REDIS_URL",
                                                          "redis://127.0.0.1:6379/12"))  # fmt: skip
    arguments = parser.parse_args()
    arguments.port = arguments.port or free_port()
    if not Path(LOCUST).exists():
        print(f"locust not found at {LOCUST}: see bench/requirements.txt; nothing measured")
        return
    if not (1 <= arguments.people <= 100 and 1 <= arguments.seconds <= 120
            and 1 <= arguments.rounds <= 5):  # fmt: skip
        parser.error("at most 100 people, 120 seconds and 5 rounds")
    recreate_database(DATABASE)
    caches = {"database cache": "dbcache://sms_cache", "Redis": arguments.redis}
    # The request log stays on (JSON lines, as deployed): both sides write it.
    base = dict(server_environment(), WEB_CONCURRENCY=WEB_CONCURRENCY)
    results = {name: {"A": [], "B": []} for name in caches}
    try:
        configure_django_here(dict(base, CACHE_URL=caches["database cache"]))
        people_file = Path(tempfile.mkdtemp(prefix="sms-bench-people-")) / "people.json"
        people_file.write_text(json.dumps(prepare(arguments.people)))
        for _round in range(arguments.rounds):
            for name, url in caches.items():
                env = dict(base, CACHE_URL=url)
                results[name]["A"].append(
                    one_run(
                        "sms_tool.wsgi:application", env, arguments.port, people_file, arguments
                    )
                )
                env_b = dict(env, SMS_BENCH_URLCONF="_bare_wsgi")
                results[name]["B"].append(
                    one_run(
                        "_bare_wsgi:application",
                        env_b,
                        arguments.port,
                        people_file,
                        arguments,
                        path="/",
                    )  # fmt: skip
                )
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(DATABASE)
    report(results, arguments)


def report(results, arguments):
    print(
        f"Deployed configuration: gunicorn -c gunicorn.conf.py, WEB_CONCURRENCY={WEB_CONCURRENCY} "
        f"sync workers, PostgreSQL, DEBUG off; locust {arguments.people} signed-in people in "
        f"their own process, {arguments.seconds} s a run, {arguments.rounds} round(s) A B"
    )
    for name, sides in results.items():
        for side, label in (("A", "format page"), ("B", "bare view, same login")):
            for run in sides[side]:
                print(
                    f"  {name:<14} {side} {label:<22} {run['rps']:6.1f} req/s  "
                    f"p50 {run['p50_ms']:6.0f} ms  p95 {run['p95_ms']:6.0f} ms  "
                    f"failures {run['failures']}  worker CPU {run['cpu_ms_per_request']:6.2f} ms"
                    f"/request  load {run['load']}"
                )
        pairs = [a["cpu_ms_per_request"] / b["cpu_ms_per_request"]
                 for a, b in zip(sides["A"], sides["B"], strict=True)
                 if b["cpu_ms_per_request"]]  # fmt: skip
        if pairs:
            print(
                f"  {name}: CPU per request A/B pair by pair: median "
                f"{statistics.median(pairs):.1f}x (min {min(pairs):.1f}, max {max(pairs):.1f})"
            )


if __name__ == "__main__":
    main()
