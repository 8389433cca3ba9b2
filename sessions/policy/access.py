"""Every view gets its objects here: filtered by the person asking.

"Not yours" and "does not exist" give the same 404, whatever the id in the URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404

from sessions.models import DialogueSession, Preparation, QuickScan
from sessions.policy import people, phases

if TYPE_CHECKING:
    from sessions.policy.people import AnyUser


def session_for(user: AnyUser, pk: int) -> tuple[DialogueSession, phases.SessionRoles]:
    """The session and the person's roles in it; 404 for anyone without a role."""
    session = get_object_or_404(DialogueSession.objects.select_related("community"), pk=pk)
    roles = phases.roles_for(user, session)
    if not phases.can_view_session(roles):
        raise Http404
    return session, roles


def require(allowed: bool) -> None:
    """Turn a refused policy check into the same 404 an outsider gets."""
    if not allowed:
        raise Http404


def preparation_for(
    user: AnyUser, session_pk: int, preparation_pk: int
) -> tuple[DialogueSession, phases.SessionRoles, Preparation]:
    """The preparation, its session and the person's roles: the same checks and 404s as
    ``session_for`` and then the preparation, with the session read in the same query."""
    preparations = Preparation.objects.select_related(
        "session__community", "organisation", "updated_by", "submitted_by", "extra"
    )
    preparation = get_object_or_404(preparations, pk=preparation_pk, session_id=session_pk)
    session = preparation.session
    roles = phases.roles_for(user, session)
    require(phases.can_view_session(roles))
    require(phases.can_view_preparation(roles, session, preparation))
    return session, roles, preparation


def quickscan_for(user: AnyUser, pk: int) -> QuickScan:
    """A Quick Scan its owner (or staff) manages; 404 for anyone else."""
    scan = get_object_or_404(QuickScan, pk=pk)
    require(people.can_manage_quick_scan(user, scan))
    return scan


def quickscan_for_session_start(user: AnyUser, pk: int) -> QuickScan:
    """A Quick Scan whose owner coordinates its learning community; 404 for anyone else."""
    scan = get_object_or_404(QuickScan.objects.select_related("community"), pk=pk)
    require(people.can_start_session_from_quick_scan(user, scan))
    return scan
