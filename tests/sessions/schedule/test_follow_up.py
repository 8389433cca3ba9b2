"""Agreements with a due date remind their owner; the review date invites the coordinator."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import MailKind, MailOptOut, OutgoingMail
from sessions.dialogue import services as dialogue
from sessions.models import Phase
from sessions.schedule import services
from sms_tool.errors import DomainError
from tests.tasks import delivered, run_queued_tasks


@pytest.fixture
def recording(session):
    session.phase = Phase.AGREEMENTS
    session.save()
    return session


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def time_passes():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_queued_tasks()


def add_agreement(session, owner, days, text="Stageplekken regelen"):
    with delivered():
        return dialogue.agreement_add(
            session=session,
            by=session.people["carol"],
            text=text,
            due=in_days(days),
            owner_person=owner,
        )


def test_an_owned_agreement_plans_two_reminders_the_coordinator_sees(client, recording):
    alice = recording.people["alice"]
    agreement = add_agreement(recording, alice, 10)
    waiting = DBTaskResult.objects.filter(status="READY").order_by("run_after")
    assert [task.run_after.date() for task in waiting] == [in_days(7), in_days(10)]
    assert agreement.owner == "Alice"  # "who" defaults to the reminded person's name
    client.force_login(recording.people["dave"])
    page = client.get(reverse("session_follow_up", args=[recording.pk])).text
    assert page.count("alice@example.org") == 2
    assert "Stageplekken regelen" in page


def test_the_owner_is_reminded_once_per_moment_in_their_language(recording):
    alice = recording.people["alice"]
    alice.language = "en"
    alice.save()
    add_agreement(recording, alice, 10)
    time_passes()
    time_passes()  # a worker that runs everything again repeats nothing
    assert [message.to for message in mail.outbox] == [["alice@example.org"]] * 2
    assert "Stageplekken regelen" in mail.outbox[0].body
    assert "due soon" in mail.outbox[0].subject
    assert "due today" in mail.outbox[1].subject


def test_changing_the_due_date_voids_the_old_reminders(recording):
    agreement = add_agreement(recording, recording.people["alice"], 10)
    with delivered():
        dialogue.agreement_update(
            agreement=agreement,
            by=recording.people["carol"],
            version=agreement.version,
            text=agreement.text,
            owner=agreement.owner,
            due=in_days(20),
            owner_person=recording.people["bob"],
        )
    time_passes()
    # The old moments found another date and owner: only Bob's two reminders went.
    assert [message.to for message in mail.outbox] == [["bob@example.org"]] * 2


def test_an_edit_that_keeps_date_and_owner_plans_nothing_new(recording):
    agreement = add_agreement(recording, recording.people["alice"], 10)
    with delivered():
        dialogue.agreement_update(
            agreement=agreement,
            by=recording.people["carol"],
            version=agreement.version,
            text="Nog meer stageplekken",
            owner=agreement.owner,
            due=agreement.due,
            owner_person=recording.people["alice"],
        )
    assert DBTaskResult.objects.filter(status="READY").count() == 2


def test_an_owner_who_switched_these_mails_off_gets_none(recording):
    alice = recording.people["alice"]
    MailOptOut.objects.create(person=alice, kind=MailKind.AGREEMENT_DUE)
    add_agreement(recording, alice, 10)
    time_passes()
    assert mail.outbox == []


def test_only_someone_in_the_session_can_be_reminded(recording):
    with pytest.raises(DomainError):
        add_agreement(recording, recording.people["mallory"], 10)


def test_the_form_offers_only_the_sessions_people_and_asks_for_a_date(client, recording):
    client.force_login(recording.people["carol"])
    client.cookies["django_language"] = "en"
    url = reverse("session_results", args=[recording.pk])
    page = client.get(url).text
    assert "alice@example.org" in page and "mallory@example.org" not in page
    response = client.post(
        url,
        {
            "form": "agreement",
            "agreement-text": "Iets",
            "agreement-owner_person": recording.people["alice"].pk,
        },
    )
    assert response.status_code == 400
    assert "Choose a date so that the person can be reminded." in response.text
    assert not recording.agreements.exists()


def test_the_review_date_mails_the_coordinator_once_with_a_link(client, recording):
    recording.phase = Phase.CLOSED
    recording.save()
    client.force_login(recording.people["dave"])
    url = reverse("session_follow_up", args=[recording.pk])
    with delivered():
        response = client.post(url, {"review_date": in_days(30).isoformat()})
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.review_date == in_days(30)
    page = client.get(url).text
    assert "dave@example.org" in page  # the invitation to come, and to whom
    time_passes()
    time_passes()
    assert [message.to for message in mail.outbox] == [["dave@example.org"]]
    assert reverse("session_next_round", args=[recording.pk]) in mail.outbox[0].body


def test_a_changed_review_date_voids_the_old_invitation(recording):
    dave = recording.people["dave"]
    with delivered():
        services.review_date_set(session=recording, by=dave, review_date=in_days(30))
    with delivered():
        services.review_date_set(session=recording, by=dave, review_date=in_days(60))
    time_passes()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dave@example.org"]


def test_a_coordinator_who_switched_it_off_gets_no_review_mail(recording):
    dave = recording.people["dave"]
    MailOptOut.objects.create(person=dave, kind=MailKind.REVIEW_DATE)
    with delivered():
        services.review_date_set(session=recording, by=dave, review_date=in_days(3))
    time_passes()
    assert mail.outbox == []


def test_only_a_coordinator_sets_the_review_date(client, recording):
    with pytest.raises(DomainError):
        services.review_date_set(
            session=recording, by=recording.people["carol"], review_date=in_days(3)
        )
    client.force_login(recording.people["carol"])
    assert client.get(reverse("session_follow_up", args=[recording.pk])).status_code in (403, 404)


def test_a_review_date_in_the_past_is_refused_with_a_message(client, recording):
    client.force_login(recording.people["dave"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("session_follow_up", args=[recording.pk]), {"review_date": in_days(-1)}
    )
    assert response.status_code == 200
    assert "Choose a review date from today on." in response.text


def test_an_anonymised_owner_is_no_longer_reminded_or_named(recording):
    from privacy.anonymise import anonymise_person

    agreement = add_agreement(recording, recording.people["alice"], 10)
    anonymise_person(person=recording.people["alice"])
    time_passes()
    agreement.refresh_from_db()
    assert mail.outbox == []
    assert agreement.owner_person is None and agreement.owner == ""


def test_moving_the_due_date_sends_only_the_reminders_of_the_new_date(recording):
    alice = recording.people["alice"]
    agreement = add_agreement(recording, alice, 10)
    with delivered():
        dialogue.agreement_update(
            agreement=agreement,
            by=recording.people["carol"],
            version=agreement.version,
            text=agreement.text,
            owner=agreement.owner,
            due=in_days(20),
            owner_person=alice,
        )
    time_passes()
    assert len(mail.outbox) == 2
    keys = OutgoingMail.objects.values_list("key", flat=True)
    assert all(in_days(20).isoformat() in key for key in keys)  # the old date's ran idle
