"""Retention with a moved clock: sign-in records, expired browser sessions, invitations,
closed sessions (anonymised or deleted as the coordinator chose) and the audit log."""

import datetime
import re
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.events import record
from audit.models import Action, AuditEvent
from privacy.models import ClosedSessions, CommunityRetention
from privacy.retention import apply_retention
from sessions.models import DialogueSession, Invitation, Note, Phase, Preparation
from tests import factories

DAY = datetime.timedelta(days=1)


def later(days):
    return timezone.now() + days * DAY


def test_sign_in_records_go_after_their_period_and_not_before(db):
    AccessLog.objects.create(username="a@example.org", ip_address="192.0.2.1", user_agent="x")
    AccessAttempt.objects.create(
        username="a@example.org", ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    days = settings.SIGN_IN_LOG_RETENTION_DAYS
    assert apply_retention(now=later(days - 1))["sign_in_records"] == 0
    assert AccessLog.objects.count() == 1
    assert apply_retention(now=later(days + 1))["sign_in_records"] == 2
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()


def test_expired_browser_sessions_are_removed(db):
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(3600)
    store.save()
    assert apply_retention(now=later(0))["expired_browser_sessions"] == 0
    assert apply_retention(now=later(1))["expired_browser_sessions"] == 1
    assert not Session.objects.exists()


def test_used_and_expired_invitations_go_open_ones_stay(session):
    keep_days = settings.INVITATION_RETENTION_DAYS
    now = timezone.now()
    accepted = factories.InvitationFactory(
        session=session, organisation=session.education, accepted_at=now
    )
    revoked = factories.InvitationFactory(
        session=session, organisation=session.education, revoked_at=now
    )
    expired = factories.InvitationFactory(
        session=session, organisation=session.education, expires_at=now
    )
    open_one = factories.InvitationFactory(
        session=session, organisation=session.education, expires_at=later(keep_days + 30)
    )
    assert apply_retention(now=later(keep_days - 1))["invitations"] == 0
    assert apply_retention(now=later(keep_days + 1))["invitations"] == 3
    assert list(Invitation.objects.values_list("pk", flat=True)) == [open_one.pk]
    assert not {accepted.pk, revoked.pk, expired.pk} & set(
        Invitation.objects.values_list("pk", flat=True)
    )


@pytest.fixture
def closed(session):
    alice, carol = session.people["alice"], session.people["carol"]
    education = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=education, intended_outcome="KEPT-OUTCOME")
    Preparation.objects.filter(pk=education.pk).update(
        submitted_at=timezone.now(), submitted_by=alice, updated_by=alice
    )
    factories.NoteFactory(session=session, author=carol, text="kept note")
    factories.InvitationFactory(session=session, organisation=session.education)
    session.phase = Phase.CLOSED
    session.save()
    return session


def years_later(years):
    return timezone.now() + datetime.timedelta(days=365 * years + 1)


def test_a_closed_session_is_anonymised_by_default_after_the_period(closed):
    years = settings.CLOSED_SESSION_RETENTION_YEARS
    assert apply_retention(now=years_later(years - 1))["closed_sessions_anonymised"] == 0
    assert closed.facilitators.exists()
    counts = apply_retention(now=years_later(years))
    assert counts["closed_sessions_anonymised"] == 1
    education = Preparation.objects.get(session=closed, organisation=closed.education)
    assert education.submitted_by is None and education.updated_by is None
    assert education.answers.get().intended_outcome == "KEPT-OUTCOME"
    assert Note.objects.get(session=closed).author is None
    assert not closed.facilitators.exists() and not Invitation.objects.filter(session=closed)
    # once only: a second run has nothing left to anonymise
    assert apply_retention(now=years_later(years))["closed_sessions_anonymised"] == 0


def test_a_closed_session_is_deleted_when_the_coordinator_chose_so(client, closed):
    dave = closed.people["dave"]
    client.force_login(dave)
    response = client.post(
        reverse("community_retention", args=[closed.community.pk]), {"closed_sessions": "delete"}
    )
    assert response.status_code == 302
    assert CommunityRetention.objects.get(community=closed.community).changed_by == dave
    assert (
        apply_retention(now=years_later(settings.CLOSED_SESSION_RETENTION_YEARS))[
            "closed_sessions_deleted"
        ]
        == 1
    )
    assert not DialogueSession.objects.filter(pk=closed.pk).exists()
    event = AuditEvent.objects.get(action=Action.RETENTION, session_id=closed.pk)
    assert event.detail["what"] == "session deleted"


def test_open_sessions_are_never_touched(session):
    apply_retention(now=years_later(50))
    assert DialogueSession.objects.filter(pk=session.pk).exists()
    assert session.facilitators.exists()


def test_the_audit_log_keeps_its_events_for_its_period(session):
    record(Action.PHASE_CHANGE, session=session)
    days = settings.AUDIT_LOG_RETENTION_DAYS
    assert apply_retention(now=later(days - 1))["audit_events"] == 0
    assert apply_retention(now=later(days + 1))["audit_events"] >= 1
    assert not AuditEvent.objects.filter(action=Action.PHASE_CHANGE).exists()


def test_the_command_removes_what_is_old_now(db):
    log = AccessLog.objects.create(username="a@example.org", ip_address="192.0.2.1", user_agent="x")
    AccessLog.objects.filter(pk=log.pk).update(
        attempt_time=timezone.now() - (settings.SIGN_IN_LOG_RETENTION_DAYS + 1) * DAY
    )
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "sign_in_records: 1" in out.getvalue()
    assert AuditEvent.objects.get(action=Action.RETENTION).detail["sign_in_records"] == 1


# --- the coordinator's choice page ---------------------------------------------------


def test_the_choice_page_shows_the_default_and_refuses_a_bad_value_in_words(client, session):
    client.force_login(session.people["dave"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("community_retention", args=[session.community.pk])
    page = client.get(url)
    assert page.status_code == 200
    [checked] = re.findall(r"<input[^>]*checked[^>]*>", page.text)
    assert 'value="anonymise"' in checked
    bad = client.post(url, {"closed_sessions": "forever"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.text
    assert not CommunityRetention.objects.exists()


def test_a_coordinator_of_another_community_and_members_get_404_and_change_nothing(client, session):
    olga = factories.UserFactory(email="olga@example.org")
    factories.LearningCommunityFactory(name="Olga LC").coordinators.add(olga)
    url = reverse("community_retention", args=[session.community.pk])
    for person in (olga, session.people["alice"], session.people["carol"]):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"closed_sessions": ClosedSessions.DELETE}).status_code == 404
    assert not CommunityRetention.objects.exists()
