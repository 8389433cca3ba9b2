"""A conference hall answers a Quick Scan at the same moment (issue 17).

Answers take only a shared lock on the scan row, so they run side by side; every one
of them is counted. The limit per scan is claimed atomically: of more phones than
places, exactly as many as there are places get through. Closing waits for the
answers in flight and refuses every later one.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sessions.models import QuickScanResponse
from sessions.quickscan import limits, services
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = 24


@pytest.fixture
def scan(db):
    cache.clear()
    carol = factories.UserFactory(email="carol@example.org")
    return factories.QuickScanFactory(title="Zaal", created_by=carol)


def phone_answers(scan, number):
    def act():
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        side = "education" if number % 2 else "practice"
        return client.post(
            reverse("quickscan_join", args=[scan.code]),
            {"side": side, "education_clusters": ["capital"], "practice_clusters": ["societal"]},
        ).status_code

    return act


def test_phones_answering_at_the_same_moment_are_all_counted(scan):
    before = services.live_version(scan)
    outcomes = run_at_once(*(phone_answers(scan, n) for n in range(PHONES)))
    assert [o.error for o in outcomes] == [None] * PHONES
    assert [o.value for o in outcomes] == [302] * PHONES
    assert QuickScanResponse.objects.filter(scan=scan).count() == PHONES
    counts = services.quickscan_counts(scan)
    assert counts.total == PHONES
    by_code = {row.cluster.code: (row.education, row.practice) for row in counts.clusters}
    assert by_code["capital"] == (PHONES, 0)
    assert by_code["societal"] == (0, PHONES)
    assert services.live_version(scan) != before


def test_the_limit_per_scan_lets_exactly_as_many_phones_through_as_it_has_places(scan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", PHONES - 8)
    outcomes = run_at_once(*(phone_answers(scan, n) for n in range(PHONES)))
    statuses = [o.value for o in outcomes]
    assert statuses.count(302) == PHONES - 8
    assert statuses.count(429) == 8
    assert QuickScanResponse.objects.filter(scan=scan).count() == PHONES - 8


def test_closing_during_a_rush_of_answers_keeps_every_answer_that_was_acknowledged(scan):
    carol = scan.created_by
    actions = [phone_answers(scan, n) for n in range(PHONES)]
    actions.append(lambda: services.quickscan_close(scan=scan, by=carol))
    outcomes = run_at_once(*actions)
    assert all(o.error is None for o in outcomes)
    acknowledged = [o.value for o in outcomes[:-1]].count(302)
    closed = [o.value for o in outcomes[:-1]].count(410)
    assert acknowledged + closed == PHONES
    assert QuickScanResponse.objects.filter(scan=scan).count() == acknowledged


def test_revealing_during_a_rush_of_answers_refuses_none_and_counts_every_one(scan):
    """Revealing takes FOR NO KEY UPDATE, answers FOR KEY SHARE: neither waits for the other."""
    scan.hide_results = True
    scan.save()
    carol = scan.created_by
    actions = [phone_answers(scan, n) for n in range(PHONES)]
    actions.append(lambda: services.quickscan_reveal(scan=scan, by=carol))
    outcomes = run_at_once(*actions)
    assert [o.error for o in outcomes] == [None] * (PHONES + 1)
    assert [o.value for o in outcomes[:-1]] == [302] * PHONES
    scan.refresh_from_db()
    assert scan.results_shown
    assert services.quickscan_counts(scan).total == PHONES
