"""Benchmark: the format page (a partner fills in the motives) against the same bytes from memory.

    .venv/bin/python bench/format_page.py [--runs 40] [--save-page FILE] [--compare-with FILE]

In a temporary SQLite database (bench/compare.py's ``configure``, DEBUG off), one
session in the preparation phase with a member whose format is not submitted yet
(bench/_setup.py's ``build_session``, every motive answered with a long outcome).
A is that member's GET of the format page; B is a view that returns the very
bytes of that page, kept in memory, behind the same login and middleware (its
URL exists only in this script's URL configuration; bench/_inprocess.py). A and B
alternate (A B A B ...) in one process, so both see the same machine; it prints
wall and CPU medians with their spread (p10-p90), the pairwise ratio A/B against
the goal of 5x, and the load average before and after.

``--save-page`` writes the page; ``--compare-with`` checks the page against one
saved earlier (for example by the code before a speed change): equal modulo the
CSRF token and whitespace between tags, or the first difference (exit status 1).
A benchmark, not a test: otherwise it exits 0 whatever the figures.
"""

import argparse
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _inprocess  # noqa: E402
from compare import configure  # noqa: E402

GOAL_RATIO = 5
WARM_UPS = 5

urlpatterns = []  # filled in main(), once Django is set up


def main(runs, save_page=None, compare_with=None):
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    _inprocess.quiet_request_log()
    from _setup import build_session
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    urlpatterns.extend(_inprocess.urlpatterns_with_ceiling())
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": static,
    }
    load_before = _inprocess.load_average()
    with override_settings(STORAGES=storages, ROOT_URLCONF=__name__):
        session, member = build_session(2, phase="preparation")
        preparation = session.preparations.get(organisation__memberships__person=member)
        preparation.submitted_at = None
        preparation.save()
        client = Client()
        client.force_login(member)
        page = reverse("preparation_detail", args=[session.pk, preparation.pk])
        timings, ratios = _inprocess.interleaved(client, page, runs=runs, warm_ups=WARM_UPS)
    body = _inprocess.PAGE_BYTES["body"]
    assert b'name="save"' in body, "the format is not editable"
    print(
        f"Format page, {runs} interleaved pairs A B after {WARM_UPS} warm-ups "
        f"(in-process, DEBUG off, SQLite, {len(body):,} bytes); load average "
        f"{load_before} before, {_inprocess.load_average()} after"
    )
    _inprocess.print_figures(timings, ratios, label="format page", goal=GOAL_RATIO)
    if save_page:
        Path(save_page).write_bytes(body)
    if compare_with:
        difference = _inprocess.same_page(Path(compare_with).read_bytes(), body)
        print(f"same page as {compare_with} (modulo CSRF token): {difference or 'yes'}")
        return difference is None
    return True


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--save-page", help="write the format page's HTML here (to compare)")
    parser.add_argument("--compare-with", help="a page saved earlier with --save-page")
    arguments = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sms-bench-format-")
    try:
        configure(workdir)
        same = main(arguments.runs, arguments.save_page, arguments.compare_with)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if same else 1)
