"""Changes to learning communities and their partner organisations.

Every function is keyword-only, runs in one transaction, validates its input
and raises ``DomainError`` with a message that tells the person why a change
was refused. Views decide who may call them (``partnerships.access``); the
services check it again on the locked row, so a missed check in a view cannot leak a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from audit.models import Action
from partnerships import access, logos
from partnerships.groups import COORDINATORS_GROUP  # noqa: F401 - re-exported for callers
from partnerships.models import LearningCommunity, Organisation, PartnerType, User
from sms_tool.errors import DomainError

COMMUNITY_FIELDS = ("name", "sector", "setting", "start_year", "description")
CONSENT_FIELDS = (
    "research_consent",
    "research_consent_changed_at",
    "research_consent_changed_by",
    "research_consent_source",
)


def _clean_name(name: str | None) -> str:
    return (name or "").strip()


def validate_model(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    """Field validation of the model (lengths, choices, ranges) as a DomainError."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(
            " ".join(str(message) for message in messages),
            field=None if field == "__all__" else field,
        ) from None


def _require_coordinator(by: User, community: LearningCommunity) -> None:
    """Checked on the locked community row: a coordinator removed a moment ago changes nothing."""
    LearningCommunity.objects.select_for_update().filter(pk=community.pk).first()
    if not access.communities_coordinated_by(by).filter(pk=community.pk).exists():
        raise DomainError(_("Only a coordinator of this learning community can change it."))


def _duplicate_community_name(name: str, *, exclude_pk: int | None = None) -> DomainError | None:
    duplicates = LearningCommunity.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        return DomainError(
            _("A learning community named “%(name)s” already exists. Choose another name.")
            % {"name": name},
            field="name",
        )
    return None


def _save_community(community: LearningCommunity) -> None:
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError:
        # Someone else took the name between our check and the save.
        raise _duplicate_community_name(community.name, exclude_pk=community.pk) or DomainError(
            _("The learning community could not be saved. Please try again.")
        ) from None


@transaction.atomic
def community_create(
    *,
    by: User,
    name: str,
    sector: str,
    setting: str,
    start_year: int | None = None,
    description: str = "",
) -> LearningCommunity:
    """A new learning community; the person creating it becomes its coordinator."""
    if not access.can_create_communities(by):
        raise DomainError(_("You may not start a learning community. Ask an administrator."))
    community = LearningCommunity(
        name=_clean_name(name),
        sector=(sector or "").strip(),
        setting=setting,
        start_year=start_year,
        description=(description or "").strip(),
    )
    validate_model(community)
    if error := _duplicate_community_name(community.name):
        raise error
    _save_community(community)
    community.coordinators.add(by)
    return community


@transaction.atomic
def community_update(*, community: LearningCommunity, by: User, **fields: Any) -> LearningCommunity:
    """Change any of name, sector, setting, start year and description."""
    unknown = set(fields) - set(COMMUNITY_FIELDS)
    if unknown:
        raise TypeError(f"community_update() got unexpected fields: {sorted(unknown)}")
    _require_coordinator(by, community)
    for key, value in fields.items():
        if key in ("name", "sector", "description"):
            value = (value or "").strip()
        setattr(community, key, value)
    validate_model(community)
    if error := _duplicate_community_name(community.name, exclude_pk=community.pk):
        raise error
    _save_community(community)
    return community


def _duplicate_organisation(community: LearningCommunity, name: str) -> DomainError | None:
    if community.organisations.filter(name__iexact=name).exists():
        return DomainError(
            _("“%(name)s” already takes part in this learning community.") % {"name": name},
            field="name",
        )
    return None


@transaction.atomic
def organisation_add(
    *, community: LearningCommunity, by: User, name: str, partner_type: str
) -> Organisation:
    """A new partner organisation of ``community``.

    Organisations belong to one community: a name is matched within this community
    only, and an organisation of the same name elsewhere is neither linked nor
    mentioned, so this page reveals nothing about other communities.
    """
    _require_coordinator(by, community)
    name = _clean_name(name)
    if partner_type not in PartnerType.values:
        raise DomainError(_("Choose education partner or practice partner."), field="partner_type")
    organisation = Organisation(community=community, name=name, partner_type=partner_type)
    validate_model(organisation, exclude=("community",))
    if error := _duplicate_organisation(community, name):
        raise error
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # added by someone else at the same moment
        raise _duplicate_organisation(community, name) or DomainError(
            _("The organisation could not be saved. Please try again.")
        ) from None
    return organisation


def organisation_removal_blocker(
    *, community: LearningCommunity, organisation: Organisation
) -> str | None:
    """Why the organisation cannot leave the community now, or None when it can."""
    titles = list(
        # Through the reverse relation: this app knows sessions only by their name.
        community.sessions.filter(preparations__organisation=organisation).values_list(
            "title", flat=True
        )
    )
    if not titles:
        return None
    return _(
        "“%(name)s” takes part in these sessions of this learning community: %(sessions)s. "
        "Remove it from those sessions first; an organisation whose format is part of "
        "a session stays in the learning community."
    ) % {"name": organisation.name, "sessions": ", ".join(f"“{title}”" for title in titles)}


@transaction.atomic
def organisation_remove(
    *, community: LearningCommunity, by: User, organisation: Organisation
) -> None:
    """Remove the organisation from the community, with its memberships and open invitations.

    Refused while a session of the community holds its format.
    """
    _require_coordinator(by, community)
    locked = (
        Organisation.objects.select_for_update().filter(community=community, pk=organisation.pk)
    ).first()
    if locked is None:
        raise DomainError(
            _("“%(name)s” does not take part in this learning community.")
            % {"name": organisation.name}
        )
    if reason := organisation_removal_blocker(community=community, organisation=locked):
        raise DomainError(reason)
    locked.delete()


# --- consent for the research view ---------------------------------------------------


def _set_research_consent(
    *, community: LearningCommunity, by: User, consent: bool, already: str
) -> LearningCommunity:
    """Give or withdraw consent on the locked row, recording when and by whom."""
    locked = LearningCommunity.objects.select_for_update().filter(pk=community.pk).first()
    # Checked on the locked row: someone removed as coordinator a moment ago cannot change it.
    if locked is None or not access.communities_coordinated_by(by).filter(pk=locked.pk).exists():
        raise DomainError(
            _(
                "Only a coordinator of this learning community can give or withdraw its "
                "consent for the research view."
            )
        )
    if locked.research_consent == consent:
        raise DomainError(already)
    locked.research_consent = consent
    locked.research_consent_changed_at = timezone.now()
    locked.research_consent_changed_by = by
    locked.research_consent_source = LearningCommunity.ConsentSource.COORDINATOR
    locked.save(update_fields=CONSENT_FIELDS)
    audit.record(Action.CONSENT_CHANGED, actor=by, community=locked, consent=consent)
    for field in CONSENT_FIELDS:
        setattr(community, field, getattr(locked, field))
    return community


@transaction.atomic
def research_consent_give(*, community: LearningCommunity, by: User) -> LearningCommunity:
    """The coordinator agrees that the community appears in the research view."""
    return _set_research_consent(
        community=community,
        by=by,
        consent=True,
        already=_("Consent was already given: this learning community is in the research view."),
    )


@transaction.atomic
def research_consent_withdraw(*, community: LearningCommunity, by: User) -> LearningCommunity:
    """The coordinator withdraws consent: the community leaves the research view at once."""
    return _set_research_consent(
        community=community,
        by=by,
        consent=False,
        already=_(
            "There is no consent to withdraw: this learning community is not in the research view."
        ),
    )


# --- the logo on the report's cover -------------------------------------------------


def _locked_for_coordinator(community: LearningCommunity, by: User) -> LearningCommunity:
    locked = LearningCommunity.objects.select_for_update().filter(pk=community.pk).first()
    # Checked on the locked row: someone removed as coordinator a moment ago cannot change it.
    if locked is None or not access.communities_coordinated_by(by).filter(pk=locked.pk).exists():
        raise DomainError(_("Only a coordinator of this learning community can change its logo."))
    return locked


def _delete_after_commit(name: str) -> None:
    if name:
        storage = LearningCommunity._meta.get_field("logo").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def community_logo_set(
    *, community: LearningCommunity, by: User, upload: UploadedFile
) -> LearningCommunity:
    """Store ``upload`` as the community's logo (checked and re-encoded, see logos.py)."""
    locked = _locked_for_coordinator(community, by)
    picture = logos.normalised_logo(upload)
    old = locked.logo.name
    locked.logo.save(picture.name, picture, save=False)
    new = locked.logo.name
    try:
        locked.save(update_fields=["logo"])
    except Exception:
        locked.logo.storage.delete(new)
        raise
    _delete_after_commit(old)
    community.logo = locked.logo
    return community


@transaction.atomic
def community_logo_remove(*, community: LearningCommunity, by: User) -> LearningCommunity:
    locked = _locked_for_coordinator(community, by)
    if not locked.logo:
        raise DomainError(_("This learning community has no logo to remove."), field="logo")
    old = locked.logo.name
    locked.logo = ""
    locked.save(update_fields=["logo"])
    _delete_after_commit(old)
    community.logo = locked.logo
    return community
