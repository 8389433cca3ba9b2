"""Institution sign-in against a real OpenID Connect provider, through the whole redirect flow.

The provider is the npm package ``oidc-provider`` (pinned in tests/e2e/oidc/package.json,
installed with ``npm ci`` by this test when missing), started here on port 8510. No token
endpoint is mocked: Django exchanges the code, checks the signed ID token against the
provider's keys and reads the user info, all over HTTP.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import Action, AuditEvent
from tests import factories

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
PORT = int(os.environ.get("TEST_OIDC_PORT", "8510"))
ISSUER = f"http://127.0.0.1:{PORT}"


def _install_provider():
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install the test OpenID Connect provider")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300
    )


@pytest.fixture
def provider(live_server, settings):
    _install_provider()
    callback = live_server.url + reverse("oidc_authentication_callback")
    process = subprocess.Popen(
        ["node", "provider.mjs", str(PORT), callback],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(ISSUER + "/.well-known/openid-configuration") as answer:
                    discovery = json.load(answer)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("the provider stopped: " + process.stdout.read())
                time.sleep(0.1)
        else:
            pytest.fail("the provider did not start")
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = "sms-tool"
        settings.OIDC_RP_CLIENT_SECRET = "test-secret-not-for-production"  # noqa: S105
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "signin.oidc.InstitutionBackend",
        ]
        yield discovery
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_the_institution(page, live_server, login):
    page.goto(live_server.url + reverse("login"))
    page.click("#institution-sign-in")
    page.wait_for_url(ISSUER + "/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.startswith(ISSUER):  # the provider asks for consent once
        page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/**")
    page.wait_for_load_state()


def test_a_new_person_signs_in_through_the_institution_and_gets_an_account(
    provider, live_server, page, screenshot
):
    sign_in_at_the_institution(page, live_server, "new.teacher@hogeschool.example")
    screenshot("institution-sign-in-new-person")
    assert page.url == live_server.url + reverse("home")
    person = get_user_model().objects.get(email="new.teacher@hogeschool.example")
    assert person.name == "Institution new.teacher" and not person.has_usable_password()
    assert page.locator("header").inner_text().count("Institution new.teacher") == 1
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor == person and event.detail == {"method": "institution"}


def test_an_invited_person_signing_in_through_the_institution_lands_in_the_same_account(
    provider, live_server, page
):
    alice = factories.UserFactory(email="alice@hogeschool.example", name="Alice Existing")
    sign_in_at_the_institution(page, live_server, "ALICE@Hogeschool.example")
    assert page.url == live_server.url + reverse("home")
    assert "Alice Existing" in page.locator("header").inner_text()
    assert get_user_model().objects.filter(email__iexact="alice@hogeschool.example").count() == 1
    alice.refresh_from_db()
    assert alice.name == "Alice Existing"  # the provider's claims change nothing
    assert AuditEvent.objects.get(action=Action.SIGN_IN).actor == alice


def test_without_a_verified_address_nobody_is_signed_in(provider, live_server, page):
    sign_in_at_the_institution(page, live_server, "unverified@hogeschool.example")
    assert "/accounts/login/" in page.url
    assert "did not work" in page.content() or "werkte niet" in page.content()
    assert not get_user_model().objects.filter(email="unverified@hogeschool.example").exists()
