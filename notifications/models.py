"""Outgoing e-mail, one row per message: the queue's memory of what was sent.

A row is written in the same transaction as the change that causes the mail; the
task that sends it is enqueued when that transaction commits. ``key`` is unique, so
the same message (an invitation's n-th sending, a reminder for one person and one
deadline) is queued at most once, and ``status`` says whether it went out, so a
retried or repeated task never sends it twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitations")
    PASSWORD = "password", _("Password links")
    PREPARATION_OPEN = "preparation_open", _("Preparation has opened")
    DEADLINE_REMINDER = "deadline_reminder", _("Reminders before the preparation deadline")
    DIALOGUE_OPEN = "dialogue_open", _("The joint dialogue has opened")
    REPORT_READY = "report_ready", _("The report is ready")
    AGREEMENT_DUE = "agreement_due", _("Reminders before an agreement is due")
    REVIEW_DATE = "review_date", _("The review date: time to start the next round")


# Mail a person asked for (a link) or needs to get in: never switched off.
ESSENTIAL_KINDS = frozenset({MailKind.INVITATION, MailKind.PASSWORD})


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=MailKind.choices)
    to_email = models.EmailField(_("to"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    # An .ics file sent along (the dialogue meeting); empty for most mail.
    calendar = models.TextField(_("calendar"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.status})"


class MailOptOut(models.Model):
    """A person switched one kind of mail off."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=MailKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self):
        return f"{self.person_id} wants no {self.kind}"
