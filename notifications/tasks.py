"""The task that sends one queued e-mail, with retries and never twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from notifications.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)


def _lease() -> timedelta:
    # Long enough for one SMTP conversation; a worker that dies holding it lets go then.
    return timedelta(seconds=settings.EMAIL_TIMEOUT * 3 + 30)


def retry_delay(attempt: int) -> timedelta:
    """Wait after the ``attempt``-th failed try: 1, 2, 4, 8 ... times MAIL_RETRY_SECONDS."""
    return timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


def _claim(mail_id: int) -> bool:
    """Take the mail for one try; False when it was sent, given up, or another try holds it."""
    now = timezone.now()
    return bool(
        OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + _lease(), attempts=F("attempts") + 1)
    )


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(mail.subject, mail.body, None, [mail.to_email])
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    if mail.calendar:
        message.attach("meeting.ics", mail.calendar, "text/calendar; method=PUBLISH")
    return message


@task(queue_name="mail")
def deliver_mail(mail_id: int) -> str:
    """Send the queued mail ``mail_id``; on failure try again later, up to MAIL_MAX_ATTEMPTS."""
    if not _claim(mail_id):
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    # Outside any transaction: a slow mail server holds no lock (SQLite has one writer).
    try:
        _message(mail).send()
    except Exception as error:  # SMTPException, connection errors, a bad mail setting
        return _failed(mail, error)
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return "sent"


def _failed(mail: OutgoingMail, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        logger.error("Giving up on mail %s after %d attempts: %s", mail.pk, mail.attempts, text)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, last_error=text, next_attempt_at=None
        )
        return "failed"
    again = timezone.now() + retry_delay(mail.attempts)
    logger.warning(
        "Mail %s failed (attempt %d), again at %s: %s", mail.pk, mail.attempts, again, text
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(last_error=text, next_attempt_at=again)
    deliver_mail.using(run_after=again).enqueue(mail.pk)
    return "retry"
