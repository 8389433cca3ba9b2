"""The audit log: who did what, when. Rows are only ever added.

Nobody edits or deletes an event: ``save`` refuses to change a stored row, ``delete``
and the queryset's ``update``/``delete`` refuse, and the admin is read-only. The one
exception is retention (``privacy.retention``), which removes events older than
``AUDIT_LOG_RETENTION_DAYS`` through ``AuditEvent.objects.purge_before``.

An event never holds answer text, e-mail addresses or IP addresses: it names people by
their account (``actor``, ``subject``), so that anonymising a person turns every event
about them into "former member" without rewriting the log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("signed in")
    PHASE_CHANGE = "phase_change", _("moved a session to another phase")
    IMPORT = "import", _("imported a session file")
    DOWNLOAD = "download", _("downloaded")
    INVITATION_SENT = "invitation_sent", _("sent an invitation")
    INVITATION_RESENT = "invitation_resent", _("sent an invitation again")
    INVITATION_REVOKED = "invitation_revoked", _("revoked an invitation")
    INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")
    MEMBERSHIP_ADDED = "membership_added", _("became a member of an organisation")
    MEMBERSHIP_REMOVED = "membership_removed", _("stopped being a member of an organisation")
    ROLE_ADDED = "role_added", _("got a role")
    ROLE_REMOVED = "role_removed", _("lost a role")
    CONSENT_CHANGED = "consent_changed", _("changed the research consent")
    PERSON_EXPORTED = "person_exported", _("downloaded a person's own data")
    PERSON_ANONYMISED = "person_anonymised", _("anonymised a person")
    RETENTION = "retention", _("removed data past its retention period")


class ReadOnlyLog(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReadOnlyLog("The audit log cannot be changed.")

    def delete(self):
        raise ReadOnlyLog("The audit log cannot be changed.")

    def purge_before(self, moment) -> int:
        """Retention only: remove events older than ``moment``; returns how many."""
        old = self.model.objects.filter(at__lt=moment)
        count = old.count()
        old._raw_delete(old.db)
        return count


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("what"), max_length=30, choices=Action.choices, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        editable=False,
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about whom"),
        editable=False,
    )
    community = models.ForeignKey(
        "partnerships.LearningCommunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning community"),
        editable=False,
    )
    # Ids and names kept as text: the log outlives the session or community it names.
    community_name = models.CharField(max_length=200, blank=True, editable=False)
    session_id = models.IntegerField(null=True, blank=True, editable=False)
    session_title = models.CharField(max_length=200, blank=True, editable=False)
    detail = models.JSONField(_("details"), default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["community", "-at"], name="audit_community_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '-'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ReadOnlyLog("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyLog("The audit log cannot be changed.")

    def details_text(self) -> str:
        """The event's details in words, for the log page."""
        detail = self.detail or {}
        words = {
            "password": _("with a password"),
            "institution": _("with an institution account"),
            "email_link": _("with a sign-in link by e-mail"),
            "coordinator": _("coordinator"),
            "facilitator": _("facilitator"),
            "staff": _("staff"),
            "superuser": _("superuser"),
        }
        parts = []
        for key in ("method", "role", "group", "organisation", "kind", "what", "count"):
            if key in detail:
                value = detail[key]
                parts.append(str(words.get(value, value)) if isinstance(value, str) else str(value))
        if "from_phase" in detail:
            parts.append(f"{detail['from_phase']} → {detail.get('to_phase', '')}")
        return " · ".join(parts)
