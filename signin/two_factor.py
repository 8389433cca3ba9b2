"""The second factor (TOTP, django-otp) that the admin requires of staff.

A staff member sets it up once on "My account" → "Set up the second factor": the page
shows a QR code and the key for an authenticator app, and the device counts only
after a correct code. The admin (``OTPAdminSite``) then asks for a code at sign-in.
Backup codes (django-otp's static device) stand in for the phone: shown once, each
usable once.
"""

from __future__ import annotations

from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import events as audit
from audit.models import Action
from sms_tool.errors import DomainError

DEVICE_NAME = "authenticator"


def pending_device(person: Any) -> TOTPDevice:
    """The person's unconfirmed device, made on first use (one at a time)."""
    device = TOTPDevice.objects.filter(user=person, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=person, name=DEVICE_NAME, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def confirm_device(*, request: Any, device: TOTPDevice, token: str) -> TOTPDevice:
    """A correct code confirms the device and verifies this browser session."""
    if not request.user.is_staff or device.user_id != request.user.pk:
        raise DomainError(_("Only staff set up a second factor."))
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise DomainError(_("That code is not right. Type the six digits the app shows now."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    audit.record(Action.ROLE_ADDED, actor=request.user, subject=request.user, role="second factor")
    return device


BACKUP_DEVICE_NAME = "backup codes"
BACKUP_CODE_COUNT = 10


def make_backup_codes(*, person: Any) -> list[str]:
    """Fresh backup codes for ``person`` (the earlier ones stop working); each works once.

    They are django-otp static tokens: the admin's sign-in takes one instead of the app's
    code and deletes it. Only this call returns them: they are shown once.
    """
    if not person.is_staff:
        raise DomainError(_("Only staff set up a second factor."))
    with transaction.atomic():
        StaticDevice.objects.filter(user=person).delete()
        device = StaticDevice.objects.create(user=person, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _number in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit.record(Action.ROLE_ADDED, actor=person, subject=person, role="backup codes")
    return codes


def backup_codes_left(person: Any) -> int:
    return StaticToken.objects.filter(device__user=person).count()
