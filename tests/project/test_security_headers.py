"""Production settings send the security headers and secure cookies.

Overriding settings inside the test process would only test the overrides, so a
child process starts Django with the production environment (DEBUG off, a real
SECRET_KEY and ALLOWED_HOSTS, no pytest loaded), migrates a fresh SQLite file and
uses Django's test client against the real middleware. It prints what a browser
would receive as JSON.
"""

import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.helpers import ROOT

HOST = "sms.example.org"
YEAR = 365 * 24 * 60 * 60

CHILD = r"""
import json, os, sys
import django

django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client

assert not settings.DEBUG and "pytest" not in sys.modules
# The one setting changed here: collecting and compressing the static files is a
# deployment step (over a minute), and static URLs have nothing to do with headers.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
call_command("migrate", interactive=False, verbosity=0)

from partnerships.models import User

User.objects.create_user(email="alice@example.org", password="een-lang-wachtwoord-42", name="A")


def seen(response, client):
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"],
            }
            for name, morsel in client.cookies.items()
        },
    }


host = os.environ["ALLOWED_HOSTS"]
origin = "https://" + host
plain = Client(HTTP_HOST=host)
browser = Client(HTTP_HOST=host, enforce_csrf_checks=True)
result = {"http": seen(plain.get("/accounts/login/"), plain)}
result["login_page"] = seen(browser.get("/accounts/login/", secure=True), browser)
response = browser.post(
    "/accounts/login/",
    {
        "username": "alice@example.org",
        "password": "een-lang-wachtwoord-42",
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    },
    secure=True,
    headers={"Origin": origin},
)
result["signed_in"] = seen(response, browser)
result["home"] = seen(browser.get("/", secure=True), browser)
response = browser.post(
    "/i18n/setlang/",
    {"language": "en", "next": "/", "csrfmiddlewaretoken": browser.cookies["csrftoken"].value},
    secure=True,
    headers={"Origin": origin},
)
result["language_chosen"] = seen(response, browser)
# plain HTTP that claims, in the header a proxy would set, to have come over HTTPS
claimer = Client(HTTP_HOST=host)
result["claims_https"] = seen(
    claimer.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"}), claimer
)
print(json.dumps(result))
"""


def run_child(folder, **extra):
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "sms_tool.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Production without a proxy in front: people connect to gunicorn directly."""
    return run_child(tmp_path_factory.mktemp("production"))


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory):
    return run_child(tmp_path_factory.mktemp("behind_a_proxy"), TRUSTED_PROXY_COUNT="1")


def test_plain_http_is_redirected_permanently_to_https(production):
    assert production["http"]["status"] == 301
    assert production["http"]["headers"]["Location"] == f"https://{HOST}/accounts/login/"


def test_https_pages_tell_browsers_to_use_https_for_a_year_including_subdomains(production):
    for page in ("login_page", "home"):
        hsts = production[page]["headers"]["Strict-Transport-Security"]
        parts = [part.strip() for part in hsts.split(";")]
        max_age = int(parts[0].removeprefix("max-age="))
        assert max_age >= YEAR
        assert "includeSubDomains" in parts


@pytest.mark.parametrize("page", ["login_page", "signed_in", "home"])
def test_every_response_carries_the_protective_headers(production, page):
    headers = production[page]["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_login_page_sets_a_secure_csrf_cookie(production):
    assert production["login_page"]["status"] == 200
    assert production["login_page"]["cookies"]["csrftoken"]["secure"]


def test_signing_in_sets_a_secure_http_only_session_cookie(production):
    assert production["signed_in"]["status"] == 302
    session = production["signed_in"]["cookies"]["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert production["signed_in"]["cookies"]["csrftoken"]["secure"]


def test_the_signed_in_person_gets_their_start_page_over_https(production):
    assert production["home"]["status"] == 200


def test_the_language_choice_is_kept_in_a_secure_http_only_cookie(production):
    assert production["language_chosen"]["status"] == 302
    language = production["language_chosen"]["cookies"][settings.LANGUAGE_COOKIE_NAME]
    assert language["secure"]
    assert language["httponly"]


def test_without_a_proxy_a_client_cannot_claim_https_with_a_header(production):
    claim = production["claims_https"]
    assert claim["status"] == 301
    assert claim["headers"]["Location"] == f"https://{HOST}/accounts/login/"


def test_behind_a_proxy_its_https_header_is_trusted(behind_a_proxy):
    claim = behind_a_proxy["claims_https"]
    assert claim["status"] == 200
    assert "Strict-Transport-Security" in claim["headers"]
    assert behind_a_proxy["http"]["status"] == 301  # without the header: still redirected


def test_a_form_sent_without_its_security_check_gets_our_page_that_the_policy_allows(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("login"), {"username": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert "The form could not be sent" in response.text
    assert "reload the page and send the form again" in response.text
    assert "<style" not in response.text  # Django's own page has an inline style block
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
