"""Learning communities for the person asking: a community they do not coordinate
gives the same 404 as one that does not exist."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partnerships.models import LearningCommunity, User


def communities_coordinated_by(user: User | AnonymousUser) -> QuerySet[LearningCommunity]:
    if not user.is_authenticated:
        return LearningCommunity.objects.none()
    return LearningCommunity.objects.filter(coordinators=user)


def community_for_coordinator(user: User | AnonymousUser, pk: int) -> LearningCommunity:
    return get_object_or_404(communities_coordinated_by(user), pk=pk)


def can_create_communities(user: User | AnonymousUser) -> bool:
    """People in the Coordinators group (or with the permission) may start a community."""
    return user.is_authenticated and user.has_perm("partnerships.add_learningcommunity")
