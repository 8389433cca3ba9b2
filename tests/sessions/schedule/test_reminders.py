"""The preparation deadline, its reminders, and the announcements of new phases."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from notifications.models import MailKind, MailOptOut, OutgoingMail
from sessions.lifecycle.services import session_advance_phase
from sessions.models import DialogueSession, Phase
from sessions.schedule import services
from sms_tool.errors import DomainError
from tests import factories
from tests.tasks import delivered, run_queued_tasks


@pytest.fixture
def preparing(session):
    session.phase = Phase.PREPARATION
    session.save()
    return session


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def set_deadline(session, days):
    with delivered():
        services.deadline_set(session=session, by=session.people["dave"], deadline=in_days(days))


def time_passes():
    """As if the reminders' moments have come: every waiting task is due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_queued_tasks()


def submit(session, organisation):
    session.preparations.filter(organisation=organisation).update(submitted_at=timezone.now())


def test_a_deadline_plans_two_reminders_the_coordinator_sees_who_they_reach(client, preparing):
    set_deadline(preparing, 7)
    submit(preparing, preparing.practice)  # Bob's organisation is done

    waiting = DBTaskResult.objects.filter(status="READY").order_by("run_after")
    assert [task.run_after.date() for task in waiting] == [in_days(4), in_days(7)]
    client.force_login(preparing.people["dave"])
    page = client.get(reverse("session_deadline", args=[preparing.pk])).text
    assert page.count("alice@example.org") == 2  # both reminders, to Alice only
    assert "bob@example.org" not in page
    assert "Hogeschool Zuid" in page


def test_at_its_time_a_reminder_reaches_only_those_who_have_not_submitted_once(preparing):
    factories.UserFactory(email="alice2@example.org", language="en")
    factories.MembershipFactory(
        person=factories.UserFactory(email="ann@example.org", language="en"),
        organisation=preparing.education,
    )
    set_deadline(preparing, 7)
    submit(preparing, preparing.practice)

    time_passes()
    reminders = [m for m in mail.outbox if m.to != ["bob@example.org"]]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["alice@example.org", "ann@example.org"] * 2
    )
    assert len(reminders) == 4
    english = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert {m.subject for m in english} == {
        "Reminder: hand in your preparation for Evaluatie voorjaar"
    }
    assert any("Today is the deadline" in m.body for m in english)
    dutch = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert all(m.subject.startswith("Herinnering") for m in dutch)

    # A restarted worker runs the same reminder again: nobody gets it twice.
    from sessions.schedule.tasks import send_deadline_reminders

    assert send_deadline_reminders.call(preparing.pk, in_days(7).isoformat(), "before") == 0
    run_queued_tasks()
    assert len(mail.outbox) == 4


def test_a_changed_deadline_voids_the_reminders_of_the_old_one(preparing):
    set_deadline(preparing, 7)
    set_deadline(preparing, 10)

    time_passes()

    keys = set(OutgoingMail.objects.values_list("key", flat=True))
    assert keys and all(in_days(10).isoformat() in key for key in keys)
    assert len(mail.outbox) == 4  # Alice and Bob, before and on the day of the new deadline


def test_someone_who_switched_reminders_off_gets_none(preparing):
    MailOptOut.objects.create(person=preparing.people["alice"], kind=MailKind.DEADLINE_REMINDER)
    set_deadline(preparing, 7)

    time_passes()

    assert {m.to[0] for m in mail.outbox} == {"bob@example.org"}


def test_a_deadline_in_the_past_is_refused_with_a_clear_message(client, preparing):
    client.force_login(preparing.people["dave"])
    response = client.post(
        reverse("session_deadline", args=[preparing.pk]),
        {"preparation_deadline": in_days(-1).isoformat()},
    )
    assert response.status_code == 200
    assert "Kies een deadline vanaf vandaag" in response.text or "from today on" in response.text
    assert DialogueSession.objects.get(pk=preparing.pk).preparation_deadline is None


def test_another_communitys_coordinator_cannot_set_the_deadline(client, preparing):
    stranger = factories.UserFactory(email="zed@example.org")
    factories.LearningCommunityFactory(name="Elders").coordinators.add(stranger)
    client.force_login(stranger)
    response = client.post(
        reverse("session_deadline", args=[preparing.pk]),
        {"preparation_deadline": in_days(5).isoformat()},
    )
    assert response.status_code == 404
    assert DialogueSession.objects.get(pk=preparing.pk).preparation_deadline is None
    with pytest.raises(DomainError):
        services.deadline_set(session=preparing, by=stranger, deadline=in_days(5))


def test_opening_the_dialogue_announces_it_with_a_calendar_file(preparing):
    preparing.date = in_days(14)
    preparing.save()
    submit(preparing, preparing.practice)
    submit(preparing, preparing.education)

    with delivered():
        session_advance_phase(
            session=preparing, by=preparing.people["dave"], expected_phase=Phase.PREPARATION
        )
    run_queued_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
        "dave@example.org",
    ]
    message = mail.outbox[0]
    [(name, ics, kind)] = message.attachments
    assert (name, kind.split(";")[0]) == ("meeting.ics", "text/calendar")
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == in_days(14)
    assert "Evaluatie voorjaar" in str(event["summary"])


def test_opening_the_preparation_tells_the_members(session):
    session.phase = Phase.DRAFT
    session.save()
    with delivered():
        session_advance_phase(
            session=session, by=session.people["dave"], expected_phase=Phase.DRAFT
        )
    run_queued_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(not m.attachments for m in mail.outbox)
