"""Backup codes for the admin's second factor: shown once, each usable once."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.factories import PASSWORD

CODE = re.compile(r"<li>([a-z0-9]{8})</li>")


@pytest.fixture
def sam(db):
    return factories.UserFactory(email="sam@example.org", is_staff=True, is_superuser=True)


def verified(client, person):
    """Signed in with the app's code, as after the admin's sign-in."""
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client.force_login(person)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def admin_sign_in(code):
    """The admin's sign-in, choosing "backup codes" as the device and typing one."""
    device = StaticDevice.objects.get(user__email="sam@example.org")
    client = Client()
    client.post(
        reverse("admin:login") + "?next=/admin/",
        {
            "username": "sam@example.org",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    return client.get(reverse("admin:index")).status_code == 200


def test_codes_are_shown_once_and_each_signs_in_to_the_admin_once(client, sam):
    verified(client, sam)
    client.cookies["django_language"] = "en"
    page = client.post(reverse("two_factor_backup_codes")).text
    codes = CODE.findall(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    later = client.get(reverse("two_factor_backup_codes")).text
    assert not CODE.findall(later) and "10 unused backup codes" in later
    assert admin_sign_in(codes[0])
    assert not admin_sign_in(codes[0])  # used
    assert "9 unused backup codes" in client.get(reverse("two_factor_backup_codes")).text


def test_new_codes_replace_the_old_ones(client, sam):
    verified(client, sam)
    old = CODE.findall(client.post(reverse("two_factor_backup_codes")).text)
    new = CODE.findall(client.post(reverse("two_factor_backup_codes")).text)
    assert len(new) == 10
    assert admin_sign_in(new[0])
    assert not admin_sign_in(old[0])


def test_only_with_the_second_factor_at_hand(client, sam):
    client.force_login(sam)  # password only
    response = client.post(reverse("two_factor_backup_codes"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not sam.staticdevice_set.exists()


def test_people_who_are_not_staff_get_404(client, db):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("two_factor_backup_codes")).status_code == 404
    assert client.post(reverse("two_factor_backup_codes")).status_code == 404
