"""The cycle runs by itself: a preparation deadline with reminders, and announcements.

Everything time-based is a task with ``run_after`` (sessions.schedule.tasks) that
checks at run time whether it still applies (the same deadline, the same phase)
and queues its mails under keys that make each one unique: a restarted worker,
or a task that runs twice, neither loses nor repeats a reminder.
"""

import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import Agreement, DialogueSession
from sessions.policy import phases
from sessions.schedule.selectors import reminder_moments, review_moment
from sms_tool.errors import DomainError


def session_link(session: DialogueSession, view: str = "session_detail") -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + reverse(view, args=[session.pk])


def schedule_reminders(session_id: int, deadline: datetime.date) -> int:
    """Enqueue the reminders still to come for ``deadline``; returns how many."""
    from sessions.schedule.tasks import send_deadline_reminders

    now = timezone.now()
    count = 0
    for which, at in reminder_moments(deadline):
        if at > now:
            send_deadline_reminders.using(run_after=at).enqueue(
                session_id, deadline.isoformat(), which
            )
            count += 1
    return count


@transaction.atomic
def deadline_set(*, session: DialogueSession, by: Any, deadline: datetime.date | None) -> None:
    """The coordinator sets (or clears) the day organisations should have submitted."""
    locked = (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session.pk)
    )
    if not phases.can_edit_session_details(phases.roles_for(by, locked), locked):
        raise DomainError(_("The deadline can be changed until the joint dialogue opens."))
    if deadline is not None and deadline < timezone.localdate():
        raise DomainError(_("Choose a deadline from today on."), field="preparation_deadline")
    if locked.preparation_deadline == deadline:
        return
    locked.preparation_deadline = deadline
    locked.save(update_fields=["preparation_deadline", "updated_at"])
    session.preparation_deadline = deadline
    if deadline is not None:
        # Reminders for an earlier deadline find it changed when their time comes.
        transaction.on_commit(partial(schedule_reminders, locked.pk, deadline), robust=True)


def phase_opened(session: DialogueSession) -> None:
    """Called inside the phase change: announce the new phase once the change commits."""
    from sessions.schedule.tasks import announce_phase

    transaction.on_commit(
        partial(announce_phase.enqueue, session.pk, str(session.phase)), robust=True
    )


# --- agreements with a due date, and the review date -------------------------


def schedule_agreement_reminders(agreement_id: int, due: datetime.date, owner_id: int) -> int:
    """Enqueue the reminders still to come for this due date and owner; returns how many."""
    from sessions.schedule.tasks import send_agreement_reminder

    now = timezone.now()
    count = 0
    for which, at in reminder_moments(due):
        if at > now:
            send_agreement_reminder.using(run_after=at).enqueue(
                agreement_id, due.isoformat(), owner_id, which
            )
            count += 1
    return count


def agreement_saved(
    agreement: Agreement, *, before: tuple[datetime.date | None, int | None] = (None, None)
) -> None:
    """Called inside the save of an agreement: plan its owner's reminders once it commits.

    ``before`` is the (due, owner) it had; when neither changed nothing new is planned.
    Reminders planned for an earlier due date or owner find it changed and do nothing.
    """
    due, owner_id = agreement.due, agreement.owner_person_id
    if due is None or owner_id is None or (due, owner_id) == before:
        return
    transaction.on_commit(
        partial(schedule_agreement_reminders, agreement.pk, due, owner_id), robust=True
    )


def schedule_review_invitation(session_id: int, review_date: datetime.date) -> bool:
    from sessions.schedule.tasks import send_review_invitation

    at = review_moment(review_date)
    if at <= timezone.now():
        at = timezone.now()
    send_review_invitation.using(run_after=at).enqueue(session_id, review_date.isoformat())
    return True


@transaction.atomic
def review_date_set(
    *, session: DialogueSession, by: Any, review_date: datetime.date | None
) -> None:
    """The coordinator sets (or clears) the day to look back and start the next round."""
    locked = (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session.pk)
    )
    if not phases.can_plan_follow_up(phases.roles_for(by, locked), locked):
        raise DomainError(_("Only a coordinator of the community can set the review date."))
    if review_date is not None and review_date < timezone.localdate():
        raise DomainError(_("Choose a review date from today on."), field="review_date")
    if locked.review_date == review_date:
        return
    locked.review_date = review_date
    locked.save(update_fields=["review_date", "updated_at"])
    session.review_date = review_date
    if review_date is not None:
        transaction.on_commit(
            partial(schedule_review_invitation, locked.pk, review_date), robust=True
        )
