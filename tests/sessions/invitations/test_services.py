import datetime
import hashlib
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import date_format

from notifications.models import MailStatus, OutgoingMail
from notifications.tasks import deliver_mail
from partnerships.models import Membership, User
from sessions.invitations import services
from sessions.models import Invitation, InvitationRole, InvitationStatus
from sms_tool.errors import DomainError
from tests import factories
from tests.tasks import delivered, run_queued_tasks, wait_for_retry


class LinkBuilder:
    """Stands in for the view's link builder and remembers the raw tokens it was given."""

    def __init__(self):
        self.tokens = []

    def __call__(self, token):
        self.tokens.append(token)
        return f"https://sms.example.org/invite/{token}/"


@pytest.fixture
def links():
    return LinkBuilder()


@pytest.fixture(autouse=True)
def english():
    """These tests read the services' messages in English."""
    with translation.override("en"):
        yield


def invite(session, links, **overrides):
    arguments = {
        "session": session,
        "by": session.people["dave"],
        "email": "eve@example.org",
        "role": InvitationRole.MEMBER,
        "organisation": session.practice,
        "name": "Eve",
        "link_builder": links,
    }
    arguments.update(overrides)
    with delivered():
        return services.invitation_create(**arguments)


def open_invitation(session, **overrides):
    arguments = {
        "session": session,
        "organisation": session.practice,
        "email": "eve@example.org",
        "created_by": session.people["dave"],
    }
    arguments.update(overrides)
    return factories.InvitationFactory(**arguments)


def assert_unchanged(invitation):
    before = Invitation.objects.values().get(pk=invitation.pk)
    return lambda: Invitation.objects.values().get(pk=invitation.pk) == before


# --- creating ----------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(session, links):
    invitation = invite(session, links)

    [token] = links.tokens
    stored = Invitation.objects.values().get(pk=invitation.pk)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in stored.values())
    assert len(token) >= 40


def test_an_invitation_expires_after_fourteen_days_by_default(session, links):
    before = timezone.now()
    invitation = invite(session, links)

    assert invitation.expires_at - before >= datetime.timedelta(days=14)
    assert invitation.expires_at - timezone.now() <= datetime.timedelta(days=14)
    assert invitation.status == InvitationStatus.SENT
    assert invitation.send_count == 1
    assert invitation.last_sent_at is not None


def test_the_validity_period_follows_the_setting(session, links, settings):
    settings.INVITATION_VALID_DAYS = 3
    invitation = invite(session, links)
    remaining = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < remaining <= datetime.timedelta(days=3)


def test_the_email_names_session_community_organisation_inviter_expiry_and_link(session, links):
    invitation = invite(session, links)

    [message] = mail.outbox
    assert message.to == ["eve@example.org"]
    assert "Evaluatie voorjaar" in message.subject
    assert "\n" not in message.subject
    for expected in (
        "Evaluatie voorjaar",
        "Smart Industry Lab",
        "Bouwbedrijf Noord",
        "Dave",
        "Eve",
        f"https://sms.example.org/invite/{links.tokens[0]}/",
        str(invitation.expires_at.astimezone().year),
    ):
        assert expected in message.body


def test_a_facilitator_invitation_says_so_and_has_no_organisation(session, links):
    invitation = invite(session, links, role=InvitationRole.FACILITATOR, organisation=None)

    assert invitation.organisation is None
    assert "facilitate" in mail.outbox[0].body


def test_the_email_is_stored_in_lower_case_without_spaces(session, links):
    invitation = invite(session, links, email="  Eve@Example.ORG ")
    assert invitation.email == "eve@example.org"


def test_a_second_open_invitation_for_the_same_thing_is_refused(session, links):
    invite(session, links)

    with pytest.raises(services.InvitationError) as refusal:
        invite(session, links, email="EVE@example.org")

    assert refusal.value.reason == "already_invited"
    assert "Resend" in refusal.value.message
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_person_can_be_invited_again_once_the_first_invitation_is_revoked(session, links):
    first = invite(session, links)
    services.invitation_revoke(invitation=first, by=session.people["dave"])

    second = invite(session, links)

    assert second.pk != first.pk


def test_a_member_needs_an_organisation_that_takes_part_in_the_session(session, links):
    elsewhere = factories.OrganisationFactory(name="Elders BV")

    with pytest.raises(services.InvitationError) as missing:
        invite(session, links, organisation=None)
    with pytest.raises(services.InvitationError) as outside:
        invite(session, links, organisation=elsewhere)

    assert missing.value.reason == "organisation_missing"
    assert outside.value.reason == "organisation_not_in_session"
    assert "Elders BV" in outside.value.message
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_facilitator_is_not_invited_for_an_organisation(session, links):
    with pytest.raises(services.InvitationError) as refusal:
        invite(session, links, role=InvitationRole.FACILITATOR)
    assert refusal.value.reason == "facilitator_with_organisation"


def test_an_existing_member_or_facilitator_is_not_invited_again(session, links):
    with pytest.raises(services.InvitationError) as member:
        invite(session, links, email="Bob@example.org")
    with pytest.raises(services.InvitationError) as facilitator:
        invite(session, links, email="carol@example.org", role="facilitator", organisation=None)

    assert member.value.reason == "already_member"
    assert facilitator.value.reason == "already_facilitator"
    assert not Invitation.objects.exists()


def test_refusals_are_domain_errors_with_a_message_for_the_person(session, links):
    with pytest.raises(DomainError) as refusal:
        invite(session, links, organisation=None)
    assert refusal.value.message
    assert refusal.value.field == "organisation"


def test_a_refusing_mail_server_does_not_refuse_the_invitation_and_it_is_sent_later_once(
    session, links, settings
):
    settings.EMAIL_BACKEND = "tests.mailservers.RefusingBackend"
    invitation = invite(session, links)  # the worker's first try meets the refusing server

    mail_row = OutgoingMail.objects.get()
    assert Invitation.objects.get() == invitation
    assert (mail_row.status, mail_row.attempts) == (MailStatus.QUEUED, 1)
    assert "SMTPServerDisconnected" in mail_row.last_error
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    wait_for_retry()
    run_queued_tasks()
    deliver_mail.call(mail_row.pk)  # a repeated task, as after a worker restart

    [message] = mail.outbox
    assert links.tokens[0] in message.body
    mail_row.refresh_from_db()
    assert (mail_row.status, mail_row.attempts) == (MailStatus.SENT, 2)


def month_name(moment, language):
    with translation.override(language):
        return date_format(timezone.localtime(moment), "F")


def test_the_email_is_written_in_the_language_the_invited_person_chose(session, links):
    factories.UserFactory(email="eve@example.org", language="en")
    factories.UserFactory(email="frank@example.org", language="")
    for_eve = invite(session, links)
    with translation.override("nl"):  # the inviter works in Dutch
        for_frank = invite(session, links, email="frank@example.org")

    to_eve, to_frank = mail.outbox
    assert month_name(for_eve.expires_at, "en") in to_eve.body
    assert month_name(for_frank.expires_at, "nl") in to_frank.body  # the inviter's language


# --- finding -------------------------------------------------------------------


def test_an_invitation_is_found_by_its_raw_token_only(session):
    invitation = open_invitation(session)

    assert services.invitation_find(invitation.token) == invitation
    assert services.invitation_find(invitation.token_hash) is None
    assert services.invitation_find(invitation.token[:-1] + "x") is None
    assert services.invitation_find("") is None


# --- resending and revoking ----------------------------------------------------


def test_resending_makes_a_new_link_and_the_old_one_stops_working(session, links):
    invitation = open_invitation(
        session, expires_at=timezone.now() + datetime.timedelta(days=1), send_count=1
    )
    old_token = invitation.token

    with delivered():
        resent = services.invitation_resend(
            invitation=invitation, by=session.people["dave"], link_builder=links
        )

    [new_token] = links.tokens
    assert new_token != old_token
    assert services.invitation_find(old_token) is None
    assert services.invitation_find(new_token) == invitation
    assert resent.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert resent.send_count == 2
    assert new_token in mail.outbox[0].body


def test_an_expired_invitation_can_be_resent_and_is_open_again(session, links):
    invitation = open_invitation(session, expires_at=timezone.now() - datetime.timedelta(days=1))

    resent = services.invitation_resend(
        invitation=invitation, by=session.people["dave"], link_builder=links
    )

    assert resent.status == InvitationStatus.SENT


@pytest.mark.parametrize(
    "closed",
    [{"accepted_at": timezone.now()}, {"revoked_at": timezone.now()}],
    ids=["accepted", "revoked"],
)
def test_an_accepted_or_revoked_invitation_is_not_resent(session, links, closed):
    invitation = open_invitation(session, **closed)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError):
        services.invitation_resend(
            invitation=invitation, by=session.people["dave"], link_builder=links
        )

    assert unchanged()
    assert mail.outbox == []


def test_revoking_closes_the_invitation(session):
    invitation = open_invitation(session)

    services.invitation_revoke(invitation=invitation, by=session.people["dave"])

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


def test_an_accepted_invitation_cannot_be_revoked(session):
    invitation = open_invitation(session, accepted_at=timezone.now())
    with pytest.raises(services.InvitationError):
        services.invitation_revoke(invitation=invitation, by=session.people["dave"])
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- accepting -----------------------------------------------------------------


def test_accepting_a_member_invitation_makes_the_person_a_member(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)

    services.invitation_accept(invitation=invitation, person=eve)

    invitation.refresh_from_db()
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == eve


def test_accepting_a_facilitator_invitation_makes_the_person_facilitator(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, role=InvitationRole.FACILITATOR, organisation=None)

    services.invitation_accept(invitation=invitation, person=eve)

    assert session.facilitators.filter(pk=eve.pk).exists()
    assert not Membership.objects.filter(person=eve).exists()


def test_the_email_address_is_compared_without_regard_to_case(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, email="Eve@Example.org")
    services.invitation_accept(invitation=invitation, person=eve)
    assert Membership.objects.filter(person=eve).exists()


def test_an_invitation_can_be_used_only_once(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    stale_copy = Invitation.objects.get(pk=invitation.pk)
    services.invitation_accept(invitation=invitation, person=eve)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept(invitation=stale_copy, person=eve)

    assert refusal.value.reason == "accepted"
    assert unchanged()


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "revoked"),
    ],
    ids=["expired", "revoked"],
)
def test_an_expired_or_revoked_invitation_is_refused_and_nothing_changes(session, state, reason):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session, **state)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept(invitation=invitation, person=eve)

    assert refusal.value.reason == reason
    assert "coordinator" in refusal.value.message
    assert unchanged()
    assert not Membership.objects.filter(person=eve).exists()


def test_someone_else_cannot_accept_an_invitation_and_nothing_changes(session):
    mallory = session.people["mallory"]
    invitation = open_invitation(session)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept(invitation=invitation, person=mallory)

    assert refusal.value.reason == "other_email"
    assert "another e-mail address" in refusal.value.message
    assert unchanged()
    assert not Membership.objects.filter(person=mallory).exists()


def test_an_invitation_for_an_organisation_that_left_the_session_is_refused(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    session.preparations.filter(organisation=session.practice).delete()

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept(invitation=invitation, person=eve)

    assert refusal.value.reason == "organisation_not_in_session"
    assert not Membership.objects.filter(person=eve).exists()


def test_a_new_person_gets_an_account_with_the_chosen_name_and_password(session):
    invitation = open_invitation(session)

    person = services.invitation_accept_new_person(
        invitation=invitation, name="  Eve Jansen ", password="lange-wachtzin-42"
    )

    person.refresh_from_db()
    assert person.email == "eve@example.org"
    assert person.name == "Eve Jansen"
    assert person.has_usable_password()
    assert person.check_password("lange-wachtzin-42")
    assert Membership.objects.filter(person=person, organisation=session.practice).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_a_new_person_whose_address_has_an_account_is_told_to_sign_in(session):
    factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_new_person(
            invitation=invitation, name="Eve", password="lange-wachtzin-42"
        )

    assert refusal.value.reason == "account_exists"
    assert "Sign in" in refusal.value.message
    assert unchanged()


def test_a_weak_password_creates_no_account(session):
    invitation = open_invitation(session)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_new_person(invitation=invitation, name="Eve", password="12345")

    assert refusal.value.field == "password"
    assert not User.objects.filter(email="eve@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_cannot_both_succeed(session):
    # PostgreSQL: the row lock decides. SQLite: IMMEDIATE transactions queue the writers.
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    start = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            start.wait()
            services.invitation_accept(invitation=invitation, person=eve)
            outcomes.append("accepted now")
        except services.InvitationError as refusal:
            outcomes.append(refusal.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "accepted now"]


def test_an_expired_invitation_creates_no_account(session):
    invitation = open_invitation(session, expires_at=timezone.now() - datetime.timedelta(days=1))

    with pytest.raises(services.InvitationError):
        services.invitation_accept_new_person(
            invitation=invitation, name="Eve", password="lange-wachtzin-42"
        )

    assert not User.objects.filter(email="eve@example.org").exists()


# --- an account without a password (made by an import or in the admin) -----------


def account_without_password(email="eve@example.org", **extra):
    return User.objects.create_user(email=email, password=None, **extra)


def test_an_account_without_a_password_chooses_one_with_the_invitation_and_accepts(session):
    eve = account_without_password(name="Eve Imported")
    invitation = open_invitation(session, email="Eve@Example.org")

    person = services.invitation_accept_first_password(
        invitation=invitation, name=" Eve Jansen ", password="lange-wachtzin-42"
    )

    assert person.pk == eve.pk
    eve.refresh_from_db()
    assert eve.check_password("lange-wachtzin-42")
    assert eve.name == "Eve Jansen"
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == eve


def test_the_invitation_never_replaces_a_password_someone_chose(session):
    eve = factories.UserFactory(email="eve@example.org")
    invitation = open_invitation(session)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_first_password(
            invitation=invitation, name="Eve", password="lange-wachtzin-42"
        )

    assert refusal.value.reason == "account_exists"
    assert "Sign in" in refusal.value.message
    eve.refresh_from_db()
    assert eve.check_password(factories.PASSWORD)
    assert unchanged()


def test_a_deactivated_account_gets_no_password_and_no_membership(session):
    eve = account_without_password(is_active=False)
    invitation = open_invitation(session)
    unchanged = assert_unchanged(invitation)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_first_password(
            invitation=invitation, name="Eve", password="lange-wachtzin-42"
        )

    assert refusal.value.reason == "account_inactive"
    assert "switched off" in refusal.value.message
    eve.refresh_from_db()
    assert not eve.has_usable_password()
    assert not Membership.objects.filter(person=eve).exists()
    assert unchanged()


def test_a_weak_first_password_is_refused_and_the_account_stays_without_one(session):
    eve = account_without_password()
    invitation = open_invitation(session)

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_first_password(
            invitation=invitation, name="Eve", password="12345"
        )

    assert refusal.value.field == "password"
    eve.refresh_from_db()
    assert not eve.has_usable_password()
    assert not Membership.objects.filter(person=eve).exists()


def test_an_expired_invitation_sets_no_password(session):
    eve = account_without_password()
    invitation = open_invitation(session, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(services.InvitationError) as refusal:
        services.invitation_accept_first_password(
            invitation=invitation, name="Eve", password="lange-wachtzin-42"
        )

    assert refusal.value.reason == "expired"
    eve.refresh_from_db()
    assert not eve.has_usable_password()


def test_an_invited_address_in_capitals_is_stored_and_matched_in_lower_case(session, links):
    eve = factories.UserFactory(email="eve@example.org", name="Eve")

    invitation = invite(session, links, email="  EVE@Example.org ")

    assert invitation.email == "eve@example.org"
    assert services.person_with_email("Eve@EXAMPLE.org") == eve
    services.invitation_accept(invitation=invitation, person=eve)
    assert Membership.objects.filter(person=eve, organisation=session.practice).exists()


@pytest.mark.parametrize("person", ["carol", "alice", "mallory"])
def test_only_a_coordinator_invites_resends_or_revokes_even_when_calling_the_service(
    session, links, person
):
    """The views refuse these people; the services refuse them too, on the locked row."""
    invitation = invite(session, links)
    unchanged = assert_unchanged(invitation)
    someone = session.people[person]
    with pytest.raises(services.InvitationError) as refused:
        invite(session, links, by=someone, email="frank@example.org")
    assert refused.value.reason == "not_allowed"
    with pytest.raises(services.InvitationError):
        services.invitation_resend(invitation=invitation, by=someone, link_builder=links)
    with pytest.raises(services.InvitationError):
        services.invitation_revoke(invitation=invitation, by=someone)
    assert Invitation.objects.filter(session=session).count() == 1
    assert unchanged()


def test_a_coordinator_removed_from_the_community_invites_nobody(session, links):
    dave = session.people["dave"]
    session.community.coordinators.remove(dave)
    with pytest.raises(services.InvitationError) as refused:
        invite(session, links)
    assert "Only the coordinators" in refused.value.message
    assert not Invitation.objects.filter(session=session).exists()
    assert not mail.outbox
