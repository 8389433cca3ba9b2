"""The ceilings this machine allows, measured in the same run as the benchmarks that use them.

    .venv/bin/python bench/ceilings.py [--only bare|weasyprint]     (make bench runs it first)

1. bare: a bare Django view ("ok", no database query) under the same gunicorn,
   settings, middleware and client code as bench/load.py (bench/_bare_wsgi.py,
   never part of the app's URLs). 60 people request it without pause for 10 s:
   requests per second and p50/p95/p99; then one person alone: the round-trip floor.
2. weasyprint: WeasyPrint rendering a static HTML file (plain headings, paragraphs
   and tables) of the same size in bytes as the 30-organisation report's HTML, with
   the report's PDF options and the cyclic garbage collector paused, as the report has it:
   median of 3 renders and peak memory, in a process of its own.

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
    CEILINGS_FILE,
    DATABASE,
    ROOT,
    Gunicorn,
    drop_database,
    hammer,
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
    recreate_database(DATABASE)  # the view never queries it, but the settings point at it
    try:
        with Gunicorn("_bare_wsgi:application", server_environment()) as server:
            crowd = hammer(server.port, "/", people=PEOPLE, seconds=SECONDS)
            alone = hammer(server.port, "/", people=1, seconds=ALONE_SECONDS)
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


def report_html_size():
    """Bytes of the 30-organisation report's HTML (Dutch), as sessions.report renders it."""
    from _setup import build_session, setup_django

    setup_django()
    from django.template.loader import render_to_string
    from django.utils import translation

    from sessions.report.pdf import report_context

    session, _member = build_session(REPORT_ORGANISATIONS)
    with translation.override("nl"):
        page = render_to_string("dialogue_sessions/report/report.html", report_context(session))
    return len(page.encode("utf-8"))


def static_html(size):
    """Plain HTML of exactly ``size`` bytes: headings, paragraphs and tables, no styles or images."""
    head = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Plafond</title></head><body>\n'
    tail = "</body></html>\n"
    sentence = "Beoogde opbrengst: meer stageplekken, betere begeleiding en nieuwe kennis. "
    parts, used, number = [head], len(head) + len(tail), 0
    while True:
        number += 1
        rows = "".join(
            f"<tr><td>Organisatie {row}</td><td>ja</td><td>{sentence}</td></tr>\n"
            for row in range(1, 9)
        )
        block = (
            f"<h2>Onderdeel {number}</h2>\n<p>{sentence * 4}</p>\n"
            f"<table><thead><tr><th>Organisatie</th><th>Van toepassing</th><th>Opbrengst</th>"
            f"</tr></thead><tbody>\n{rows}</tbody></table>\n"
        )
        if used + len(block) > size - 20:
            break
        parts.append(block)
        used += len(block)
    filler = size - used - len("<p></p>\n")
    parts.append("<p>" + ("x" * filler) + "</p>\n")
    parts.append(tail)
    page = "".join(parts)
    assert len(page.encode("utf-8")) == size, (len(page), size)
    return page


def render_static(size):
    """In its own process: render ``static_html(size)`` RENDERS times with the report's options."""
    from weasyprint import HTML

    sys.path.insert(0, str(ROOT))
    from sessions.report.gc_pause import cyclic_gc_paused

    page = static_html(size)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, cpu_times, pdf = [], [], b""
    for _ in range(RENDERS):
        start, cpu_start = time.perf_counter(), time.process_time()
        with cyclic_gc_paused():  # as sessions.report renders
            pdf = HTML(string=page).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return {
        "html_bytes": size,
        "first_s": times[0],
        "median_s": sorted(times)[len(times) // 2],
        "cpu_s": sorted(cpu_times)[len(cpu_times) // 2],
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
    size = child("--report-size")
    return child("--render", str(size))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["bare", "weasyprint"])
    parser.add_argument("--report-size", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.report_size:
        print(json.dumps(report_html_size()))
        return
    if arguments.render:
        print(json.dumps(render_static(arguments.render)))
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
            f"WeasyPrint, static HTML of {weasy['html_bytes']} bytes "
            f"(the {REPORT_ORGANISATIONS}-organisation report's size): median "
            f"{weasy['median_s']:.2f} s of {RENDERS} (first {weasy['first_s']:.2f} s, "
            f"CPU {weasy['cpu_s']:.2f} s), "
            f"peak {weasy['peak_mb']:.0f} MB, {weasy['pdf_kb']} KB PDF"
        )
    print(f"written to {CEILINGS_FILE}")


if __name__ == "__main__":
    main()
