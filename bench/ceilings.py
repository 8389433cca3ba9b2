"""The ceilings this machine allows, measured in the same run as the benchmarks that use them.

    .venv/bin/python bench/ceilings.py [--only bare|weasyprint]     (make bench runs it first)

1. bare: a bare Django view ("ok" behind ``login_required``: the session row and
   the user are looked up, as for the app's pages; every simulated person signs in
   first) under the same gunicorn, settings, middleware, PostgreSQL database and
   client code as bench/load.py (bench/_bare_wsgi.py, never part of the app's URLs). 60 people request it without pause for 10 s:
   requests per second and p50/p95/p99; then one person alone: the round-trip floor.
2. weasyprint: WeasyPrint alone on the 30-organisation report's own HTML (same
   base URL, fetcher and PDF options, the cyclic garbage collector paused, as the
   report has it), interleaved with the app's render of that report (A B A B, in a
   process of its own): medians, CPU seconds and the pairwise ratio. The report can
   never beat this ceiling; a ratio near 1.00 says the app adds little to WeasyPrint,
   not that there is headroom.

Writes the figures, with the time, to sms-ceilings.json in the system's temporary
folder (bench/load.py, bench/report.py and bench/compare.py divide by them) and
prints them. A benchmark, not a test: never run by pytest or CI.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    BARE_SIGN_IN_PATH,
    CEILINGS_FILE,
    DATABASE,
    ROOT,
    Browser,
    Gunicorn,
    drop_database,
    hammer,
    in_own_process,
    load_average,
    recreate_database,
    save_ceilings,
    server_environment,
)

PEOPLE = 60
SECONDS = 10
ALONE_SECONDS = 3
RENDERS = 3
REPORT_ORGANISATIONS = 30


def bare_view():
    """The bare view behind the same login as the app's pages, on a migrated PostgreSQL database."""
    recreate_database(DATABASE)
    env = server_environment()
    try:
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity=0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with Gunicorn("_bare_wsgi:application", env, ready_path=BARE_SIGN_IN_PATH) as server:
            Browser(server.port).request("GET", BARE_SIGN_IN_PATH)  # makes the benchmark user once
            signed = {"sign_in_path": BARE_SIGN_IN_PATH}
            # The simulated people run in a process of their own, not beside this one's threads.
            crowd = in_own_process(
                hammer, server.port, "/", people=PEOPLE, seconds=SECONDS, **signed
            )
            alone = in_own_process(
                hammer, server.port, "/", people=1, seconds=ALONE_SECONDS, **signed
            )
            description = server.description
    finally:
        drop_database(DATABASE)
    return {
        "server": description,
        "people": PEOPLE,
        "seconds": SECONDS,
        **crowd,
        "alone_p50_ms": alone["p50_ms"],
        "alone_p95_ms": alone["p95_ms"],
    }


def render_pairs():
    """In its own process: the 30-organisation report against WeasyPrint on its own HTML, interleaved.

    A is the app's render (``render_report``: the context, the template and WeasyPrint,
    cache cleared); B is WeasyPrint alone on the very HTML A rendered, with the same
    base URL, fetcher and PDF options and the cyclic garbage collector paused as A has
    it. A B A B ...: wall and CPU seconds per render and the pairwise ratios.
    """
    from _setup import build_session, setup_django

    setup_django()
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from sessions.report.gc_pause import cyclic_gc_paused
    from sessions.report.pdf import (
        PDF_OPTIONS,
        STATIC_PREFIX,
        StaticOnlyFetcher,
        render_report,
        report_context,
    )

    session, _member = build_session(REPORT_ORGANISATIONS)
    with translation.override("nl"):
        page = render_to_string("dialogue_sessions/report/report.html", report_context(session))

    def app():
        cache.clear()  # measure the rendering, not the cache
        return render_report(session, language="nl")

    def weasyprint_alone():
        with cyclic_gc_paused():
            document = HTML(string=page, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher())
            return document.render(**PDF_OPTIONS).write_pdf(**PDF_OPTIONS)

    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"A": {"wall": [], "cpu": []}, "B": {"wall": [], "cpu": []}}
    pdf = b""
    for _ in range(RENDERS):
        for name, render in (("A", app), ("B", weasyprint_alone)):
            start, cpu_start = time.perf_counter(), time.process_time()
            pdf = render()
            figures[name]["wall"].append(time.perf_counter() - start)
            figures[name]["cpu"].append(time.process_time() - cpu_start)
    ratios = {
        kind: sorted(a / b for a, b in zip(figures["A"][kind], figures["B"][kind], strict=True))
        for kind in ("wall", "cpu")
    }
    middle = RENDERS // 2
    return {
        "html_bytes": len(page.encode("utf-8")),
        "report_median_s": sorted(figures["A"]["wall"])[middle],
        "report_cpu_s": sorted(figures["A"]["cpu"])[middle],
        "median_s": sorted(figures["B"]["wall"])[middle],
        "cpu_s": sorted(figures["B"]["cpu"])[middle],
        "first_s": figures["B"]["wall"][0],
        "ratio_wall": ratios["wall"][middle],
        "ratio_wall_range": [ratios["wall"][0], ratios["wall"][-1]],
        "ratio_cpu": ratios["cpu"][middle],
        "ratio_cpu_range": [ratios["cpu"][0], ratios["cpu"][-1]],
        "renders": RENDERS,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_mb": baseline_mb,
        "pdf_kb": len(pdf) // 1024,
    }


def child(*arguments):
    output = subprocess.run(
        [sys.executable, __file__, *arguments], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def weasyprint():
    return child("--render")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["bare", "weasyprint"])
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.render:
        print(json.dumps(render_pairs()))
        return

    measured = {"load_average_before": load_average()}
    if arguments.only in (None, "bare"):
        measured["bare"] = bare_view()
    if arguments.only in (None, "weasyprint"):
        measured["weasyprint"] = weasyprint()
    measured["load_average_after"] = load_average()
    measured = save_ceilings(measured)

    print(f"Ceilings of this machine ({measured['measured_at']}, load average "
          f"{measured['load_average_before']} before, {measured['load_average_after']} after)")  # fmt: skip
    if "bare" in measured:
        bare = measured["bare"]
        print(f"bare Django view, {bare['server']}, PostgreSQL settings, DEBUG off")
        print(
            f"  {bare['people']} people without pause for {bare['seconds']} s: "
            f"{bare['rps']:.0f} requests/s, p50 {bare['p50_ms']:.1f} ms, "
            f"p95 {bare['p95_ms']:.1f} ms, p99 {bare['p99_ms']:.1f} ms, errors {bare['errors']}"
        )
        print(
            f"  one person alone: p50 {bare['alone_p50_ms']:.2f} ms, p95 {bare['alone_p95_ms']:.2f} ms"
        )
    if "weasyprint" in measured:
        weasy = measured["weasyprint"]
        print(
            f"WeasyPrint alone on the {REPORT_ORGANISATIONS}-organisation report's own HTML "
            f"({weasy['html_bytes']} bytes, same options), {weasy['renders']} pairs interleaved "
            f"with the app's render: median {weasy['median_s']:.2f} s (CPU {weasy['cpu_s']:.2f} s) "
            f"against the report's {weasy['report_median_s']:.2f} s (CPU {weasy['report_cpu_s']:.2f} s)"
        )
        print(
            f"  report / WeasyPrint alone, pair by pair: wall {weasy['ratio_wall']:.2f} "
            f"({weasy['ratio_wall_range'][0]:.2f}-{weasy['ratio_wall_range'][1]:.2f}), "
            f"CPU {weasy['ratio_cpu']:.2f} "
            f"({weasy['ratio_cpu_range'][0]:.2f}-{weasy['ratio_cpu_range'][1]:.2f}); "
            f"peak {weasy['peak_mb']:.0f} MB, {weasy['pdf_kb']} KB PDF"
        )
    print(f"written to {CEILINGS_FILE}")


if __name__ == "__main__":
    main()
