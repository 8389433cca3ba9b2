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

In the same rounds (A B C D ...), two parts of A's work on their own, to show where the
time goes: C is the access check (``access.preparation_for``) and then B's bytes; D is
the page's template rendered from a context built once (``views.form_context``), so
only the template, its context processors and its own queries run; D's page is A's
page. C + D - B is what A would cost if reading the format and building the form cost
nothing.

``--save-page`` writes the page; ``--compare-with`` checks the page against one
saved earlier (for example by the code before a speed change): equal modulo the
CSRF token and whitespace between tags, or the first difference (exit status 1).
A benchmark, not a test: otherwise it exits 0 whatever the figures.
"""

import argparse
import shutil
import statistics
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
FORM_CONTEXT = {}  # views.form_context's answer for the page, built once in main()


def _part_views():
    """C and D (see the module's docstring), behind the same login as A and B."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import path

    from sessions.policy.access import preparation_for
    from sessions.preparation.views import FORM_TEMPLATE

    @login_required
    def access_only(request, session_pk, pk):
        preparation_for(request.user, session_pk, pk)
        return HttpResponse(_inprocess.PAGE_BYTES["body"], content_type="text/html; charset=utf-8")

    @login_required
    def template_only(request):
        return render(request, FORM_TEMPLATE, FORM_CONTEXT)

    return [
        path("bench-access/<int:session_pk>/<int:pk>/", access_only),
        path("bench-template/", template_only),
    ]


def _build_form_context(member, session_pk, pk):
    from django.test import RequestFactory

    from sessions.policy.access import preparation_for
    from sessions.preparation import services, views

    request = RequestFactory().get("/")
    request.user = member
    session, roles, preparation = preparation_for(member, session_pk, pk)
    form = views.stored_form(preparation, services.offered_motives(preparation))
    FORM_CONTEXT.update(views.form_context(request, session, preparation, form, roles=roles))


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
    urlpatterns.extend([*_part_views(), *_inprocess.urlpatterns_with_ceiling()])
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
        _build_form_context(member, session.pk, preparation.pk)
        parts = {"C": f"/bench-access/{session.pk}/{preparation.pk}/", "D": "/bench-template/"}
        template_page = client.get(parts["D"]).content
        timings, ratios = _inprocess.interleaved(
            client, page, runs=runs, warm_ups=WARM_UPS, parts=parts
        )
    body = _inprocess.PAGE_BYTES["body"]
    assert b'name="save"' in body, "the format is not editable"
    # D's page is A's, but for its own address in the language switch's "next".
    template_page = template_page.replace(parts["D"].encode(), page.encode())
    difference = _inprocess.same_page(body, template_page)
    assert difference is None, f"D does not show A's page: {difference}"
    print(
        f"Format page, {runs} interleaved rounds A B C D after {WARM_UPS} warm-ups "
        f"(in-process, DEBUG off, SQLite, {len(body):,} bytes); load average "
        f"{load_before} before, {_inprocess.load_average()} after"
    )
    _inprocess.print_figures(timings, ratios, label="format page", goal=GOAL_RATIO)
    _print_parts(timings)
    if save_page:
        Path(save_page).write_bytes(body)
    if compare_with:
        difference = _inprocess.same_page(Path(compare_with).read_bytes(), body)
        print(f"same page as {compare_with} (modulo CSRF token): {difference or 'yes'}")
        return difference is None
    return True


def _print_parts(timings):
    """C and D against B, and the floor C + D - B, from the medians of CPU time."""
    median = {name: statistics.median(values["cpu"]) for name, values in timings.items()}
    ceiling = median["B"]
    access, template = median["C"] - ceiling, median["D"] - ceiling
    floor = median["C"] + median["D"] - ceiling
    print(
        f"parts (cpu medians): C access check + B {median['C']:.2f} ms (access alone "
        f"{access:.2f} ms); D template from a ready context + B {median['D']:.2f} ms "
        f"(template alone {template:.2f} ms)"
    )
    print(
        f"floor C + D - B, reading the format and building the form for free: "
        f"{floor:.2f} ms, {floor / ceiling:.1f}x the ceiling; the rest of A: "
        f"{median['A'] - floor:.2f} ms"
    )


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
