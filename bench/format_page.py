"""Benchmark: the format page (a partner fills in the motives) against the same bytes from memory.

    .venv/bin/python bench/format_page.py [--runs 40]

In a temporary SQLite database (bench/compare.py's ``configure``, DEBUG off), one
session in the preparation phase with a member whose format is not submitted yet
(bench/_setup.py's ``build_session``, every motive answered with a long outcome).
A is that member's GET of the format page; B is a view that returns the very
bytes of that page, kept in memory, behind the same login and middleware (its
URL exists only in this script's URL configuration). A and B alternate (A B A B
...) so that both see the same machine; the script prints the median and the
spread (p10-p90) of each and the ratio of the medians, against the goal of 5x.
A benchmark, not a test: it exits 0 whatever the figures.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from compare import configure  # noqa: E402

GOAL_RATIO = 5
WARM_UPS = 5
CEILING_PATH = "bench-ceiling/"

PAGE_BYTES = {"body": b""}


def ceiling(request):
    """The format page's bytes, served from memory behind the same login."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    @login_required
    def view(request):
        return HttpResponse(PAGE_BYTES["body"], content_type="text/html; charset=utf-8")

    return view(request)


def urlpatterns_with_ceiling():
    from django.urls import path

    from sms_tool import urls

    return [path(CEILING_PATH, ceiling), *urls.urlpatterns]


urlpatterns = []  # filled in main(), once Django is set up


def spread(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 10], ordered[(len(ordered) * 9) // 10]


def main(runs, save_page=None):
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from _setup import build_session
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    urlpatterns.extend(urlpatterns_with_ceiling())
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": static,
    }
    with override_settings(STORAGES=storages, ROOT_URLCONF=__name__):
        session, member = build_session(2, phase="preparation")
        preparation = session.preparations.get(organisation__memberships__person=member)
        preparation.submitted_at = None
        preparation.save()
        client = Client()
        client.force_login(member)
        page = reverse("preparation_detail", args=[session.pk, preparation.pk])
        first = client.get(page)
        assert first.status_code == 200, first.status_code
        assert b'name="save"' in first.content, "the format is not editable"
        PAGE_BYTES["body"] = first.content
        if save_page:
            Path(save_page).write_bytes(first.content)
        paths = {"A": page, "B": "/" + CEILING_PATH}
        for _ in range(WARM_UPS):
            for path in paths.values():
                client.get(path)
        timings = {"A": [], "B": []}
        for _ in range(runs):
            for name, path in paths.items():
                start = time.perf_counter()
                response = client.get(path)
                timings[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    ratio = medians["A"] / medians["B"]
    print(
        f"Format page, {runs} interleaved runs A B after {WARM_UPS} warm-ups "
        f"(DEBUG off, SQLite, {len(PAGE_BYTES['body']):,} bytes)"
    )
    for name, label in (("A", "format page"), ("B", "same bytes from memory, same login")):
        low, high = spread(timings[name])
        print(f"  {name} {label:<36} median {medians[name]:7.2f} ms  p10-p90 {low:.2f}-{high:.2f}")
    print(
        f"ratio A/B: {ratio:.1f}x; goal under {GOAL_RATIO}x: {'PASS' if ratio < GOAL_RATIO else 'FAIL'}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--save-page", help="write the format page's HTML here (to compare)")
    arguments = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sms-bench-format-")
    try:
        configure(workdir)
        main(arguments.runs, arguments.save_page)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0)
