"""A sign-in link by e-mail (django-sesame): once, for a limited time, the same answer for every address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEvent
from tests import factories

LINK = re.compile(r"http://testserver(/accounts/email-link/sign-in/\?sesame=[\w.:-]+)")


@pytest.fixture
def alice(db):
    return factories.UserFactory(email="alice@example.org", name="Alice")


def ask(client, email):
    return client.post(reverse("email_link"), {"email": email})


def test_a_partner_asks_for_a_link_follows_it_and_is_signed_in_once(client, alice):
    response = ask(client, "ALICE@example.org")
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    path = LINK.search(message.body).group(1)
    response = client.get(path)
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200
    [event] = AuditEvent.objects.filter(action=Action.SIGN_IN)
    assert event.actor == alice and event.detail == {"method": "email_link"}
    # the same link a second time signs nobody in
    other = Client()
    assert other.get(path).status_code == 403
    assert other.get(reverse("account")).status_code == 302


def test_the_page_reads_the_same_for_an_unknown_address_and_sends_nothing(client, alice):
    known = ask(client, "alice@example.org").text
    mail.outbox.clear()
    unknown = ask(client, "nobody@example.org").text
    assert mail.outbox == []
    strip = lambda text: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)  # noqa: E731
    assert strip(known) == strip(unknown)


def test_an_inactive_account_gets_no_link(client, alice):
    alice.is_active = False
    alice.save()
    ask(client, "alice@example.org")
    assert mail.outbox == []


def test_a_bad_address_gets_a_message_in_the_form(client, db):
    response = ask(client, "not an address")
    assert response.status_code == 200 and 'id="id_email"' in response.text
    assert mail.outbox == []


def test_a_tampered_link_is_refused(client, alice):
    ask(client, "alice@example.org")
    path = LINK.search(mail.outbox[0].body).group(1)
    assert client.get(path[:-3] + "abc").status_code == 403
    assert client.get(reverse("account")).status_code == 302
