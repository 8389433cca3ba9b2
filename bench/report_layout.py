"""Page count, render time and page images of the report for 3 and 30 organisations.

    .venv/bin/python bench/report_layout.py [--out test-artifacts/report/layout]

The sessions are those of the report tests (tests/sessions/report/builders.py): long
organisation names and an intended outcome for every motive that applies. Each page
is written as PNG (pdftoppm, 50 dpi) so people can look at the cover and the matrix.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

SIZES = (3, 30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="test-artifacts/report/layout")
    parser.add_argument("--language", default="nl")
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import ROOT, setup_django

    setup_django()
    sys.path.insert(0, str(ROOT))
    from django.core.cache import cache
    from pypdf import PdfReader

    from sessions.report.pdf import render_report
    from tests.sessions.report.builders import build_meeting_session

    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        session = build_meeting_session(size)
        cache.clear()
        start = time.perf_counter()
        pdf = render_report(session, language=options.language)
        seconds = time.perf_counter() - start
        path = out / f"report-{size}-{options.language}.pdf"
        path.write_bytes(pdf)
        pages = len(PdfReader(path).pages)
        for old in out.glob(f"report-{size}-{options.language}-*.png"):
            old.unlink()
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "50",
                "-png",
                str(path),
                str(out / f"report-{size}-{options.language}"),
            ],
            check=True,
        )
        print(f"{size:>3} organisations: {pages:>3} pages, {seconds:.2f} s (first render), {path}")


if __name__ == "__main__":
    main()
