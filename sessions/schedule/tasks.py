"""Reminders and announcements, sent by the worker (queue "default")."""

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from notifications.models import MailKind
from notifications.services import person_language, queue_mail, render_mail
from partnerships.models import Membership
from sessions.models import DialogueSession, Phase
from sessions.schedule.calendar import meeting_ics
from sessions.schedule.selectors import people_to_remind
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
