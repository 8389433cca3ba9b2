"""Queue e-mail so that no web request waits for, or fails on, a mail server.

``queue_mail`` writes an ``OutgoingMail`` row inside the caller's transaction and
enqueues ``notifications.tasks.deliver_mail`` once that transaction commits: a
rolled-back change sends nothing, a committed one always gets its mail, even
when the enqueue itself was lost (``requeue_stalled_mail`` finds it again).
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import ESSENTIAL_KINDS, MailOptOut, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# A queued mail that nobody tried for this long lost its task (a worker died, or the
# enqueue after the commit failed); the periodic sweep enqueues it again.
STALLED_AFTER = timedelta(minutes=5)


def wants_mail(person: Any, kind: str) -> bool:
    """False when ``person`` switched ``kind`` off; essential mail always goes."""
    if person is None or kind in ESSENTIAL_KINDS:
        return True
    return not MailOptOut.objects.filter(person=person, kind=kind).exists()


def person_language(person: Any) -> str:
    """The language a person chose, else the site's default (Dutch)."""
    return (getattr(person, "language", "") or "") or settings.LANGUAGE_CODE


def render_mail(
    subject_template: str, body_template: str, context: dict, language: str
) -> tuple[str, str]:
    """The subject (one line) and the plain-text body, rendered in ``language``."""
    with translation.override(language):
        subject = render_to_string(subject_template, context)
        body = render_to_string(body_template, context)
    return " ".join(subject.split()), body


def queue_mail(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    body: str,
    person: Any = None,
    html_body: str = "",
    calendar: str = "",
) -> OutgoingMail | None:
    """Queue one message under the unique ``key``; None if it was queued before or is unwanted."""
    if not wants_mail(person, kind):
        return None
    mail, created = OutgoingMail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to_email": to,
            "person": person,
            "subject": subject[:300],
            "body": body,
            "html_body": html_body,
            "calendar": calendar,
        },
    )
    if not created:
        return None
    transaction.on_commit(partial(_enqueue, mail.pk), robust=True)
    return mail


def _enqueue(mail_id: int, run_after: Any = None) -> None:
    from notifications.tasks import deliver_mail

    task = deliver_mail.using(run_after=run_after) if run_after else deliver_mail
    task.enqueue(mail_id)


def requeue_stalled_mail(now: Any = None) -> int:
    """Enqueue again every queued mail whose task was lost; returns how many."""
    now = now or timezone.now()
    stalled = OutgoingMail.objects.filter(status=MailStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True, created_at__lt=now - STALLED_AFTER)
        | Q(next_attempt_at__lt=now - STALLED_AFTER)
    )
    ids = list(stalled.values_list("pk", flat=True)[:500])
    for mail_id in ids:
        _enqueue(mail_id)
    if ids:
        logger.warning("Re-enqueued %d stalled mails", len(ids))
    return len(ids)


def opted_out_kinds(person: Any) -> set[str]:
    return set(MailOptOut.objects.filter(person=person).values_list("kind", flat=True))


@transaction.atomic
def set_mail_preferences(*, person: Any, wanted: Iterable[str], offered: Iterable[str]) -> None:
    """``person`` gets the ``offered`` kinds that are in ``wanted`` and none of the others."""
    wanted = set(wanted)
    for kind in set(offered) - set(ESSENTIAL_KINDS):
        if kind in wanted:
            MailOptOut.objects.filter(person=person, kind=kind).delete()
        else:
            MailOptOut.objects.get_or_create(person=person, kind=kind)
