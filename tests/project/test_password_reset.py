"""Password reset through Django's auth views, with our templates and the configured mail backend."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from partnerships.models import User
from tests import factories
from tests.tasks import commit_each_request

LINK = re.compile(r"https?://testserver(/accounts/reset/[\w-]+/[\w-]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # new in every page
NEW_PASSWORD = "een-nieuw-wachtwoord-77"  # noqa: S105


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Mail leaves after the request's commit, through the worker (tests/tasks.py)."""
    commit_each_request(monkeypatch)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def alice(db):
    return factories.UserFactory(email="alice@example.org", name="Alice")


def test_the_sign_in_page_links_to_the_password_reset(english, db):
    assert reverse("password_reset") in english.get(reverse("login")).text


def test_a_forgotten_password_is_reset_through_a_link_in_an_email(english, alice):
    form = english.get(reverse("password_reset"))
    assert form.status_code == 200
    assert "Reset your password" in form.text

    response = english.post(reverse("password_reset"), {"email": "Alice@example.org"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "Check your e-mail" in response.text
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "Choose a new password for the SMS-tool"
    assert "Alice" in message.body
    link = LINK.search(message.body).group(1)

    page = english.get(link, follow=True)

    assert page.status_code == 200
    assert "Choose a new password" in page.text
    set_password_url = page.redirect_chain[-1][0]
    done = english.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Password changed" in done.text
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    signed_in = english.post(
        reverse("login"), {"username": "alice@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert SESSION_KEY in english.session


def test_an_unknown_address_gets_the_same_answer_and_no_email(english, db):
    response = english.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_reset_link_works_only_once(english, alice):
    english.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = LINK.search(mail.outbox[0].body).group(1)
    set_password_url = english.get(link, follow=True).redirect_chain[-1][0]
    english.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = english.get(link, follow=True)

    assert "This link no longer works" in again.text
    assert reverse("password_reset") in again.text


# --- people without a usable password (made by an import or in the admin) -----------


def test_someone_without_a_password_gets_a_mail_to_choose_their_first_one(english, db):
    iris = User.objects.create_user(email="iris@example.org", password=None, name="Iris")

    response = english.post(reverse("password_reset"), {"email": "Iris@Example.org"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["iris@example.org"]
    assert message.subject == "Choose your password for the SMS-tool"
    assert "Dear Iris," in message.body
    assert "has no password yet" in message.body
    assert "reset" not in message.body.lower().replace("/accounts/reset/", "")
    link = LINK.search(message.body).group(1)

    page = english.get(link, follow=True)

    assert "Choose your password" in page.text
    assert "has no password yet" in page.text
    done = english.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    iris.refresh_from_db()
    assert iris.check_password(NEW_PASSWORD)
    signed_in = english.post(
        reverse("login"), {"username": "iris@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert SESSION_KEY in english.session


def test_the_reset_page_tells_people_without_a_password_to_use_it_too(english, db):
    page = english.get(reverse("password_reset"))

    assert "No password yet" in page.text
    assert "choose your first password" in page.text


@pytest.mark.parametrize("usable", [True, False], ids=["with a password", "without one"])
def test_a_deactivated_account_gets_no_mail(english, db, usable):
    User.objects.create_user(
        email="gone@example.org", password=NEW_PASSWORD if usable else None, is_active=False
    )

    response = english.post(reverse("password_reset"), {"email": "gone@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_answer_is_the_same_whatever_account_the_address_has(english, db):
    User.objects.create_user(email="iris@example.org", password=None)
    factories.UserFactory(email="alice@example.org")
    pages = [
        english.post(reverse("password_reset"), {"email": email}, follow=True)
        for email in ("iris@example.org", "alice@example.org", "nobody@example.org")
    ]

    assert {page.redirect_chain[-1][0] for page in pages} == {reverse("password_reset_done")}
    assert len({CSRF.sub("", page.text) for page in pages}) == 1
    assert len(mail.outbox) == 2
