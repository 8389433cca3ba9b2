"""Who gets which reminder when: what the coordinator sees before it is sent."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from partnerships.models import Membership, Organisation, User
from sessions.models import Agreement, DialogueSession, Phase

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


def session_people(session: DialogueSession) -> QuerySet[User]:
    """Who can own an agreement: members of the session's organisations, its
    facilitators and the community's coordinators (active accounts)."""
    return (
        User.objects.filter(
            Q(memberships__organisation__preparations__session=session)
            | Q(facilitated_sessions=session)
            | Q(coordinated_communities=session.community_id)
        )
        .filter(is_active=True)
        .distinct()
        .order_by("name", "email")
    )


@dataclass
class PlannedAgreementReminder:
    agreement: Agreement
    at: datetime
    person: User


def planned_agreement_reminders(session: DialogueSession) -> list[PlannedAgreementReminder]:
    """The reminders to owners of agreements still to come, earliest first."""
    now = timezone.now()
    planned = []
    agreements = session.agreements.filter(
        due__isnull=False, owner_person__isnull=False, owner_person__is_active=True
    ).select_related("owner_person")
    for agreement in agreements:
        person = agreement.owner_person
        if person is None:  # filtered above; for the type checker
            continue
        for _which, at in reminder_moments(agreement.due):
            if at > now:
                planned.append(PlannedAgreementReminder(agreement=agreement, at=at, person=person))
    return sorted(planned, key=lambda reminder: (reminder.at, reminder.agreement.pk))


def review_moment(review_date: date) -> datetime:
    """Nine in the morning, local time, on the review date."""
    return datetime.combine(review_date, REMINDER_HOUR, tzinfo=timezone.get_current_timezone())


def review_recipients(session: DialogueSession) -> list[User]:
    return list(session.community.coordinators.filter(is_active=True).order_by("email"))
