"""Signing out also ends the session at the institution for whoever signed in through it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests import factories

LOGOUT = "https://op.example.org/logout"


@pytest.fixture
def alice(db):
    return factories.UserFactory(email="alice@example.org", name="Alice")


@pytest.fixture
def provider(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "sms-tool"
    settings.OIDC_OP_LOGOUT_ENDPOINT = LOGOUT


def signed_in_through_provider(client, alice):
    client.force_login(alice)
    session = client.session
    session["oidc_id_token"] = "the-id-token"
    session.save()


def test_someone_who_signed_in_at_the_institution_is_signed_out_there_too(client, alice, provider):
    signed_in_through_provider(client, alice)
    page = client.get(reverse("home")).text
    assert f'action="{reverse("institution_logout")}"' in page
    response = client.post(reverse("institution_logout"))
    assert response.status_code == 302
    url = urlsplit(response.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == LOGOUT
    query = parse_qs(url.query)
    assert query["id_token_hint"] == ["the-id-token"]
    assert query["client_id"] == ["sms-tool"]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("home")]
    assert client.get(reverse("account")).status_code == 302  # signed out here


def test_someone_who_signed_in_otherwise_just_signs_out(client, alice, provider):
    client.force_login(alice)
    page = client.get(reverse("home")).text
    assert f'action="{reverse("logout")}"' in page
    response = client.post(reverse("institution_logout"))
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("account")).status_code == 302


def test_without_the_setting_nobody_is_sent_to_the_provider(client, alice, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    signed_in_through_provider(client, alice)
    assert f'action="{reverse("logout")}"' in client.get(reverse("home")).text
    response = client.post(reverse("institution_logout"))
    assert response.url == reverse("home")


def test_signing_out_is_post_only(client, alice, provider):
    signed_in_through_provider(client, alice)
    assert client.get(reverse("institution_logout")).status_code == 405
    assert client.get(reverse("account")).status_code == 200
