"""Load test: a conference hall answers a Quick Scan (gunicorn + PostgreSQL + Redis).

    .venv/bin/python bench/quickscan_load.py [--phones 1000] [--seconds 60] [--port 8601]
        [--poll 2] [--redis redis://127.0.0.1:6379/2]

In its own PostgreSQL database (``BENCH_DATABASE``, default sms_bench; dropped at the
end) it creates a facilitator and an open Quick Scan, and starts the app under
gunicorn (bench/_server.py: 2 workers x 4 threads, DEBUG off) on 127.0.0.1:PORT with
Django's cache in Redis (the limits and the projector's shared state need a cache
that the workers share). Then a load generator in a separate process (asyncio, one
keep-alive connection and one cookie jar per phone; every phone comes from the same
address 127.0.0.1, as behind a venue's Wi-Fi):

- ``--phones`` phones arrive evenly over ``--seconds`` seconds; each GETs the short
  link, takes 2-5 s to tick, POSTs its answer (side and clusters, with the CSRF token
  of the page) and follows the redirect to its "thank you" page;
- the projector (signed in as the facilitator) polls the results state every
  ``--poll`` seconds with ``?version=``, from before the first phone until after the last.

Afterwards it reads the database: every acknowledged answer (302) must be stored,
and the projector's last HTML must show the same total. It prints errors (5xx,
timeouts, dropped connections), refused (429), counted, p50/p95/max per request kind,
the workers' CPU seconds per phone (from /proc), the load average of the machine, and
the same figures for the same number of requests to a bare view for visitors without
an account, like the phones (bench/_bare_wsgi.py), behind the same server: the ratio
of CPU per request is the price of the app itself.

A benchmark, not a test: never run by pytest or CI. Other programs on the machine
change the figures: note the load average printed with them.
"""

import argparse
import asyncio
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

import _server  # noqa: E402

PASSWORD = "quickscan-load-2026"  # noqa: S105 - a throw-away database
FACILITATOR = "facilitator@load.example.org"
TIMEOUT = 30.0
GOAL_P95 = 1.0
CLUSTERS = ["legitimising", "development", "capital", "societal"]


# --- the load generator (its own process) ---------------------------------------------


class Phone:
    """One browser: a keep-alive connection to 127.0.0.1 and its own cookie jar."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method, path, fields=None, *, retry=True):
        body = urlencode(fields, doseq=True).encode() if fields is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Accept-Language: nl",
            "Connection: keep-alive",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if fields is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
            lines.append(f"Referer: http://127.0.0.1:{self.port}{path}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        start = time.perf_counter()
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(raw)
            await self.writer.drain()
            status, headers, text = await asyncio.wait_for(self._read(), TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, ConnectionError) as error:
            await self.close()
            if retry:  # gunicorn closed an idle keep-alive connection: open a new one
                return await self.request(method, path, fields, retry=False)
            raise error
        seconds = time.perf_counter() - start
        for name, value in headers:
            if name == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
            if name == "connection" and value.lower() == "close":
                await self.close()
        return status, dict(headers), text, seconds

    async def _read(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        first, *rest = head.decode("latin-1").split("\r\n")
        status = int(first.split()[1])
        headers = []
        for line in rest:
            if ":" in line:
                name, value = line.split(":", 1)
                headers.append((name.strip().lower(), value.strip()))
        length = int(dict(headers).get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        return status, headers, data.decode("utf-8", "replace")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def generate(port, code, phones, seconds, poll, scan_pk):
    results = {"requests": [], "errors": [], "phones": [], "projector": []}
    loop = asyncio.get_running_loop()
    begin = loop.time()
    done = asyncio.Event()

    def record(kind, status, secs):
        results["requests"].append([kind, status, round(secs, 5)])

    async def phone(index):
        await asyncio.sleep(seconds * index / phones)
        chance = random.Random(index)
        browser = Phone(port)
        path = f"/q/{code}/"
        outcome = "error"
        try:
            status, _h, text, secs = await browser.request("GET", path)
            record("join GET", status, secs)
            token = CSRF.search(text)
            if status != 200 or not token:
                results["errors"].append(f"join GET {status}")
                return
            await asyncio.sleep(chance.uniform(2, 5))
            fields = {
                "csrfmiddlewaretoken": token.group(1),
                "side": chance.choice(["education", "practice", "other"]),
                "education_clusters": chance.sample(CLUSTERS, chance.randint(0, 4)),
                "practice_clusters": chance.sample(CLUSTERS, chance.randint(0, 4)),
            }
            status, headers, _t, secs = await browser.request("POST", path, fields)
            record("answer POST", status, secs)
            if status == 302:
                outcome = "counted"
                status, _h, _t, secs = await browser.request("GET", headers.get("location", path))
                record("thanks GET", status, secs)
            elif status == 429:
                outcome = "refused"
            else:
                results["errors"].append(f"answer POST {status}")
        except Exception as error:  # noqa: BLE001 - every failure is a figure
            results["errors"].append(f"{type(error).__name__}: {error}")
        finally:
            results["phones"].append(outcome)
            await browser.close()

    async def projector():
        browser = Phone(port)
        page = await browser.request("GET", "/accounts/login/")
        token = CSRF.search(page[2]).group(1)
        await browser.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": FACILITATOR, "password": PASSWORD},
        )
        version = ""
        while True:
            try:
                status, _h, text, secs = await browser.request(
                    "GET", f"/quickscans/{scan_pk}/results/state/?version={version}"
                )
                record("projector poll", status, secs)
                if status == 200:
                    state = json.loads(text)
                    version = str(state["version"])
                    if "html" in state:
                        total = re.search(r'data-total="(\d+)"', state["html"])
                        results["projector"].append(int(total.group(1)) if total else None)
                else:
                    results["errors"].append(f"projector {status}")
            except Exception as error:  # noqa: BLE001
                results["errors"].append(f"projector {type(error).__name__}: {error}")
            if done.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), poll)
        await browser.close()

    watcher = asyncio.create_task(projector())
    await asyncio.gather(*(phone(i) for i in range(phones)))
    results["seconds"] = loop.time() - begin
    await asyncio.sleep(poll)  # one more poll sees the last answers
    done.set()
    await watcher
    return results


async def generate_bare(port, count, seconds):
    """The same number of requests, spread the same way, to the bare view."""
    results = {"requests": [], "errors": []}

    async def one(index):
        await asyncio.sleep(seconds * index / count)
        browser = Phone(port)
        try:
            status, _h, _t, secs = await browser.request("GET", _server.BARE_ANONYMOUS_PATH)
            results["requests"].append(["bare GET", status, round(secs, 5)])
        except Exception as error:  # noqa: BLE001
            results["errors"].append(f"{type(error).__name__}: {error}")
        finally:
            await browser.close()

    await asyncio.gather(*(one(i) for i in range(count)))
    return results


# --- the server side ------------------------------------------------------------------


def prepare_database():
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from partnerships.models import User
    from sessions.models import QUICK_SCAN_CODE_ALPHABET, QuickScan

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    facilitator = User.objects.create(
        email=FACILITATOR, name="Fa Cilitator", password=make_password(PASSWORD), is_staff=True
    )
    scan = QuickScan.objects.create(
        title="Congres", code=QUICK_SCAN_CODE_ALPHABET[:6], created_by=facilitator
    )
    connections.close_all()
    return scan.pk, scan.code


def worker_cpu(master_pid):
    """CPU seconds (user + system) of gunicorn's worker processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_generator(*args):
    """The load generator as its own process; its results come back as JSON."""
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--generate", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise RuntimeError(f"the load generator failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout)


def latency_table(requests):
    kinds = {}
    for kind, _status, secs in requests:
        kinds.setdefault(kind, []).append(secs)
    return {
        kind: {
            "n": len(values),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "max": max(values),
        }
        for kind, values in kinds.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--poll", type=float, default=2)
    parser.add_argument("--port", type=int, default=8601)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--generate", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.generate is not None:
        # One connection per phone: more open files than the default limit of 1,024.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
        mode, *rest = options.generate
        if mode == "app":
            port, code, phones, seconds, poll, scan_pk = rest
            result = asyncio.run(
                generate(int(port), code, int(phones), float(seconds), float(poll), int(scan_pk))
            )
        else:
            port, count, seconds = rest
            result = asyncio.run(generate_bare(int(port), int(count), float(seconds)))
        print(json.dumps(result))
        return

    env = _server.server_environment(SMS_BENCH_REDIS=options.redis)
    _server.recreate_database()
    _server.configure_django_here(env)
    from django.core.cache import cache

    cache.clear()  # Redis db of this benchmark: yesterday's counts must not count
    scan_pk, code = prepare_database()
    ports = iter([options.port, options.port + 1])
    _server.free_port = lambda: next(ports)  # our own port range, not a random one
    load_before = _server.load_average()
    figures = {}
    try:
        with _server.Gunicorn("sms_tool.wsgi:application", env, ready_path=f"/q/{code}/") as app:
            cpu = worker_cpu(app.process.pid)
            result = run_generator(
                "app", app.port, code, options.phones, options.seconds, options.poll, scan_pk
            )
            app_cpu = worker_cpu(app.process.pid) - cpu
            server_errors = app.errors_logged()
        from sessions.models import QuickScanResponse

        stored = QuickScanResponse.objects.filter(scan_id=scan_pk).count()
        requests = len(result["requests"])
        with _server.Gunicorn(
            "_bare_wsgi:application", env, ready_path=_server.BARE_ANONYMOUS_PATH
        ) as bare:
            cpu = worker_cpu(bare.process.pid)
            bare_result = run_generator("bare", bare.port, requests, options.seconds)
            bare_cpu = worker_cpu(bare.process.pid) - cpu
    finally:
        _server.drop_database()
        cache.clear()
    phones = result["phones"]
    statuses = [status for _k, status, _s in result["requests"]]
    figures = {
        "phones": options.phones,
        "seconds": round(result["seconds"], 1),
        "errors": len(result["errors"]) + sum(1 for s in statuses if s >= 500),
        "refused": phones.count("refused"),
        "acknowledged": phones.count("counted"),
        "stored": stored,
        "projector_last_total": result["projector"][-1] if result["projector"] else None,
        "requests": requests,
        "latency": latency_table(result["requests"]),
        "all_p95": percentile([s for _k, _st, s in result["requests"]], 0.95),
        "worker_cpu_s": round(app_cpu, 2),
        "cpu_ms_per_phone": round(1000 * app_cpu / options.phones, 1),
        "cpu_ms_per_request": round(1000 * app_cpu / max(requests, 1), 2),
        "bare_requests": len(bare_result["requests"]),
        "bare_errors": len(bare_result["errors"]),
        "bare_p95": percentile([s for _k, _st, s in bare_result["requests"]], 0.95),
        "bare_cpu_ms_per_request": round(1000 * bare_cpu / max(len(bare_result["requests"]), 1), 2),
        "load_before": load_before,
        "load_after": _server.load_average(),
        "server_errors_logged": server_errors[:5],
        "error_samples": result["errors"][:5],
    }
    figures["cpu_ratio_to_bare"] = round(
        figures["cpu_ms_per_request"] / max(figures["bare_cpu_ms_per_request"], 1e-9), 1
    )
    print(json.dumps(figures, indent=2))
    ok = (
        figures["errors"] == 0
        and figures["refused"] == 0
        and figures["acknowledged"] == figures["stored"] == options.phones
        and figures["all_p95"] < GOAL_P95
    )
    print(
        f"goal (0 errors, 0 refused, all {options.phones} counted, p95 < 1 s):",
        "PASS" if ok else "FAIL",
    )


if __name__ == "__main__":
    main()
