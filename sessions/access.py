"""Every view gets its objects here: filtered by the person asking.

"Not yours" and "does not exist" give the same 404, whatever the id in the URL.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from partnerships.groups import RESEARCHERS_GROUP
from partnerships.models import LearningCommunity
from sessions import phases
from sessions.models import DialogueSession, Preparation, QuickScan


def session_for(user, pk):
    """The session and the person's roles in it; 404 for anyone without a role."""
    session = get_object_or_404(DialogueSession.objects.select_related("community"), pk=pk)
    roles = phases.roles_for(user, session)
    if not phases.can_view_session(roles):
        raise Http404
    return session, roles


def require(allowed):
    """Turn a refused policy check into the same 404 an outsider gets."""
    if not allowed:
        raise Http404


def preparation_for(user, session_pk, preparation_pk):
    session, roles = session_for(user, session_pk)
    preparation = get_object_or_404(
        Preparation.objects.select_related("organisation", "updated_by", "submitted_by"),
        pk=preparation_pk,
        session=session,
    )
    require(phases.can_view_preparation(roles, session, preparation))
    return session, roles, preparation


def communities_coordinated_by(user):
    if not user.is_authenticated:
        return LearningCommunity.objects.none()
    return LearningCommunity.objects.filter(coordinators=user)


def community_for_coordinator(user, pk):
    return get_object_or_404(communities_coordinated_by(user), pk=pk)


def can_create_communities(user):
    """People in the Coordinators group (or with the permission) may start a community."""
    return user.is_authenticated and user.has_perm("partnerships.add_learningcommunity")


def can_view_research(user):
    """Researchers (the Researchers group) and superusers see the cross-case research view.

    It is about a person, not a session: it compares learning communities the
    researcher takes no part in, as counts per side only (never answers or outcomes).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=RESEARCHERS_GROUP).exists()


def can_run_quick_scans(user):
    """People who facilitate or coordinate anything run Quick Scans in their workshops.

    A facilitator of any session, a coordinator of any learning community, or
    someone in the Coordinators group. One query at most (the permission check
    is cached on the user).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if can_create_communities(user):
        return True
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(facilitated_sessions__isnull=False) | Q(coordinated_communities__isnull=False))
        .exists()
    )


def quickscan_for(user, pk):
    """A Quick Scan its owner (or staff) manages; 404 for anyone else."""
    scan = get_object_or_404(QuickScan, pk=pk)
    require(phases.can_manage_quick_scan(user, scan))
    return scan
