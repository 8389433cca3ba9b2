"""Writes to a session's joint results (Fase 2 and 3): joint motives, agreements, notes.

Keyword-only, one transaction each. Every write locks the session row first, so
two facilitators recording at once are serialised and a phase change cannot
slip in between, then asks ``sessions.policy.phases`` again on the locked row.
Edits and deletes name the version the person started from: a stale version is
refused with a ``JointResultConflict`` that carries what is stored now. Adds
never conflict. Each successful write raises ``DialogueSession.version``, so a
screen that shows the session can poll for changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motives.models import Cluster, Motive
from partnerships.models import User
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    Agreement,
    DialogueSession,
    JointMotive,
    Note,
    Phase,
)
from sessions.policy import phases
from sessions.schedule import services as schedule
from sessions.schedule.selectors import session_people
from sms_tool.errors import DomainError


class JointResultConflict(DomainError):
    """Someone changed or deleted the item after this person opened it.

    ``current`` is the stored item, or None when it no longer exists.
    """

    def __init__(self, message: str, *, current: Model | None = None) -> None:
        super().__init__(message)
        self.current = current


Item = TypeVar("Item", JointMotive, Agreement, Note)
Edited = TypeVar("Edited", JointMotive, Agreement)


def _name_of(person: User | None) -> str:
    return person.get_full_name() if person else _("someone")


def lock_for_recording(session_pk: int, by: User) -> DialogueSession:
    """The locked session row, if ``by`` may record joint results in it now."""
    locked = DialogueSession.objects.select_for_update().get(pk=session_pk)
    if locked.phase == Phase.CLOSED:
        raise DomainError(
            _("The session is closed: its joint results can no longer change. Nothing was saved.")
        )
    if locked.phase not in phases.RECORDING_PHASES:
        raise DomainError(
            _(
                "The session is not yet in the joint dialogue: joint results can be recorded "
                "once the dialogue has started."
            )
        )
    roles = phases.roles_for(by, locked)
    if not phases.can_record_joint_results(roles, locked):
        raise DomainError(
            _("Only the facilitators and coordinators of this session can record joint results.")
        )
    return locked


def bump(locked: DialogueSession, given: Model | None = None) -> None:
    """Raise the session's version: its joint results changed.

    ``given`` is the session or item the caller passed in; its copy of the session
    learns the new version too.
    """
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    if isinstance(given, DialogueSession):
        given.version = locked.version
    elif given is not None and type(given).session.is_cached(given):  # type: ignore[attr-defined]
        given.session.version = locked.version  # type: ignore[attr-defined]


def check_length(value: str, limit: int, label: str, field: str) -> None:
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is too long: at most %(limit)d characters, now %(length)d.")
            % {"label": label, "limit": limit, "length": len(value)},
            field=field,
        )


def _next_position(queryset: QuerySet[Any]) -> int:
    return (queryset.aggregate(highest=Max("position"))["highest"] or 0) + 1


@dataclass(frozen=True)
class _Kind:
    """What differs between the kinds of joint result when one is edited or deleted."""

    model: type[JointMotive] | type[Agreement] | type[Note]
    by_field: str
    deleted_while_editing: str | Promise
    changed_while_editing: str | Promise
    already_deleted: str | Promise
    changed_before_delete: str | Promise


_JOINT_MOTIVE = _Kind(
    model=JointMotive,
    by_field="updated_by",
    deleted_while_editing=gettext_lazy(
        "Someone deleted this joint motive while you were editing it. "
        "What you typed is still in the form: add it again if it is still needed."
    ),
    changed_while_editing=gettext_lazy(
        "%(name)s changed this joint motive while you were editing it. What you typed "
        "is still in the form and the saved version is shown next to it. "
        "Save again to replace it with yours."
    ),
    already_deleted=gettext_lazy("This joint motive had already been deleted."),
    changed_before_delete=gettext_lazy(
        "%(name)s changed this joint motive after you opened it; it was not deleted. "
        "Check the saved version below and delete it again if you still want to."
    ),
)
_AGREEMENT = _Kind(
    model=Agreement,
    by_field="updated_by",
    deleted_while_editing=gettext_lazy(
        "Someone deleted this agreement while you were editing it. "
        "What you typed is still in the form: add it again if it is still needed."
    ),
    changed_while_editing=gettext_lazy(
        "%(name)s changed this agreement while you were editing it. What you typed "
        "is still in the form and the saved version is shown next to it. "
        "Save again to replace it with yours."
    ),
    already_deleted=gettext_lazy("This agreement had already been deleted."),
    changed_before_delete=gettext_lazy(
        "%(name)s changed this agreement after you opened it; it was not deleted. "
        "Check the saved version below and delete it again if you still want to."
    ),
)
_NOTE = _Kind(
    model=Note,
    by_field="author",
    deleted_while_editing="",  # notes are not edited, only added and deleted
    changed_while_editing="",
    already_deleted=gettext_lazy("This note had already been deleted."),
    changed_before_delete=gettext_lazy(
        "This note was changed after you opened it (last by %(name)s); it was not "
        "deleted. Check it below and delete it again if you still want to."
    ),
)


def _current(
    kind: _Kind,
    item: Item,
    locked: DialogueSession,
    *,
    version: int | str,
    deleted_message: str | Promise,
    changed_message: str | Promise,
) -> Item:
    """The stored item, if it still exists in this session at ``version``."""
    current = (
        kind.model.objects.select_related(kind.by_field)
        .filter(pk=item.pk, session_id=locked.pk)
        .first()
    )
    if current is None:
        raise JointResultConflict(str(deleted_message))
    if str(current.version) != str(version):
        raise JointResultConflict(
            str(changed_message) % {"name": _name_of(getattr(current, kind.by_field))},
            current=current,
        )
    return current  # type: ignore[return-value]


def _edit(
    kind: _Kind,
    item: Edited,
    *,
    by: User,
    version: int | str,
    apply: Callable[[DialogueSession, Edited], list[str]],
) -> Edited:
    """Save an edit of ``item`` made from ``version``: ``apply`` sets the cleaned values
    on the stored row and names the fields it changed."""
    locked = lock_for_recording(item.session_id, by)
    current = _current(
        kind,
        item,
        locked,
        version=version,
        deleted_message=kind.deleted_while_editing,
        changed_message=kind.changed_while_editing,
    )
    changed: list[str] = apply(locked, current)
    current.version += 1
    current.updated_by = by
    current.save(update_fields=[*changed, "version", "updated_by"])
    bump(locked, item)
    return current


def _delete(kind: _Kind, item: Item, *, by: User, version: int | str) -> None:
    """Delete ``item`` if nobody changed it since ``version``."""
    locked = lock_for_recording(item.session_id, by)
    current = _current(
        kind,
        item,
        locked,
        version=version,
        deleted_message=kind.already_deleted,
        changed_message=kind.changed_before_delete,
    )
    current.delete()
    bump(locked, item)


# --- joint motives -----------------------------------------------------------


def _clean_joint_motive(
    locked: DialogueSession,
    *,
    motive: Motive | None,
    text: str | None,
    intended_outcome: str | None,
    keep: JointMotive | None = None,
) -> tuple[str, str]:
    text = (text or "").strip()
    intended_outcome = (intended_outcome or "").strip()
    if motive is None and not text:
        raise DomainError(
            _("Choose a motive from the catalogue or describe the joint motive in your own words."),
            field="motive",
        )
    check_length(text, OTHER_MOTIVE_MAX_LENGTH, _("The own wording"), "text")
    check_length(intended_outcome, OUTCOME_MAX_LENGTH, _("The joint intended outcome"), "outcome")
    if motive is not None:
        unchanged = keep is not None and keep.motive_id == motive.pk
        if not unchanged and not Motive.objects.active().filter(pk=motive.pk).exists():
            raise DomainError(
                _("“%(motive)s” is no longer part of the motive catalogue.")
                % {"motive": motive.label},
                field="motive",
            )
        duplicates = JointMotive.objects.filter(session=locked, motive=motive)
        if keep is not None:
            duplicates = duplicates.exclude(pk=keep.pk)
        if duplicates.exists():
            raise DomainError(
                _("“%(motive)s” is already a joint motive of this session.")
                % {"motive": motive.label},
                field="motive",
            )
    return text, intended_outcome


@transaction.atomic
def joint_motive_add(
    *,
    session: DialogueSession,
    by: User,
    motive: Motive | None = None,
    text: str = "",
    intended_outcome: str = "",
) -> JointMotive:
    """A joint motive at the end of the list: a catalogue motive, own wording, or both."""
    locked = lock_for_recording(session.pk, by)
    text, intended_outcome = _clean_joint_motive(
        locked, motive=motive, text=text, intended_outcome=intended_outcome
    )
    joint_motive = JointMotive.objects.create(
        session=locked,
        position=_next_position(locked.joint_motives.all()),
        motive=motive,
        text=text,
        intended_outcome=intended_outcome,
        updated_by=by,
    )
    bump(locked, session)
    return joint_motive


@transaction.atomic
def joint_motive_update(
    *,
    joint_motive: JointMotive,
    by: User,
    version: int | str,
    motive: Motive | None = None,
    text: str = "",
    intended_outcome: str = "",
) -> JointMotive:
    def apply(locked: DialogueSession, current: JointMotive) -> list[str]:
        current.text, current.intended_outcome = _clean_joint_motive(
            locked, motive=motive, text=text, intended_outcome=intended_outcome, keep=current
        )
        current.motive = motive
        return ["motive", "text", "intended_outcome"]

    return _edit(_JOINT_MOTIVE, joint_motive, by=by, version=version, apply=apply)


@transaction.atomic
def joint_motive_delete(*, joint_motive: JointMotive, by: User, version: int | str) -> None:
    _delete(_JOINT_MOTIVE, joint_motive, by=by, version=version)


# --- agreements ---------------------------------------------------------------


def _clean_agreement(*, text: str | None, owner: str | None) -> tuple[str, str]:
    text = (text or "").strip()
    owner = (owner or "").strip()
    if not text:
        raise DomainError(_("Describe what was agreed."), field="text")
    check_length(text, AGREEMENT_MAX_LENGTH, _("The agreement"), "text")
    check_length(owner, OWNER_MAX_LENGTH, _("Who"), "owner")
    return text, owner


@transaction.atomic
def agreement_add(
    *,
    session: DialogueSession,
    by: User,
    text: str,
    owner: str = "",
    due: datetime.date | None = None,
    owner_person: User | None = None,
) -> Agreement:
    """An agreement (what, who, when) at the end of the list; its owner is reminded."""
    locked = lock_for_recording(session.pk, by)
    text, owner = _clean_agreement(text=text, owner=owner)
    owner = _check_owner_person(locked, owner_person, owner)
    agreement = Agreement.objects.create(
        session=locked,
        position=_next_position(locked.agreements.all()),
        text=text,
        owner=owner,
        due=due,
        owner_person=owner_person,
        updated_by=by,
    )
    bump(locked, session)
    schedule.agreement_saved(agreement)
    return agreement


def _check_owner_person(session: DialogueSession, person: User | None, owner: str) -> str:
    """The reminded person is one of the session's people; "who" defaults to their name."""
    if person is None:
        return owner
    if not session_people(session).filter(pk=person.pk).exists():
        raise DomainError(
            _("Choose someone who takes part in this session to remind."), field="owner_person"
        )
    return owner or (person.get_full_name() or person.email)[:OWNER_MAX_LENGTH]


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    by: User,
    version: int | str,
    text: str,
    owner: str = "",
    due: datetime.date | None = None,
    owner_person: User | None = None,
) -> Agreement:
    def apply(locked: DialogueSession, current: Agreement) -> list[str]:
        before = (current.due, current.owner_person_id)
        current.text, current.owner = _clean_agreement(text=text, owner=owner)
        current.owner = _check_owner_person(locked, owner_person, current.owner)
        current.due = due
        current.owner_person = owner_person
        schedule.agreement_saved(current, before=before)
        return ["text", "owner", "due", "owner_person"]

    return _edit(_AGREEMENT, agreement, by=by, version=version, apply=apply)


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by: User, version: int | str) -> None:
    _delete(_AGREEMENT, agreement, by=by, version=version)


# --- notes --------------------------------------------------------------------


@transaction.atomic
def note_add(
    *, session: DialogueSession, by: User, text: str, cluster: Cluster | None = None
) -> Note:
    """A note about the dialogue, about one cluster or about the whole."""
    locked = lock_for_recording(session.pk, by)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the note before saving it."), field="text")
    check_length(text, NOTE_MAX_LENGTH, _("The note"), "text")
    note = Note.objects.create(session=locked, cluster=cluster, text=text, author=by)
    bump(locked, session)
    return note


@transaction.atomic
def note_delete(*, note: Note, by: User, version: int | str) -> None:
    _delete(_NOTE, note, by=by, version=version)
