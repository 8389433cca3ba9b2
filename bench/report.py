"""Render time and peak memory of the joint PDF report for 5, 15 and 30 organisations.

    .venv/bin/python bench/report.py

Each size runs in its own process, so its peak memory (max RSS) is its own. Goal on
this machine: 30 organisations under 3 s and 300 MB. Prints the ratio 30/5, and the
ratio to this run's WeasyPrint ceiling (bench/ceilings.py: WeasyPrint alone on the
30-organisation report's own HTML with the same options, interleaved with the app's
render, pair by pair) in wall time and CPU time (steadier when others use the machine).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = (5, 15, 30)
RUNS = 3
GOAL_SECONDS = 3.0
GOAL_MB = 300


def measure(organisations):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import build_session, median, setup_django

    setup_django()
    from django.core.cache import cache

    from sessions.report.pdf import render_report

    session, _member = build_session(organisations)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, cpu_times = [], []
    pages = 0
    for _ in range(RUNS):
        cache.clear()  # measure the rendering, not the cache
        start, cpu_start = time.perf_counter(), time.process_time()
        pdf = render_report(session, language="nl")
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "organisations": organisations,
        "first_s": times[0],
        "median_s": median(times),
        "cpu_s": median(cpu_times),
        "peak_mb": peak_mb,
        "baseline_mb": baseline_mb,
        "kb": len(pdf) // 1024,
        "pages": pages,
    }


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    results = []
    for size in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print("PDF report (WeasyPrint), median of", RUNS, "renders after set-up")
    print(
        f"{'orgs':>5} {'first s':>8} {'median s':>9} {'CPU s':>6} {'peak MB':>8} "
        f"{'before MB':>10} {'KB':>6}"
    )
    for r in results:
        print(
            f"{r['organisations']:>5} {r['first_s']:>8.2f} {r['median_s']:>9.2f} "
            f"{r['cpu_s']:>6.2f} {r['peak_mb']:>8.0f} {r['baseline_mb']:>10.0f} {r['kb']:>6}"
        )
    by_size = {r["organisations"]: r for r in results}
    ratio = by_size[30]["median_s"] / by_size[5]["median_s"]
    print(f"ratio 30/5 (median time): {ratio:.2f}")
    print_ceiling_ratios(by_size[30])
    time_ok = by_size[30]["median_s"] < GOAL_SECONDS
    memory_ok = by_size[30]["peak_mb"] < GOAL_MB
    print(f"goal 30 organisations < {GOAL_SECONDS} s: {'PASS' if time_ok else 'FAIL'}")
    print(f"goal 30 organisations < {GOAL_MB} MB peak: {'PASS' if memory_ok else 'FAIL'}")


def print_ceiling_ratios(largest):
    """This run's ceiling: WeasyPrint alone on the report's own HTML, interleaved (bench/ceilings.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _server import ceilings

    ceiling = ceilings(need=["weasyprint"])["weasyprint"]
    print(
        f"WeasyPrint alone on the {largest['organisations']}-organisation report's own HTML "
        f"({ceiling['html_bytes']} bytes, same options), interleaved with the app's render: "
        f"median {ceiling['median_s']:.2f} s, CPU {ceiling['cpu_s']:.2f} s, "
        f"peak {ceiling['peak_mb']:.0f} MB"
    )
    print(
        f"ratio report / WeasyPrint alone, pair by pair: wall {ceiling['ratio_wall']:.2f}, "
        f"CPU {ceiling['ratio_cpu']:.2f} (1.00 is the ceiling: no headroom below it)"
    )


if __name__ == "__main__":
    main()
