"""A person's own data as JSON (AVG art. 15 and 20): the account page and ``export_person``.

What they are, where they take part, and what they wrote and when. Other people's
data is left out: an invitation a person sent names its session and role, not the
address it went to; a format the person saved is listed with the times they saved
it, not with the colleagues' text in it.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from audit.models import AuditEvent
from sessions.models import (
    Agreement,
    Invitation,
    JointMotive,
    Note,
    OutcomeReview,
    Preparation,
    PreparationRevision,
    QuickScan,
)

FORMAT = "sms-tool-person-data"
VERSION = 1


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _session(session: Any) -> dict[str, Any]:
    return {"community": session.community.name, "session": session.title}


def person_data(person: Any) -> dict[str, Any]:
    """Everything the SMS-tool keeps about ``person``, as JSON-ready data."""
    email = person.email
    memberships = person.memberships.select_related("organisation__community").order_by("id")
    preparations = Preparation.objects.filter(submitted_by=person) | Preparation.objects.filter(
        updated_by=person
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "email": email,
            "name": person.name,
            "language": person.language,
            "date_joined": _when(person.date_joined),
            "last_login": _when(person.last_login),
            "active": person.is_active,
            "staff": person.is_staff,
            "groups": sorted(person.groups.values_list("name", flat=True)),
        },
        "memberships": [
            {
                "community": m.organisation.community.name,
                "organisation": m.organisation.name,
                "partner_type": m.organisation.partner_type,
                "role": m.role,
                "since": _when(m.created_at),
            }
            for m in memberships
        ],
        "coordinator_of": [
            {
                "community": community.name,
                "research_consent": community.research_consent,
                "research_consent_changed_at": _when(community.research_consent_changed_at),
                "research_consent_changed_by_you": community.research_consent_changed_by_id
                == person.pk,
            }
            for community in person.coordinated_communities.order_by("name")
        ],
        "facilitator_of": [
            {**_session(session), "date": _when(session.date), "phase": session.phase}
            for session in person.facilitated_sessions.select_related("community").order_by("id")
        ],
        "invitations_received": [
            {
                **_session(invitation.session),
                "role": invitation.role,
                "organisation": invitation.organisation.name if invitation.organisation else None,
                "name": invitation.name,
                "sent_at": _when(invitation.created_at),
                "accepted_at": _when(invitation.accepted_at),
                "status": str(invitation.status),
            }
            for invitation in Invitation.objects.filter(email__iexact=email)
            .select_related("session__community", "organisation")
            .order_by("id")
        ],
        "invitations_sent": [
            {
                **_session(invitation.session),
                "role": invitation.role,
                "sent_at": _when(invitation.created_at),
            }
            for invitation in Invitation.objects.filter(created_by=person)
            .select_related("session__community")
            .order_by("id")
        ],
        "formats": [
            {
                **_session(preparation.session),
                "organisation": preparation.organisation.name,
                "submitted_by_you_at": _when(preparation.submitted_at)
                if preparation.submitted_by_id == person.pk
                else None,
                "last_edited_by_you_at": _when(preparation.updated_at)
                if preparation.updated_by_id == person.pk
                else None,
            }
            for preparation in preparations.select_related(
                "session__community", "organisation"
            ).order_by("id")
        ],
        "format_saves": [
            {
                **_session(revision.preparation.session),
                "organisation": revision.preparation.organisation.name,
                "version": revision.version,
                "saved_at": _when(revision.saved_at),
            }
            for revision in PreparationRevision.objects.filter(saved_by=person)
            .select_related("preparation__session__community", "preparation__organisation")
            .order_by("id")
        ],
        "joint_motives_last_edited": [
            {**_session(item.session), "text": item.text, "intended_outcome": item.intended_outcome}
            for item in JointMotive.objects.filter(updated_by=person)
            .select_related("session__community")
            .order_by("id")
        ],
        "agreements_last_edited": [
            {
                **_session(item.session),
                "what": item.text,
                "who": item.owner,
                "when": _when(item.due),
            }
            for item in Agreement.objects.filter(updated_by=person)
            .select_related("session__community")
            .order_by("id")
        ],
        "notes": [
            {**_session(item.session), "text": item.text, "created_at": _when(item.created_at)}
            for item in Note.objects.filter(author=person)
            .select_related("session__community")
            .order_by("id")
        ],
        "outcome_reviews_last_edited": [
            {
                **_session(item.session),
                "realised": item.realised,
                "note": item.note,
                "updated_at": _when(item.updated_at),
            }
            for item in OutcomeReview.objects.filter(updated_by=person)
            .select_related("session__community")
            .order_by("id")
        ],
        "quick_scans": [
            {"title": scan.title, "created_at": _when(scan.created_at)}
            for scan in QuickScan.objects.filter(created_by=person).order_by("id")
        ],
        "activity": [
            {
                "at": _when(event.at),
                "action": event.action,
                "community": event.community_name,
                "session": event.session_title,
                "details": event.detail,
            }
            for event in AuditEvent.objects.filter(actor=person).order_by("at", "id")
        ],
        "sign_in_records": {
            "successful": [
                {
                    "at": _when(log.attempt_time),
                    "ip_address": log.ip_address,
                    "user_agent": log.user_agent,
                }
                for log in AccessLog.objects.filter(username__iexact=email).order_by("id")
            ],
            "failed": [
                {
                    "at": _when(log.attempt_time),
                    "ip_address": log.ip_address,
                    "user_agent": log.user_agent,
                }
                for log in AccessFailureLog.objects.filter(username__iexact=email).order_by("id")
            ],
            "counted_for_the_rate_limit": AccessAttempt.objects.filter(
                username__iexact=email
            ).count(),
        },
    }
