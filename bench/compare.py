"""Benchmark: the comparison page's server time for 5, 15 and 30 organisations.

    .venv/bin/python bench/compare.py            (or: make bench)

Builds, in a temporary SQLite database (never the project's db files), one
session in the joint dialogue per size, every motive answered by every
organisation, and requests the comparison page as a signed-in member with
Django's test client, interleaved with its own bytes served from memory behind
the same login (bench/_inprocess.py): like with like, both in this process, on
the same database, through the same middleware. Prints per size the median and
spread of the page, its CPU time, the pairwise CPU ratio to that ceiling, the SQL
queries per request, the ratio 30/5 and the goals (30 organisations under 150 ms,
ratio under 3) with PASS or FAIL. It is a benchmark, not a test: it exits 0
whatever the figures.
"""

import os
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


def configure(workdir):
    """Environment for a throw-away database, set before Django reads its settings."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sms_tool.settings"
    os.environ["DEBUG"] = "0"  # measure what production runs
    os.environ.setdefault("SECRET_KEY", "bench-compare-only-not-a-real-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")


SIZES = (5, 15, 30)
WARM_UPS = 3
RUNS = 30
GOAL_MS = 150
GOAL_RATIO = 3


def build_session(organisations):
    """A session in the dialogue with ``organisations`` submitted formats; returns it and a member."""
    from django.utils import timezone

    from motives.models import Motive
    from partnerships.models import (
        LearningCommunity,
        Membership,
        Organisation,
        PartnerType,
        Setting,
        User,
    )
    from sessions.models import Answer, DialogueSession, OtherMotive, Phase, Preparation

    community = LearningCommunity.objects.create(
        name=f"Bench LC {organisations}", sector="ICT", setting=Setting.PUBLIC_PRIVATE
    )
    session = DialogueSession.objects.create(
        community=community, title=f"Bench {organisations}", phase=Phase.DIALOGUE
    )
    member = User.objects.create(email=f"member{organisations}@bench.example.org", name="Member")
    motives = list(Motive.objects.active())
    answers, others = [], []
    for number in range(organisations):
        partner_type = PartnerType.EDUCATION if number % 3 == 0 else PartnerType.PRACTICE
        organisation = Organisation.objects.create(
            community=community,
            name=f"Bench {organisations} organisation {number:02}",
            partner_type=partner_type,
        )
        preparation = Preparation.objects.create(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        if number == 0:
            Membership.objects.create(person=member, organisation=organisation)
        for index, motive in enumerate(motives):
            if motive.offered_to(partner_type):
                applies = (number * 7 + index) % 3 != 0
                answers.append(
                    Answer(
                        preparation=preparation,
                        motive=motive,
                        applies=applies,
                        intended_outcome=f"Beoogde opbrengst {number}-{index}" if applies else "",
                    )
                )
        others.append(
            OtherMotive(preparation=preparation, position=1, text=f"Eigen motief {number}")
        )
    Answer.objects.bulk_create(answers)
    OtherMotive.objects.bulk_create(others)
    return session, member


def measure(client, path):
    """The page (A) against its own bytes behind the same login (B), A B A B, in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, ratios = _inprocess.interleaved(client, path, runs=RUNS, warm_ups=WARM_UPS)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return timings, ratios, len(queries)


urlpatterns = []  # the app's URLs and the ceiling's, filled in main() once Django is set up


def main():
    import django

    # whitenoise looks for collected static files, which a benchmark does not need
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    _inprocess.quiet_request_log()
    urlpatterns.extend(_inprocess.urlpatterns_with_ceiling())
    results = {}
    load_before = _inprocess.load_average()
    # Static files are not collected here; plain storage gives the same page without a manifest.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": static,
        },
        ROOT_URLCONF=__name__,
    ):
        for size in SIZES:
            session, member = build_session(size)
            client = Client()
            client.force_login(member)
            path = reverse("session_comparison", args=[session.pk])
            results[size] = measure(client, path)

    print(
        f"Comparison page, {RUNS} interleaved pairs after {WARM_UPS} warm-ups: the page (A) and "
        f"its own bytes from memory behind the same login (B), both in this process "
        f"(DEBUG off, SQLite); load average {load_before} before, "
        f"{_inprocess.load_average()} after"
    )
    print(
        f"{'organisations':>13}  {'median ms':>9}  {'p10-p90':>11}  {'CPU ms':>6}  "
        f"{'A/B CPU':>7}  {'p10-p90':>9}  {'queries':>7}"
    )
    medians = {}
    for size, (timings, ratios, queries) in results.items():
        wall, cpu = timings["A"]["wall"], timings["A"]["cpu"]
        low, high = _inprocess.spread(wall)
        r_low, r_high = _inprocess.spread(ratios["cpu"])
        medians[size] = statistics.median(wall)
        print(
            f"{size:>13}  {medians[size]:>9.1f}  {low:>5.1f}-{high:<5.1f}  "
            f"{statistics.median(cpu):>6.1f}  {statistics.median(ratios['cpu']):>6.1f}x  "
            f"{r_low:>4.1f}-{r_high:<4.1f}  {queries:>7}"
        )
    largest = medians[SIZES[-1]]
    ratio = largest / medians[SIZES[0]]
    print(f"ratio {SIZES[-1]}/{SIZES[0]} (median wall): {ratio:.2f}")
    print(
        f"goal: {SIZES[-1]} organisations under {GOAL_MS} ms: "
        f"{'PASS' if largest < GOAL_MS else 'FAIL'} ({largest:.1f} ms)"
    )
    print(
        f"goal: ratio under {GOAL_RATIO}: {'PASS' if ratio < GOAL_RATIO else 'FAIL'} ({ratio:.2f})"
    )
    counts = {queries for _timings, _ratios, queries in results.values()}
    print(
        "queries: the same for every size"
        if len(counts) == 1
        else f"queries: differ per size {sorted(counts)}"
    )


if __name__ == "__main__":
    workdir = tempfile.mkdtemp(prefix="sms-bench-compare-")
    try:
        configure(workdir)
        main()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0)
