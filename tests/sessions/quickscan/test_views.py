"""Quick Scan pages: the facilitator's list, link, QR code, projector, CSV and closing;
the participant's sheet on the short link, without an account.
"""

import csv
import io
import re

import pytest
import segno
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sessions.models import QuickScan, QuickScanResponse
from sessions.quickscan import limits, services, views
from sms_tool.errors import DomainError
from tests import factories

OWNER_PAGES = [
    "quickscan_detail",
    "quickscan_results",
    "quickscan_results_state",
    "quickscan_close",
    "quickscan_delete",
    "quickscan_csv",
]


@pytest.fixture(autouse=True)
def fresh_limits():
    """The flood limits live in the cache; every test starts without earlier answers."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_cooldown(monkeypatch):
    """Saves within a second of each other, as a test client makes them."""
    monkeypatch.setattr(limits, "SAVE_COOLDOWN_SECONDS", 0)


@pytest.fixture
def scan(session):
    return factories.QuickScanFactory(
        title="Workshop MWO-congres", created_by=session.people["carol"]
    )


def phone():
    """A separate browser with its own cookies, reading pages in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def join_url(scan):
    return reverse("quickscan_join", args=[scan.code])


def answer(client, scan, side="education", education=(), practice=(), **request):
    data = {
        "side": side,
        "education_clusters": list(education),
        "practice_clusters": list(practice),
    }
    return client.post(join_url(scan), data, **request)


def counts_by_code(scan):
    counts = services.quickscan_counts(scan)
    return {row.cluster.code: (row.education, row.practice) for row in counts.clusters}


def checked(page, side):
    """The cluster codes ticked on the sheet for one side."""
    return set(re.findall(rf'value="([a-z]+)"\s+id="qs-{side}-[a-z]+"[^>]*checked', page))


def chosen_side(page):
    found = re.findall(r'name="side" value="([a-z]+)"[^>]*checked', page)
    return found[0] if len(found) == 1 else found


def body(response):
    return response.content.decode()


# --- the participant's sheet ----------------------------------------------------------


def test_the_short_link_shows_the_sheet_without_an_account(scan):
    response = phone().get(join_url(scan))
    page = body(response)
    assert response.status_code == 200
    assert "Workshop MWO-congres" in page
    assert "I am from" in page
    assert "Education" in page and "Practice partner(s)" in page
    for cluster in ("legitimising", "development", "capital", "societal"):
        assert f'id="qs-education-{cluster}"' in page
        assert f'id="qs-practice-{cluster}"' in page
    assert "Motives in this cluster" in page
    assert "Expanding/strengthening the network" in page  # a motive of the capital cluster
    assert 'name="csrfmiddlewaretoken"' in page


def test_each_side_lists_the_motives_the_catalogue_offers_that_side(scan):
    page = body(phone().get(join_url(scan)))
    education, practice = page.split('id="qs-practice"')
    assert "Professional development of teachers" in education
    assert "Professional development of teachers" not in practice
    assert "Professional development of our staff" in practice
    assert "Professional development of our staff" not in education


def test_each_cluster_has_a_short_explanation_next_to_its_box(scan):
    page = body(phone().get(join_url(scan)))
    assert re.search(
        r'id="qs-education-capital-help">Social capital \(the network\), innovative capacity',
        page,
    )
    assert "A company, care institution, school board or other workplace" in page


def test_the_code_in_the_link_may_be_typed_in_lower_case(scan):
    assert phone().get(f"/q/{scan.code.lower()}/").status_code == 200


def test_three_phones_answer_one_changes_its_mind_and_the_counts_are_right(scan, no_cooldown):
    first, second, third = phone(), phone(), phone()
    assert (
        answer(first, scan, "education", ["development", "capital"], ["capital"]).status_code == 302
    )
    assert (
        answer(second, scan, "practice", ["development"], ["capital", "societal"]).status_code
        == 302
    )
    assert answer(third, scan, "practice", [], ["capital"]).status_code == 302
    assert answer(third, scan, "other", ["legitimising"], ["capital"]).status_code == 302
    assert QuickScanResponse.objects.filter(scan=scan).count() == 3
    assert counts_by_code(scan) == {
        "legitimising": (1, 0),
        "development": (2, 0),
        "capital": (1, 3),
        "societal": (0, 1),
    }


def test_after_saving_the_phone_thanks_and_shows_the_saved_choices(scan):
    client = phone()
    response = answer(client, scan, "practice", ["capital"], ["development", "societal"])
    assert response.status_code == 302
    assert response["Location"] == join_url(scan)
    page = body(client.get(join_url(scan)))
    assert "Thank you, your answer has been saved." in page
    assert "You can change your answer until the Quick Scan closes" in page
    assert chosen_side(page) == "practice"
    assert checked(page, "education") == {"capital"}
    assert checked(page, "practice") == {"development", "societal"}
    assert "Save my changed answer" in page


def test_a_new_visitor_sees_no_thanks_and_nothing_ticked(scan):
    page = body(phone().get(join_url(scan)))
    assert "Thank you" not in page
    assert chosen_side(page) == []
    assert checked(page, "education") == checked(page, "practice") == set()


def test_the_browser_cookie_is_signed_http_only_and_same_site_lax(scan):
    response = answer(phone(), scan, "education", ["capital"])
    cookie = response.cookies[limits.COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert ":" in cookie.value  # value:signature
    stored = QuickScanResponse.objects.get(scan=scan).browser_key
    assert cookie.value.split(":")[0] not in stored


def test_without_a_side_the_answer_is_refused_with_a_clear_message_and_the_ticks_are_kept(scan):
    response = answer(phone(), scan, "", ["capital", "societal"], ["development"])
    page = body(response)
    assert response.status_code == 200
    assert "Your answer was not saved yet:" in page
    assert "Say which side you are from: education, practice or other." in page
    assert checked(page, "education") == {"capital", "societal"}
    assert checked(page, "practice") == {"development"}
    assert not scan.responses.exists()


def test_an_unknown_cluster_is_refused_and_nothing_is_saved(scan):
    response = answer(phone(), scan, "education", ["capital", "finance"])
    assert response.status_code == 200
    assert "Tick only clusters from the list." in body(response)
    assert not scan.responses.exists()


def test_a_tampered_cookie_counts_as_a_new_browser_and_cannot_overwrite_another_answer(
    scan, no_cooldown
):
    owner = phone()
    answer(owner, scan, "education", ["capital"], ["capital"])
    genuine = owner.cookies[limits.COOKIE_NAME].value
    value, _colon, signature = genuine.partition(":")
    forger = phone()
    forger.cookies[limits.COOKIE_NAME] = f"{value}:{signature[:-2]}xx"
    assert answer(forger, scan, "practice", [], ["societal"]).status_code == 302
    assert scan.responses.count() == 2
    assert counts_by_code(scan)["capital"] == (1, 1)
    assert forger.cookies[limits.COOKIE_NAME].value != genuine


def test_a_cookie_signed_for_something_else_is_not_accepted_either(scan):
    forger = phone()
    forger.cookies[limits.COOKIE_NAME] = "plain-value-without-signature"
    assert "Thank you" not in body(forger.get(join_url(scan)))


def test_a_signed_in_person_answers_the_same_way(sign_in, scan):
    client = sign_in("alice")
    assert answer(client, scan, "education", ["capital"]).status_code == 302
    assert scan.responses.count() == 1


# --- closed and unknown scans ---------------------------------------------------------


def test_a_closed_scan_says_so_with_410_and_no_form(scan):
    services.quickscan_close(scan=scan, by=scan.created_by)
    response = phone().get(join_url(scan))
    page = body(response)
    assert response.status_code == 410
    assert "This Quick Scan is closed" in page
    assert "Workshop MWO-congres" in page
    assert '<form method="post" novalidate' not in page
    assert 'name="side"' not in page


def test_an_answer_sent_after_closing_is_refused_and_the_counts_stay(scan, no_cooldown):
    client = phone()
    answer(client, scan, "education", ["capital"])
    services.quickscan_close(scan=scan, by=scan.created_by)
    response = answer(client, scan, "practice", ["societal"], ["societal"])
    assert response.status_code == 410
    assert "This Quick Scan is closed" in body(response)
    assert answer(phone(), scan, "practice", ["societal"]).status_code == 410
    assert counts_by_code(scan) == {
        "legitimising": (0, 0),
        "development": (0, 0),
        "capital": (1, 0),
        "societal": (0, 0),
    }


def test_an_unknown_code_gives_a_clear_404_page_in_the_sites_style(db):
    response = phone().get("/q/ZZZZZZ/")
    page = body(response)
    assert response.status_code == 404
    assert "Quick Scan not found" in page
    assert "No Quick Scan has the code “ZZZZZZ”." in page
    assert "SMS-tool" in page  # the site's header
    assert 'name="side"' not in page


@pytest.mark.parametrize("code", ["%00ABC", "ABCDEFGHJK", "A-B", "%C3%A9"])
def test_codes_that_cannot_exist_get_the_same_404_page(db, code):
    response = phone().get(f"/q/{code}/")
    assert response.status_code == 404
    assert "Quick Scan not found" in body(response)


def test_the_404_page_escapes_what_was_typed(db):
    page = body(phone().get("/q/%3Cb%3Ex/"))
    assert "<b>x" not in page
    assert "&lt;b&gt;x" in page


# --- limits against flooding --------------------------------------------------------


def test_a_venue_behind_one_address_is_not_refused(scan, no_cooldown):
    """Everyone in a conference hall shares the venue's address: 200 phones all count."""
    for number in range(200):
        assert answer(phone(), scan, "education", ["capital"]).status_code == 302, number
    assert scan.responses.count() == 200


def test_a_full_scan_refuses_new_browsers_with_429_and_keeps_the_ticks(
    scan, no_cooldown, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", 2)
    assert answer(phone(), scan, "education", ["capital"]).status_code == 302
    assert answer(phone(), scan, "education", ["capital"]).status_code == 302
    response = answer(phone(), scan, "practice", ["societal"], ["development"])
    page = body(response)
    assert response.status_code == 429
    assert "reached its largest number of participants" in page
    assert checked(page, "education") == {"societal"}
    assert checked(page, "practice") == {"development"}
    assert chosen_side(page) == "practice"
    assert scan.responses.count() == 2


def test_a_script_that_throws_its_cookie_away_is_stopped_at_the_scan_limit(
    scan, no_cooldown, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", 50)
    statuses = [answer(phone(), scan, "education").status_code for _ in range(80)]
    assert statuses.count(302) == 50 and statuses.count(429) == 30
    assert scan.responses.count() == 50


def test_the_scan_limit_holds_per_scan(scan, session, no_cooldown, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", 1)
    other = factories.QuickScanFactory(created_by=session.people["carol"])
    assert answer(phone(), scan, "education").status_code == 302
    assert answer(phone(), other, "education").status_code == 302
    assert answer(phone(), scan, "education").status_code == 429


def test_the_scan_limit_starts_from_the_database_when_the_cache_lost_its_count(
    scan, no_cooldown, monkeypatch
):
    from django.core.cache import cache

    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", 2)
    assert answer(phone(), scan, "education").status_code == 302
    assert answer(phone(), scan, "education").status_code == 302
    cache.clear()
    assert answer(phone(), scan, "education").status_code == 429
    assert scan.responses.count() == 2


def test_a_browser_that_already_answered_may_still_change_its_answer_when_the_scan_is_full(
    scan, no_cooldown, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_PARTICIPANTS_PER_SCAN", 1)
    client = phone()
    assert answer(client, scan, "education", ["capital"]).status_code == 302
    assert answer(client, scan, "practice", ["societal"]).status_code == 302
    assert scan.responses.get().side == "practice"


def test_a_browser_that_saves_in_a_loop_is_stopped(scan, no_cooldown, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SAVES_PER_BROWSER", 3)
    client = phone()
    for _ in range(3):
        assert answer(client, scan, "education", ["capital"]).status_code == 302
    response = answer(client, scan, "practice", ["societal"])
    assert response.status_code == 429
    assert "saved its answer very often" in body(response)
    assert scan.responses.get().side == "education"


def test_saving_again_within_a_second_gets_429_and_keeps_the_answer_and_the_ticks(scan):
    client = phone()
    assert answer(client, scan, "education", ["capital"]).status_code == 302
    response = answer(client, scan, "practice", ["societal"])
    page = body(response)
    assert response.status_code == 429
    assert "Your answer was saved a moment ago." in page
    assert checked(page, "education") == {"societal"}
    assert scan.responses.get().education_clusters == ["capital"]


# --- the facilitator's pages: who gets in ------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "mallory"])
@pytest.mark.parametrize("page", OWNER_PAGES)
def test_only_the_owner_opens_a_scans_pages_others_get_404(sign_in, scan, name, page):
    assert sign_in(name).get(reverse(page, args=[scan.pk])).status_code == 404


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "mallory"])
@pytest.mark.parametrize("view", ["overview", "sides", "words"])
def test_no_view_of_the_projector_opens_for_someone_else(sign_in, scan, name, view, no_cooldown):
    answer(phone(), scan, "education", ["capital"])
    client = sign_in(name)
    for page in ("quickscan_results", "quickscan_results_state"):
        response = client.get(reverse(page, args=[scan.pk]), {"view": view, "version": "x"})
        assert response.status_code == 404, (page, view)


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_the_owner_opens_every_page_of_the_scan(sign_in, scan, page):
    assert sign_in("carol").get(reverse(page, args=[scan.pk])).status_code == 200


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_staff_open_every_page_of_someone_elses_scan(client, scan, page):
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(reverse(page, args=[scan.pk])).status_code == 200


@pytest.mark.parametrize("page", OWNER_PAGES + ["quickscan_list", "quickscan_create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, scan, page):
    args = [] if page in ("quickscan_list", "quickscan_create") else [scan.pk]
    response = client.get(reverse(page, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_scan_id_is_404_for_its_would_be_owner(sign_in, scan):
    assert (
        sign_in("carol").get(reverse("quickscan_detail", args=[scan.pk + 100])).status_code == 404
    )


@pytest.mark.parametrize("name", ["alice", "mallory"])
def test_people_who_run_nothing_may_not_list_or_start_scans(sign_in, name):
    client = sign_in(name)
    assert client.get(reverse("quickscan_list")).status_code == 403
    assert client.get(reverse("quickscan_create")).status_code == 403
    assert client.post(reverse("quickscan_create"), {"title": "Stiekem"}).status_code == 403
    assert not QuickScan.objects.exists()


def test_the_navigation_shows_quick_scans_to_facilitators_only(sign_in):
    link = f'href="{reverse("quickscan_list")}"'
    assert link in body(sign_in("carol").get(reverse("home")))
    assert link not in body(sign_in("alice").get(reverse("home")))


# --- list and start ---------------------------------------------------------------------


def test_a_facilitator_without_scans_sees_the_empty_state(sign_in):
    page = body(sign_in("carol").get(reverse("quickscan_list")))
    assert "You have not started a Quick Scan yet." in page
    assert "New Quick Scan" in page


def test_the_list_shows_only_ones_own_scans_with_their_answers(sign_in, scan, session):
    factories.QuickScanResponseFactory(scan=scan)
    factories.QuickScanFactory(title="Van iemand anders", created_by=session.people["dave"])
    page = body(sign_in("carol").get(reverse("quickscan_list")))
    assert "Workshop MWO-congres" in page
    assert "1 response" in page
    assert "Van iemand anders" not in page


def test_the_list_is_paginated(sign_in, session):
    for number in range(views.PAGE_SIZE + 1):
        factories.QuickScanFactory(title=f"Scan {number:02d}", created_by=session.people["carol"])
    client = sign_in("carol")
    first = body(client.get(reverse("quickscan_list")))
    assert "Page 1 of 2" in first
    assert "Scan 20" in first and "Scan 00" not in first
    assert "Scan 00" in body(client.get(reverse("quickscan_list") + "?page=2"))


def test_a_facilitator_starts_a_scan_and_lands_on_its_link(sign_in, session):
    response = sign_in("carol").post(reverse("quickscan_create"), {"title": "Ronde 2"}, follow=True)
    scan = QuickScan.objects.get()
    assert scan.created_by == session.people["carol"]
    assert response.redirect_chain[-1][0] == reverse("quickscan_detail", args=[scan.pk])
    assert "Quick Scan “Ronde 2” started." in body(response)


def test_a_coordinator_may_start_one_too(sign_in):
    assert (
        sign_in("dave").post(reverse("quickscan_create"), {"title": "LC-overleg"}).status_code
        == 302
    )


def test_an_empty_title_is_refused_with_a_message(sign_in):
    response = sign_in("carol").post(reverse("quickscan_create"), {"title": "  "})
    assert response.status_code == 200
    assert "Give the Quick Scan a title." in body(response)
    assert not QuickScan.objects.exists()


def test_a_post_without_any_field_says_the_title_is_missing(sign_in):
    response = sign_in("carol").post(reverse("quickscan_create"), {})
    assert "Give the Quick Scan a title." in body(response)


def test_a_too_long_title_comes_back_as_typed(sign_in):
    title = "Lange titel " * 20
    response = sign_in("carol").post(reverse("quickscan_create"), {"title": title})
    assert response.status_code == 200
    assert "at most 200 characters" in body(response)
    assert title.strip() in body(response)


# --- the scan's page: short link and QR code ----------------------------------------------


def test_the_scan_page_shows_the_short_link_and_a_qr_code_of_that_link(sign_in, scan):
    page = body(sign_in("carol").get(reverse("quickscan_detail", args=[scan.pk])))
    link = f"http://testserver/q/{scan.code}/"
    assert f'<a href="{link}">testserver/q/{scan.code}/</a>' in page
    svg = re.search(r"<svg role=\"img\" .*?</svg>", page, re.S).group(0)
    assert f"<title>QR code for {link}</title>" in svg
    expected = segno.make(link, error="m").svg_inline(scale=1, omitsize=True, lineclass="x")
    path = re.search(r' d="([^"]+)"/></svg>', expected).group(1)
    assert path in svg  # the very modules of a QR code of that link
    assert "0 responses" in page


def test_the_scan_title_is_escaped_and_kept_out_of_the_qr_code(sign_in, session):
    scan = factories.QuickScanFactory(
        title="<script>x</script>", created_by=session.people["carol"]
    )
    page = body(sign_in("carol").get(reverse("quickscan_detail", args=[scan.pk])))
    assert "<script>x</script>" not in page
    svg = re.search(r"<svg role=\"img\" .*?</svg>", page, re.S).group(0)
    assert "script" not in svg


def test_a_closed_scan_page_says_it_is_closed_and_offers_no_close_button(sign_in, scan):
    services.quickscan_close(scan=scan, by=scan.created_by)
    page = body(sign_in("carol").get(reverse("quickscan_detail", args=[scan.pk])))
    assert "Closed" in page
    assert reverse("quickscan_close", args=[scan.pk]) not in page


# --- the projector and its polled state ------------------------------------------------


def test_the_projector_shows_the_chart_the_counts_and_the_link_while_open(
    sign_in, scan, no_cooldown
):
    answer(phone(), scan, "education", ["capital"], ["capital"])
    answer(phone(), scan, "practice", [], ["capital"])
    page = body(sign_in("carol").get(reverse("quickscan_results", args=[scan.pk])))
    assert 'data-total="2"' in page
    assert "2 responses" in page
    assert 'role="img"' in page and "Which clusters play a role, per side" in page
    assert "1 (50%)" in page and "2 (100%)" in page
    assert "Open: answers are coming in" in page
    assert f"/q/{scan.code}/" in page
    assert 'src="/static/js/quickscan-live.js"' in page
    assert 'data-poll-seconds="3"' in page


def _live_part(page):
    """The polled part of the projector page (what changes with the answers)."""
    return page.split('id="qs-live"', 1)[1].split('id="qs-status"', 1)[0]


def test_the_projector_shows_one_view_at_a_time_each_with_its_own_part(sign_in, scan, no_cooldown):
    data = {"side": "education", "education_clusters": ["capital"], "open_capital": "netwerk delen"}
    phone().post(join_url(scan), data)
    client = sign_in("carol")
    url = reverse("quickscan_results", args=[scan.pk])
    overview, sides, words = (
        body(client.get(url, {"view": view})) for view in ("overview", "sides", "words")
    )
    # The overview: the chart and the QR code to take part, nothing of the other views.
    assert "Which clusters play a role, per side" in _live_part(overview)
    assert "qs-live-share" in overview and f"/q/{scan.code}/" in overview
    assert 'id="qs-crosstab"' not in overview and "qs-cloud" not in _live_part(overview)
    # The two sides: the counts and the cross-tab, without the chart or the QR code.
    assert 'id="qs-counts"' in sides and 'id="qs-crosstab"' in sides
    assert "Which clusters play a role" not in _live_part(sides)
    assert "qs-live-share" not in sides
    # The words: the clouds only.
    assert 'id="qs-cloud-capital-heading"' in words and 'id="qs-crosstab"' not in words
    assert "qs-live-share" not in words
    # Without ?view= (or with one that does not exist) the projector opens on the overview.
    assert body(client.get(url)).count('aria-current="page"') == 1
    for page in (body(client.get(url)), body(client.get(url, {"view": "<b>"}))):
        assert 'aria-current="page">1. Overview' in page and 'id="qs-crosstab"' not in page


def test_the_views_are_linked_in_order_and_the_arrows_go_to_the_neighbours(sign_in, scan):
    client = sign_in("carol")
    url = reverse("quickscan_results", args=[scan.pk])
    pages = {view: body(client.get(url, {"view": view})) for view in ("overview", "sides", "words")}
    for page in pages.values():
        links = re.findall(r'<ol class="qs-view-list">(.*?)</ol>', page, re.S)[0]
        assert re.findall(r'href="([^"]+)"', links) == [
            f"{url}?view=overview",
            f"{url}?view=sides",
            f"{url}?view=words",
        ]
    assert 'id="qs-prev"' not in pages["overview"]
    assert f'id="qs-next" href="{url}?view=sides"' in pages["overview"]
    assert f'id="qs-prev" href="{url}?view=overview"' in pages["sides"]
    assert f'id="qs-next" href="{url}?view=words"' in pages["sides"]
    assert f'id="qs-prev" href="{url}?view=sides"' in pages["words"]
    assert 'id="qs-next"' not in pages["words"]
    assert 'data-view="sides"' in pages["sides"]


def test_the_words_view_without_open_answers_says_where_the_words_come_from(sign_in, scan):
    answer(phone(), scan, "education", ["capital"])
    page = body(
        sign_in("carol").get(reverse("quickscan_results", args=[scan.pk]), {"view": "words"})
    )
    assert 'id="qs-no-words"' in page and "No open answers yet" in page


def test_the_polled_state_sends_the_view_on_the_screen(sign_in, scan, no_cooldown):
    data = {"side": "practice", "practice_clusters": ["societal"], "open_societal": "buurt"}
    phone().post(join_url(scan), data)
    client = sign_in("carol")
    url = reverse("quickscan_results_state", args=[scan.pk])
    overview = client.get(url, {"version": "old"}).json()["html"]
    sides = client.get(url, {"version": "old", "view": "sides"}).json()["html"]
    words = client.get(url, {"version": "old", "view": "words"}).json()["html"]
    assert "Which clusters play a role" in overview and 'id="qs-crosstab"' not in overview
    assert 'id="qs-crosstab"' in sides and "qs-cloud" not in sides
    assert 'id="qs-cloud-societal-heading"' in words and 'id="qs-crosstab"' not in words


def test_the_polled_state_sends_new_results_when_the_version_changed(sign_in, scan, no_cooldown):
    client = sign_in("carol")
    url = reverse("quickscan_results_state", args=[scan.pk])
    first = client.get(url).json()
    version = first["version"]
    before = client.get(url, {"version": version})
    assert before.json() == {"version": version, "open": True, "shown": True}
    assert "no-store" in before["Cache-Control"]
    answer(phone(), scan, "practice", ["societal"])
    state = client.get(url, {"version": version}).json()
    assert state["version"] != version
    assert 'data-total="1"' in state["html"]
    # Every poll at that version gets the same results, built once.
    again = client.get(url, {"version": "an old one"}).json()
    assert again == state


def test_the_polled_state_tells_the_projector_the_scan_closed(sign_in, scan):
    client = sign_in("carol")
    client.post(reverse("quickscan_close", args=[scan.pk]))
    state = client.get(reverse("quickscan_results_state", args=[scan.pk])).json()
    assert state["open"] is False
    assert "Closed: no more answers" in state["html"]
    assert f"/q/{scan.code}/" not in state["html"]


# --- closing and the CSV ---------------------------------------------------------------


def test_closing_asks_first_then_closes_on_post(sign_in, scan):
    client = sign_in("carol")
    confirm = body(client.get(reverse("quickscan_close", args=[scan.pk])))
    assert "Close the Quick Scan?" in confirm and "Yes, close it" in confirm
    scan.refresh_from_db()
    assert scan.is_open
    response = client.post(reverse("quickscan_close", args=[scan.pk]), follow=True)
    scan.refresh_from_db()
    assert not scan.is_open
    assert "The Quick Scan is closed." in body(response)


def test_closing_a_closed_scan_says_so(sign_in, scan):
    client = sign_in("carol")
    client.post(reverse("quickscan_close", args=[scan.pk]))
    assert "already closed" in body(client.get(reverse("quickscan_close", args=[scan.pk])))
    response = client.post(reverse("quickscan_close", args=[scan.pk]), follow=True)
    assert "This Quick Scan was already closed." in body(response)


def test_others_cannot_close_by_posting(sign_in, scan):
    assert sign_in("dave").post(reverse("quickscan_close", args=[scan.pk])).status_code == 404
    scan.refresh_from_db()
    assert scan.is_open


def test_the_csv_has_one_row_per_answer_and_nothing_personal(sign_in, scan, no_cooldown):
    answer(phone(), scan, "education", ["development", "capital"], ["capital"])
    answer(phone(), scan, "other", [], ["societal"])
    response = sign_in("carol").get(reverse("quickscan_csv", args=[scan.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="quickscan-{scan.code}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "side",
        "education_legitimising",
        "education_development",
        "education_capital",
        "education_societal",
    ]
    assert [row[:9] for row in rows[1:]] == [
        ["education", "0", "1", "1", "0", "0", "0", "1", "0"],
        ["other", "0", "0", "0", "0", "0", "0", "0", "1"],
    ]
    keys = QuickScanResponse.objects.values_list("browser_key", flat=True)
    assert not any(key in response.content.decode() for key in keys)


def test_the_csv_of_a_closed_scan_is_still_available(sign_in, scan):
    factories.QuickScanResponseFactory(scan=scan)
    services.quickscan_close(scan=scan, by=scan.created_by)
    response = sign_in("carol").get(reverse("quickscan_csv", args=[scan.pk]))
    assert len(response.content.decode().strip().splitlines()) == 2


# --- deleting a scan ------------------------------------------------------------------


def test_deleting_asks_first_and_then_removes_the_scan_with_every_answer(
    sign_in, scan, no_cooldown
):
    answer(phone(), scan, "education", ["capital"])
    answer(phone(), scan, "practice", [], ["societal"])
    client = sign_in("carol")
    question = body(client.get(reverse("quickscan_delete", args=[scan.pk])))
    assert "It has 2 responses." in question and "cannot be undone" in question
    assert QuickScan.objects.filter(pk=scan.pk).exists(), "opening the question deletes nothing"

    response = client.post(reverse("quickscan_delete", args=[scan.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("quickscan_list")
    assert "was deleted with its 2 answers" in body(response)
    assert not QuickScan.objects.filter(pk=scan.pk).exists()
    assert QuickScanResponse.objects.filter(scan_id=scan.pk).count() == 0
    assert phone().get(join_url(scan)).status_code == 404


@pytest.mark.parametrize("name", ["alice", "dave"])
def test_nobody_but_the_owner_can_delete_a_scan(sign_in, scan, name):
    response = sign_in(name).post(reverse("quickscan_delete", args=[scan.pk]))
    assert response.status_code == 404
    assert QuickScan.objects.filter(pk=scan.pk).exists()


def test_the_service_refuses_someone_else_even_past_the_view(session, scan):
    with (
        translation.override("en"),
        pytest.raises(DomainError, match="Only the person who started"),
    ):
        services.quickscan_delete(scan=scan, by=session.people["alice"])
    assert QuickScan.objects.filter(pk=scan.pk).exists()
