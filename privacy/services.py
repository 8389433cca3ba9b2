"""The coordinator's retention choice for the community's closed sessions."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.access import communities_coordinated_by
from privacy.models import ClosedSessions, CommunityRetention
from sms_tool.errors import DomainError


@transaction.atomic
def retention_choose(*, community: Any, by: Any, closed_sessions: str) -> CommunityRetention:
    if not communities_coordinated_by(by).filter(pk=community.pk).exists():
        raise DomainError(_("Only a coordinator of this learning community can change it."))
    if closed_sessions not in ClosedSessions.values:
        raise DomainError(
            _("Choose whether old closed sessions are anonymised or deleted."),
            field="closed_sessions",
        )
    row, _created = CommunityRetention.objects.select_for_update().get_or_create(
        community=community
    )
    row.closed_sessions = closed_sessions
    row.changed_by = by
    row.save()
    return row
