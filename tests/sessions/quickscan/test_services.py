"""Quick Scans through the services: starting one, answering from phones, closing, counting."""

import hashlib
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from motives.models import Cluster
from partnerships.groups import COORDINATORS_GROUP
from sessions.charts.quickscan import quickscan_chart
from sessions.charts.svg import EDUCATION_FILL
from sessions.models import (
    QUICK_SCAN_CODE_ALPHABET,
    QUICK_SCAN_CODE_LENGTH,
    QUICK_SCAN_TITLE_MAX_LENGTH,
    QuickScan,
    QuickScanResponse,
)
from sessions.policy import people
from sessions.quickscan import services as quickscan
from sessions.quickscan.services import QuickScanClosed
from sms_tool.errors import DomainError
from tests import factories

CLUSTERS = ["legitimising", "development", "capital", "societal"]


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in their English source, whatever the Dutch translation says."""
    translation.activate("en")


@pytest.fixture
def carol(session):
    return session.people["carol"]


@pytest.fixture
def scan(carol):
    return quickscan.quickscan_create(by=carol, title="Workshop MWO-congres")


def respond(scan, browser, side="education", education=(), practice=()):
    return quickscan.quickscan_respond(
        scan=scan,
        browser_key=browser,
        side=side,
        education_clusters=list(education),
        practice_clusters=list(practice),
    )


def counts_by_code(scan):
    counts = quickscan.quickscan_counts(scan)
    return {row.cluster.code: (row.education, row.practice) for row in counts.clusters}


# --- who may start one ------------------------------------------------------------


@pytest.mark.parametrize("name", ["carol", "dave"])
def test_facilitators_and_coordinators_may_run_quick_scans(session, name):
    assert people.can_run_quick_scans(session.people[name])


@pytest.mark.parametrize("name", ["alice", "bob", "mallory"])
def test_partners_and_outsiders_may_not_run_quick_scans(session, name):
    assert not people.can_run_quick_scans(session.people[name])


def test_someone_in_the_coordinators_group_may_run_quick_scans(db):
    person = factories.UserFactory()
    person.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    assert people.can_run_quick_scans(person)


def test_a_deactivated_facilitator_may_not_run_quick_scans(session, carol):
    carol.is_active = False
    carol.save()
    assert not people.can_run_quick_scans(carol)


def test_only_the_owner_and_staff_manage_a_scan(session, scan, carol):
    staff = factories.UserFactory(is_staff=True)
    assert people.can_manage_quick_scan(carol, scan)
    assert people.can_manage_quick_scan(staff, scan)
    assert not people.can_manage_quick_scan(session.people["dave"], scan)
    assert not people.can_manage_quick_scan(session.people["mallory"], scan)


# --- starting one -------------------------------------------------------------------


def test_a_facilitator_starts_an_open_scan_with_a_short_unambiguous_code(scan, carol):
    assert scan.title == "Workshop MWO-congres"
    assert scan.created_by == carol
    assert scan.is_open
    assert len(scan.code) == QUICK_SCAN_CODE_LENGTH
    assert set(scan.code) <= set(QUICK_SCAN_CODE_ALPHABET)
    assert not set(scan.code) & set("0O1IL")


def test_the_title_is_trimmed_and_required(carol):
    assert quickscan.quickscan_create(by=carol, title="  Ronde 2  ").title == "Ronde 2"
    with pytest.raises(DomainError, match="title") as refused:
        quickscan.quickscan_create(by=carol, title="   ")
    assert refused.value.field == "title"


def test_a_too_long_title_is_refused_with_its_length(carol):
    with pytest.raises(DomainError, match="at most 200 characters, now 201"):
        quickscan.quickscan_create(by=carol, title="x" * (QUICK_SCAN_TITLE_MAX_LENGTH + 1))


def test_someone_who_facilitates_nothing_cannot_start_a_scan(session):
    with pytest.raises(DomainError, match="Only facilitators and coordinators"):
        quickscan.quickscan_create(by=session.people["alice"], title="Mijn scan")
    assert not QuickScan.objects.exists()


def test_a_code_that_is_taken_is_drawn_again(carol, scan, monkeypatch):
    codes = iter([scan.code, "ABCDEF"])
    monkeypatch.setattr(quickscan, "new_code", lambda: next(codes))
    assert quickscan.quickscan_create(by=carol, title="Tweede").code == "ABCDEF"


def test_codes_are_read_without_regard_to_case_or_spaces():
    assert quickscan.normalise_code(" abc7xy ") == "ABC7XY"


@pytest.mark.parametrize("code", ["", "ABC0XY", "ABCDEFGHJ", "AB\x00C", "ABCDÉF"])
def test_what_cannot_be_a_code_is_not_looked_up(code):
    assert not quickscan.looks_like_a_code(code)


def test_every_new_code_looks_like_a_code():
    assert all(quickscan.looks_like_a_code(quickscan.new_code()) for _i in range(200))


# --- answering --------------------------------------------------------------------


def test_a_phone_answers_and_only_a_hash_of_its_browser_id_is_stored(scan):
    response, created = respond(scan, "phone-1", "practice", ["capital"], ["societal"])
    assert created
    assert response.side == "practice"
    assert response.education_clusters == ["capital"]
    assert response.practice_clusters == ["societal"]
    assert response.browser_key == hashlib.sha256(f"{scan.pk}:phone-1".encode()).hexdigest()
    assert "phone-1" not in response.browser_key


def test_the_same_browser_changes_its_answer_instead_of_adding_one(scan):
    respond(scan, "phone-1", "education", ["capital"])
    response, created = respond(scan, "phone-1", "other", ["societal"], ["capital"])
    assert not created
    assert QuickScanResponse.objects.filter(scan=scan).count() == 1
    response.refresh_from_db()
    assert (response.side, response.education_clusters) == ("other", ["societal"])


def test_one_browser_gets_a_different_key_in_each_scan(scan, carol):
    other = quickscan.quickscan_create(by=carol, title="Andere workshop")
    first, _created = respond(scan, "phone-1")
    second, _created = respond(other, "phone-1")
    assert first.browser_key != second.browser_key


def test_every_answer_changes_the_version_the_projector_polls_without_touching_the_scan_row(
    scan, django_capture_on_commit_callbacks
):
    seen = {quickscan.live_version(scan)}
    for side in ("education", "practice"):
        with django_capture_on_commit_callbacks(execute=True):
            respond(scan, "phone-1", side)
        seen.add(quickscan.live_version(scan))
    assert len(seen) == 3
    assert QuickScan.objects.get(pk=scan.pk).version == scan.version  # no write on the scan


def test_a_lost_cache_gives_a_new_version_so_the_projector_reloads_once(scan):
    from django.core.cache import cache

    before = quickscan.live_version(scan)
    assert quickscan.live_version(scan) == before  # stable while nothing changes
    cache.clear()
    assert quickscan.live_version(scan) != before


def test_clusters_are_stored_once_each_in_catalogue_order(scan):
    response, _created = respond(
        scan, "phone-1", education=["societal", "legitimising", "societal"]
    )
    assert response.education_clusters == ["legitimising", "societal"]


def test_an_unknown_cluster_is_refused_and_nothing_is_saved(scan):
    with pytest.raises(DomainError, match="“finance” is not one of the clusters") as refused:
        respond(scan, "phone-1", education=["capital", "finance"])
    assert refused.value.field == "education_clusters"
    assert not scan.responses.exists()


def test_a_side_is_required(scan):
    with pytest.raises(DomainError, match="Say which side you are from") as refused:
        respond(scan, "phone-1", side="")
    assert refused.value.field == "side"


def test_an_answer_needs_a_browser_id(scan):
    with pytest.raises(ValueError, match="browser key"):
        respond(scan, "")


def test_a_closed_scan_refuses_answers_and_changes_and_keeps_its_counts(scan, carol):
    respond(scan, "phone-1", "education", ["capital"])
    quickscan.quickscan_close(scan=scan, by=carol)
    with pytest.raises(QuickScanClosed, match="closed"):
        respond(scan, "phone-2", "practice", ["capital"])
    with pytest.raises(QuickScanClosed):
        respond(scan, "phone-1", "practice", [])
    assert counts_by_code(scan)["capital"] == (1, 0)
    assert scan.responses.get().side == "education"


def test_a_closed_scan_refuses_even_when_the_caller_holds_an_old_copy(scan, carol):
    stale = QuickScan.objects.get(pk=scan.pk)
    quickscan.quickscan_close(scan=scan, by=carol)
    with pytest.raises(QuickScanClosed):
        respond(stale, "phone-1")


# --- closing ----------------------------------------------------------------------


def test_the_owner_closes_the_scan_and_the_projector_sees_a_new_version(scan, carol):
    before = scan.version
    quickscan.quickscan_close(scan=scan, by=carol)
    scan.refresh_from_db()
    assert scan.closed_at is not None
    assert scan.version == before + 1


def test_staff_may_close_someone_elses_scan(scan):
    quickscan.quickscan_close(scan=scan, by=factories.UserFactory(is_staff=True))
    scan.refresh_from_db()
    assert not scan.is_open


def test_nobody_else_may_close_it(session, scan):
    with pytest.raises(DomainError, match="Only the person who started"):
        quickscan.quickscan_close(scan=scan, by=session.people["dave"])
    scan.refresh_from_db()
    assert scan.is_open


def test_closing_twice_says_it_was_already_closed(scan, carol):
    quickscan.quickscan_close(scan=scan, by=carol)
    with pytest.raises(DomainError, match="already closed"):
        quickscan.quickscan_close(scan=scan, by=carol)


# --- counting -----------------------------------------------------------------------


def test_three_phones_are_counted_per_cluster_per_side_and_per_participant_side(scan):
    respond(scan, "phone-1", "education", ["development", "capital"], ["capital"])
    respond(scan, "phone-2", "practice", ["development"], ["capital", "societal"])
    respond(scan, "phone-3", "practice", [], ["capital"])
    respond(scan, "phone-3", "other", ["legitimising"], ["capital"])  # changed its mind
    counts = quickscan.quickscan_counts(scan)
    assert counts.total == 3
    assert [row.cluster.code for row in counts.clusters] == CLUSTERS
    assert counts_by_code(scan) == {
        "legitimising": (1, 0),
        "development": (2, 0),
        "capital": (1, 3),
        "societal": (0, 1),
    }
    assert [(side.side, side.count) for side in counts.sides] == [
        ("education", 1),
        ("practice", 1),
        ("other", 1),
    ]


def test_a_scan_without_answers_counts_zero_everywhere(scan):
    counts = quickscan.quickscan_counts(scan)
    assert counts.total == 0
    assert {(row.education, row.practice) for row in counts.clusters} == {(0, 0)}


def test_counting_takes_two_queries_for_3_and_for_60_answers(scan):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            quickscan.quickscan_counts(scan)
        return len(captured)

    for number in range(3):
        respond(scan, f"phone-{number}", education=["capital"])
    few = queries()
    for number in range(3, 60):
        respond(scan, f"phone-{number}", practice=["capital"])
    assert few == queries() == 2


def test_the_csv_has_a_row_per_answer_with_0_or_1_per_side_and_cluster(scan):
    respond(scan, "phone-1", "education", ["development", "capital"], ["capital"])
    respond(scan, "phone-2", "practice", [], ["societal"])
    header, *rows = list(quickscan.quickscan_csv_rows(scan))
    assert header == [
        "side",
        *(f"education_{code}" for code in CLUSTERS),
        *(f"practice_{code}" for code in CLUSTERS),
        *(f"open_{code}" for code in CLUSTERS),
        "submitted_at",
        "updated_at",
    ]
    assert [row[:9] for row in rows] == [
        ["education", 0, 1, 1, 0, 0, 0, 1, 0],
        ["practice", 0, 0, 0, 0, 0, 0, 0, 1],
    ]
    assert all(row[13].startswith("20") and "T" in row[13] for row in rows)


def test_the_csv_holds_nothing_that_identifies_a_browser(scan):
    response, _created = respond(scan, "phone-1")
    text = repr(list(quickscan.quickscan_csv_rows(scan)))
    assert response.browser_key not in text
    assert "phone-1" not in text


def test_the_sheet_offers_each_cluster_with_its_active_motives(db):
    clusters = quickscan.clusters_in_order()
    assert [cluster.code for cluster in clusters] == CLUSTERS
    capital = clusters[2]
    assert "capital.network" in [motive.code for motive in capital.active_motives]


# --- the picture --------------------------------------------------------------------


def test_the_chart_is_a_labelled_image_with_a_count_per_side_per_cluster(scan):
    respond(scan, "phone-1", "education", ["capital"], ["capital", "societal"])
    respond(scan, "phone-2", "practice", [], ["capital"])
    svg = str(quickscan_chart(quickscan.quickscan_counts(scan)))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Which clusters play a role, per side"
    assert "2 participants" in root.find(f"{ns}desc").text
    text = " ".join(root.itertext())
    assert "Education" in text and "Practice partner(s)" in text
    assert "1 (50%)" in text  # capital, education side
    assert "2 (100%)" in text  # capital, practice side


def test_the_chart_escapes_cluster_labels(scan):
    Cluster.objects.filter(code="capital").update(label_en='Capital <b>&</b> "more"')
    svg = str(quickscan_chart(quickscan.quickscan_counts(scan)))
    ET.fromstring(svg)  # still well-formed
    assert "<b>" not in svg
    assert "Capital &lt;b&gt;&amp;&lt;/b&gt;" in svg


def test_the_chart_without_answers_shows_zeros_and_only_the_legend_swatches(scan):
    root = ET.fromstring(str(quickscan_chart(quickscan.quickscan_counts(scan))))
    ns = "{http://www.w3.org/2000/svg}"
    fills = [rect.get("fill") for rect in root.iter(f"{ns}rect")]
    assert fills.count(EDUCATION_FILL) == 1
    assert fills.count("url(#qs-chart-hatch)") == 1
    assert "0 participants" in root.find(f"{ns}desc").text
