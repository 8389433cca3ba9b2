"""Invitation links that must not work: expired, used, revoked, tampered, someone else's.

Each is refused with a page that says why and what to do, on opening the link
and on every way of accepting it (signed in, or as a new person creating an
account), and nothing changes: no membership, no facilitator, no new account,
and the invitation's row stays exactly as it was.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership, User
from sessions.models import Invitation
from tests import factories

NEW_PERSON = {
    "name": "Eve Jansen",
    "password1": "lange-wachtzin-42",
    "password2": "lange-wachtzin-42",
}


@pytest.fixture
def invitation(session):
    """Eve (no account yet) is invited to the practice organisation."""
    return factories.InvitationFactory(
        session=session,
        organisation=session.practice,
        email="eve@example.org",
        name="Eve",
        created_by=session.people["dave"],
    )


def accept_url(token):
    return reverse("invitation_accept", args=[token])


def browser(person=None):
    """A fresh visitor reading English pages, optionally signed in."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if person is not None:
        client.force_login(person)
    return client


def state(invitation):
    """Everything an accepted invitation would change."""
    session = invitation.session
    return {
        "invitation": Invitation.objects.values().get(pk=invitation.pk),
        "people": sorted(User.objects.values_list("email", flat=True)),
        "memberships": sorted(Membership.objects.values_list("person_id", "organisation_id")),
        "facilitators": sorted(session.facilitators.values_list("pk", flat=True)),
    }


def every_attempt(token, *people):
    """Open the link and try to accept it: anonymously as a new person, and as each person."""
    responses = []
    visitor = browser()
    responses.append(visitor.get(accept_url(token)))
    responses.append(visitor.post(accept_url(token), NEW_PERSON))
    assert SESSION_KEY not in visitor.session
    for person in people:
        client = browser(person)
        responses.append(client.get(accept_url(token)))
        responses.append(client.post(accept_url(token)))
    return responses


def test_an_expired_link_is_refused_and_changes_nothing(session, invitation):
    eve = factories.UserFactory(email="eve@example.org")
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    before = state(invitation)

    responses = every_attempt(invitation.token, eve)

    for response in responses:
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
        assert "Ask the coordinator to send you a new invitation" in response.text
    assert state(invitation) == before


def test_a_used_link_is_refused_the_second_time_and_changes_nothing(session, invitation):
    first = browser()
    accepted = first.post(accept_url(invitation.token), NEW_PERSON)
    assert accepted.status_code == 302
    eve = User.objects.get(email="eve@example.org")
    before = state(invitation)

    responses = every_attempt(invitation.token, eve, session.people["mallory"])

    for response in responses:
        assert response.status_code == 410
        assert "This invitation has already been used" in response.text
        assert "each invitation link works only once" in response.text
    assert state(invitation) == before
    assert before["invitation"]["accepted_by_id"] == eve.pk


def test_a_revoked_link_is_refused_and_changes_nothing(session, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    before = state(invitation)

    responses = every_attempt(invitation.token, session.people["mallory"])

    for response in responses:
        assert response.status_code == 410
        assert "This invitation was withdrawn" in response.text
        assert "ask the coordinator for a new invitation" in response.text
    assert state(invitation) == before


@pytest.mark.parametrize("position", [0, 20, -1])
def test_a_link_with_one_character_changed_is_not_found_and_changes_nothing(
    session, invitation, position
):
    token = invitation.token
    changed = "A" if token[position] != "A" else "B"
    tampered = token[:position] + changed + (token[position + 1 :] if position != -1 else "")
    assert len(tampered) == len(token) and tampered != token
    before = state(invitation)

    responses = every_attempt(tampered, session.people["mallory"])

    for response in responses:
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.text
        assert "only the link in the newest e-mail works" in response.text
    assert state(invitation) == before
    assert browser().get(accept_url(token)).status_code == 200  # the real link still works


def test_another_persons_link_is_refused_for_the_signed_in_person_and_changes_nothing(
    session, invitation
):
    mallory = session.people["mallory"]
    before = state(invitation)
    client = browser(mallory)

    page = client.get(accept_url(invitation.token))
    attempt = client.post(accept_url(invitation.token))
    as_new_person = client.post(accept_url(invitation.token), NEW_PERSON)

    assert page.status_code == 200
    assert "This invitation is for another e-mail address" in page.text
    assert "Accept the invitation" not in page.text
    assert reverse("logout") in page.text  # offered: sign out, then open the link again
    for refused in (attempt, as_new_person):
        assert refused.status_code == 403
        assert "This invitation is for another e-mail address" in refused.text
    assert state(invitation) == before
    assert not Membership.objects.filter(person=mallory).exists()
