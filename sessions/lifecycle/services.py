"""Creating, changing and moving a dialogue session through its phases (coordinator).

Keyword-only, one transaction each, ``DomainError`` with the reason when refused.
Who may do what is decided in ``sessions.phases``; the services ask it again
on the locked row, so two people acting at once cannot both win.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import events as audit
from audit.models import Action
from motives.models import MotiveSource
from partnerships.access import communities_coordinated_by
from partnerships.services import validate_model
from sessions.lifecycle.progress import Status, status_of, with_work_counts
from sessions.models import Answer, Catalogue, DialogueSession, Invitation, Phase, Preparation
from sessions.policy import phases
from sessions.schedule import services as schedule
from sms_tool.errors import DomainError

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partnerships.models import LearningCommunity, Organisation, User

MIN_ORGANISATIONS = phases.MIN_SUBMITTED_FOR_DIALOGUE  # a session compares at least two


def facilitator_candidates(community: LearningCommunity) -> QuerySet[User]:
    """People who can facilitate a session of the community without a new invitation.

    The community's coordinators and everyone who facilitated one of its sessions.
    """
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(coordinated_communities=community) | Q(facilitated_sessions__community=community))
        .distinct()
        .order_by("name", "email")
    )


def _names(objects: Iterable[object]) -> str:
    return ", ".join(f"“{obj}”" for obj in objects)


def _require_coordinator(by: User, community: LearningCommunity) -> None:
    if not communities_coordinated_by(by).filter(pk=community.pk).exists():
        raise DomainError(_("Only a coordinator of this learning community can do this."))


def _clean_details(
    session: DialogueSession, *, title: str | None, date: datetime.date | None
) -> None:
    session.title = (title or "").strip()
    session.date = date
    validate_model(session, exclude=("community", "previous"))


def _checked_organisations(
    community: LearningCommunity, organisations: Iterable[Organisation]
) -> list[Organisation]:
    organisations = list(dict.fromkeys(organisations))
    outside = [o for o in organisations if o.community_id != community.pk]
    if outside:
        # Not named: an organisation of another community is not this person's to see.
        raise DomainError(
            ngettext(
                "One chosen organisation is not a partner organisation of this learning community.",
                "%(count)d chosen organisations are not partner organisations of this learning "
                "community.",
                len(outside),
            )
            % {"count": len(outside)},
            field="organisations",
        )
    return organisations


def _require_enough_organisations(count: int) -> None:
    """A session compares organisations: it needs at least two of them."""
    if count < MIN_ORGANISATIONS:
        raise DomainError(
            ngettext(
                "A session needs at least %(minimum)d participating organisations; "
                "%(count)d is chosen.",
                "A session needs at least %(minimum)d participating organisations; "
                "%(count)d are chosen.",
                count,
            )
            % {"minimum": MIN_ORGANISATIONS, "count": count},
            field="organisations",
        )


def _checked_facilitators(community: LearningCommunity, facilitators: Iterable[User]) -> list[User]:
    facilitators = list(dict.fromkeys(facilitators))
    allowed = set(facilitator_candidates(community).values_list("pk", flat=True))
    unknown = [person for person in facilitators if person.pk not in allowed]
    if unknown:
        raise DomainError(
            _(
                "%(names)s cannot be chosen as facilitator here. "
                "Invite new facilitators by e-mail on the invitations page."
            )
            % {"names": _names(unknown)},
            field="facilitators",
        )
    return facilitators


def _checked_catalogue(session: DialogueSession, catalogue: str | None) -> str:
    """The session's catalogue after the change; narrowing it may not hide answers.

    Going from the extended catalogue to the compact format would take the article's
    motives out of the formats, the comparison and the report. When an organisation
    already answered one of them, the change is refused with the reason (nothing is
    dropped silently); widening is always possible.
    """
    if catalogue is None:
        return session.catalogue
    if catalogue not in Catalogue.values:
        raise DomainError(
            _("Choose the compact format or the extended catalogue."), field="catalogue"
        )
    if (
        catalogue == Catalogue.COMPACT
        and session.pk is not None
        and session.catalogue != Catalogue.COMPACT
    ):
        answered = (
            Answer.objects.filter(preparation__session=session)
            .exclude(motive__source=MotiveSource.FORMAT)
            .values_list("preparation__organisation__name", flat=True)
            .distinct()
            .order_by("preparation__organisation__name")
        )
        names = list(answered)
        if names:
            raise DomainError(
                _(
                    "%(names)s already answered motives that are only in the extended "
                    "catalogue; the compact format would hide those answers. Keep the extended "
                    "catalogue, or ask them to clear those answers first."
                )
                % {"names": ", ".join(names)},
                field="catalogue",
            )
    return catalogue


@transaction.atomic
def session_create(
    *,
    community: LearningCommunity,
    by: User,
    title: str | None,
    date: datetime.date | None,
    organisations: Iterable[Organisation],
    facilitators: Iterable[User],
    catalogue: str | None = None,
) -> DialogueSession:
    """A new session in draft, with an empty preparation per participating organisation."""
    _require_coordinator(by, community)
    session = DialogueSession(community=community, phase=Phase.DRAFT)
    _clean_details(session, title=title, date=date)
    session.catalogue = _checked_catalogue(session, catalogue or Catalogue.EXTENDED)
    organisations = _checked_organisations(community, organisations)
    _require_enough_organisations(len(organisations))
    facilitators = _checked_facilitators(community, facilitators)
    session.save()
    Preparation.objects.bulk_create(
        [Preparation(session=session, organisation=organisation) for organisation in organisations]
    )
    session.facilitators.set(facilitators)
    return session


@transaction.atomic
def session_update(
    *,
    session: DialogueSession,
    by: User,
    title: str | None,
    date: datetime.date | None,
    organisations: Iterable[Organisation],
    facilitators: Iterable[User],
    version: int | str,
    catalogue: str | None = None,
) -> DialogueSession:
    """Change title, date, the catalogue, participating organisations and facilitators.

    ``version`` is the session's version when the form was shown; if someone else
    saved in between, the change is refused instead of silently overwriting theirs.
    """
    locked = (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session.pk)
    )
    roles = phases.roles_for(by, locked)
    if not roles.coordinator:
        raise DomainError(_("Only a coordinator of this learning community can do this."))
    if str(version) != str(locked.version):
        raise DomainError(
            _(
                "Someone else changed this session meanwhile. Reload the page to see their "
                "changes; what you typed is still shown below so you can copy it."
            )
        )
    if not phases.can_edit_session_details(roles, locked):
        raise DomainError(
            _("This session is in the phase “%(phase)s”; its details can no longer change.")
            % {"phase": locked.get_phase_display()}
        )
    _clean_details(locked, title=title, date=date)
    locked.catalogue = _checked_catalogue(locked, catalogue)
    wanted = {o.pk: o for o in _checked_organisations(locked.community, organisations)}
    facilitators = _checked_facilitators(locked.community, facilitators)

    current = {
        preparation.organisation_id: preparation
        for preparation in with_work_counts(
            Preparation.objects.filter(session=locked).select_related("organisation")
        )
    }
    removed = [p for organisation_id, p in current.items() if organisation_id not in wanted]
    added = [o for organisation_id, o in wanted.items() if organisation_id not in current]
    if (removed or added) and not phases.can_change_participants(roles, locked):
        raise DomainError(
            _("Which organisations take part can only change before the joint dialogue."),
            field="organisations",
        )
    kept_back = [
        p.organisation
        for p in removed
        if not phases.can_remove_participant(
            roles, locked, started=status_of(p) != Status.NOT_STARTED
        )
    ]
    if kept_back:
        raise DomainError(
            ngettext(
                "%(names)s has already started or submitted its format and cannot leave "
                "this session.",
                "%(names)s have already started or submitted their formats and cannot leave "
                "this session.",
                len(kept_back),
            )
            % {"names": _names(kept_back)},
            field="organisations",
        )
    if removed:
        removed_ids = [p.organisation_id for p in removed]
        Invitation.objects.filter(
            session=locked,
            organisation_id__in=removed_ids,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        Preparation.objects.filter(session=locked, organisation_id__in=removed_ids).delete()
    Preparation.objects.bulk_create(
        [Preparation(session=locked, organisation=organisation) for organisation in added]
    )
    locked.facilitators.set(facilitators)
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def session_advance_phase(*, session: DialogueSession, by: User, expected_phase: str) -> str:
    """Move the session to its next phase and return that phase.

    ``expected_phase`` is the phase the person saw when confirming; if someone
    else moved the session meanwhile, nothing happens and they are told.
    """
    locked = (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session.pk)
    )
    roles = phases.roles_for(by, locked)
    if not (roles.coordinator or roles.facilitator):
        raise DomainError(_("Only a coordinator of this learning community can do this."))
    if locked.phase != expected_phase:
        raise DomainError(
            _(
                "Someone else moved this session to the phase “%(phase)s” meanwhile. "
                "Check the session before you continue."
            )
            % {"phase": locked.get_phase_display()}
        )
    target = phases.next_phase(locked.phase)
    if target is None:
        raise DomainError(_("This session is closed; it has no next phase."))
    if not phases.can_advance(roles, locked):
        raise DomainError(_("Only a coordinator of this learning community can do this."))
    if target == Phase.PREPARATION:
        _require_enough_organisations(Preparation.objects.filter(session=locked).count())
    submitted = Preparation.objects.filter(session=locked, submitted_at__isnull=False).count()
    if not phases.can_open_next_phase(roles, locked, submitted_count=submitted):
        raise DomainError(
            ngettext(
                "The joint dialogue needs at least %(minimum)d submitted organisations; "
                "%(count)d organisation has submitted so far.",
                "The joint dialogue needs at least %(minimum)d submitted organisations; "
                "%(count)d organisations have submitted so far.",
                submitted,
            )
            % {"minimum": phases.MIN_SUBMITTED_FOR_DIALOGUE, "count": submitted}
        )
    from_phase = locked.phase
    locked.phase = target
    locked.version += 1
    locked.save(update_fields=["phase", "version", "updated_at"])
    audit.record(
        Action.PHASE_CHANGE, actor=by, session=locked, from_phase=from_phase, to_phase=target
    )
    session.phase, session.version = locked.phase, locked.version
    schedule.phase_opened(locked)  # the announcement mails leave after the commit
    return target
