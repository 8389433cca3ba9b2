"""The joint dialogue in a real browser, from opening it to the next round.

The facilitator opens the dialogue, reads the matrix, filters on "unique", shows
the presentation mode on a second screen (which updates by itself when something
is recorded), records a joint motive and an agreement, downloads the report,
moves to agreements and closes the session; the coordinator starts the next round
and a partner sees last round's answers in the new format.
"""

import pytest

from motives.models import Motive
from partnerships.models import User
from sessions.interchange.format import import_session
from sessions.models import DialogueSession, Phase
from tests.factories import PASSWORD
from tests.sessions.samples import valid_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def prepared_session():
    """Three organisations that submitted in the preparation phase, people with passwords."""
    document = valid_document()
    document["session"]["phase"] = "preparation"
    document["organisations"][1]["submitted"] = True
    document["organisations"].append(
        {
            "name": "Zorggroep Zuid",
            "partner_type": "practice",
            "members": [{"email": "z@example.org", "name": "Z. Member"}],
            "submitted": True,
            "answers": [
                {
                    "motive": "capital.network",
                    "applies": True,
                    "intended_outcome": "Regionaal netwerk",
                },
                {
                    "motive": "capital.recruitment",
                    "applies": True,
                    "intended_outcome": "Nieuwe collega's",
                },
            ],
            "other_motives": [],
        }
    )
    session = import_session(document)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    return session


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_facilitator_leads_the_dialogue_to_the_next_round(
    live_server, background_worker, browser, language
):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    session = prepared_session()
    step = iter(range(1, 100))

    def new_page(email):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    def shot(page, name, full_page=False):
        path = ARTIFACTS / f"dialogue-{language}-{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)

    # The facilitator opens the joint dialogue.
    facilitator = new_page("fac@example.org")
    facilitator.goto(f"{base}/sessions/{session.pk}/")
    facilitator.click(f"a[href='/sessions/{session.pk}/phase/']")
    shot(facilitator, "open-dialogue-confirm")
    facilitator.click("main form button[type=submit]")
    facilitator.wait_for_load_state()
    session.refresh_from_db()
    assert session.phase == Phase.DIALOGUE

    # ... reads the matrix and filters on "unique".
    facilitator.goto(f"{base}/sessions/{session.pk}/comparison/")
    assert facilitator.locator("th", has_text="Zorggroep Zuid").count() >= 1
    shot(facilitator, "comparison")
    facilitator.select_option("#id_category", "unique")
    facilitator.click("form.cmp-filters button[type=submit]")
    facilitator.wait_for_load_state()
    assert "category=unique" in facilitator.url
    badges = facilitator.locator("tr.cmp-row .cmp-badge")
    assert badges.count() >= 1
    assert {badges.nth(i).get_attribute("class").split()[-1] for i in range(badges.count())} == {
        "cmp-badge-unique"
    }
    shot(facilitator, "comparison-unique", full_page=True)

    # A projector shows the presentation mode; the keyboard moves between clusters.
    projector = new_page("fac@example.org")
    projector.goto(f"{base}/sessions/{session.pk}/present/")
    first_url = projector.url
    projector.keyboard.press("ArrowRight")
    projector.wait_for_url(lambda url: url != first_url)
    assert "cluster=" in projector.url
    projector.evaluate("window.__stillTheSamePage = true")
    shot(projector, "presentation")

    # ... records a joint motive and an agreement; the projector updates without a reload.
    facilitator.goto(f"{base}/sessions/{session.pk}/results/")
    students = Motive.objects.get(code="development.students")
    facilitator.select_option("#id_motive-motive", str(students.pk))
    facilitator.fill("#id_motive-intended_outcome", "Studenten leren samen in de wijk")
    facilitator.click("form:has(input[name=form][value=joint_motive]) button[type=submit]")
    facilitator.wait_for_load_state()
    facilitator.fill("#id_agreement-text", "Elk kwartaal een gezamenlijke bijeenkomst")
    facilitator.fill("#id_agreement-owner", "F. Acilitator")
    facilitator.fill("#id_agreement-due", "2026-06-01")
    facilitator.click("form:has(input[name=form][value=agreement]) button[type=submit]")
    facilitator.wait_for_load_state()
    shot(facilitator, "results-recorded", full_page=True)
    projector.locator(
        "#present-panel", has_text="Elk kwartaal een gezamenlijke bijeenkomst"
    ).wait_for(timeout=15_000)
    assert projector.evaluate("window.__stillTheSamePage") is True
    shot(projector, "presentation-updated")

    # ... downloads the report, with a busy state while it renders.
    facilitator.goto(f"{base}/sessions/{session.pk}/")
    # Record in the page whether the link showed its busy state, however fast the PDF comes.
    facilitator.evaluate(
        """() => {
            const link = document.querySelector("[data-report-download]");
            window.__wasBusy = false;
            new MutationObserver(() => {
                if (link.getAttribute("aria-busy") === "true") { window.__wasBusy = true; }
            }).observe(link, {attributes: true});
        }"""
    )
    # The worker renders it in the background; the page polls and then downloads.
    with facilitator.expect_download(timeout=90_000) as download:
        facilitator.click("[data-report-download]")
    pdf = download.value.path().read_bytes()
    assert facilitator.evaluate("window.__wasBusy") is True
    assert pdf.startswith(b"%PDF")
    facilitator.locator("[data-report-download]:not([aria-busy])").wait_for()
    shot(facilitator, "report-downloaded")

    # ... moves to agreements and closes the session.
    for _ in ("agreements", "closed"):
        facilitator.goto(f"{base}/sessions/{session.pk}/phase/")
        facilitator.click("main form button[type=submit]")
        facilitator.wait_for_load_state()
    session.refresh_from_db()
    assert session.phase == Phase.CLOSED
    shot(facilitator, "closed")

    # The coordinator starts the next round and opens its preparation.
    coordinator = new_page("coord@example.org")
    coordinator.goto(f"{base}/sessions/{session.pk}/next-round/")
    shot(coordinator, "next-round-form")
    coordinator.click("main form button[type=submit]")
    coordinator.wait_for_load_state()
    next_round = DialogueSession.objects.get(previous=session)
    coordinator.goto(f"{base}/sessions/{next_round.pk}/phase/")
    coordinator.click("main form button[type=submit]")
    coordinator.wait_for_load_state()

    # A partner of the next round sees last round's answers in the format.
    partner = new_page("a@example.org")
    preparation = next_round.preparations.get(organisation__name="Fontys ICT")
    partner.goto(f"{base}/sessions/{next_round.pk}/preparations/{preparation.pk}/")
    network = partner.locator("#motive-capital\\.network .last-round")
    assert "Netwerk" in network.inner_text()
    network.scroll_into_view_if_needed()
    shot(partner, "next-round-format-shows-last-round")
