"""A person downloads their own data from the account page; ``export_person`` prints the same."""

import json
from io import StringIO

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import Action, AuditEvent
from tests import factories


def english(client, person):
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def alice_wrote(session):
    alice, carol = session.people["alice"], session.people["carol"]
    education = session.preparations.get(organisation=session.education)
    education.updated_by = alice
    education.save()
    factories.NoteFactory(session=session, author=alice, text="Alice's own note")
    factories.NoteFactory(session=session, author=carol, text="Carol's note, not Alice's")
    factories.InvitationFactory(
        session=session, organisation=session.education, email="alice@example.org"
    )
    factories.InvitationFactory(
        session=session, organisation=session.practice, email="friend@example.org", created_by=alice
    )
    AccessLog.objects.create(username="alice@example.org", ip_address="192.0.2.7", user_agent="Ff")
    return session


def test_the_account_page_offers_the_download_and_shows_the_memberships(client, session):
    page = english(client, session.people["alice"]).get(reverse("account")).text
    assert reverse("account_data") in page
    assert "Hogeschool Zuid" in page and "alice@example.org" in page


def test_the_download_holds_account_memberships_and_what_she_wrote_and_when(client, alice_wrote):
    response = english(client, alice_wrote.people["alice"]).get(reverse("account_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="sms-tool-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.org"
    assert [m["organisation"] for m in data["memberships"]] == ["Hogeschool Zuid"]
    assert [n["text"] for n in data["notes"]] == ["Alice's own note"]
    assert data["formats"][0]["organisation"] == "Hogeschool Zuid"
    assert data["formats"][0]["last_edited_by_you_at"]
    assert [i["organisation"] for i in data["invitations_received"]] == ["Hogeschool Zuid"]
    assert data["invitations_sent"][0]["role"] == "member"
    assert data["sign_in_records"]["successful"][0]["ip_address"] == "192.0.2.7"
    # nobody else's data: not Carol's note, not the address Alice invited
    text = response.content.decode()
    assert "Carol's note" not in text and "friend@example.org" not in text
    assert AuditEvent.objects.filter(
        action=Action.PERSON_EXPORTED, actor__email="alice@example.org"
    )


def test_each_person_gets_only_their_own_data(client, alice_wrote):
    data = json.loads(
        english(client, alice_wrote.people["bob"]).get(reverse("account_data")).content
    )
    assert data["account"]["email"] == "bob@example.org"
    assert "Alice" not in json.dumps(data) and data["notes"] == []


def test_export_person_prints_the_same_data_for_an_address_in_any_case(alice_wrote):
    out = StringIO()
    call_command("export_person", "ALICE@Example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert data["account"]["email"] == "alice@example.org"
    assert [n["text"] for n in data["notes"]] == ["Alice's own note"]
    with pytest.raises(CommandError):
        call_command("export_person", "nobody@example.org")
