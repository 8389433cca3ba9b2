"""Quick Scan features that participants and facilitators of such tools expect (issue 17).

The seed's wording, an open answer per cluster shown as a word cloud, results hidden
until revealed, the cross-tab of education and practice respondents, a learning
community that leads into a session, and the CSV/XLSX download while the scan is open.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from sessions.charts.wordcloud import CHAR_WIDTH, MIN_SIZE, word_cloud, word_counts
from sessions.models import (
    QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH,
    DialogueSession,
    Phase,
    QuickScan,
    QuickScanResponse,
)
from sessions.quickscan import limits, services
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()


@pytest.fixture
def no_cooldown(monkeypatch):
    monkeypatch.setattr(limits, "SAVE_COOLDOWN_SECONDS", 0)


@pytest.fixture
def dave(session):
    """Coordinator of the session's learning community."""
    return session.people["dave"]


@pytest.fixture
def scan(dave, session):
    return services.quickscan_create(
        by=dave, title="Werkconferentie", community=session.community, hide_results=True
    )


def respond(scan, browser, side="education", education=(), practice=(), open_answers=None):
    return services.quickscan_respond(
        scan=scan,
        browser_key=browser,
        side=side,
        education_clusters=list(education),
        practice_clusters=list(practice),
        open_answers=open_answers,
    )


def phone():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(person, language="en"):
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def join_url(scan):
    return reverse("quickscan_join", args=[scan.code])


# --- the seed's wording ------------------------------------------------------------------


def test_the_sheet_asks_the_seeds_question_with_its_two_columns_in_dutch(scan):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(join_url(scan)).content.decode()
    assert (
        "Welke motieven spelen in jouw praktijk een rol om organisatie overstijgend samen te "
        "werken?" in page
    )
    assert ">Onderwijs</legend>" in page and ">Werkveldpartner(s)</legend>" in page


def test_the_sheet_uses_the_english_equivalents(scan):
    page = phone().get(join_url(scan)).content.decode()
    assert "Which motives play a role in your practice" in page
    assert ">Education</legend>" in page and ">Practice partner(s)</legend>" in page


# --- open answers --------------------------------------------------------------------------


def test_open_answers_are_kept_per_cluster_trimmed_and_empty_ones_left_out(scan):
    response, _created = respond(
        scan, "phone-1", open_answers={"capital": "  netwerk   uitbreiden ", "societal": "  "}
    )
    assert response.open_answers == {"capital": "netwerk uitbreiden"}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"capital": "x" * (QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH + 1)}, "too long"),
        ({"capital": "net\x00werk"}, "NUL"),
        ({"unknown": "iets"}, "not one of the clusters"),
    ],
)
def test_a_bad_open_answer_is_refused_and_nothing_is_saved(scan, answers, message):
    with pytest.raises(DomainError, match=message):
        respond(scan, "phone-1", open_answers=answers)
    assert not QuickScanResponse.objects.exists()


def test_a_phone_gives_an_open_answer_and_gets_it_back_to_change(scan):
    client = phone()
    data = {"side": "practice", "practice_clusters": ["capital"], "open_capital": "Nieuw talent"}
    assert client.post(join_url(scan), data).status_code == 302
    page = client.get(join_url(scan)).content.decode()
    assert 'value="Nieuw talent"' in page
    assert QuickScanResponse.objects.get().open_answers == {"capital": "Nieuw talent"}


def test_a_too_long_open_answer_comes_back_as_typed_with_a_message(scan):
    typed = "lang " * 60
    response = phone().post(join_url(scan), {"side": "education", "open_capital": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "please shorten your answer" in page
    assert typed.strip() in page
    assert not QuickScanResponse.objects.exists()


def test_a_nul_in_an_open_answer_gets_a_message_not_a_server_error(scan):
    response = phone().post(join_url(scan), {"side": "education", "open_capital": "a\x00b"})
    assert response.status_code == 200
    assert "NUL character" in response.content.decode()
    assert not QuickScanResponse.objects.exists()


def test_word_counts_leave_out_stop_words_and_keep_the_most_frequent_first():
    texts = ["Het netwerk uitbreiden", "netwerk en talent", "talent voor de NETWERK", "zo"]
    assert word_counts(texts) == [("netwerk", 3), ("talent", 2), ("uitbreiden", 1)]
    assert len(word_counts([f"woord{n}" for n in range(50)] + ["extra"], top=20)) == 20


def test_the_word_cloud_is_a_labelled_image_that_escapes_every_word():
    picture = word_cloud(
        word_counts(["<script>alert(1) netwerk netwerk netwerk"]), prefix="c", label="<b>"
    )
    root = ET.fromstring(str(picture))  # well-formed: everything was escaped
    assert root.get("role") == "img"
    assert "<script>" not in str(picture) and "&lt;b&gt;" in str(picture)
    sizes = {
        t.text: float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")
    }
    assert sizes["netwerk"] > sizes["script"]  # sized by count


# --- hidden until revealed -----------------------------------------------------------------


def test_a_hidden_scan_shows_results_follow_to_the_projector_and_the_phone(scan, dave):
    client = phone()
    client.post(join_url(scan), {"side": "education", "education_clusters": ["capital"]})
    assert "Results follow" in client.get(join_url(scan)).content.decode()
    projector = signed_in(dave).get(reverse("quickscan_results", args=[scan.pk]))
    page = projector.content.decode()
    assert "Results follow" in page and "1 response" in page
    assert (
        'id="qs-crosstab"' not in page
        and "<svg" not in page.split('id="qs-live"')[1].split("qs-live-share")[0]
    )
    for view in ("sides", "words"):
        text = (
            signed_in(dave)
            .get(reverse("quickscan_results", args=[scan.pk]), {"view": view})
            .content.decode()
        )
        assert "Results follow" in text
        assert 'id="qs-crosstab"' not in text and "qs-cloud" not in text.split('id="qs-live"')[1]


def test_revealing_shows_the_results_on_the_projectors_next_poll(scan, dave):
    respond(scan, "phone-1", education=["capital"])
    facilitator = signed_in(dave)
    state_url = reverse("quickscan_results_state", args=[scan.pk])
    before = facilitator.get(state_url).json()
    assert before["shown"] is False and "Results follow" in before["html"]
    response = facilitator.post(reverse("quickscan_reveal", args=[scan.pk]))
    assert response.status_code == 302
    after = facilitator.get(state_url, {"version": before["version"]}).json()
    assert after["version"] != before["version"] and after["shown"] is True
    assert "Results follow" not in after["html"] and "Which clusters play a role" in after["html"]
    sides = facilitator.get(state_url, {"version": before["version"], "view": "sides"}).json()
    assert 'id="qs-crosstab"' in sides["html"]
    participant = phone()
    participant.post(join_url(scan), {"side": "practice"})
    assert "on the screen in the room" in participant.get(join_url(scan)).content.decode()


def test_revealing_twice_or_by_someone_else_is_refused(scan, dave, session):
    with pytest.raises(DomainError):
        services.quickscan_reveal(scan=scan, by=session.people["carol"])
    services.quickscan_reveal(scan=scan, by=dave)
    with pytest.raises(DomainError, match="already"):
        services.quickscan_reveal(scan=scan, by=dave)
    assert (
        signed_in(session.people["carol"])
        .post(reverse("quickscan_reveal", args=[scan.pk]))
        .status_code
        == 404
    )


def test_reveal_takes_a_post_only(scan, dave):
    assert signed_in(dave).get(reverse("quickscan_reveal", args=[scan.pk])).status_code == 405
    scan.refresh_from_db()
    assert scan.revealed_at is None


# --- the cross-tab and the word clouds on the projector --------------------------------------


def test_the_cross_tab_gives_the_share_per_group_with_n_per_column(scan, dave):
    respond(scan, "e1", "education", education=["capital", "development"], practice=["capital"])
    respond(scan, "e2", "education", education=["capital"])
    respond(scan, "p1", "practice", education=["development"], practice=["capital", "societal"])
    respond(scan, "o1", "other", education=["capital"], practice=["capital"])
    counts = services.quickscan_counts(scan)
    assert (counts.education_respondents, counts.practice_respondents) == (2, 1)
    capital = next(row for row in counts.cross_tab if row.cluster.code == "capital")
    assert [cell.percent for cell in capital.cells] == [100, 0, 50, 100]
    legitimising = counts.cross_tab[0]
    assert [cell.percent for cell in legitimising.cells] == [0, 0, 0, 0]
    services.quickscan_reveal(scan=scan, by=dave)
    url = reverse("quickscan_results", args=[scan.pk])
    page = signed_in(dave).get(url, {"view": "sides"}).content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    assert "by education (n = 2)" in text and "by practice (n = 1)" in text


def test_a_group_without_respondents_shows_a_dash_not_zero_percent(scan):
    respond(scan, "e1", "education", education=["capital"])
    counts = services.quickscan_counts(scan)
    assert counts.cross_tab[2].education_by_practice.percent is None


def test_open_answers_appear_as_word_clouds_with_a_word_list_and_escaped(scan, dave):
    respond(scan, "e1", open_answers={"capital": "netwerk <img src=x onerror=alert(1)>"})
    respond(scan, "e2", open_answers={"capital": "netwerk uitbreiden"})
    services.quickscan_reveal(scan=scan, by=dave)
    url = reverse("quickscan_results", args=[scan.pk])
    page = signed_in(dave).get(url, {"view": "words"}).content.decode()
    assert 'id="qs-cloud-capital-heading"' in page
    assert re.search(r"<li>netwerk <span[^>]*>\(2\)</span></li>", page)
    assert "<img src=x" not in page
    assert 'id="qs-cloud-societal-heading"' not in page  # no open answers there


# --- a learning community, and a session from the scan -------------------------------------


def test_a_scan_may_belong_to_a_community_its_owner_coordinates(dave, session):
    client = signed_in(dave)
    page = client.get(reverse("quickscan_create")).content.decode()
    assert session.community.name in page
    response = client.post(
        reverse("quickscan_create"),
        {"title": "LC-avond", "community": session.community.pk, "hide_results": "on"},
    )
    scan = QuickScan.objects.get(title="LC-avond")
    assert response.status_code == 302
    assert scan.community == session.community and scan.hide_results


def test_another_communitys_id_is_refused_with_a_message(dave):
    theirs = factories.LearningCommunityFactory(name="Andere LC")
    theirs.coordinators.add(factories.UserFactory())
    client = signed_in(dave)
    page = client.get(reverse("quickscan_create")).content.decode()
    assert "Andere LC" not in page
    response = client.post(reverse("quickscan_create"), {"title": "X", "community": theirs.pk})
    assert response.status_code == 200
    assert "Choose a learning community you coordinate" in response.content.decode()
    assert not QuickScan.objects.exists()
    with pytest.raises(DomainError, match="coordinate"):
        services.quickscan_create(by=dave, title="X", community=theirs)


def test_a_session_started_from_the_scan_is_prefilled_and_links_back(scan, dave, session):
    client = signed_in(dave)
    detail = client.get(reverse("quickscan_detail", args=[scan.pk])).content.decode()
    assert "Start a session from this scan" in detail
    url = reverse("quickscan_start_session", args=[scan.pk])
    page = client.get(url).content.decode()
    assert 'value="Werkconferentie"' in page
    assert page.count("checked") >= 2  # both organisations of the community
    data = {
        "title": "Sessie na de werkconferentie",
        "organisations": [session.education.pk, session.practice.pk],
        "facilitators": [dave.pk],
    }
    response = client.post(url, data)
    created = DialogueSession.objects.get(title="Sessie na de werkconferentie")
    assert response.status_code == 302 and response.url == reverse(
        "session_detail", args=[created.pk]
    )
    assert created.community == session.community and created.phase == Phase.DRAFT
    assert created.preparations.count() == 2
    scan.refresh_from_db()
    assert scan.session == created
    session_page = client.get(response.url).content.decode()
    assert reverse("quickscan_results", args=[scan.pk]) in session_page
    again = client.post(url, data)
    assert again.status_code == 200
    assert DialogueSession.objects.filter(title=data["title"]).count() == 1


def test_a_session_needs_a_coordinator_of_the_scans_community(scan, session):
    carol = session.people["carol"]  # facilitates, does not coordinate
    own = services.quickscan_create(by=carol, title="Eigen scan")
    assert (
        signed_in(carol).get(reverse("quickscan_start_session", args=[own.pk])).status_code == 404
    )  # no community
    with pytest.raises(DomainError):
        services.quickscan_start_session(
            scan=scan, by=carol, title="X", date=None, organisations=[], facilitators=[]
        )


def test_a_session_from_a_scan_goes_through_the_lifecycle_rules(scan, dave, session):
    with pytest.raises(DomainError, match="at least 2"):
        services.quickscan_start_session(
            scan=scan,
            by=dave,
            title="X",
            date=None,
            organisations=[session.education],
            facilitators=[],
        )
    scan.refresh_from_db()
    assert scan.session is None


# --- the download while open ---------------------------------------------------------------


def test_csv_and_xlsx_download_while_open_are_formula_safe_and_audited(scan, dave):
    respond(scan, "e1", education=["capital"], open_answers={"capital": "=HYPERLINK(1)"})
    client = signed_in(dave)
    as_csv = client.get(reverse("quickscan_csv", args=[scan.pk]))
    header, row = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert row[header.index("open_capital")] == "'=HYPERLINK(1)"
    as_xlsx = client.get(reverse("quickscan_xlsx", args=[scan.pk]))
    assert as_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert rows[1][rows[0].index("open_capital")] == "'=HYPERLINK(1)"
    assert rows[1][rows[0].index("education_capital")] == 1
    kinds = sorted(
        event.detail.get("kind")
        for event in AuditEvent.objects.filter(action=Action.DOWNLOAD, actor=dave)
    )
    assert kinds == ["csv", "xlsx"]


def test_only_the_owner_downloads(scan, session):
    carol = signed_in(session.people["carol"])
    assert carol.get(reverse("quickscan_xlsx", args=[scan.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()


# --- the participant's page stays cheap -------------------------------------------------------


def _queries(callback):
    with CaptureQueriesContext(connection) as captured:
        callback()
    return len(captured)


def test_the_participant_page_costs_the_same_queries_with_5_or_50_answers(scan, no_cooldown):
    """Reading the sheet: the scan, this browser's answer, the clusters and their motives.
    Saving a new answer adds the limit checks and one upsert: nothing grows with the room."""
    client = phone()
    client.get(join_url(scan))
    phone().post(join_url(scan), {"side": "practice"})  # the participant count is in the cache

    def new_phone_answers():
        newcomer = phone()
        newcomer.get(join_url(scan))
        return _queries(
            lambda: newcomer.post(join_url(scan), {"side": "education", "open_capital": "netwerk"})
        )

    for number in range(5):
        respond(scan, f"phone-{number}", education=["capital"], open_answers={"capital": "x y z"})
    few_get, few_post = _queries(lambda: client.get(join_url(scan))), new_phone_answers()
    for number in range(5, 50):
        respond(scan, f"phone-{number}", education=["capital"], open_answers={"capital": "x y z"})
    many_get, many_post = _queries(lambda: client.get(join_url(scan))), new_phone_answers()
    assert few_get == many_get == 4
    assert few_post == many_post <= 14


def test_a_very_long_word_is_shortened_to_fit_the_cloud():
    picture = str(
        word_cloud([("donaudampfschifffahrt" * 10, 3), ("kort", 1)], prefix="c", label="x")
    )
    root = ET.fromstring(picture)
    texts = [
        (t.text, float(t.get("font-size"))) for t in root.iter("{http://www.w3.org/2000/svg}text")
    ]
    (long_word, size), *rest = texts
    # cut only at the smallest size, to the width of the picture
    assert long_word.endswith("…") and size == MIN_SIZE
    assert len(long_word) * size * CHAR_WIDTH <= float(root.get("width"))
    assert "kort" in [text for text, _size in rest]


def test_a_long_dutch_word_is_drawn_whole_and_smaller_instead_of_cut():
    words = [
        ("praktijkgericht", 31),
        ("stagiairs", 30),
        ("samenwerkingsverband", 29),
        ("doorstroommogelijkheden", 20),  # sized to fill the line exactly
        ("kort", 1),
    ]
    root = ET.fromstring(str(word_cloud(words, prefix="c", label="x")))
    texts = {
        t.text: float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")
    }
    assert {"praktijkgericht", "samenwerkingsverband", "doorstroommogelijkheden"} <= texts.keys()
    assert not any(text.endswith("…") for text in texts)
    # the short frequent word keeps its large size; the long one shrinks to fit the width,
    # still larger than a word named once
    assert texts["stagiairs"] > texts["samenwerkingsverband"] > texts["kort"]
    width = float(root.get("width"))
    for word in ("praktijkgericht", "samenwerkingsverband", "doorstroommogelijkheden"):
        assert len(word) * texts[word] * CHAR_WIDTH <= width


def test_a_second_session_from_the_same_scan_is_refused_by_the_service(scan, dave, session):
    def start():
        return services.quickscan_start_session(
            scan=scan,
            by=dave,
            title="Sessie",
            date=None,
            organisations=[session.education, session.practice],
            facilitators=[],
        )

    start()
    with pytest.raises(DomainError, match="already"):
        start()
    assert DialogueSession.objects.filter(title="Sessie").count() == 1


def test_an_owner_who_no_longer_coordinates_the_community_cannot_start_a_session(
    scan, dave, session
):
    session.community.coordinators.remove(dave)
    url = reverse("quickscan_start_session", args=[scan.pk])
    assert signed_in(dave).get(url).status_code == 404
    page = signed_in(dave).get(reverse("quickscan_detail", args=[scan.pk])).content.decode()
    assert "Start a session from this scan" not in page


def test_the_catalogue_chosen_when_starting_a_session_from_the_scan_is_kept(scan, dave, session):
    client = signed_in(dave)
    url = reverse("quickscan_start_session", args=[scan.pk])
    assert 'name="catalogue"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Compacte sessie na de scan",
            "organisations": [session.education.pk, session.practice.pk],
            "facilitators": [dave.pk],
            "catalogue": "compact",
        },
    )
    assert response.status_code == 302
    assert DialogueSession.objects.get(title="Compacte sessie na de scan").catalogue == "compact"
