"""Partners decide together, each from their own device (issue 14).

Three organisations, each in its own browser context, mark their priorities and
submit; in the joint dialogue each puts dots on candidates while the facilitator's
projector counts them, the facilitator turns the top one into a joint motive, and
the organisations state their positions: one objects, which marks the motive "not
yet agreed" on the projector, until it abstains instead.
"""

import pytest

from motives.models import Motive
from partnerships.models import User
from sessions.interchange.format import import_session
from sessions.models import Consent, JointMotive, Phase, Vote
from tests.factories import PASSWORD
from tests.sessions.samples import valid_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def preparing_session():
    document = valid_document()
    document["session"]["phase"] = "preparation"
    document["joint_motives"] = []
    document["agreements"] = []
    for org in document["organisations"]:
        org["submitted"] = False
        org["participants"] = [
            {"name": "M. Manager", "role": "manager"},
            {"name": "S. Staff", "role": "staff"},
        ]
    document["organisations"][1]["answers"][1]["applies"] = True  # network applies to all
    document["organisations"].append(
        {
            "name": "Zorggroep Zuid",
            "partner_type": "practice",
            "members": [{"email": "z@example.org", "name": "Z. Member"}],
            "submitted": False,
            "participants": [{"name": "Z. Manager", "role": "manager"}],  # no staff member
            "answers": [
                {"motive": "capital.network", "applies": True, "intended_outcome": "Netwerk"},
                {"motive": "capital.recruitment", "applies": True, "intended_outcome": "Mensen"},
            ],
        }
    )
    session = import_session(document)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    return session


def test_three_organisations_prioritise_vote_consent_and_object(live_server, browser):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    session = preparing_session()
    network = Motive.objects.get(code="capital.network")
    contexts = []

    def device(email):
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    def shot(page, name):
        page.screenshot(path=str(ARTIFACTS / f"deciding-{name}.png"), full_page=True)

    partners = {
        "Fontys ICT": device("a@example.org"),
        "Machinefabriek Oost": device("b@example.org"),
        "Zorggroep Zuid": device("z@example.org"),
    }
    preparations = {p.organisation.name: p for p in session.preparations.all()}

    # Fase 1: each marks capital.network as its first priority and submits.
    for name, page in partners.items():
        preparation = preparations[name]
        page.goto(f"{base}/sessions/{session.pk}/preparations/{preparation.pk}/")
        page.select_option(f"select[name=priority_{network.pk}]", "1")
        page.click("button[name=submit]")
        page.wait_for_url("**/submit/")
        if name == "Zorggroep Zuid":
            assert "Er staat geen medewerker" in page.inner_text("main")
            page.fill("#id_participants_reason", "Onze medewerker start pas in mei.")
            shot(page, "01-submit-without-staff")
        page.click("main form button.btn-success")
        page.wait_for_load_state()
    for preparation in session.preparations.all():
        assert preparation.submitted
        assert preparation.answers.get(motive=network).priority == 1

    session.phase = Phase.DIALOGUE
    session.save()
    facilitator = device("fac@example.org")
    facilitator.goto(f"{base}/sessions/{session.pk}/priorities/")
    assert (
        facilitator.locator("#priorities-table tbody tr").first.get_attribute("data-code")
        == "capital.network"
    )

    # Dots from every device; the projector counts them.
    for page in partners.values():
        page.goto(f"{base}/sessions/{session.pk}/vote/")
        page.check("#dot-capital\\.network")
        page.click("#vote-form button[type=submit]")
        page.wait_for_load_state()
    facilitator.goto(f"{base}/sessions/{session.pk}/votes/")
    top = facilitator.locator("tr.candidate").first
    assert top.get_attribute("data-code") == "capital.network"
    assert top.locator(".votes").inner_text() == "3"
    shot(facilitator, "02-projector-votes")
    top.locator("button").click()
    facilitator.wait_for_load_state()
    joint = JointMotive.objects.get(session=session)
    assert (joint.motive_id, joint.votes) == (network.pk, 3)
    assert Vote.objects.filter(session=session).count() == 3

    # Positions: two agree, one objects with a reason.
    for name, page in partners.items():
        page.goto(f"{base}/sessions/{session.pk}/preparations/{preparations[name].pk}/positions/")
        if name == "Zorggroep Zuid":
            page.check(f"#joint_motive{joint.pk}-object")
            page.fill(f"#joint_motive{joint.pk}-reason", "Eerst afspraken over de kosten.")
        else:
            page.check(f"#joint_motive{joint.pk}-agree")
        page.click("#positions-form button[type=submit]")
        page.wait_for_load_state()
    facilitator.goto(f"{base}/sessions/{session.pk}/positions/")
    row = facilitator.locator("tr.position-row").first
    assert row.get_attribute("data-state") == "objected"
    assert "Eerst afspraken over de kosten." in row.inner_text()
    shot(facilitator, "03-projector-objection")

    zorg = partners["Zorggroep Zuid"]
    zorg.goto(
        f"{base}/sessions/{session.pk}/preparations/{preparations['Zorggroep Zuid'].pk}/positions/"
    )
    zorg.check(f"#joint_motive{joint.pk}-abstain")
    zorg.click("#positions-form button[type=submit]")
    zorg.wait_for_load_state()
    facilitator.reload()  # the page also reloads itself every few seconds
    assert facilitator.locator("tr.position-row").first.get_attribute("data-state") == "agreed"
    assert Consent.objects.filter(joint_motive=joint).count() == 3
    for context in contexts:
        context.close()
