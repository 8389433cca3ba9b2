"""The comparison and the presentation mode on a beamer, a laptop and a phone.

For 3, 12 and 30 organisations with long, realistic names, at 1280x720, 1366x768,
1920x1080 and 390x844, the comparison page and a presentation slide are loaded once
per size (one signed-in browser context per organisation count) and measured:

- in the table (every size but the phone): every organisation's header and its
  answer cell in the first row can be scrolled into the matrix's visible area and
  are then neither cut off by its edges nor covered by a sticky column (the
  element at their centre is themselves);
- the short label in each header is not clipped, its full name is in the legend
  and in the header's ``title``;
- a presentation slide fits the screen without scrolling from 1280x720 up;
- on a phone every motive is a card listing each organisation's name and answer,
  nothing wider than the screen.

Screenshots land in test-artifacts/screenshots/room-*.png.
"""

import pytest
from django.utils import timezone

from motives.models import Motive
from partnerships.models import LearningCommunity, Membership, Organisation, PartnerType, User
from sessions.models import Answer, DialogueSession, Phase, Preparation
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 720), (1366, 768), (1920, 1080), (390, 844)]
PHONE_WIDTH = 390

EDUCATION_NAMES = [
    "Hogeschool Noord-Nederland, Academie voor ICT en Media",
    "ROC Midden Nederland College Zorg en Welzijn",
    "Universiteit Twente Faculteit Gedragswetenschappen",
    "Hanzehogeschool Groningen Instituut voor Verpleegkunde",
    "Saxion Hogeschool Enschede",
    "Noorderpoort MBO Techniek",
    "Fontys Hogeschool ICT Eindhoven",
    "Hogeschool Rotterdam Kenniscentrum Zorginnovatie",
    "Avans Hogeschool Breda",
    "Windesheim Zwolle",
]
PRACTICE_NAMES = [
    "Zorggroep Zuid-Oost Brabant",
    "Gemeente Amsterdam Werk en Inkomen",
    "Stichting Jeugdzorg Overijssel en Gelderland",
    "Ziekenhuis Gelderse Vallei",
    "Woonzorg Nederland",
    "ICT Bedrijf Digitaal Vakmanschap BV",
    "Thuiszorg West-Brabant",
    "GGD Hollands Midden",
    "Stichting Kinderopvang Humanitas",
    "Provincie Utrecht",
    "Reclassering Nederland",
    "Welzijnsorganisatie De Kern",
    "Regionaal Bureau Onderwijs",
    "Koninklijke Visio",
    "Amsterdam UMC Locatie AMC",
    "Philips Healthcare Best",
    "De Hoop ggz",
    "Politie Eenheid Oost-Nederland",
    "Rijkswaterstaat Oost-Nederland",
    "Zorgbelang Inclusief",
]


def dialogue_with(count: int) -> tuple[DialogueSession, User]:
    """A session in the joint dialogue with ``count`` submitted formats; its facilitator."""
    community = LearningCommunity.objects.create(
        name="Learning Community Zorg en Technologie", sector="Zorg", setting="public-private"
    )
    session = DialogueSession.objects.create(
        community=community, title="Dialoog voorjaar", phase=Phase.DIALOGUE
    )
    facilitator = User.objects.create_user(
        email=f"fac{count}@example.org", name="Fenna Facilitator", password=PASSWORD
    )
    session.facilitators.add(facilitator)
    motives = list(Motive.objects.active())
    education = max(1, count // 3)
    for number in range(count):
        if number < education:
            partner_type, name = PartnerType.EDUCATION, EDUCATION_NAMES[number]
        else:
            partner_type, name = PartnerType.PRACTICE, PRACTICE_NAMES[number - education]
        organisation = Organisation.objects.create(
            community=community, name=name, partner_type=partner_type
        )
        person = User.objects.create_user(email=f"p{count}-{number}@example.org", name=name)
        Membership.objects.create(person=person, organisation=organisation)
        preparation = Preparation.objects.create(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        Answer.objects.bulk_create(
            Answer(
                preparation=preparation,
                motive=motive,
                applies=(index + number) % 3 != 0,
                intended_outcome="Meer stages en gedeelde kennis"
                if (index + number) % 3 != 0
                else "",
            )
            for index, motive in enumerate(motives)
            if motive.offered_to(partner_type)
        )
    return session, facilitator


# One measurement in the page: returns a list of problems (empty when all holds).
MEASURE_TABLE = """
() => {
  const problems = [];
  const inside = (el, point) => el === point || el.contains(point);
  for (const region of document.querySelectorAll('.cmp-scroll')) {
    region.scrollIntoView({block: 'start', inline: 'nearest', behavior: 'instant'});
    const table = region.querySelector('table');
    region.scrollLeft = 0;  // a stuck cell's offsetLeft moves with the scrolling: measure at 0
    const stickies = [...region.querySelectorAll('thead th')].filter(
      th => getComputedStyle(th).position === 'sticky').map(
      th => ({th, left: getComputedStyle(th).left !== 'auto', end: th.offsetLeft + th.offsetWidth}));
    const headers = [...region.querySelectorAll('thead th.cmp-org')];
    const firstRow = region.querySelector('tbody tr.cmp-row');
    const cells = firstRow ? [...firstRow.querySelectorAll('td.cmp-cell')] : [];
    headers.forEach((th, index) => {
      const name = th.getAttribute('data-name') || th.textContent.trim();
      const before = stickies.filter(s => s.left);
      const cover = before.reduce((w, s) => Math.max(w, s.end), 0);
      region.scrollLeft = Math.max(0, th.offsetLeft - cover);
      const rr = region.getBoundingClientRect();
      let left = rr.left + region.clientLeft, right = rr.left + region.clientLeft + region.clientWidth;
      for (const s of stickies) {
        const sr = s.th.getBoundingClientRect();
        if (s.left) left = Math.max(left, sr.right);
        else right = Math.min(right, sr.left);
      }
      for (const [what, el] of [['header', th], ['answer', cells[index]]]) {
        if (!el) { problems.push(`${name}: no ${what} cell`); continue; }
        const box = el.getBoundingClientRect();
        if (box.width < 8 || box.height < 8) problems.push(`${name}: ${what} has no size`);
        if (box.left < left - 1 || box.right > right + 1) {
          problems.push(`${name}: ${what} ${Math.round(box.left)}-${Math.round(box.right)} outside the visible ${Math.round(left)}-${Math.round(right)}`);
          continue;
        }
        const y = Math.min(box.top + box.height / 2, window.innerHeight - 2);
        const hit = document.elementFromPoint(box.left + box.width / 2, y);
        if (!hit || !inside(el, hit)) problems.push(`${name}: ${what} covered by ${hit && hit.className}`);
      }
      const label = th.querySelector('.cmp-org-name');
      if (!label) problems.push(`${name}: no label`);
      else if (label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1)
        problems.push(`${name}: label "${label.textContent.trim()}" is cut off`);
      if (!th.getAttribute('title') && !(label && label.getAttribute('title')))
        problems.push(`${name}: no full name on hover`);
    });
    region.scrollLeft = 0;
  }
  return problems;
}
"""

MEASURE_CARDS = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.scrollingElement.scrollWidth > width + 1)
    problems.push(`page is ${document.scrollingElement.scrollWidth}px wide on a ${width}px screen`);
  const rows = [...document.querySelectorAll('tr.cmp-row')];
  if (!rows.length) problems.push('no motive rows');
  for (const row of rows.slice(0, 6)) {
    const box = row.getBoundingClientRect();
    if (box.left < -1 || box.right > width + 1) problems.push(`card ${Math.round(box.left)}-${Math.round(box.right)} wider than the screen`);
    for (const cell of row.querySelectorAll('td.cmp-cell')) {
      const org = cell.querySelector('.cmp-card-org');
      const cb = cell.getBoundingClientRect();
      if (!org || org.getBoundingClientRect().width < 8) { problems.push('an answer without its organisation'); break; }
      if (cb.left < -1 || cb.right > width + 1) { problems.push('an answer off the screen'); break; }
    }
  }
  return problems;
}
"""

LEGEND_NAMES = """
() => [...document.querySelectorAll('.cmp-org-legend [data-name]')].map(e => e.getAttribute('data-name'))
"""


@pytest.mark.parametrize("count", [3, 12, 30])
def test_every_organisation_is_readable_at_every_size(live_server, browser, count):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    session, facilitator = dialogue_with(count)
    names = sorted(
        Preparation.objects.filter(session=session).values_list("organisation__name", flat=True)
    )
    base = live_server.url
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 720})
    context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", facilitator.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    problems = []
    try:
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for name, url in (
                ("comparison", f"/sessions/{session.pk}/comparison/"),
                ("present", f"/sessions/{session.pk}/present/"),
            ):
                page.goto(base + url)
                page.wait_for_load_state()
                where = f"{name} {count} organisations {width}x{height}"
                if width == PHONE_WIDTH:  # the cards, not only the page's heading
                    page.evaluate(
                        "document.querySelector('.cmp-scroll')"
                        ".scrollIntoView({block: 'start', behavior: 'instant'})"
                    )
                page.screenshot(
                    path=str(ARTIFACTS / f"room-{name}-{count:02d}-{width}x{height}.png"),
                    full_page=name == "comparison" and width != PHONE_WIDTH,
                )
                if width == PHONE_WIDTH:
                    found = page.evaluate(MEASURE_CARDS)
                else:
                    found = page.evaluate(MEASURE_TABLE)
                if sorted(page.evaluate(LEGEND_NAMES)) != names:
                    found.append("the legend does not name every organisation")
                if name == "present" and width >= 1280:
                    scroll = page.evaluate("document.scrollingElement.scrollHeight")
                    if scroll > height + 1:
                        found.append(f"slide is {scroll}px high on a {height}px screen")
                problems += [f"{where}: {problem}" for problem in found]
    finally:
        context.close()
    assert not problems, "\n".join(problems[:40])


def test_the_revoke_button_is_not_cut_off_on_a_laptop(live_server, browser):
    """The invitations list at 1366x768 with long addresses: every button fully in view."""
    from sessions.models import Invitation

    session, _facilitator = dialogue_with(3)
    session.phase = Phase.PREPARATION
    session.save()
    coordinator = User.objects.create_user(
        email="coordinator@example.org", name="Coby Coördinator", password=PASSWORD
    )
    session.community.coordinators.add(coordinator)
    organisation = Preparation.objects.filter(session=session).first().organisation
    for number in range(4):
        Invitation.objects.create(
            session=session,
            role="member",
            organisation=organisation,
            email=f"marie-louise.van-den-berg-hoogeveen{number}@zorggroep-zuid-oost-brabant.example.org",
            name="Marie-Louise van den Berg-Hoogeveen",
            token_hash=f"{number:064d}",
            created_by=coordinator,
            expires_at=timezone.now() + timezone.timedelta(days=14),
            last_sent_at=timezone.now(),
            send_count=1,
        )
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", coordinator.email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/sessions/{session.pk}/invitations/")
        page.screenshot(path=str(ARTIFACTS / "room-invitations-1366x768.png"), full_page=True)
        problems = page.evaluate(
            """() => {
              const box = document.querySelector('.table-responsive');
              const frame = box.getBoundingClientRect();
              const out = [];
              if (box.scrollWidth > box.clientWidth + 1) out.push(`table scrolls: ${box.scrollWidth} > ${box.clientWidth}`);
              for (const button of document.querySelectorAll('td .btn')) {
                const b = button.getBoundingClientRect();
                if (b.right > frame.right + 1 || b.left < frame.left - 1) out.push(`${button.textContent.trim()} at ${Math.round(b.left)}-${Math.round(b.right)}, table ${Math.round(frame.left)}-${Math.round(frame.right)}`);
              }
              return out;
            }"""
        )
        assert page.locator("td .btn", has_text="Intrekken").count() == 4
    finally:
        context.close()
    assert not problems, problems
