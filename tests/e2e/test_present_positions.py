"""The positions on the projector's presentation mode, live (issue 14).

Thirty organisations; most positions are stated already, several with long objections.
The facilitator's projector shows the positions slide at 1280x720; an organisation
objects from its own device (another browser context) and the projector marks the
item "not yet agreed" without a reload. The slide fits the screen without scrolling.
"""

import pytest

from motives.models import Motive
from sessions.models import Consent, JointMotive
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_room_layouts import dialogue_with
from tests.factories import PASSWORD

SERIOUS = {"serious", "critical"}


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_REASON = (
    "Wij kunnen pas instemmen als de kosten van de stagebegeleiding eerlijk verdeeld zijn "
    "tussen de onderwijsinstellingen en de praktijkpartners, en als dat op papier staat."
)

FITS = """() => {
  const problems = [];
  const root = document.scrollingElement;
  if (root.scrollHeight > window.innerHeight + 1) problems.push(`page ${root.scrollHeight}px high`);
  if (root.scrollWidth > window.innerWidth + 1) problems.push(`page ${root.scrollWidth}px wide`);
  const slide = document.getElementById('present-positions');
  if (slide.scrollHeight > slide.clientHeight + 1)
    problems.push(`slide scrolls: ${slide.scrollHeight} > ${slide.clientHeight}`);
  const box = slide.getBoundingClientRect();
  if (box.bottom > window.innerHeight + 1) problems.push(`slide ends at ${box.bottom}px`);
  return problems;
}"""


def sign_in(browser, base, email, viewport):
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_a_position_from_a_partner_device_appears_on_the_projector_slide(live_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    session, facilitator = dialogue_with(30)
    codes = ["capital.network", "capital.recruitment", "capital.innovation", "capital.financial"]
    joints = [
        factories.JointMotiveFactory(session=session, motive=Motive.objects.get(code=code))
        for code in codes
    ]
    agreements = [
        factories.AgreementFactory(session=session, text=f"Afspraak {n}: {LONG_REASON}")
        for n in range(1, 5)
    ]
    preparations = list(session.preparations.select_related("organisation").order_by("pk"))
    # Everyone but the first organisation agrees on everything; five object to the first
    # joint motive with a long reason, and two abstain on the first agreement.
    for index, preparation in enumerate(preparations[1:], 1):
        organisation = preparation.organisation
        for joint in joints:
            objects = joint == joints[0] and index <= 5
            Consent.objects.create(
                joint_motive=joint,
                organisation=organisation,
                position="object" if objects else "agree",
                reason=LONG_REASON if objects else "",
            )
        for agreement in agreements:
            Consent.objects.create(
                agreement=agreement,
                organisation=organisation,
                position="abstain" if agreement == agreements[0] and index <= 2 else "agree",
            )
    first = preparations[0]
    member = first.organisation.memberships.get().person
    member.set_password(PASSWORD)
    member.save()
    facilitator.set_password(PASSWORD)
    facilitator.save()

    projector_context, projector = sign_in(
        browser, base, facilitator.email, {"width": 1280, "height": 720}
    )
    projector.goto(f"{base}/sessions/{session.pk}/present/?slide=positions")
    second = projector.locator(f'[data-key="joint_motive:{joints[1].pk}"]')
    assert second.get_attribute("data-state") == "open"  # the first organisation is missing
    assert (
        "nog niet overeengekomen"
        in projector.locator(f'[data-key="joint_motive:{joints[0].pk}"]').inner_text()
    )
    projector.screenshot(path=str(ARTIFACTS / "present-positions-before-1280x720.png"))
    assert projector.evaluate(FITS) == []

    partner_context, partner = sign_in(browser, base, member.email, {"width": 390, "height": 844})
    partner.goto(f"{base}/sessions/{session.pk}/preparations/{first.pk}/positions/")
    partner.check(f"#joint_motive{joints[1].pk}-object")
    partner.fill(f"#joint_motive{joints[1].pk}-reason", "Eerst de rooster afstemmen.")
    partner.click("#positions-form button[type=submit]")
    partner.wait_for_load_state()
    assert JointMotive.objects.get(pk=joints[1].pk).consents.filter(position="object").exists()

    marker = projector.evaluate("() => { window.notReloaded = true; return true; }")
    assert marker
    projector.wait_for_function(
        f"""() => document.querySelector('[data-key="joint_motive:{joints[1].pk}"]')
              .getAttribute('data-state') === 'objected'""",
        timeout=15_000,
    )
    assert projector.evaluate("() => window.notReloaded === true")  # updated in place
    assert "Eerst de rooster afstemmen." in second.inner_text()
    assert projector.locator("#present-status").inner_text() != ""
    assert projector.evaluate(FITS) == []
    projector.screenshot(path=str(ARTIFACTS / "present-positions-1280x720.png"))
    assert serious_violations(projector) == []
    # A truncated reason shows in full when it has the focus.
    objection = projector.locator(f'[data-key="joint_motive:{joints[0].pk}"] .present-objection')
    objection.first.focus()
    assert objection.first.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    partner_context.close()
    projector_context.close()


def test_the_movement_chart_reads_on_a_laptop_and_a_phone(live_server, browser):
    """Three rounds of twelve organisations: the chart on the history page keeps its
    text size and the page never scrolls sideways (the chart's own region may)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    session, facilitator = dialogue_with(12)
    facilitator.set_password(PASSWORD)
    facilitator.save()
    rounds = []
    for number in (1, 2):
        rounds.append(
            factories.DialogueSessionFactory(
                community=session.community,
                title=f"Ronde {number} najaar",
                phase="closed",
                previous=rounds[-1] if rounds else None,
            )
        )
    session.previous = rounds[-1]
    session.save()
    network = Motive.objects.get(code="capital.network")
    for index, organisation in enumerate(session.community.organisations.order_by("pk")):
        for number, earlier in enumerate(rounds):
            preparation = factories.PreparationFactory(
                session=earlier, organisation=organisation, submitted_at=session.created_at
            )
            factories.AnswerFactory(
                preparation=preparation,
                motive=network,
                applies=(index + number) % 2 == 0,
                priority=(number + 1) if (index + number) % 2 == 0 else None,
            )
    for width, height in ((1280, 720), (390, 844)):
        context, page = sign_in(
            browser, base, facilitator.email, {"width": width, "height": height}
        )
        page.goto(f"{base}/sessions/{session.pk}/history/")
        chart = page.locator("#movement-chart svg")
        assert chart.get_attribute("role") == "img"
        sizes = page.evaluate(
            """() => {
              const svg = document.querySelector('#movement-chart svg');
              const box = svg.getBoundingClientRect();
              return {scale: box.width / svg.viewBox.baseVal.width,
                      page: document.scrollingElement.scrollWidth};
            }"""
        )
        assert sizes["scale"] >= 0.99, sizes  # never shrunk below its text size
        assert sizes["page"] <= width + 1, sizes
        page.locator("#movement-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"history-movement-{width}x{height}.png"))
        assert serious_violations(page) == []
        context.close()
