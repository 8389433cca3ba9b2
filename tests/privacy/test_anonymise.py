"""Anonymising a person: the account is gone, the organisation's answers stay, authorship
shows "former member" on every page, in every export and in the PDF."""

import json
from io import StringIO

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from motives.models import Motive
from partnerships.models import Membership
from privacy.anonymise import anonymise_person
from sessions.interchange.format import export_session
from sessions.models import Invitation, Phase
from sms_tool.errors import DomainError
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import sign_in_with_second_factor
from tests.tasks import delivered
from tests.test_access_matrix import readable_text

ZORA = "Zora Zonderland"  # a member who submitted her organisation's format
XAVER = "Xaver Xylofoon"  # the facilitator: he wrote a note, a joint motive and an agreement
OUTCOME = "EDU-OUTCOME-STAYS"


@pytest.fixture
def written(session):
    """A session in the dialogue where both people wrote something, and the report was cached."""
    zora = session.people["alice"]
    zora.name = ZORA
    zora.save()
    xaver = session.people["carol"]
    xaver.name = XAVER
    xaver.save()
    network = Motive.objects.get(code="capital.network")
    education = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=education, motive=network, intended_outcome=OUTCOME)
    education.submitted_at = timezone.now()
    education.submitted_by = zora
    education.updated_by = zora
    education.save()
    practice = session.preparations.get(organisation=session.practice)
    practice.submitted_at = timezone.now()
    practice.save()
    factories.NoteFactory(session=session, author=xaver, text="A note by the facilitator")
    factories.JointMotiveFactory(session=session, updated_by=xaver)
    factories.AgreementFactory(session=session, updated_by=xaver)
    factories.InvitationFactory(session=session, organisation=session.education, email=zora.email)
    AccessLog.objects.create(username=zora.email, ip_address="192.0.2.7", user_agent="Firefox")
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def pages(session):
    return [
        reverse(name, args=args)
        for name, args in [
            ("session_detail", [session.pk]),
            (
                "preparation_detail",
                [session.pk, session.preparations.get(organisation=session.education).pk],
            ),
            ("session_results", [session.pk]),
            ("session_comparison", [session.pk]),
            ("session_present", [session.pk]),
            ("invitation_list", [session.pk]),
            ("session_answers_csv", [session.pk]),
            ("session_answers_xlsx", [session.pk]),
            ("session_export", [session.pk]),
            ("session_report", [session.pk]),
            ("audit_log", []),
        ]
    ]


def read_all(session, client):
    texts = {}
    for url in pages(session):
        with delivered():  # the PDF report is rendered by the worker: ask, let it run, ask again
            response = client.get(url)
        if response.status_code == 202:
            response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = readable_text(response)
    return texts


def coordinator(session):
    client = Client()
    client.force_login(session.people["dave"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_before_anonymising_the_names_are_on_the_pages_the_check_reads(written):
    """Proof that the check below would see the names where they were."""
    texts = read_all(written, coordinator(written))
    seen = "\n".join(texts.values())
    assert ZORA in seen and XAVER in seen and "alice@example.org" in seen
    assert XAVER in texts[reverse("session_report", args=[written.pk])]  # the PDF names him


def test_after_anonymising_no_page_export_or_pdf_names_them_and_the_answers_stay(written):
    client = coordinator(written)
    read_all(written, client)  # the PDF is now in the cache, with the facilitator's name
    zora, xaver = written.people["alice"], written.people["carol"]
    anonymise_person(person=zora, by=written.people["dave"])
    call_command("anonymise_person", "CAROL@example.org", "--yes", stdout=StringIO())
    texts = read_all(written, client)
    for url, text in texts.items():
        for trace in (ZORA, XAVER, "alice@example.org", "carol@example.org", "Zora", "Xaver"):
            assert trace not in text, f"{trace} still on {url}"
    detail = texts[reverse("session_detail", args=[written.pk])]
    assert "former member" in detail  # the table of formats: submitted by, last edited by
    results = texts[reverse("session_results", args=[written.pk])]
    assert "former member" in results and "A note by the facilitator" in results
    assert "former member" in texts[reverse("audit_log")]
    for name in (
        "session_comparison",
        "session_answers_csv",
        "session_answers_xlsx",
        "session_export",
    ):
        assert OUTCOME in texts[reverse(name, args=[written.pk])], name  # the answers stay
    assert OUTCOME in texts[reverse("session_report", args=[written.pk])].replace("\n", "")
    exported = json.loads(texts[reverse("session_export", args=[written.pk])])
    assert not [
        m for o in exported["organisations"] for m in o["members"] if "example" not in m["email"]
    ]
    zora.refresh_from_db()
    xaver.refresh_from_db()
    assert str(zora) == zora.get_full_name() == "former member"
    assert not zora.is_active and not zora.has_usable_password() and zora.name == ""
    assert zora.email.endswith("@anonymised.invalid")
    assert not Membership.objects.filter(person=zora).exists()
    assert not written.facilitators.filter(pk=xaver.pk).exists()
    assert not Invitation.objects.filter(email="alice@example.org").exists()
    assert not AccessLog.objects.filter(username="alice@example.org").exists()
    # the organisation's format is still there, still submitted
    education = written.preparations.get(organisation=written.education)
    assert education.submitted_at and education.answers.filter(intended_outcome=OUTCOME).exists()


def test_the_pages_are_in_dutch_too(written):
    anonymise_person(person=written.people["alice"])
    client = coordinator(written)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(reverse("session_detail", args=[written.pk])).text
    assert "voormalig lid" in page and ZORA not in page


def test_an_anonymised_person_cannot_sign_in_and_their_browser_session_ends(written):
    browser = Client()
    assert (
        browser.post(
            reverse("login"), {"username": "alice@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert browser.get(reverse("account")).status_code == 200
    anonymise_person(person=written.people["alice"])
    assert browser.get(reverse("account")).status_code == 302  # signed out
    again = Client().post(reverse("login"), {"username": "alice@example.org", "password": PASSWORD})
    assert again.status_code == 200  # the sign-in page again, with its message


def test_anonymising_twice_or_an_unknown_address_is_refused_in_words(written):
    anonymise_person(person=written.people["alice"])
    with pytest.raises(DomainError, match="already been anonymised|al geanonimiseerd"):
        anonymise_person(person=written.people["alice"])
    with pytest.raises(CommandError, match="no account|geen account"):
        call_command("anonymise_person", "nobody@example.org", "--yes")


def test_the_admin_action_anonymises_and_is_in_the_audit_log(client, written):
    root = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, root)
    zora = written.people["alice"]
    response = client.post(
        reverse("admin:partnerships_user_changelist"),
        {"action": "anonymise_selected", "_selected_action": [zora.pk, root.pk]},
        follow=True,
    )
    assert response.status_code == 200
    zora.refresh_from_db()
    root.refresh_from_db()
    assert zora.anonymised_at and root.anonymised_at is None  # never yourself
    event = AuditEvent.objects.get(action=Action.PERSON_ANONYMISED)
    assert event.actor == root and event.subject == zora


def test_the_session_file_of_the_command_line_names_nobody_anonymised(written):
    anonymise_person(person=written.people["alice"])
    data = json.dumps(export_session(written))
    assert "alice@example.org" not in data and ZORA not in data
    assert get_user_model().objects.filter(name=ZORA).count() == 0
