import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership, User
from sessions.invitations import services
from sessions.models import Invitation, InvitationRole, InvitationStatus, Phase
from tests import factories
from tests.factories import PASSWORD
from tests.tasks import commit_each_request

LINK = re.compile(r"https?://testserver(/invite/[\w-]+/)")


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Mail leaves after the request's commit, through the worker (tests/tasks.py)."""
    commit_each_request(monkeypatch)


@pytest.fixture
def english(client):
    """The test client reads pages in English, the source language of every message."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client, person):
    client.force_login(person)
    return client


def open_invitation(session, **overrides):
    arguments = {
        "session": session,
        "organisation": session.practice,
        "email": "eve@example.org",
        "name": "Eve",
        "created_by": session.people["dave"],
    }
    arguments.update(overrides)
    return factories.InvitationFactory(**arguments)


def invitation_in_another_session(session, email="other@example.org"):
    other_session = factories.DialogueSessionFactory(community=session.community)
    return factories.InvitationFactory(
        session=other_session, email=email, role=InvitationRole.FACILITATOR, organisation=None
    )


def accept_url(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("invitation_accept", args=[token])


def snapshot(invitation):
    return Invitation.objects.values().get(pk=invitation.pk)


def new_person_data(**overrides):
    data = {
        "name": "Eve Jansen",
        "password1": "lange-wachtzin-42",
        "password2": "lange-wachtzin-42",
    }
    data.update(overrides)
    return data


# --- who may manage invitations ----------------------------------------------


def coordinator_requests(session, invitation):
    return [
        ("get", reverse("invitation_list", args=[session.pk]), {}),
        ("get", reverse("invitation_create", args=[session.pk]), {}),
        (
            "post",
            reverse("invitation_create", args=[session.pk]),
            {"email": "x@example.org", "role": "facilitator"},
        ),
        ("get", reverse("invitation_bulk", args=[session.pk]), {}),
        (
            "post",
            reverse("invitation_bulk", args=[session.pk]),
            {"lines": f"x@example.org, {session.practice.name}"},
        ),
        ("post", reverse("invitation_resend", args=[session.pk, invitation.pk]), {}),
        ("get", reverse("invitation_revoke", args=[session.pk, invitation.pk]), {}),
        ("post", reverse("invitation_revoke", args=[session.pk, invitation.pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["mallory", "alice", "carol"])
def test_only_coordinators_reach_the_invitation_pages_others_get_404(client, session, persona):
    invitation = open_invitation(session)
    before = snapshot(invitation)
    signed_in(client, session.people[persona])

    for method, url, data in coordinator_requests(session, invitation):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)

    assert snapshot(invitation) == before
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_a_visitor_is_sent_to_sign_in_first(client, session):
    response = client.get(reverse("invitation_list", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_invitation_of_another_session_is_not_found(client, session):
    elsewhere = invitation_in_another_session(session)
    signed_in(client, session.people["dave"])

    resend = client.post(reverse("invitation_resend", args=[session.pk, elsewhere.pk]))
    revoke = client.get(reverse("invitation_revoke", args=[session.pk, elsewhere.pk]))

    assert resend.status_code == 404
    assert revoke.status_code == 404


# --- inviting ------------------------------------------------------------------


def test_a_coordinator_invites_someone_and_the_link_in_the_email_works(english, session):
    signed_in(english, session.people["dave"])

    response = english.post(
        reverse("invitation_create", args=[session.pk]),
        {
            "email": "eve@example.org",
            "name": "Eve",
            "role": "member",
            "organisation": session.practice.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_list", args=[session.pk])
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation) == ("eve@example.org", session.practice)
    [message] = mail.outbox
    path = LINK.search(message.body).group(1)
    visitor = Client()
    page = visitor.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Evaluatie voorjaar" in page.text
    assert "Create your account" in page.text


def test_the_invitation_form_offers_the_participating_organisations(english, session):
    factories.OrganisationFactory(name="Niet Deelnemend BV")
    signed_in(english, session.people["dave"])

    response = english.get(reverse("invitation_create", args=[session.pk]))

    assert response.status_code == 200
    assert "Hogeschool Zuid" in response.text
    assert "Bouwbedrijf Noord" in response.text
    assert "Niet Deelnemend BV" not in response.text
    assert 'type="radio"' in response.text


def test_a_member_invitation_without_organisation_is_explained_in_the_form(english, session):
    signed_in(english, session.people["dave"])

    response = english.post(
        reverse("invitation_create", args=[session.pk]),
        {"email": "eve@example.org", "role": "member", "organisation": ""},
    )

    assert response.status_code == 200
    assert "Choose the organisation the person will work for." in response.text
    assert 'value="eve@example.org"' in response.text
    assert not Invitation.objects.exists()


def test_a_facilitator_invitation_ignores_a_chosen_organisation(english, session):
    signed_in(english, session.people["dave"])

    english.post(
        reverse("invitation_create", args=[session.pk]),
        {"email": "eve@example.org", "role": "facilitator", "organisation": session.practice.pk},
    )

    invitation = Invitation.objects.get()
    assert invitation.role == InvitationRole.FACILITATOR
    assert invitation.organisation is None


def test_a_refusal_of_the_service_is_shown_in_the_form_with_the_typed_data_kept(english, session):
    open_invitation(session)
    signed_in(english, session.people["dave"])

    response = english.post(
        reverse("invitation_create", args=[session.pk]),
        {
            "email": "eve@example.org",
            "name": "Eve de Vries",
            "role": "member",
            "organisation": session.practice.pk,
        },
    )

    assert response.status_code == 200
    assert "already has an open invitation" in response.text
    assert 'value="Eve de Vries"' in response.text
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_nobody_is_invited_to_a_closed_session(client, session):
    session.phase = Phase.CLOSED
    session.save()
    signed_in(client, session.people["dave"])

    assert client.get(reverse("invitation_create", args=[session.pk])).status_code == 404
    assert client.get(reverse("invitation_list", args=[session.pk])).status_code == 200


# --- the list --------------------------------------------------------------------


def test_the_list_shows_each_status_in_words_and_never_a_token(english, session):
    now = timezone.now()
    invitations = [
        open_invitation(session, email="sent@example.org"),
        open_invitation(session, email="accepted@example.org", accepted_at=now),
        open_invitation(
            session, email="expired@example.org", expires_at=now - datetime.timedelta(days=1)
        ),
        open_invitation(session, email="revoked@example.org", revoked_at=now),
    ]
    signed_in(english, session.people["dave"])

    response = english.get(reverse("invitation_list", args=[session.pk]))

    assert response.status_code == 200
    for word in ("Sent", "Accepted", "Expired", "Revoked"):
        assert f">{word}</span>" in response.text
    for invitation in invitations:
        assert invitation.email in response.text
        assert invitation.token not in response.text
        assert invitation.token_hash not in response.text
    assert reverse("session_detail", args=[session.pk]) in response.text


def test_the_list_offers_resend_and_revoke_only_for_open_or_expired_invitations(english, session):
    now = timezone.now()
    sent = open_invitation(session, email="sent@example.org")
    accepted = open_invitation(session, email="accepted@example.org", accepted_at=now)
    signed_in(english, session.people["dave"])

    response = english.get(reverse("invitation_list", args=[session.pk]))

    assert reverse("invitation_resend", args=[session.pk, sent.pk]) in response.text
    assert reverse("invitation_revoke", args=[session.pk, sent.pk]) in response.text
    assert reverse("invitation_resend", args=[session.pk, accepted.pk]) not in response.text
    assert reverse("invitation_revoke", args=[session.pk, accepted.pk]) not in response.text


def test_the_list_says_so_when_nobody_was_invited_yet(english, session):
    signed_in(english, session.people["dave"])
    response = english.get(reverse("invitation_list", args=[session.pk]))
    assert "Nobody has been invited to this session yet." in response.text


def test_the_list_shows_fifty_invitations_per_page(english, session):
    for number in range(51):
        open_invitation(session, email=f"person{number}@example.org")
    signed_in(english, session.people["dave"])

    first = english.get(reverse("invitation_list", args=[session.pk]))
    second = english.get(reverse("invitation_list", args=[session.pk]), {"page": 2})

    assert first.text.count("@example.org</td>") == 50
    assert second.text.count("@example.org</td>") == 1
    assert "Page 2 of 2" in second.text


def test_the_list_shows_only_this_sessions_invitations(english, session):
    invitation_in_another_session(session, email="other@example.org")
    signed_in(english, session.people["dave"])

    response = english.get(reverse("invitation_list", args=[session.pk]))

    assert "other@example.org" not in response.text


# --- resending and revoking -----------------------------------------------------------


def test_a_coordinator_resends_with_a_new_link_and_the_old_link_stops_working(english, session):
    invitation = open_invitation(session, send_count=1)
    signed_in(english, session.people["dave"])

    response = english.post(reverse("invitation_resend", args=[session.pk, invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    [message] = mail.outbox
    new_path = LINK.search(message.body).group(1)
    assert new_path != accept_url(invitation)
    assert Client().get(accept_url(invitation)).status_code == 404
    assert Client().get(new_path).status_code == 200


def test_resend_takes_post_only(client, session):
    invitation = open_invitation(session)
    signed_in(client, session.people["dave"])
    response = client.get(reverse("invitation_resend", args=[session.pk, invitation.pk]))
    assert response.status_code == 405


def test_revoking_asks_for_confirmation_first_and_then_revokes(english, session):
    invitation = open_invitation(session)
    before = snapshot(invitation)
    signed_in(english, session.people["dave"])
    url = reverse("invitation_revoke", args=[session.pk, invitation.pk])

    confirmation = english.get(url)

    assert confirmation.status_code == 200
    assert "Revoke the invitation to eve@example.org?" in confirmation.text
    assert snapshot(invitation) == before

    response = english.post(url)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert Client().get(accept_url(invitation)).status_code == 410


def test_an_accepted_invitation_cannot_be_revoked(english, session):
    invitation = open_invitation(session, accepted_at=timezone.now())
    signed_in(english, session.people["dave"])
    url = reverse("invitation_revoke", args=[session.pk, invitation.pk])

    assert "cannot be revoked" in english.get(url).text
    english.post(url)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- accepting -----------------------------------------------------------------------


def test_opening_the_link_changes_nothing(client, session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    before = snapshot(invitation)

    for visitor in (Client(), signed_in(client, eve)):
        assert visitor.get(accept_url(invitation)).status_code == 200

    assert snapshot(invitation) == before
    assert not Membership.objects.filter(person=eve).exists()


def test_the_invited_person_accepts_with_a_button(english, session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    signed_in(english, eve)

    page = english.get(accept_url(invitation))
    assert "Accept the invitation" in page.text
    assert "Bouwbedrijf Noord" in page.text
    assert "Smart Industry Lab" in page.text
    assert "Dave" in page.text

    response = english.post(accept_url(invitation))

    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_a_facilitator_invitation_is_accepted_as_facilitator(client, session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, role="facilitator", organisation=None)
    signed_in(client, eve)

    client.post(accept_url(invitation))

    assert session.facilitators.filter(pk=eve.pk).exists()


def test_a_tampered_link_is_not_found(english, session):
    invitation = open_invitation(session)
    tampered = invitation.token[:-2] + ("AA" if invitation.token[-2:] != "AA" else "BB")

    response = english.get(accept_url(tampered))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text
    assert english.post(accept_url(tampered)).status_code == 404


def test_a_used_link_is_gone_and_says_what_to_do(english, session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    services.invitation_accept(invitation=invitation, person=eve)

    response = english.get(accept_url(invitation))

    assert response.status_code == 410
    assert "This invitation has already been used" in response.text
    assert "ask the coordinator for a new invitation" in response.text
    assert english.post(accept_url(invitation)).status_code == 410


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "has expired"),
        ({"revoked_at": timezone.now()}, "was withdrawn"),
    ],
    ids=["expired", "revoked"],
)
def test_an_expired_or_revoked_link_is_gone_and_nothing_changes(english, session, state, heading):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, **state)
    before = snapshot(invitation)
    signed_in(english, eve)

    page = english.get(accept_url(invitation))
    attempt = english.post(accept_url(invitation))

    assert page.status_code == attempt.status_code == 410
    assert heading in page.text
    assert "coordinator" in page.text
    assert snapshot(invitation) == before
    assert not Membership.objects.filter(person=eve).exists()


def test_someone_signed_in_with_another_address_is_refused_and_offered_to_sign_out(
    english, session
):
    mallory = session.people["mallory"]
    invitation = open_invitation(session)
    before = snapshot(invitation)
    signed_in(english, mallory)

    page = english.get(accept_url(invitation))
    attempt = english.post(accept_url(invitation))

    assert page.status_code == 200
    assert "This invitation is for another e-mail address" in page.text
    assert reverse("logout") in page.text
    assert "Accept the invitation" not in page.text
    assert attempt.status_code == 403
    assert "another e-mail address" in attempt.text
    assert snapshot(invitation) == before
    assert not Membership.objects.filter(person=mallory).exists()


def test_someone_with_an_account_is_asked_to_sign_in_and_comes_back_to_accept(english, session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)

    page = english.get(accept_url(invitation))

    sign_in = f"{reverse('login')}?next={accept_url(invitation)}"
    assert "Sign in to accept" in page.text
    assert sign_in in page.text
    assert 'name="password1"' not in page.text
    assert english.post(accept_url(invitation)).status_code == 200
    assert snapshot(invitation)["accepted_at"] is None

    response = english.post(
        sign_in,
        {"username": "eve@example.org", "password": PASSWORD, "next": accept_url(invitation)},
    )
    assert response["Location"] == accept_url(invitation)
    english.post(accept_url(invitation))

    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()


def test_a_new_person_creates_an_account_accepts_and_is_signed_in(english, session):
    invitation = open_invitation(session)

    page = english.get(accept_url(invitation))
    assert 'value="Eve"' in page.text  # the name the coordinator typed
    response = english.post(accept_url(invitation), new_person_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    eve = User.objects.get(email="eve@example.org")
    assert eve.name == "Eve Jansen"
    assert eve.check_password("lange-wachtzin-42")
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()
    assert english.session["_auth_user_id"] == str(eve.pk)


def test_mismatching_passwords_keep_the_name_and_show_the_error(english, session):
    invitation = open_invitation(session)

    response = english.post(
        accept_url(invitation), new_person_data(name="Eve Jansen", password2="iets-anders-99")
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("password2", "password_mismatch")
    assert "The two password fields didn’t match." in response.text
    assert 'value="Eve Jansen"' in response.text
    assert not User.objects.filter(email="eve@example.org").exists()
    assert snapshot(invitation)["accepted_at"] is None


def test_a_weak_password_is_refused_with_djangos_password_rules(english, session):
    invitation = open_invitation(session)

    response = english.post(
        accept_url(invitation), new_person_data(password1="12345678", password2="12345678")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="eve@example.org").exists()


# --- an account without a password (made by an import or in the admin) -------------


def test_an_invited_person_without_a_password_chooses_one_and_lands_in_the_session(
    english, session
):
    # Iris's account was made by an import: she never chose a password.
    iris = User.objects.create_user(email="iris@example.org", password=None, name="Iris")
    signed_in(english, session.people["dave"])
    english.post(
        reverse("invitation_create", args=[session.pk]),
        {"email": "Iris@Example.org", "role": "member", "organisation": session.practice.pk},
    )
    english.logout()  # which forgets every cookie, the language too
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    [message] = mail.outbox
    assert message.to == ["iris@example.org"]
    link = LINK.search(message.body).group(1)

    page = english.get(link)
    assert page.status_code == 200
    assert "Choose your password" in page.text
    assert "Sign in to accept" not in page.text
    assert 'value="Iris"' in page.text
    response = english.post(link, new_person_data(name="Iris de Vries"), follow=True)

    assert response.redirect_chain[0][0] == reverse("session_detail", args=[session.pk])
    assert response.status_code == 200
    assert "Evaluatie voorjaar" in response.text
    assert "You have accepted the invitation" in response.text
    assert english.session["_auth_user_id"] == str(iris.pk)
    iris.refresh_from_db()
    assert iris.name == "Iris de Vries"
    assert Membership.objects.filter(person=iris, organisation=session.practice).exists()
    assert Invitation.objects.get().accepted_by == iris
    # from now on she signs in with her address and the password she chose
    english.logout()
    signed = english.post(
        reverse("login"), {"username": "iris@example.org", "password": "lange-wachtzin-42"}
    )
    assert signed.status_code == 302


def test_a_weak_first_password_is_refused_on_the_page_and_nothing_changes(english, session):
    iris = User.objects.create_user(email="iris@example.org", password=None)
    invitation = open_invitation(session, email="iris@example.org")
    before = snapshot(invitation)

    response = english.post(
        accept_url(invitation), new_person_data(password1="12345678", password2="12345678")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    iris.refresh_from_db()
    assert not iris.has_usable_password()
    assert snapshot(invitation) == before


def test_a_deactivated_account_is_told_why_it_cannot_accept(english, session):
    iris = User.objects.create_user(email="iris@example.org", password=None, is_active=False)
    invitation = open_invitation(session, email="iris@example.org")
    before = snapshot(invitation)

    page = english.get(accept_url(invitation))
    attempt = english.post(accept_url(invitation), new_person_data())

    assert "has been switched off" in page.text
    assert 'name="password1"' not in page.text
    assert "Sign in to accept" not in page.text
    assert attempt.status_code == 200
    iris.refresh_from_db()
    assert not iris.has_usable_password()
    assert snapshot(invitation) == before


def test_someone_signed_in_elsewhere_cannot_set_the_password_of_the_invited_account(
    english, session
):
    # Mallory is signed in and holds Iris's link (forwarded, or guessed from a mail).
    iris = User.objects.create_user(email="iris@example.org", password=None)
    invitation = open_invitation(session, email="iris@example.org")
    before = snapshot(invitation)
    signed_in(english, session.people["mallory"])

    page = english.get(accept_url(invitation))
    attempt = english.post(accept_url(invitation), new_person_data())

    assert 'name="password1"' not in page.text
    assert attempt.status_code == 403
    iris.refresh_from_db()
    assert not iris.has_usable_password()
    assert snapshot(invitation) == before
    assert english.session["_auth_user_id"] == str(session.people["mallory"].pk)


def test_an_invitation_to_an_address_in_capitals_is_accepted_by_its_owner_signed_in_in_lower_case(
    english, session
):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, email="Eve@Example.ORG")
    signed_in(english, eve)

    assert "Accept the invitation" in english.get(accept_url(invitation)).text
    response = english.post(accept_url(invitation))

    assert response["Location"] == reverse("session_detail", args=[session.pk])
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()


def test_an_account_with_a_password_is_never_given_a_new_one_through_the_invitation(
    english, session
):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)

    english.post(accept_url(invitation), new_person_data())

    eve.refresh_from_db()
    assert eve.check_password(PASSWORD)
    assert snapshot(invitation)["accepted_at"] is None


# --- several people at once (issue 13) --------------------------------------------


def bulk(client, session, text):
    return client.post(reverse("invitation_bulk", args=[session.pk]), {"lines": text})


def test_a_pasted_list_invites_everyone_on_it(english, session):
    signed_in(english, session.people["dave"])
    text = (
        f"eve@example.org, {session.practice.name}\n"
        f"\n  FRANK@example.org;{session.education.name.upper()};Frank de Vries\n"
        f"gina@example.org\t{session.practice.name}\n"
    )
    response = bulk(english, session, text)
    assert response.status_code == 302
    assert response.url == reverse("invitation_list", args=[session.pk])
    invited = {(i.email, i.organisation_id, i.name) for i in Invitation.objects.all()}
    assert invited == {
        ("eve@example.org", session.practice.pk, ""),
        ("frank@example.org", session.education.pk, "Frank de Vries"),
        ("gina@example.org", session.practice.pk, ""),
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "eve@example.org",
        "frank@example.org",
        "gina@example.org",
    ]


def test_a_wrong_line_sends_nothing_names_each_reason_and_keeps_the_text(english, session):
    Membership.objects.get_or_create(person=session.people["alice"], organisation=session.education)
    signed_in(english, session.people["dave"])
    text = (
        f"eve@example.org, {session.practice.name}\n"
        "not-an-address, Somewhere\n"
        "frank@example.org, Onbekend BV\n"
        "gina@example.org\n"
        f"Eve@example.org, {session.practice.name}\n"
        f"{session.people['alice'].email}, {session.education.name}\n"
    )
    response = bulk(english, session, text)
    assert response.status_code == 200
    page = response.text
    assert "Line 2:" in page and "is not an e-mail address" in page
    assert "Line 3:" in page and "no organisation called “Onbekend BV”" in page
    assert "Line 4:" in page and "the organisation is missing" in page
    assert "Line 5:" in page and "the same person and organisation as line 1" in page
    assert "Line 6:" in page and "is already a member of" in page
    assert "Line 1:" not in page
    assert "frank@example.org, Onbekend BV" in page  # the text stays in the box
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_an_empty_list_or_too_many_lines_is_explained(english, session):
    signed_in(english, session.people["dave"])
    assert "This field is required." in bulk(english, session, "  ").text
    many = "\n".join(f"p{n}@example.org, {session.practice.name}" for n in range(101))
    assert "At most 100 people at once" in bulk(english, session, many).text
    assert Invitation.objects.count() == 0


def test_an_organisation_of_another_session_cannot_be_named_in_a_list(english, session):
    other = factories.OrganisationFactory(community=session.community, name="Elders BV")
    signed_in(english, session.people["dave"])
    response = bulk(english, session, f"eve@example.org, {other.name}")
    assert "no organisation called “Elders BV” takes part in this session" in response.text
    assert Invitation.objects.count() == 0


def test_accepted_invitations_show_no_expiry_and_dates_read_as_elsewhere(english, session):
    from django.utils.dateformat import format as date_format

    now = timezone.now()
    accepted = open_invitation(session, email="accepted@example.org", accepted_at=now)
    sent = open_invitation(session, email="sent@example.org")
    signed_in(english, session.people["dave"])
    page = english.get(reverse("invitation_list", args=[session.pk])).text

    def row(email):
        return page[page.index(email) :].split("</tr>")[0]

    def shown(moment):
        return date_format(timezone.localtime(moment), "j F Y, H:i")

    assert shown(accepted.expires_at) not in row("accepted@example.org")
    assert shown(sent.expires_at) in row("sent@example.org")  # the month in words
