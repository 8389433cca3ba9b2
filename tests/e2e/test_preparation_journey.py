"""Fase 1 in a real browser, from an empty installation to an open joint dialogue.

A coordinator creates a community and a session and invites two organisations;
two people accept their invitations, fill in and submit; neither can see the
other's answers; the coordinator sees both submitted and opens the dialogue.
The journey runs once in Dutch and once in English, with screenshots of every step.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from partnerships.models import User
from sessions.models import DialogueSession, Phase
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "nl": {
        "submitted": "Ingediend",
        "not found": "Niet gevonden",
        "dialogue": "Gezamenlijke dialoog",
    },
    "en": {"submitted": "Submitted", "not found": "Not Found", "dialogue": "Joint dialogue"},
}


def sign_in(page, base, email, password=PASSWORD):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def submit_main_form(page, button_class="btn-sms"):
    page.click(f"main form button.{button_class}[type=submit]")
    page.wait_for_load_state()


def invitation_link(email, timeout=15.0):
    """The link in the invitation mail, once the background worker has sent it."""
    deadline = time.monotonic() + timeout
    while True:
        message = next((m for m in reversed(mail.outbox) if email in m.to), None)
        if message is not None:
            break
        assert time.monotonic() < deadline, f"no invitation mail to {email} within {timeout}s"
        time.sleep(0.2)
    return re.search(r"https?://\S+/invite/\S+/", message.body).group(0)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_two_organisations_prepare_in_private_and_the_dialogue_opens(
    live_server, background_worker, browser, language
):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    words = WORDS[language]
    coordinator = UserFactory(email="coordinator@example.org", name="Carla Coördinator")
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    step = iter(range(1, 100))

    def new_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def shot(page, name):
        page.screenshot(
            path=str(ARTIFACTS / f"journey-{language}-{next(step):02d}-{name}.png"), full_page=True
        )

    # The coordinator sets up the learning community and its organisations.
    coord = new_page()
    sign_in(coord, base, coordinator.email)
    coord.goto(base + "/communities/new/")
    coord.fill("#id_name", "LC Slimme Zorg")
    coord.fill("#id_sector", "Zorg")
    coord.check("input[name=setting][value=public-public]")
    coord.fill("#id_start_year", "2007")
    shot(coord, "community-form")
    submit_main_form(coord)
    for name, partner_type in (
        ("Hogeschool Oost - Verpleegkunde", "education"),
        ("Zorggroep West", "practice"),
    ):
        add = coord.locator("details:has(form[action$='/organisations/new/'])")
        if add.get_attribute("open") is None:
            add.locator("summary").click()  # folded away once there are organisations
        coord.fill("#id_name", name)
        coord.check(f"input[name=partner_type][value={partner_type}]")
        coord.click("form[action$='/organisations/new/'] button[type=submit]")
        coord.wait_for_load_state()
    shot(coord, "community-with-organisations")

    # ... creates a session with both organisations and opens the preparation.
    coord.click("a[href$='/sessions/new/']")
    coord.fill("#id_title", "Evaluatie voorjaar")
    coord.fill("#id_date", "2026-03-12")
    for checkbox in coord.locator("input[name=organisations]").all():
        checkbox.check()
    shot(coord, "session-form")
    submit_main_form(coord)
    session = DialogueSession.objects.get(title="Evaluatie voorjaar")
    coord.goto(f"{base}/sessions/{session.pk}/phase/")
    shot(coord, "open-preparation-confirm")
    submit_main_form(coord)

    # ... and invites one person per organisation.
    for email, organisation in (
        ("eva@hogeschool.example.org", "Hogeschool Oost"),
        ("piet@zorggroep.example.org", "Zorggroep West"),
    ):
        coord.goto(f"{base}/sessions/{session.pk}/invitations/new/")
        coord.fill("#id_email", email)
        coord.check("input[name=role][value=member]")
        option = coord.locator("#id_organisation option", has_text=organisation)
        coord.select_option("#id_organisation", value=option.get_attribute("value"))
        submit_main_form(coord)
    shot(coord, "invitations-sent")
    assert coord.locator("main table tbody tr").count() == 2

    # Two people accept and fill in their organisation's format.
    partners = {}
    for email, name, outcome in (
        ("eva@hogeschool.example.org", "Eva Docent", "Studenten leren in de wijk"),
        ("piet@zorggroep.example.org", "Piet Praktijk", "Nieuwe collega's vinden"),
    ):
        page = new_page()
        page.goto(invitation_link(email))
        shot(page, f"accept-{name.split()[0].lower()}")
        page.fill("#id_name", name)
        page.fill("#id_password1", "een-lang-wachtwoord-42")
        page.fill("#id_password2", "een-lang-wachtwoord-42")
        submit_main_form(page)
        page.click("main a[href*='/preparations/']")
        page.wait_for_load_state()
        fieldset = page.locator("#motive-capital\\.network")
        fieldset.locator("input[type=radio][value=yes]").check()
        fieldset.locator("textarea").fill(outcome)
        page.locator("#motive-capital\\.financial input[type=radio][value=no]").check()
        shot(page, f"format-{name.split()[0].lower()}")
        page.click("button[name=save]")
        page.wait_for_load_state()
        assert page.locator("textarea").first.is_visible()
        assert outcome in page.content()
        page.click("button[name=submit]")
        page.wait_for_load_state()
        # The format asks for the manager and a staff member: Eva lists who took part,
        # Piet submits without them and says why.
        if name == "Eva Docent":
            page.click("main a[href$='/participants/']")
            page.fill("[name=name_1]", "Mila Manager")
            page.select_option("[name=role_1]", "manager")
            page.fill("[name=name_2]", name)
            page.select_option("[name=role_2]", "staff")
            submit_main_form(page)
            page.click("button[name=submit]")
            page.wait_for_load_state()
        else:
            page.fill("#id_participants_reason", "Onze leidinggevende is met verlof.")
        shot(page, f"submit-confirm-{name.split()[0].lower()}")
        submit_main_form(page, "btn-success")
        shot(page, f"submitted-{name.split()[0].lower()}")
        partners[name] = page

    eva, piet = partners["Eva Docent"], partners["Piet Praktijk"]
    piet_format = session.preparations.get(organisation__name="Zorggroep West")
    eva_format = session.preparations.get(organisation__name__startswith="Hogeschool")
    assert eva_format.submitted and piet_format.submitted
    assert User.objects.get(email="eva@hogeschool.example.org").name == "Eva Docent"

    # Neither sees the other's answers before the dialogue.
    response = eva.goto(f"{base}/sessions/{session.pk}/preparations/{piet_format.pk}/")
    assert response.status == 404
    assert "Nieuwe collega's vinden" not in eva.content()
    response = piet.goto(f"{base}/sessions/{session.pk}/preparations/{eva_format.pk}/")
    assert response.status == 404
    assert "Studenten leren in de wijk" not in piet.content()

    # The coordinator sees both submitted, but not their content, and opens the dialogue.
    coord.goto(f"{base}/sessions/{session.pk}/")
    shot(coord, "dashboard-both-submitted")
    assert coord.get_by_text(words["submitted"]).count() >= 2
    assert "Studenten leren in de wijk" not in coord.content()
    coord.goto(f"{base}/sessions/{session.pk}/phase/")
    shot(coord, "open-dialogue-confirm")
    submit_main_form(coord)
    session.refresh_from_db()
    assert session.phase == Phase.DIALOGUE
    shot(coord, "dialogue-open")

    # From now on the partners read each other's submitted formats.
    eva.goto(f"{base}/sessions/{session.pk}/preparations/{piet_format.pk}/")
    assert "Nieuwe collega's vinden" in eva.content()
    shot(eva, "dialogue-read-other-format")
