"""Retention: data past its period is removed. Run daily by ``manage.py apply_retention``.

Periods are settings (see ``sms_tool/settings.py`` and docs/privacy.md):

- ``SIGN_IN_LOG_RETENTION_DAYS``: django-axes' records of sign-ins and failed attempts
  (address typed, IP address, browser);
- expired browser sessions (Django's session table), as ``clearsessions`` does;
- ``INVITATION_RETENTION_DAYS``: invitations accepted, revoked or expired that long ago;
- ``CLOSED_SESSION_RETENTION_YEARS``: closed dialogue sessions not changed for that long,
  anonymised or deleted as the community's coordinator chose (``CommunityRetention``);
- ``AUDIT_LOG_RETENTION_DAYS``: audit events.

Every function takes ``now`` so that the tests move the clock; each returns how many
rows it removed or anonymised, and ``apply_retention`` writes that to the audit log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import events as audit
from audit.models import Action, AuditEvent
from privacy.anonymise import forget_cached_reports
from privacy.models import ClosedSessions, CommunityRetention
from sessions.models import (
    Agreement,
    DialogueSession,
    Invitation,
    JointMotive,
    Note,
    OutcomeReview,
    Phase,
    Preparation,
    PreparationRevision,
)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def purge_sign_in_logs(now: datetime.datetime | None = None) -> int:
    cutoff = _now(now) - datetime.timedelta(days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    removed = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        removed += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return removed


def purge_expired_sessions(now: datetime.datetime | None = None) -> int:
    return Session.objects.filter(expire_date__lt=_now(now)).delete()[0]


def purge_invitations(now: datetime.datetime | None = None) -> int:
    cutoff = _now(now) - datetime.timedelta(days=settings.INVITATION_RETENTION_DAYS)
    done = (
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    return Invitation.objects.filter(done).delete()[0]


def old_closed_sessions(now: datetime.datetime | None = None):
    years = settings.CLOSED_SESSION_RETENTION_YEARS
    cutoff = _now(now) - datetime.timedelta(days=365 * years)
    return DialogueSession.objects.filter(phase=Phase.CLOSED, updated_at__lt=cutoff)


def choice_for(community_id: int) -> str:
    row = CommunityRetention.objects.filter(community_id=community_id).first()
    return row.closed_sessions if row else ClosedSessions.ANONYMISE


@transaction.atomic
def anonymise_session(session: DialogueSession) -> None:
    """Keep what the organisations answered and agreed; remove who wrote or was invited."""
    preparations = Preparation.objects.filter(session=session)
    preparations.update(submitted_by=None, updated_by=None)
    PreparationRevision.objects.filter(preparation__session=session).delete()
    JointMotive.objects.filter(session=session).update(updated_by=None)
    Agreement.objects.filter(session=session).update(updated_by=None)
    OutcomeReview.objects.filter(session=session).update(updated_by=None)
    Note.objects.filter(session=session).update(author=None)
    Invitation.objects.filter(session=session).delete()
    forget_cached_reports(session)
    session.facilitators.clear()


@dataclass
class ClosedSessionsDone:
    anonymised: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


def apply_to_closed_sessions(now: datetime.datetime | None = None) -> ClosedSessionsDone:
    done = ClosedSessionsDone()
    for session in old_closed_sessions(now).select_related("community"):
        if choice_for(session.community_id) == ClosedSessions.DELETE:
            with transaction.atomic():
                audit.record(Action.RETENTION, session=session, what="session deleted")
                session.delete()
            done.deleted.append(session.pk)
        elif _has_people(session):
            anonymise_session(session)
            audit.record(Action.RETENTION, session=session, what="session anonymised")
            done.anonymised.append(session.pk)
    return done


def _has_people(session: DialogueSession) -> bool:
    """Whether an anonymisation would still change something (so it runs once)."""
    return (
        session.facilitators.exists()
        or Invitation.objects.filter(session=session).exists()
        or Preparation.objects.filter(session=session)
        .filter(Q(submitted_by__isnull=False) | Q(updated_by__isnull=False))
        .exists()
        or PreparationRevision.objects.filter(preparation__session=session).exists()
        or JointMotive.objects.filter(session=session, updated_by__isnull=False).exists()
        or Agreement.objects.filter(session=session, updated_by__isnull=False).exists()
        or OutcomeReview.objects.filter(session=session, updated_by__isnull=False).exists()
        or Note.objects.filter(session=session, author__isnull=False).exists()
    )


def purge_audit_log(now: datetime.datetime | None = None) -> int:
    cutoff = _now(now) - datetime.timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
    return AuditEvent.objects.purge_before(cutoff)


def apply_retention(now: datetime.datetime | None = None) -> dict[str, int]:
    """Every retention rule once; what each removed."""
    now = _now(now)
    # The audit log first, so that the events this run records are kept.
    audit_events = purge_audit_log(now)
    closed = apply_to_closed_sessions(now)
    counts = {
        "sign_in_records": purge_sign_in_logs(now),
        "expired_browser_sessions": purge_expired_sessions(now),
        "invitations": purge_invitations(now),
        "closed_sessions_anonymised": len(closed.anonymised),
        "closed_sessions_deleted": len(closed.deleted),
        "audit_events": audit_events,
    }
    if any(counts.values()):
        found: dict[str, Any] = {k: v for k, v in counts.items() if v}
        audit.record(Action.RETENTION, what="retention", **found)
    return counts
