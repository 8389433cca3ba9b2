"""Benchmark: the comparison page's server time for 5, 15 and 30 organisations.

    .venv/bin/python bench/compare.py            (or: make bench)

Builds, in a temporary SQLite database (never the project's db files), one
session in the joint dialogue per size, every motive answered by every
organisation, and requests the comparison page as a signed-in member with
Django's test client: a few warm-ups, then repeated runs. Prints the median time
per size, the SQL queries per request, the ratio 30/5, the ratio to this run's
bare-view ceiling (bench/ceilings.py) and the goals (30 organisations under
150 ms, ratio under 3) with PASS or FAIL. It is a benchmark, not a test: it
exits 0 whatever the figures.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UPS):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(timings), len(queries)


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
    results = {}
    # Static files are not collected here; plain storage gives the same page without a manifest.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": static,
        }
    ):
        for size in SIZES:
            session, member = build_session(size)
            client = Client()
            client.force_login(member)
            path = reverse("session_comparison", args=[session.pk])
            results[size] = measure(client, path)

    print(f"Comparison page, median of {RUNS} runs after {WARM_UPS} warm-ups (DEBUG off, SQLite)")
    print(f"{'organisations':>13}  {'median ms':>9}  {'queries':>7}")
    for size, (median, queries) in results.items():
        print(f"{size:>13}  {median:>9.1f}  {queries:>7}")
    largest = results[SIZES[-1]][0]
    ratio = largest / results[SIZES[0]][0]
    print(f"ratio {SIZES[-1]}/{SIZES[0]}: {ratio:.2f}")
    print(
        f"goal: {SIZES[-1]} organisations under {GOAL_MS} ms: "
        f"{'PASS' if largest < GOAL_MS else 'FAIL'} ({largest:.1f} ms)"
    )
    print(
        f"goal: ratio under {GOAL_RATIO}: {'PASS' if ratio < GOAL_RATIO else 'FAIL'} ({ratio:.2f})"
    )
    print_ceiling_ratio(largest)
    counts = {queries for _median, queries in results.values()}
    print(
        "queries: the same for every size"
        if len(counts) == 1
        else f"queries: differ per size {sorted(counts)}"
    )


def print_ceiling_ratio(largest):
    """The page against a bare Django view under gunicorn (bench/ceilings.py, this run).

    The page is timed in-process, the bare view over local HTTP (its round trip
    includes the HTTP overhead), so the true ratio is somewhat higher than printed.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from _server import ceilings, ratio

    bare = ceilings(need=["bare"])["bare"]
    print(
        f"ratio to the bare-view ceiling ({bare['alone_p50_ms']:.2f} ms per request, one person, "
        f"gunicorn): {SIZES[-1]} organisations = {ratio(largest, bare['alone_p50_ms']):.0f}x"
    )


if __name__ == "__main__":
    workdir = tempfile.mkdtemp(prefix="sms-bench-compare-")
    try:
        configure(workdir)
        main()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0)
