"""The admin requires a second factor (TOTP) of staff; the setup page; the demo's way in."""

import re
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests import factories
from tests.factories import PASSWORD

THROTTLE_AFTER_ONE_FAILURE = 1.1  # seconds


def code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def sam(db):
    return factories.UserFactory(email="sam@example.org", is_staff=True, is_superuser=True)


def test_a_staff_member_signed_in_with_a_password_only_does_not_get_into_the_admin(client, sam):
    client.post(reverse("login"), {"username": "sam@example.org", "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    page = client.get(reverse("admin:login"))
    assert 'name="otp_token"' in page.text


def test_the_admin_sign_in_refuses_a_wrong_code_and_takes_the_right_one(sam):
    device = TOTPDevice.objects.create(user=sam, name="phone", confirmed=True)
    client = Client()
    login = reverse("admin:login")
    wrong = client.post(
        login,
        {
            "username": "sam@example.org",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": "000000",
        },
    )
    assert wrong.status_code == 200 and client.get(reverse("admin:index")).status_code == 302
    time.sleep(THROTTLE_AFTER_ONE_FAILURE)  # django-otp slows down guessing
    right = client.post(
        login + "?next=/admin/",
        {
            "username": "sam@example.org",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code(device),
        },
    )
    assert right.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_staff_member_sets_up_the_app_on_the_setup_page_and_is_then_in_the_admin(client, sam):
    client.force_login(sam)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=sam, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"token": "123"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=sam, confirmed=True).exists()
    time.sleep(THROTTLE_AFTER_ONE_FAILURE)
    response = client.post(reverse("two_factor_setup"), {"token": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(subject=sam, detail__role="second factor").exists()


def test_people_who_are_not_staff_get_404_on_the_setup_page(client, db):
    client.force_login(factories.UserFactory(email="alice@example.org"))
    assert client.get(reverse("two_factor_setup")).status_code == 404
    assert client.post(reverse("two_factor_setup"), {"token": "123456"}).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_the_demo_admin_gets_a_printed_code_with_debug_and_never_without(sam, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", "sam@example.org")
    assert not TOTPDevice.objects.exists()
    settings.DEBUG = True
    out = StringIO()
    call_command("totp_code", "SAM@example.org", stdout=out)
    printed = re.search(r"Code valid now: (\d{6})", out.getvalue()).group(1)
    device = TOTPDevice.objects.get(user=sam, confirmed=True)
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {
            "username": "sam@example.org",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": printed,
        },
    )
    assert response.status_code == 302 and client.get(reverse("admin:index")).status_code == 200
