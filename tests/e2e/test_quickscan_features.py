"""The Quick Scan's workshop features in a real browser, on a 390 x 844 phone and a
1280 x 720 projector (issue 17).

A coordinator starts a Quick Scan for her learning community with its results hidden.
The projector and the phones say "results follow" while two phones answer, in the
seed's wording, with an open answer for a cluster. The coordinator reveals the
results: the projector shows them on its next poll; the arrow keys go from the chart to
the cross-tab of education and practice respondents and to a word cloud per cluster,
each view one 1280 x 720 screen. She downloads the XLSX file
while the scan is open and starts a session from the scan, whose page links back.
Screenshots land in test-artifacts/screenshots/quickscan-features-*.png.
"""

import io

import pytest
from openpyxl import load_workbook

from partnerships.models import PartnerType
from sessions.models import DialogueSession, QuickScan
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}
QUESTION = (
    "Welke motieven spelen in jouw praktijk een rol om organisatie overstijgend samen te werken?"
)


def test_open_answers_hidden_results_cross_tab_downloads_and_a_session(live_server, browser):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    community = factories.LearningCommunityFactory(name="LC Slimme Zorg")
    coordinator = factories.UserFactory(email="coord@example.org", name="C. Oördinator")
    community.coordinators.add(coordinator)
    for name, partner_type in (
        ("Hogeschool Zuid", PartnerType.EDUCATION),
        ("Zorggroep Noord", PartnerType.PRACTICE),
    ):
        factories.OrganisationFactory(community=community, name=name, partner_type=partner_type)
    step = iter(range(1, 100))
    contexts = []

    def new_page(viewport, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def phone_page():
        return new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)

    def shot(page, name, full_page=True):
        path = ARTIFACTS / f"quickscan-features-{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def fits(page):
        return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def press_to(page, key, view):
        """The key follows the projector's link to ``view``."""
        with page.expect_navigation():
            page.keyboard.press(key)
        assert page.url.endswith(f"?view={view}"), page.url

    def fits_the_screen(page):
        """Neither sideways nor downwards, and no table cut off inside its scroll region:
        one screen on the projector."""
        return page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
            " && document.documentElement.scrollHeight <= window.innerHeight"
            " && [...document.querySelectorAll('.table-responsive')]"
            ".every(region => region.scrollWidth <= region.clientWidth + 1)"  # rounding
        )

    def serious_problems(page):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page, context="main")
        return [
            violation["id"]
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    def sign_in(page):
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", coordinator.email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    try:
        # The coordinator starts a scan for her community, results hidden until revealed.
        desk = new_page(PROJECTOR, accept_downloads=True)
        sign_in(desk)
        desk.goto(base + "/quickscans/new/")
        desk.fill("#id_title", "Werkconferentie <Zorg>")
        desk.select_option("#id_community", str(community.pk))
        desk.check("#id_hide_results")
        desk.click("main form button[type=submit]")
        desk.locator("#qs-hidden-note").wait_for()
        scan = QuickScan.objects.get()
        assert scan.community == community and scan.hide_results
        link = f"{base}/q/{scan.code}/"

        # The projector says "results follow", with the seed's question.
        projector = new_page(PROJECTOR)
        projector.context.add_cookies(desk.context.cookies())
        projector.goto(f"{base}/quickscans/{scan.pk}/results/")
        projector.locator("#qs-hidden").wait_for()
        assert QUESTION in projector.locator(".qs-question").inner_text()
        assert projector.locator("#qs-crosstab").count() == 0
        projector.evaluate("window.__stillTheSamePage = true")
        shot(projector, "projector-results-follow", full_page=False)

        # Two phones answer in the seed's wording, each with an open answer.
        answers = [
            ("education", ["capital"], ["capital"], "Netwerk uitbreiden <b>nu</b>"),
            ("practice", ["development"], ["capital", "societal"], "netwerk en nieuw talent"),
        ]
        phones = []
        for number, (side, education, practice, open_capital) in enumerate(answers, start=1):
            phone = phone_page()
            phone.goto(link)
            assert QUESTION in phone.locator(".qs-question").inner_text()
            legends = phone.locator("legend.qs-legend").all_inner_texts()
            assert "Onderwijs" in legends and "Werkveldpartner(s)" in legends
            phone.check(f"#qs-side-{side}")
            for code in education:
                phone.check(f"#qs-education-{code}")
            for code in practice:
                phone.check(f"#qs-practice-{code}")
            phone.fill("#id_open_capital", open_capital)
            assert fits(phone), "the sheet scrolls sideways on a phone"
            if number == 1:
                assert serious_problems(phone) == []
                phone.locator("#qs-open").scroll_into_view_if_needed()
                shot(phone, "phone-open-answer", full_page=False)
            phone.click("main form button[type=submit]")
            phone.locator("#qs-thanks").wait_for()
            assert "Resultaten volgen" in phone.locator("#qs-results-note").inner_text()
            assert phone.input_value("#id_open_capital") == open_capital
            if number == 1:
                shot(phone, "phone-thanks-results-follow", full_page=False)
            phones.append(phone)

        # Still hidden on the projector, which counts the answers only.
        projector.locator("#qs-total[data-total='2']").wait_for(timeout=15_000)
        assert projector.locator("#qs-hidden").is_visible()
        assert projector.locator("#qs-crosstab").count() == 0

        # The coordinator reveals: the projector shows the results on its next poll.
        desk.goto(f"{base}/quickscans/{scan.pk}/")
        desk.click("#qs-reveal")
        desk.wait_for_load_state()
        assert desk.locator("#qs-hidden-note").count() == 0
        projector.locator(".qs-chart svg[role=img]").wait_for(timeout=15_000)
        assert projector.evaluate("window.__stillTheSamePage") is True
        assert projector.locator("#qs-hidden").count() == 0
        assert fits_the_screen(projector), "the overview does not fit 1280 x 720"
        assert serious_problems(projector) == []
        shot(projector, "projector-revealed", full_page=False)

        # The arrow key goes to the next view: the two sides with the cross-tab.
        press_to(projector, "ArrowRight", "sides")
        heads = projector.locator("#qs-crosstab thead").inner_text()
        assert "Onderwijs" in heads and "Werkveldpartner(s)" in heads
        assert "door onderwijs (n = 1)" in heads and "door werkveld (n = 1)" in heads
        capital = projector.locator("#qs-crosstab tbody tr").nth(2).locator("td")
        assert capital.all_inner_texts() == ["100%", "0%", "100%", "100%"]
        assert fits_the_screen(projector), "the cross-tab view does not fit 1280 x 720"
        assert serious_problems(projector) == []
        shot(projector, "projector-cross-tab", full_page=False)

        # And on to the words of the open answers.
        press_to(projector, "ArrowRight", "words")
        cloud = projector.locator("section.qs-cloud").filter(
            has=projector.locator("#qs-cloud-capital-heading")
        )
        assert cloud.locator("svg[role=img] title").count() == 1
        assert not cloud.locator(".qs-cloud-words").is_visible()  # folded: the cloud fits
        cloud.locator(".qs-cloud-details > summary").click()
        words = cloud.locator(".qs-cloud-words li").all_inner_texts()
        assert words[0] == "netwerk (2)"
        assert not any(word.startswith(("en ", "b ")) for word in words)  # stop words, tags
        assert projector.locator("main b").count() == 0  # the typed <b> stays text
        assert serious_problems(projector) == []
        cloud.locator(".qs-cloud-details > summary").click()
        assert fits_the_screen(projector), "the words view does not fit 1280 x 720"
        shot(projector, "projector-word-cloud", full_page=False)
        press_to(projector, "ArrowLeft", "sides")

        # The phones now say the results are on the screen.
        phones[0].reload()
        assert "op het scherm" in phones[0].locator("#qs-results-note").inner_text()

        # The facilitator's pages work on a phone as well.
        pocket = phone_page()
        pocket.context.add_cookies(desk.context.cookies())
        for view in ("overview", "sides", "words"):
            pocket.goto(f"{base}/quickscans/{scan.pk}/results/?view={view}")
            assert fits(pocket), f"the results ({view}) scroll sideways on a phone"
        pocket.goto(f"{base}/quickscans/{scan.pk}/results/?view=sides")
        pocket.locator("#qs-crosstab").scroll_into_view_if_needed()
        shot(pocket, "phone-results-cross-tab", full_page=False)
        pocket.goto(f"{base}/quickscans/{scan.pk}/results/?view=words")
        pocket.locator("section.qs-cloud").first.scroll_into_view_if_needed()
        shot(pocket, "phone-results-word-cloud", full_page=False)
        pocket.goto(f"{base}/quickscans/{scan.pk}/")
        assert fits(pocket)
        shot(pocket, "phone-facilitator-detail")

        # The XLSX file while the scan is still open.
        desk.goto(f"{base}/quickscans/{scan.pk}/")
        assert scan.is_open
        with desk.expect_download() as download:
            desk.click(f"a[href='/quickscans/{scan.pk}/results.xlsx']")
        sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert len(rows) == 3
        assert rows[1][rows[0].index("open_capital")] == "Netwerk uitbreiden <b>nu</b>"

        # A session from the scan, in its community, prefilled; its page links back.
        desk.click("#qs-start-session")
        desk.wait_for_load_state()
        assert desk.input_value("#id_title") == "Werkconferentie <Zorg>"
        assert desk.locator("input[name=organisations]:checked").count() == 2
        shot(desk, "start-session-prefilled")
        pocket.goto(f"{base}/quickscans/{scan.pk}/start-session/")
        assert fits(pocket), "the session form scrolls sideways on a phone"
        shot(pocket, "phone-start-session")
        desk.fill("#id_title", "Sessie na de werkconferentie")
        desk.click("main form button[type=submit]")
        desk.locator("#from-quick-scan").wait_for()
        session = DialogueSession.objects.get()
        assert session.community == community
        assert desk.locator("#from-quick-scan a").get_attribute("href") == (
            f"/quickscans/{scan.pk}/results/"
        )
        shot(desk, "session-links-back", full_page=False)
    finally:
        for context in contexts:
            context.close()
