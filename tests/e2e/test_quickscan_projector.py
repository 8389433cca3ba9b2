"""The Quick Scan's projector in a full room, on a beamer, a laptop and a phone.

300 answers, every cluster with open answers full of long Dutch compounds, and a title
of the longest length allowed: at 1280x720, 1366x768 and 1920x1080, in Dutch and in
English, each of the three views (overview, the two sides, the words) fits the screen
without scrolling, no table is cut off inside its scroll region, the chart and the QR
code are whole on the screen and large enough to read and to scan, and every word cloud
is whole on the screen. At 390x844 nothing is wider than the phone; the chart keeps a
readable size there and scrolls sideways in its own region.

Screenshots land in test-artifacts/screenshots/quickscan-projector-*.png.
"""

import random

import pytest

from motives.models import Cluster
from sessions.models import QUICK_SCAN_TITLE_MAX_LENGTH
from sessions.quickscan import services
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [(1280, 720), (1366, 768), (1920, 1080)]
PHONE = (390, 844)
VIEWS = ("overview", "sides", "words")
ANSWERS = 300
TITLE = (
    "Werkconferentie Zorg en Technologie met alle hogescholen, mbo-instellingen, "
    "zorgaanbieders en gemeenten uit de regio's Groningen, Drenthe, Friesland en de kop "
    "van Overijssel, najaar 2026, met een terugblik op de eerste ronde en de afspraken"
)[:QUICK_SCAN_TITLE_MAX_LENGTH]
WORDS = [
    "samenwerkingsverband",
    "praktijkgericht",
    "kennisontwikkeling",
    "arbeidsmarktrelevantie",
    "stageplaatsen",
    "innovatiekracht",
    "werkgeversaanbod",
    "personeelstekort",
    "professionalisering",
    "maatschappelijk",
    "verantwoordelijkheid",
    "onderzoeksvragen",
    "imagoversterking",
    "netwerkvorming",
    "doorstroommogelijkheden",
    "vakmanschap",
    "leiderschapsontwikkeling",
    "gezondheidszorg",
    "digitalisering",
    "duurzaamheid",
    "kwaliteitsverbetering",
    "talentontwikkeling",
    "omscholing",
    "kennisdeling",
]

# Whole on the screen: the element's box lies inside the viewport.
WHOLE = """element => {
  const box = element.getBoundingClientRect();
  return box.left >= 0 && box.top >= 0 && box.right <= innerWidth + 1 && box.bottom <= innerHeight + 1;
}"""
ONE_SCREEN = """() => document.documentElement.scrollWidth <= innerWidth
  && document.documentElement.scrollHeight <= innerHeight
  && [...document.querySelectorAll('.table-responsive')]
       .every(region => region.scrollWidth <= region.clientWidth + 1)"""


def full_room():
    coordinator = factories.UserFactory(email="coord@example.org", language="nl")
    factories.LearningCommunityFactory().coordinators.add(coordinator)
    scan = services.quickscan_create(by=coordinator, title=TITLE)
    codes = list(Cluster.objects.values_list("code", flat=True))
    chance = random.Random(7)
    for number in range(ANSWERS):
        services.quickscan_respond(
            scan=scan,
            browser_key=f"phone-{number}",
            side=chance.choice(["education", "practice", "other"]),
            education_clusters=chance.sample(codes, chance.randint(1, len(codes))),
            practice_clusters=chance.sample(codes, chance.randint(1, len(codes))),
            open_answers={code: " ".join(chance.sample(WORDS, 4)) for code in codes},
        )
    return coordinator, scan


def test_every_view_fits_the_projector_with_a_full_room(live_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    coordinator, scan = full_room()
    assert len(TITLE) == QUICK_SCAN_TITLE_MAX_LENGTH
    results = f"{live_server.url}/quickscans/{scan.pk}/results/"
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", coordinator.email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        for language in ("nl", "en"):
            coordinator.language = language
            coordinator.save(update_fields=["language"])
            for width, height in SCREENS:
                page.set_viewport_size({"width": width, "height": height})
                for view in VIEWS:
                    page.goto(f"{results}?view={view}")
                    where = f"{view} at {width}x{height} ({language})"
                    assert page.locator("html").get_attribute("lang") == language
                    page.screenshot(
                        path=str(
                            ARTIFACTS
                            / f"quickscan-projector-{language}-{width}x{height}-{view}.png"
                        )
                    )
                    assert page.evaluate(ONE_SCREEN), f"{where} does not fit the screen"
                    assert page.locator(".qs-views").evaluate(WHOLE), f"{where}: navigation"
                    if view == "overview":
                        chart = page.locator(".qs-chart svg")
                        qr = page.locator(".qs-live-share .qs-qr")
                        assert chart.evaluate(WHOLE) and qr.evaluate(WHOLE), where
                        # Read from the back of the room, scanned from a seat.
                        assert chart.bounding_box()["height"] >= 250, where
                        assert qr.bounding_box()["height"] >= 200, where
                        assert TITLE in page.locator("h1").inner_text()  # whole
                    elif view == "sides":
                        assert page.locator("#qs-crosstab").evaluate(WHOLE), where
                        assert page.locator("#qs-counts").evaluate(WHOLE), where
                    else:
                        clouds = page.locator(".qs-cloud svg")
                        assert clouds.count() == 4, where
                        for number in range(4):
                            assert clouds.nth(number).evaluate(WHOLE), f"{where}: cloud"
                        assert page.locator(".qs-cloud text", has_text="…").count() == 0
            page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
            for view in VIEWS:
                page.goto(f"{results}?view={view}")
                assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
                    f"{view} scrolls sideways on a phone ({language})"
                )
                page.screenshot(
                    path=str(ARTIFACTS / f"quickscan-projector-{language}-390x844-{view}.png"),
                    full_page=True,
                )
                if view == "overview":
                    # The chart keeps a readable size and scrolls in its own region.
                    assert page.locator(".qs-chart svg").bounding_box()["width"] >= 570
                    assert page.locator(".qs-chart").evaluate(
                        "region => region.scrollWidth > region.clientWidth"
                    )
    finally:
        context.close()
