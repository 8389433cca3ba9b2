"""Render time, peak memory and pages of the PDF report: this tree against a git revision.

    .venv/bin/python bench/report_before_after.py REV [--organisations 30] [--rounds 3]

Exports REV with ``git archive`` into a temporary folder (no worktree is added) and
runs ``bench/report.py --one N`` there and here in turn, A B A B, each in its own
process, so both see the same machine load. Prints the median and the spread of each.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(tree: Path, organisations: int) -> dict:
    output = subprocess.run(
        [sys.executable, str(tree / "bench" / "report.py"), "--one", str(organisations)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("revision")
    parser.add_argument("--organisations", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sms-report-ab-") as folder:
        before = Path(folder)
        archive = subprocess.run(
            ["git", "archive", options.revision], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        results = {"before": [], "after": []}
        for _ in range(options.rounds):
            results["before"].append(run(before, options.organisations))
            results["after"].append(run(ROOT, options.organisations))
    print(f"PDF report, {options.organisations} organisations, {options.rounds} rounds A B A B")
    print(f"{'':8} {'median s':>9} {'spread s':>14} {'CPU s':>6} {'peak MB':>8} {'pages':>6}")
    for label, rows in results.items():
        times = sorted(row["median_s"] for row in rows)
        cpu = sorted(row["cpu_s"] for row in rows)
        print(
            f"{label:8} {times[len(times) // 2]:>9.2f} {times[0]:>6.2f}–{times[-1]:<6.2f} "
            f"{cpu[len(cpu) // 2]:>6.2f} {max(row['peak_mb'] for row in rows):>8.0f} "
            f"{rows[-1]['pages']:>6}"
        )


if __name__ == "__main__":
    main()
