"""Between the upload and the confirmation of an import: the file kept on the server, and
what the import will create, said within the page's community only (nothing about others).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnerships.models import LearningCommunity, PartnerType
from sessions.interchange.format import wanted_people
from sessions.models import (
    IMPORT_PREVIEW_VALID_MINUTES,
    IMPORT_PREVIEWS_PER_PERSON,
    ImportPreview,
    Phase,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from partnerships.models import User


def keep(*, person: User, community: LearningCommunity, name: str, text: str) -> str:
    """Keep the previewed file on the server; return the token that names it."""
    now = timezone.now()
    ImportPreview.objects.filter(expires_at__lte=now).delete()
    mine = ImportPreview.objects.filter(created_by=person).order_by("-created_at", "-id")
    stale = list(mine.values_list("pk", flat=True)[IMPORT_PREVIEWS_PER_PERSON - 1 :])
    ImportPreview.objects.filter(pk__in=stale).delete()
    preview = ImportPreview.objects.create(
        token=secrets.token_urlsafe(32),
        community=community,
        created_by=person,
        file_name=name,
        text=text,
        expires_at=now + timedelta(minutes=IMPORT_PREVIEW_VALID_MINUTES),
    )
    return preview.token


def take(*, person: User, community: LearningCommunity, token: str) -> ImportPreview | None:
    """The kept file for ``token`` (and forget it), or None when the preview went stale."""
    with transaction.atomic():
        preview = (
            ImportPreview.objects.select_for_update()
            .filter(
                token=token,
                created_by=person,
                community=community,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if preview is not None:
            preview.delete()
    return preview


@dataclass
class OrganisationPreview:
    name: str
    exists: bool
    submitted: bool
    answers: int
    members: int
    other_motives: int


@dataclass
class Summary:
    community: LearningCommunity
    file_community_name: str
    new_coordinators: list[dict[str, str]]
    title: str
    date: datetime.date | None
    phase_label: StrOrPromise
    groups: list[tuple[PartnerType, list[OrganisationPreview]]] = field(default_factory=list)
    new_people: list[dict[str, str]] = field(default_factory=list)
    known_people: list[dict[str, str]] = field(default_factory=list)
    joint_motives: int = 0
    agreements: int = 0
    notes: int = 0


def _people_of(community: LearningCommunity) -> set[str]:
    """The lower-cased e-mail addresses of everyone who already takes part in ``community``."""
    return {
        email.lower()
        for email in get_user_model()
        .objects.filter(
            Q(coordinated_communities=community)
            | Q(facilitated_sessions__community=community)
            | Q(memberships__organisation__community=community)
        )
        .values_list("email", flat=True)
    }


def summary(clean: Mapping[str, Any], community: LearningCommunity) -> Summary:
    """What the import will create and what it will reuse, within this community only."""
    wanted = wanted_people(clean)
    known = _people_of(community)
    coordinators = {user.email.lower() for user in community.coordinators.only("email")}
    existing = {name.casefold() for name in community.organisations.values_list("name", flat=True)}

    by_type: dict[PartnerType, list[OrganisationPreview]] = {
        PartnerType.EDUCATION: [],
        PartnerType.PRACTICE: [],
    }
    for org in clean["organisations"]:
        by_type[org["partner_type"]].append(
            OrganisationPreview(
                name=org["name"],
                exists=org["name"].strip().casefold() in existing,
                submitted=org["submitted"],
                answers=len(org["answers"]),
                members=len(org["members"]),
                other_motives=len(org["other_motives"]),
            )
        )
    groups = [
        (PartnerType(kind), sorted(items, key=lambda o: o.name.casefold()))
        for kind, items in by_type.items()
    ]
    session = clean["session"]
    file_name = clean["community"]["name"]
    return Summary(
        community=community,
        file_community_name=""
        if file_name.strip().casefold() == community.name.casefold()
        else file_name,
        new_coordinators=[
            p for p in clean["community"]["coordinators"] if p["email"] not in coordinators
        ],
        title=session["title"],
        date=session["date"],
        phase_label=Phase(session["phase"]).label,
        groups=groups,
        new_people=[
            {"email": email, "name": name}
            for email, name in sorted(wanted.items())
            if email not in known
        ],
        known_people=[
            {"email": email, "name": name}
            for email, name in sorted(wanted.items())
            if email in known
        ],
        joint_motives=len(clean["joint_motives"]),
        agreements=len(clean["agreements"]),
        notes=len(clean["notes"]),
    )
