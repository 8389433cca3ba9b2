"""Sign-in attempts are rate limited per e-mail address and IP address (django-axes).

The fifth failed attempt (AXES_FAILURE_LIMIT) for one address from one IP, and
every attempt after it, gets a page that says when to try again, even with the
right password, and nobody is signed in. Other addresses are not affected, and a
successful sign-in before the limit starts the count again.
"""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD
from tests.helpers import run_manage

WRONG = "not-the-password"  # noqa: S105
ALICE = "alice@example.org"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def alice(db):
    return factories.UserFactory(email=ALICE, name="Alice")


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client):
    return SESSION_KEY in client.session


def fail(client, email, times, ip="203.0.113.7"):
    """``times`` wrong passwords; the fifth one is already answered with the lockout page."""
    for attempt in range(1, times + 1):
        response = sign_in(client, email, WRONG, ip=ip)
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200  # the form again, with its error
            assert "Please enter a correct" in response.text
        else:
            assert response.status_code == 429


def test_the_limit_is_five_failed_attempts():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_a_bad_limit_in_the_environment_stops_start_up_with_one_line():
    result = run_manage("check", env={"DEBUG": "1", "AXES_FAILURE_LIMIT": "0"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: AXES_FAILURE_LIMIT='0' must be at least 1."
    )


def test_after_five_failures_even_the_right_password_gets_the_lockout_page(english, alice):
    fail(english, ALICE, 5)

    response = sign_in(english, ALICE, PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    assert "Try again in 15 minutes" in response.text
    assert "failed 5 times in a row" in response.text
    assert not signed_in(english)
    assert "Content-Security-Policy" in response.headers


def test_the_address_typed_in_other_capitals_shares_one_count(english, alice):
    for email in (ALICE, "Alice@Example.org", " ALICE@example.org", "alice@EXAMPLE.org"):
        assert sign_in(english, email, WRONG).status_code == 200

    assert sign_in(english, "aLiCe@example.org", WRONG).status_code == 429
    assert sign_in(english, ALICE, PASSWORD).status_code == 429
    assert not signed_in(english)


def test_another_address_from_the_same_ip_is_not_affected(english, alice):
    bob = factories.UserFactory(email="bob@example.org")
    fail(english, ALICE, 5)

    response = sign_in(english, bob.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in(english)


def test_the_same_address_from_another_ip_is_not_affected(english, alice):
    fail(english, ALICE, 5, ip="203.0.113.7")

    response = sign_in(english, ALICE, PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302
    assert signed_in(english)


def test_behind_a_proxy_the_lockout_holds_for_one_client_and_not_for_the_next(
    english, alice, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = english.post(
            reverse("login"),
            {"username": ALICE, "password": WRONG},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **behind_proxy,
        )
    assert last.status_code == 429
    forged = english.post(
        reverse("login"),
        {"username": ALICE, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7",
        **behind_proxy,
    )
    assert forged.status_code == 429  # a forged first entry does not escape the lockout
    assert not signed_in(english)

    response = english.post(
        reverse("login"),
        {"username": ALICE, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **behind_proxy,
    )
    assert response.status_code == 302
    assert signed_in(english)


def test_a_successful_sign_in_starts_the_count_again(english, alice):
    fail(english, ALICE, 4)
    assert sign_in(english, ALICE, PASSWORD).status_code == 302
    english.post(reverse("logout"))

    fail(english, ALICE, 4)
    response = sign_in(english, ALICE, PASSWORD)

    assert response.status_code == 302
    assert signed_in(english)


def test_an_address_that_grows_when_lower_cased_gets_the_form_again_not_a_server_error(english, db):
    longest = "İ" * 254  # the longest the form accepts; lower-cased it is 508 characters

    response = sign_in(english, longest, WRONG)

    assert response.status_code == 200
    assert "Please enter a correct" in response.text
