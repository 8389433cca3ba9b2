"""Reads that span relations, with their joins made explicit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, Q

from sessions.models import DialogueSession, Preparation
from sessions.policy import phases

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partnerships.models import User


def sessions_for_person(person: User) -> QuerySet[DialogueSession]:
    """Sessions a person takes part in: as member, Fase 1 guide, facilitator or coordinator."""
    return (
        DialogueSession.objects.filter(
            Q(
                preparations__organisation__memberships__person=person,
                preparations__organisation__community=F("community"),
            )
            | Q(preparations__guides=person, preparations__organisation__community=F("community"))
            | Q(facilitators=person)
            | Q(community__coordinators=person)
        )
        .select_related("community")
        .distinct()
        .order_by("-date", "-id")
    )


@dataclass
class MySession:
    session: DialogueSession
    coordinator: bool = False
    facilitator: bool = False
    preparations: list[Preparation] = field(default_factory=list)

    @property
    def stage(self) -> phases.Stage:
        return phases.Stage(self.session.phase)


def my_sessions(person: User, sessions: Iterable[DialogueSession]) -> list[MySession]:
    """Per session on the page: the person's roles and own organisations' formats (4 queries)."""
    sessions = list(sessions)
    ids = [session.pk for session in sessions]
    coordinated = set(person.coordinated_communities.values_list("pk", flat=True))
    facilitated = set(person.facilitated_sessions.filter(pk__in=ids).values_list("pk", flat=True))
    own: dict[int, list[Preparation]] = {}
    for preparation in (
        Preparation.objects.filter(
            Q(organisation__memberships__person=person) | Q(guides=person),
            session_id__in=ids,
            organisation__community=F("session__community"),
        )
        .select_related("organisation")
        .distinct()
    ):
        own.setdefault(preparation.session_id, []).append(preparation)
    return [
        MySession(
            session=session,
            coordinator=session.community_id in coordinated,
            facilitator=session.pk in facilitated,
            preparations=own.get(session.pk, []),
        )
        for session in sessions
    ]
