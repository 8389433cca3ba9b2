"""Rules about a person rather than a session: the research view and Quick Scans."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from partnerships.access import can_create_communities, communities_coordinated_by
from partnerships.groups import RESEARCHERS_GROUP
from partnerships.models import LearningCommunity, User
from sessions.models import DialogueSession, QuickScan
from sms_tool import sql

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partnerships.models import LearningCommunity

# The person asking: signed in or not.
AnyUser = User | AnonymousUser


def can_view_research(user: AnyUser) -> bool:
    """Researchers (the Researchers group) and superusers see the cross-case research view.

    It is about a person, not a session: it compares learning communities the
    researcher takes no part in, as counts per side only (never answers or outcomes).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=RESEARCHERS_GROUP).exists()


def can_run_quick_scans(user: AnyUser) -> bool:
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


@dataclass(frozen=True)
class Navigation:
    """What the main navigation offers one person: the answers of the checks its pages make
    (named beside each), asked in one query instead of five on every page."""

    communities: bool = False  # can_create_communities, or coordinates one (the community list)
    research: bool = False  # can_view_research
    quick_scans: bool = False  # can_run_quick_scans
    audit_log: bool = False  # audit.selectors.can_read_log
    administration: bool = False  # the admin site (staff)


def navigation_for(user: AnyUser) -> Navigation:
    """The navigation's links for ``user`` in one query; nothing for a visitor."""
    if not user.is_authenticated or not user.is_active:
        return Navigation()
    parameters: dict[str, int | str] = {
        "person": user.pk,
        "researchers": RESEARCHERS_GROUP,
        "app_label": "partnerships",
        "codename": "add_learningcommunity",
    }
    with connection.cursor() as cursor:
        cursor.execute(_navigation_sql(), parameters)
        coordinates, facilitates, researcher, may_add = map(bool, cursor.fetchone() or ())
    may_add = may_add or user.is_superuser
    return Navigation(
        communities=may_add or coordinates,
        research=researcher or user.is_superuser,
        quick_scans=may_add or coordinates or facilitates,
        audit_log=user.is_staff or coordinates,
        administration=user.is_staff,
    )


@lru_cache(maxsize=1)
def _navigation_sql() -> str:
    """The four questions of the navigation as one SELECT of four EXISTS, written out.

    It runs on every page. Built with the ORM (four ``Exists`` of ``OuterRef``) it took
    about 1.4 ms of Python for 0.07 ms in the database; the same SQL as text takes
    neither. Table and column names come from the models (sms_tool.sql); tests/sessions/test_navigation.py
    holds the answers to each page's own check, for every kind of person.
    """
    coordinators = LearningCommunity.coordinators.through
    facilitators = DialogueSession.facilitators.through
    user_groups = User.groups.through
    user_permissions = User.user_permissions.through
    group_permissions = Group.permissions.through
    # Whether the person may add a learning community as Django's ModelBackend grants it:
    # the permission directly, or through a group.
    return f"""
        SELECT
          EXISTS (
            SELECT 1 FROM {sql.table(coordinators)} coordinator
            WHERE coordinator.{sql.column(coordinators, "user")} = %(person)s
          ),
          EXISTS (
            SELECT 1 FROM {sql.table(facilitators)} facilitator
            WHERE facilitator.{sql.column(facilitators, "user")} = %(person)s
          ),
          EXISTS (
            SELECT 1 FROM {sql.table(user_groups)} member
            JOIN {sql.table(Group)} grp ON grp.{sql.pk(Group)} = member.{sql.column(user_groups, "group")}
            WHERE member.{sql.column(user_groups, "user")} = %(person)s
              AND grp.{sql.column(Group, "name")} = %(researchers)s
          ),
          EXISTS (
            SELECT 1 FROM {sql.table(Permission)} perm
            JOIN {sql.table(ContentType)} kind
              ON kind.{sql.pk(ContentType)} = perm.{sql.column(Permission, "content_type")}
            WHERE kind.{sql.column(ContentType, "app_label")} = %(app_label)s
              AND perm.{sql.column(Permission, "codename")} = %(codename)s
              AND (
                EXISTS (
                  SELECT 1 FROM {sql.table(user_permissions)} own
                  WHERE own.{sql.column(user_permissions, "permission")} = perm.{sql.pk(Permission)}
                    AND own.{sql.column(user_permissions, "user")} = %(person)s
                )
                OR EXISTS (
                  SELECT 1 FROM {sql.table(group_permissions)} granted
                  JOIN {sql.table(user_groups)} member
                    ON member.{sql.column(user_groups, "group")}
                      = granted.{sql.column(group_permissions, "group")}
                  WHERE granted.{sql.column(group_permissions, "permission")} = perm.{sql.pk(Permission)}
                    AND member.{sql.column(user_groups, "user")} = %(person)s
                )
              )
          )
    """


def can_manage_quick_scan(user: AnyUser, scan: QuickScan) -> bool:
    """The scan's owner, and staff: its link and QR code, results, CSV, closing it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return scan.created_by_id == user.pk or user.is_staff


def quick_scan_communities(user: AnyUser) -> QuerySet[LearningCommunity]:
    """The learning communities a scan of ``user`` may belong to: those they coordinate."""
    return communities_coordinated_by(user).order_by("name", "pk")


def can_start_session_from_quick_scan(user: AnyUser, scan: QuickScan) -> bool:
    """The scan's owner starts a session from it in the scan's learning community, if
    they (still) coordinate that community. One query at most."""
    if not can_manage_quick_scan(user, scan) or scan.community_id is None:
        return False
    return communities_coordinated_by(user).filter(pk=scan.community_id).exists()


def can_respond_to_quick_scan(scan: QuickScan) -> bool:
    """Anyone with the link answers, without an account, until the scan is closed."""
    return scan.closed_at is None
