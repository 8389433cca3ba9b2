"""Who reads which part of the audit log."""

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEvent
from partnerships.access import communities_coordinated_by


def can_read_log(user: Any) -> bool:
    """Staff read all of it; a coordinator reads the events of the communities they coordinate."""
    if not user.is_authenticated:
        return False
    return user.is_staff or communities_coordinated_by(user).exists()


def events_for(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "subject", "community")
    if user.is_staff:
        return events
    return events.filter(community__in=communities_coordinated_by(user))
