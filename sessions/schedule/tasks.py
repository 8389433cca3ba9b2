"""Reminders and announcements, sent by the worker (queue "default")."""

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from notifications.models import MailKind
from notifications.services import person_language, queue_mail, render_mail
from partnerships.models import Membership
from sessions.models import Agreement, DialogueSession, Phase
from sessions.schedule.calendar import meeting_ics
from sessions.schedule.selectors import people_to_remind, review_recipients
from sessions.schedule.services import session_link

logger = logging.getLogger(__name__)

TEMPLATES = "dialogue_sessions/schedule/"


def _queue(kind: str, key: str, person: Any, context: dict, calendar: str = "") -> bool:
    subject, body = render_mail(
        f"{TEMPLATES}mail_{kind}_subject.txt",
        f"{TEMPLATES}mail_{kind}_body.txt",
        {**context, "person": person},
        person_language(person),
    )
    return (
        queue_mail(
            key=key,
            kind=kind,
            to=person.email,
            subject=subject,
            body=body,
            person=person,
            calendar=calendar,
        )
        is not None
    )


@task()
def send_deadline_reminders(session_id: int, deadline: str, which: str) -> int:
    """Remind the members of organisations that have not submitted; returns mails queued."""
    session = DialogueSession.objects.select_related("community").filter(pk=session_id).first()
    if (
        session is None
        or session.phase != Phase.PREPARATION
        or session.preparation_deadline is None
        or session.preparation_deadline.isoformat() != deadline
    ):
        return 0  # the session moved on, or the deadline changed: this reminder is void
    _, people = people_to_remind(session)
    context = {
        "session": session,
        "community": session.community,
        "deadline": session.preparation_deadline,
        "on_the_day": which == "on_the_day",
        "link": session_link(session),
    }
    queued = 0
    with transaction.atomic():
        for person in people:
            key = f"deadline:{session.pk}:{deadline}:{which}:{person.pk}"
            queued += _queue(MailKind.DEADLINE_REMINDER, key, person, context)
    return queued


def _session_people(session: DialogueSession, *, with_leaders: bool) -> list:
    people = {
        membership.person.pk: membership.person
        for membership in Membership.objects.filter(
            organisation__preparations__session=session, person__is_active=True
        ).select_related("person")
    }
    if with_leaders:
        for person in [*session.facilitators.all(), *session.community.coordinators.all()]:
            if person.is_active:
                people[person.pk] = person
    return sorted(people.values(), key=lambda person: person.email)


@task()
def announce_phase(session_id: int, phase: str) -> int:
    """Tell everyone in the session that the preparation or the dialogue has opened."""
    session = DialogueSession.objects.select_related("community").filter(pk=session_id).first()
    if session is None or session.phase != phase:
        return 0
    if phase == Phase.PREPARATION:
        kind, people, calendar = (
            MailKind.PREPARATION_OPEN,
            _session_people(session, with_leaders=False),
            "",
        )
    elif phase == Phase.DIALOGUE:
        kind = MailKind.DIALOGUE_OPEN
        people = _session_people(session, with_leaders=True)
        calendar = meeting_ics(session, link=session_link(session))
    else:
        return 0
    context = {
        "session": session,
        "community": session.community,
        "deadline": session.preparation_deadline,
        "link": session_link(session),
    }
    queued = 0
    with transaction.atomic():
        for person in people:
            queued += _queue(kind, f"{kind}:{session.pk}:{person.pk}", person, context, calendar)
    return queued


@task()
def send_agreement_reminder(agreement_id: int, due: str, owner_id: int, which: str) -> int:
    """Remind the owner of an agreement that it is due; 0 when the due date or owner changed."""
    agreement = (
        Agreement.objects.select_related("session__community", "owner_person")
        .filter(pk=agreement_id)
        .first()
    )
    if (
        agreement is None
        or agreement.due is None
        or agreement.due.isoformat() != due
        or agreement.owner_person_id != owner_id
        or not agreement.owner_person.is_active  # type: ignore[union-attr]
    ):
        return 0
    session = agreement.session
    context = {
        "agreement": agreement,
        "session": session,
        "community": session.community,
        "due": agreement.due,
        "on_the_day": which == "on_the_day",
        "link": session_link(session, "session_results"),
    }
    key = f"agreement:{agreement.pk}:{due}:{owner_id}:{which}"
    with transaction.atomic():
        return int(_queue(MailKind.AGREEMENT_DUE, key, agreement.owner_person, context))


@task()
def send_review_invitation(session_id: int, review_date: str) -> int:
    """Invite the coordinators to look back and start the next round; 0 when the date changed."""
    session = DialogueSession.objects.select_related("community").filter(pk=session_id).first()
    if (
        session is None
        or session.review_date is None
        or session.review_date.isoformat() != review_date
    ):
        return 0
    context = {
        "session": session,
        "community": session.community,
        "review_date": session.review_date,
        "closed": session.phase == Phase.CLOSED,
        "link": session_link(session, "session_next_round"),
    }
    queued = 0
    with transaction.atomic():
        for person in review_recipients(session):
            key = f"review:{session.pk}:{review_date}:{person.pk}"
            queued += _queue(MailKind.REVIEW_DATE, key, person, context)
    return queued
