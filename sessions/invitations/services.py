"""Invitations to a dialogue session: create, resend, revoke, find and accept.

Only a SHA-256 hash of an invitation's token is stored; the raw token exists
in the e-mail only. A link is single-use and expires after
``settings.INVITATION_VALID_DAYS``. Who may invite and revoke is decided in
``sessions.policy.phases``; the views ask it, and these functions ask it again on
the locked session row before they check the data and the state.

Every refusal is an ``InvitationError``: a ``DomainError`` whose ``message``
tells the person why and whose ``reason`` is a stable code for views and tests.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit
from audit.models import Action
from notifications.models import MailKind
from notifications.services import queue_mail, render_mail
from partnerships.models import Membership, normalise_email
from sessions.models import (
    DialogueSession,
    Invitation,
    InvitationRole,
    InvitationStatus,
    Preparation,
)
from sessions.policy import phases
from sms_tool.errors import DomainError

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partnerships.models import Organisation, User

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


class InvitationError(DomainError):
    """A refused invitation change; ``reason`` names the cause in a stable way."""

    def __init__(self, message: str, *, reason: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.reason = reason


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + timedelta(days=settings.INVITATION_VALID_DAYS)


def person_with_email(email: str) -> User | None:
    """The account for ``email`` in any letter case, or None (the database allows one)."""
    return get_user_model().objects.filter(email__iexact=normalise_email(email)).first()


def _open_invitations(session: DialogueSession, now: datetime.datetime) -> QuerySet[Invitation]:
    return session.invitations.filter(
        revoked_at__isnull=True, accepted_at__isnull=True, expires_at__gt=now
    )


def _locked(invitation: Invitation) -> Invitation:
    """The invitation's row, locked until the transaction ends (fresh from the database)."""
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


def _require_inviter(
    by: User | None,
    session_pk: int,
    rule: Callable[[phases.SessionRoles, DialogueSession], bool],
) -> DialogueSession:
    """The locked session, if ``by`` may (still) do this: a coordinator removed a moment
    ago invites nobody. Staff act through the admin and may always revoke."""
    locked = (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session_pk)
    )
    if by is None or not (rule(phases.roles_for(by, locked), locked) or _is_staff(by, rule)):
        raise InvitationError(
            _("Only the coordinators of this learning community can change its invitations."),
            reason="not_allowed",
        )
    return locked


def _is_staff(by: User, rule: Callable[..., bool]) -> bool:
    return rule is phases.can_revoke_invitation and by.is_active and by.is_staff


def closed_reason_message(status: str) -> str:
    """Why an invitation in ``status`` can no longer be accepted, and what to do."""
    if status == InvitationStatus.REVOKED:
        return _(
            "This invitation has been withdrawn by the coordinator. "
            "If you still need access, ask the coordinator for a new invitation."
        )
    if status == InvitationStatus.ACCEPTED:
        return _(
            "This invitation has already been used; each invitation link works only once. "
            "If it was you who accepted it, sign in to reach the session. "
            "Otherwise, ask the coordinator for a new invitation."
        )
    return _("This invitation has expired. Ask the coordinator to send you a new invitation.")


def _check_open(invitation: Invitation, now: datetime.datetime) -> None:
    status = invitation.status_at(now)
    if status != InvitationStatus.SENT:
        raise InvitationError(closed_reason_message(status), reason=str(status))


# --- sending ---------------------------------------------------------------


def _send(invitation: Invitation, *, by: User | None, link: str) -> None:
    """Queue the invitation e-mail; it leaves when the transaction commits (notifications).

    The mail server is never reached inside the request: a failing one costs a
    retry in the background, not the coordinator's change.
    """
    recipient = person_with_email(invitation.email)
    language = (recipient.language if recipient else "") or translation.get_language()
    context = {
        "invitation": invitation,
        "session": invitation.session,
        "community": invitation.session.community,
        "organisation": invitation.organisation,
        "is_facilitator": invitation.role == InvitationRole.FACILITATOR,
        "inviter": by.get_full_name() if by else _("The coordinator"),
        "expires_at": invitation.expires_at,
        "link": link,
    }
    subject, body = render_mail(
        "dialogue_sessions/invitations/email_subject.txt",
        "dialogue_sessions/invitations/email_body.txt",
        context,
        language or settings.LANGUAGE_CODE,
    )
    # One mail per sending: the n-th sending of this invitation is queued once.
    queue_mail(
        key=f"invitation:{invitation.pk}:{invitation.send_count}",
        kind=MailKind.INVITATION,
        to=invitation.email,
        subject=subject,
        body=body,
        person=recipient,
    )


def _audit(
    action: Action, invitation: Invitation, by: User | None, *, subject: User | None = None
) -> None:
    """The invitation in the audit log: its role and organisation, never the address."""
    audit.record(
        action,
        actor=by,
        session=invitation.session,
        subject=subject,
        invitation=invitation.pk,
        role=invitation.role,
        organisation=cast("Organisation", invitation.organisation).name
        if invitation.organisation_id
        else "",
    )


# --- coordinator actions ---------------------------------------------------


def check_invitation(
    *,
    session: DialogueSession,
    email: str,
    role: str,
    organisation: Organisation | None = None,
) -> None:
    """Raise ``InvitationError`` with the reason why this invitation cannot be sent, if any.

    ``invitation_create`` asks it on the locked session; the bulk form asks it for
    every line first, so that nothing is sent while one line is wrong.
    """
    email = normalise_email(email)
    if role in (InvitationRole.MEMBER, InvitationRole.GUIDE):
        if organisation is None:
            raise InvitationError(
                _("Choose the organisation the person will work for."),
                reason="organisation_missing",
                field="organisation",
            )
        if not session.preparations.filter(organisation=organisation).exists():
            raise InvitationError(
                _("%(organisation)s does not take part in this session.")
                % {"organisation": organisation.name},
                reason="organisation_not_in_session",
                field="organisation",
            )
    elif role == InvitationRole.FACILITATOR:
        if organisation is not None:
            raise InvitationError(
                _("A facilitator is invited for the whole session, not for one organisation."),
                reason="facilitator_with_organisation",
                field="organisation",
            )
    else:
        raise InvitationError(_("Choose a role."), reason="unknown_role", field="role")

    person = person_with_email(email)
    if person is not None:
        if (
            role == InvitationRole.MEMBER
            and Membership.objects.filter(person=person, organisation=organisation).exists()
        ):
            assert organisation is not None  # a member is invited for one (checked above)
            raise InvitationError(
                _("%(email)s is already a member of %(organisation)s.")
                % {"email": email, "organisation": organisation.name},
                reason="already_member",
                field="email",
            )
        if role == InvitationRole.GUIDE:
            assert organisation is not None  # a guide is invited for one (checked above)
            if Membership.objects.filter(person=person, organisation=organisation).exists():
                raise InvitationError(
                    _(
                        "%(email)s is a member of %(organisation)s and already works on its "
                        "format; a process guide comes from outside the organisation."
                    )
                    % {"email": email, "organisation": organisation.name},
                    reason="already_member",
                    field="email",
                )
            if session.preparations.filter(organisation=organisation, guides=person).exists():
                raise InvitationError(
                    _("%(email)s is already the process guide of %(organisation)s.")
                    % {"email": email, "organisation": organisation.name},
                    reason="already_guide",
                    field="email",
                )
        if (
            role == InvitationRole.FACILITATOR
            and session.facilitators.filter(pk=person.pk).exists()
        ):
            raise InvitationError(
                _("%(email)s is already a facilitator of this session.") % {"email": email},
                reason="already_facilitator",
                field="email",
            )

    now = timezone.now()
    if (
        _open_invitations(session, now)
        .filter(email__iexact=email, role=role, organisation=organisation)
        .exists()
    ):
        raise InvitationError(
            _(
                "%(email)s already has an open invitation for this. "
                "Resend that invitation from the list instead."
            )
            % {"email": email},
            reason="already_invited",
            field="email",
        )


@transaction.atomic
def invitation_create(
    *,
    session: DialogueSession,
    by: User | None,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
    link_builder: Callable[[str], str],
) -> Invitation:
    """Invite ``email`` to ``session`` as member of ``organisation`` or as facilitator."""
    # One invitation change per session at a time, so duplicates cannot slip in.
    _require_inviter(by, session.pk, phases.can_invite)
    return _create(
        session=session,
        by=by,
        email=email,
        role=role,
        organisation=organisation,
        name=name,
        link_builder=link_builder,
    )


def _create(
    *,
    session: DialogueSession,
    by: User | None,
    email: str,
    role: str,
    organisation: Organisation | None,
    name: str,
    link_builder: Callable[[str], str],
) -> Invitation:
    email = normalise_email(email)
    check_invitation(session=session, email=email, role=role, organisation=organisation)
    now = timezone.now()
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        session=session,
        role=role,
        organisation=organisation,
        email=email,
        name=name.strip(),
        token_hash=token_hash,
        created_by=by,
        expires_at=_expiry(now),
        last_sent_at=now,
        send_count=1,
    )
    _send(invitation, by=by, link=link_builder(token))
    _audit(Action.INVITATION_SENT, invitation, by)
    return invitation


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by: User | None, link_builder: Callable[[str], str]
) -> Invitation:
    """Send an open or expired invitation again with a new link; the old link stops working."""
    _require_inviter(by, invitation.session_id, phases.can_invite)
    invitation = _locked(invitation)
    status = invitation.status
    if status not in (InvitationStatus.SENT, InvitationStatus.EXPIRED):
        raise InvitationError(
            _("This invitation has been accepted or revoked, so it cannot be sent again."),
            reason=str(status),
        )
    now = timezone.now()
    token, invitation.token_hash = _new_token()
    invitation.expires_at = _expiry(now)
    invitation.last_sent_at = now
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "send_count"])
    _send(invitation, by=by, link=link_builder(token))
    _audit(Action.INVITATION_RESENT, invitation, by)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User | None) -> Invitation:
    """Withdraw an invitation that was not accepted yet; its link stops working."""
    _require_inviter(by, invitation.session_id, phases.can_revoke_invitation)
    invitation = _locked(invitation)
    status = invitation.status
    if status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise InvitationError(
            _("This invitation has already been accepted or revoked."), reason=str(status)
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    logger.info("Invitation %s revoked by %s", invitation.pk, getattr(by, "pk", None))
    _audit(Action.INVITATION_REVOKED, invitation, by)
    return invitation


# --- the Fase 1 process guide of one organisation ----------------------------


def _locked_for_guides(
    preparation: Preparation,
    by: User | None,
    rule: Callable[[phases.SessionRoles, DialogueSession, Preparation], bool],
) -> tuple[DialogueSession, Preparation]:
    """The locked session and preparation, if ``by`` may (still) do this on them."""
    session = (
        DialogueSession.objects.select_for_update()
        .select_related("community")
        .get(pk=preparation.session_id)
    )
    current = (
        Preparation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=preparation.pk)
    )
    if by is None or not rule(phases.roles_for(by, session), session, current):
        raise InvitationError(phases.guides_refused_message(session, current), reason="not_allowed")
    return session, current


@transaction.atomic
def guide_invite(
    *,
    preparation: Preparation,
    by: User | None,
    email: str,
    name: str = "",
    link_builder: Callable[[str], str],
) -> Invitation:
    """A member (or the coordinator) invites a Fase 1 process guide for the organisation."""
    session, current = _locked_for_guides(preparation, by, phases.can_invite_guide)
    return _create(
        session=session,
        by=by,
        email=email,
        role=InvitationRole.GUIDE,
        organisation=current.organisation,
        name=name,
        link_builder=link_builder,
    )


@transaction.atomic
def guide_invitation_revoke(
    *, preparation: Preparation, invitation: Invitation, by: User | None
) -> Invitation:
    """Withdraw an open guide invitation of the organisation; its link stops working."""
    _locked_for_guides(preparation, by, phases.can_remove_guide)
    invitation = _locked(invitation)
    if (
        invitation.role != InvitationRole.GUIDE
        or invitation.session_id != preparation.session_id
        or invitation.organisation_id != preparation.organisation_id
    ):
        raise InvitationError(_("This invitation is not for this format."), reason="other")
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise InvitationError(
            _("This invitation has already been accepted or revoked."),
            reason=str(invitation.status),
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(Action.INVITATION_REVOKED, invitation, by)
    return invitation


@transaction.atomic
def guide_remove(*, preparation: Preparation, person_pk: int, by: User | None) -> None:
    """End a guide's access to the organisation's format at once (any phase)."""
    _session, current = _locked_for_guides(preparation, by, phases.can_remove_guide)
    guide = current.guides.filter(pk=person_pk).first()
    if guide is None:
        raise InvitationError(
            _("This person is not the process guide of %(organisation)s (any more).")
            % {"organisation": current.organisation.name},
            reason="not_guide",
        )
    current.guides.remove(guide)
    audit.record(
        Action.MEMBERSHIP_REMOVED,
        actor=by,
        session=current.session,
        subject=guide,
        role=InvitationRole.GUIDE,
        organisation=current.organisation.name,
    )


# --- the invited person ----------------------------------------------------


def invitation_find(token: str | None) -> Invitation | None:
    """The invitation whose link carries ``token``, or None (unknown or replaced link)."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("session__community", "organisation", "created_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _accept_locked(invitation: Invitation, person: User, now: datetime.datetime) -> Invitation:
    if normalise_email(person.email) != normalise_email(invitation.email):
        raise InvitationError(
            _(
                "This invitation is for another e-mail address. "
                "Sign out and sign in with the address the invitation was sent to."
            ),
            reason="other_email",
        )
    session = invitation.session
    if invitation.role == InvitationRole.MEMBER:
        # django-stubs refuses None here; Django reads it as "IS NULL" (then: no match).
        if not session.preparations.filter(organisation_id=invitation.organisation_id).exists():  # type: ignore[misc]
            raise InvitationError(
                _(
                    "The organisation of this invitation no longer takes part in the session. "
                    "Ask the coordinator for a new invitation."
                ),
                reason="organisation_not_in_session",
            )
        Membership.objects.get_or_create(person=person, organisation_id=invitation.organisation_id)
    elif invitation.role == InvitationRole.GUIDE:
        preparation = session.preparations.filter(
            organisation_id=invitation.organisation_id  # type: ignore[misc]
        ).first()
        if preparation is None:
            raise InvitationError(
                _(
                    "The organisation of this invitation no longer takes part in the session. "
                    "Ask the coordinator for a new invitation."
                ),
                reason="organisation_not_in_session",
            )
        preparation.guides.add(person)
    else:
        session.facilitators.add(person)
    invitation.accepted_at = now
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _audit(Action.INVITATION_ACCEPTED, invitation, person, subject=person)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, person: User) -> Invitation:
    """``person`` accepts: they join the organisation or facilitate the session. Once only."""
    invitation = _locked(invitation)
    now = timezone.now()
    _check_open(invitation, now)
    return _accept_locked(invitation, person, now)


@transaction.atomic
def invitation_accept_new_person(*, invitation: Invitation, name: str, password: str) -> User:
    """Create an account for the invited address with ``name`` and ``password``, and accept."""
    invitation = _locked(invitation)
    now = timezone.now()
    _check_open(invitation, now)
    name = name.strip()
    if not name:
        raise InvitationError(_("Enter your name."), reason="name_missing", field="name")
    if person_with_email(invitation.email) is not None:
        raise InvitationError(
            _(
                "An account with this e-mail address already exists. "
                "Sign in to accept the invitation."
            ),
            reason="account_exists",
        )
    User = get_user_model()
    _validate_password(password, User(email=invitation.email, name=name))
    person = User.objects.create_user(email=invitation.email, password=password, name=name)
    _accept_locked(invitation, person, now)
    return person


@transaction.atomic
def invitation_accept_first_password(*, invitation: Invitation, name: str, password: str) -> User:
    """The invited address has an account without a usable password: choose it, and accept.

    Such an account was made by an import, or in the admin, and its owner never
    chose a password. The invitation link reached that mailbox and works once,
    as a password reset link would, so it may set the first password. An account
    that has a password signs in instead; a deactivated one gets no way in.
    """
    invitation = _locked(invitation)
    now = timezone.now()
    _check_open(invitation, now)
    found = person_with_email(invitation.email)
    if found is None:
        raise InvitationError(
            _("This page is out of date. Open the invitation link again."), reason="no_account"
        )
    person = get_user_model().objects.select_for_update().get(pk=found.pk)
    if not person.is_active:
        raise InvitationError(inactive_account_message(), reason="account_inactive")
    if person.has_usable_password():
        raise InvitationError(
            _(
                "An account with this e-mail address already exists. "
                "Sign in to accept the invitation."
            ),
            reason="account_exists",
        )
    name = name.strip()
    if not name:
        raise InvitationError(_("Enter your name."), reason="name_missing", field="name")
    person.name = name
    _validate_password(password, person)
    person.set_password(password)
    person.save(update_fields=["name", "password"])
    _accept_locked(invitation, person, now)
    return person


def inactive_account_message() -> str:
    return _(
        "The account for this e-mail address has been switched off, so it cannot accept "
        "the invitation. Ask the coordinator who invited you."
    )


def _validate_password(password: str, person: User) -> None:
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        raise InvitationError(
            " ".join(error.messages), reason="weak_password", field="password"
        ) from None
