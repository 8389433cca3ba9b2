"""Who gets which reminder when: what the coordinator sees before it is sent."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from partnerships.models import Membership, Organisation, User
from sessions.models import DialogueSession, Phase

REMINDER_HOUR = time(9, 0)


@dataclass
class PlannedReminder:
    which: str  # "before" or "on_the_day"
    at: datetime
    organisations: list[Organisation] = field(default_factory=list)
    people: list[User] = field(default_factory=list)


def reminder_moments(deadline: Any) -> list[tuple[str, datetime]]:
    """A few days before the deadline and on the day, at nine in the morning, local time."""
    zone = timezone.get_current_timezone()
    before = deadline - timedelta(days=settings.REMINDER_DAYS_BEFORE)
    return [
        ("before", datetime.combine(before, REMINDER_HOUR, tzinfo=zone)),
        ("on_the_day", datetime.combine(deadline, REMINDER_HOUR, tzinfo=zone)),
    ]


def people_to_remind(session: DialogueSession) -> tuple[list[Organisation], list[User]]:
    """The organisations that have not submitted, and their members (active accounts)."""
    waiting = list(
        session.preparations.filter(submitted_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    organisation_ids = [preparation.organisation_id for preparation in waiting]
    memberships = (
        Membership.objects.filter(organisation_id__in=organisation_ids, person__is_active=True)
        .select_related("person", "organisation")
        .order_by("person__email")
    )
    people: list[User] = []
    seen: set[int] = set()
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            people.append(membership.person)
    return [preparation.organisation for preparation in waiting], people


def planned_reminders(session: DialogueSession) -> list[PlannedReminder]:
    """The reminders still to come, with whom they would reach if sent now."""
    if session.preparation_deadline is None or session.phase not in (
        Phase.DRAFT,
        Phase.PREPARATION,
    ):
        return []
    organisations, people = people_to_remind(session)
    now = timezone.now()
    return [
        PlannedReminder(which=which, at=at, organisations=organisations, people=people)
        for which, at in reminder_moments(session.preparation_deadline)
        if at > now
    ]
