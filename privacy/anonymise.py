"""Anonymising a person (AVG art. 17): ``anonymise_person``, its command and admin action.

The account row stays, emptied, so that everything the person wrote keeps an author:
it shows as "former member" on every page, export and in the PDF (``User.get_full_name``).
Their organisation's answers stay the organisation's. Everything that identifies them
goes: address, name, password, memberships, roles, invitations sent to them, their
sign-in records, their open browser sessions and their pending import previews.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from audit.models import Action
from sessions.models import Agreement, ImportPreview, Invitation
from sessions.report.pdf import fingerprint
from sms_tool.errors import DomainError

ANONYMOUS_DOMAIN = "anonymised.invalid"


def anonymous_email(pk: int) -> str:
    return f"former-member-{pk}@{ANONYMOUS_DOMAIN}"


def _end_browser_sessions(person_pk: int) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person_pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def anonymise_person(*, person: Any, by: Any = None) -> Any:
    """Anonymise ``person`` for good; returns the emptied account. Refused twice."""
    User = get_user_model()
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise DomainError(_("This person does not exist."))
    if locked.anonymised_at:
        raise DomainError(_("This person has already been anonymised."))
    email = locked.email
    audit.record(Action.PERSON_ANONYMISED, actor=by, subject=locked)
    for membership in locked.memberships.select_related("organisation__community"):
        membership.delete()  # one by one, so the audit log names each organisation
    locked.coordinated_communities.clear()
    for session in locked.facilitated_sessions.all():
        forget_cached_reports(session)
    locked.facilitated_sessions.clear()
    locked.groups.clear()
    locked.user_permissions.clear()
    Invitation.objects.filter(email__iexact=email).delete()
    ImportPreview.objects.filter(created_by=locked).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()
    # Agreements they were to be reminded of: no reminder, and the name filled in for them goes.
    owned = Agreement.objects.filter(owner_person=locked)
    owned.filter(owner__in=[locked.name, email]).update(owner="")
    owned.update(owner_person=None)
    _delete_second_factors(locked)
    _end_browser_sessions(locked.pk)
    locked.email = anonymous_email(locked.pk)
    locked.name = ""
    locked.language = ""
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.last_login = None
    locked.set_unusable_password()
    locked.anonymised_at = timezone.now()
    locked.save()
    return locked


def forget_cached_reports(session: Any) -> None:
    """A rendered PDF names the facilitators; its key does not change when they leave,
    so the stored renderings of the session go (the next download renders afresh)."""
    for language, _name in settings.LANGUAGES:
        cache.delete(fingerprint(session, language))
    session.report_renderings.all().delete()


def _delete_second_factors(person: Any) -> None:
    """TOTP devices, when django-otp is installed."""
    from django.apps import apps

    if apps.is_installed("django_otp.plugins.otp_totp"):
        apps.get_model("otp_totp", "TOTPDevice").objects.filter(user=person).delete()
    if apps.is_installed("django_otp.plugins.otp_static"):
        apps.get_model("otp_static", "StaticDevice").objects.filter(user=person).delete()


def person_by_email(email: str) -> Any:
    """The account for ``email`` in any letter case, or DomainError."""
    User = get_user_model()
    person = User.objects.filter(email__iexact=(email or "").strip()).first()
    if person is None:
        raise DomainError(_("There is no account with this e-mail address."))
    return person
