"""The Quick Scan in a real browser: a facilitator, a projector and three phones.

The facilitator starts a Quick Scan and opens its results for the projector.
Three phone-sized browsers (390 x 844) open the short link, say which side they
are from and tick clusters for both sides; the projector shows 3 responses
without a reload. One phone changes its answer, the facilitator closes the scan,
the projector says it is closed and the phones get the closed page. Screenshots
of the phone sheet and the projector land in test-artifacts/screenshots/.
"""

import pytest

from sessions.models import QuickScan
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_three_phones_answer_and_the_projector_updates_by_itself(live_server, browser, language):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    facilitator = factories.UserFactory(email="fac@example.org", name="F. Acilitator")
    factories.DialogueSessionFactory().facilitators.add(facilitator)
    step = iter(range(1, 100))
    contexts = []

    def new_page(viewport, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def shot(page, name, full_page=True):
        path = ARTIFACTS / f"quickscan-{language}-{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def phone_page(viewport=PHONE):
        return new_page(viewport, is_mobile=True, has_touch=True, device_scale_factor=2)

    def serious_problems(page):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page, context="main")
        return [
            violation["id"]
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    def fits(page):
        return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    try:
        # The facilitator starts a Quick Scan and sees its short link and QR code.
        desk = new_page({"width": 1280, "height": 900}, accept_downloads=True)
        desk.goto(base + "/accounts/login/")
        desk.fill("#id_username", facilitator.email)
        desk.fill("#id_password", PASSWORD)
        desk.click("main form button[type=submit]")
        desk.wait_for_load_state()
        desk.click("header a[href='/quickscans/']")
        desk.click("a[href='/quickscans/new/']")
        desk.fill("#id_title", "Workshop MWO-congres")
        desk.click("main form button[type=submit]")
        desk.wait_for_load_state()
        scan = QuickScan.objects.get()
        link = desk.locator(".qs-link a").first.get_attribute("href")
        assert link == f"{base}/q/{scan.code}/"
        assert desk.locator(".qs-link a").first.inner_text() == link.split("://")[1]
        # one QR code in view; the full-screen slide holds another, hidden until opened
        assert desk.locator("svg.qs-qr[role=img]:visible").count() == 1
        shot(desk, "facilitator-link-and-qr")

        # The projector shows the results, which update by themselves: here the view
        # with the counts per side (the poll asks for the view on the screen).
        projector = new_page({"width": 1600, "height": 1000})
        projector.context.add_cookies(desk.context.cookies())
        projector.goto(f"{base}/quickscans/{scan.pk}/results/?view=sides")
        projector.locator("#qs-total[data-total='0']").wait_for()
        projector.evaluate("window.__stillTheSamePage = true")
        shot(projector, "projector-empty", full_page=False)

        # Three phones answer; the first shows the sheet before and after saving.
        answers = [
            ("education", ["development", "capital"], ["capital"]),
            ("practice", ["development"], ["capital", "societal"]),
            ("practice", [], ["capital", "legitimising"]),
        ]
        phones = []
        for number, (side, education, practice) in enumerate(answers, start=1):
            phone = phone_page()
            phone.goto(link.lower())  # the code works in any case
            assert fits(phone), "the sheet scrolls sideways on a phone"
            if number == 1:
                assert serious_problems(phone) == []
                phone.locator("details.qs-motives summary").first.click()
                shot(phone, "phone-sheet")
                # Saving without a side says what is missing and keeps the ticks.
                phone.check("#qs-education-capital")
                phone.click("main form button[type=submit]")
                phone.locator("#qs-errors").wait_for()
                assert phone.is_checked("#qs-education-capital")
                shot(phone, "phone-sheet-side-missing", full_page=False)
                phone.uncheck("#qs-education-capital")
            phone.check(f"#qs-side-{side}")
            for code in education:
                phone.check(f"#qs-education-{code}")
            for code in practice:
                phone.check(f"#qs-practice-{code}")
            phone.click("main form button[type=submit]")
            phone.locator("#qs-thanks").wait_for()
            if number == 1:
                shot(phone, "phone-thanks", full_page=False)
            phones.append(phone)

        projector.locator("#qs-total[data-total='3']").wait_for(timeout=15_000)
        assert projector.evaluate("window.__stillTheSamePage") is True
        capital = projector.locator(".qs-table tbody tr").nth(2).locator("td")
        assert [capital.nth(0).inner_text(), capital.nth(1).inner_text()] == ["1", "3"]
        assert serious_problems(projector) == []
        shot(projector, "projector-three-responses", full_page=False)

        # The third phone changes its mind: the projector follows, still 3 responses.
        third = phones[2]
        third.wait_for_timeout(1_100)  # the per-browser cooldown between saves
        third.goto(link)
        assert third.is_checked("#qs-practice-legitimising")
        third.uncheck("#qs-practice-legitimising")
        third.check("#qs-education-societal")
        third.click("main form button[type=submit]")
        third.locator("#qs-thanks").wait_for()
        societal = projector.locator(".qs-table tbody tr").nth(3).locator("td").nth(0)
        projector.wait_for_function(
            "() => document.querySelectorAll('.qs-table tbody tr')[3]"
            ".querySelector('td').textContent.trim() === '1'",
            timeout=15_000,
        )
        assert societal.inner_text() == "1"
        assert projector.locator("#qs-total").get_attribute("data-total") == "3"

        # The sheet also fits a 360 px wide phone.
        small = phone_page(SMALL_PHONE)
        small.goto(link)
        assert fits(small), "the sheet scrolls sideways at 360 px"
        shot(small, "phone-360")

        # Back to the overview with the arrow key: the chart and the QR code to take part.
        with projector.expect_navigation():
            projector.keyboard.press("ArrowLeft")
        assert projector.url.endswith("?view=overview")
        assert projector.locator(".qs-live-share svg.qs-qr").is_visible()

        # The facilitator closes the scan; the projector says so, the phones get the closed page.
        desk.goto(f"{base}/quickscans/{scan.pk}/close/")
        shot(desk, "close-confirm", full_page=False)
        desk.click("main form button[type=submit]")
        desk.wait_for_load_state()
        projector.locator(".qs-state-closed").wait_for(timeout=15_000)
        assert projector.locator("svg.qs-qr").count() == 0
        shot(projector, "projector-closed", full_page=False)
        closed = phones[0].goto(link)
        assert closed.status == 410
        assert phones[0].locator("form[method=post] input[name=side]").count() == 0
        shot(phones[0], "phone-closed", full_page=False)

        # The CSV has the three answers.
        desk.goto(f"{base}/quickscans/{scan.pk}/")
        with desk.expect_download() as download:
            desk.click(f"a[href='/quickscans/{scan.pk}/results.csv']")
        rows = download.value.path().read_text().strip().splitlines()
        assert len(rows) == 4
    finally:
        for context in contexts:
            context.close()
