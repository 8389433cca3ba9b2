"""Sign-in links by e-mail are limited per address and per client, revealing nothing."""

import threading

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from signin import limits
from tests import factories


@pytest.fixture
def alice(db):
    return factories.UserFactory(email="alice@example.org", name="Alice")


def ask(client, email, address="192.0.2.10"):
    return client.post(reverse("email_link"), {"email": email}, REMOTE_ADDR=address)


def test_an_address_gets_a_few_links_then_a_clear_message(client, alice, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for number in range(settings.SIGN_IN_LINKS_PER_ADDRESS):
        assert ask(client, "alice@example.org", f"192.0.2.{number}").status_code == 200
    response = ask(client, "ALICE@example.org", "192.0.2.99")  # another client, same address
    assert response.status_code == 429
    assert "Too many sign-in links were asked for" in response.text
    assert 'value="ALICE@example.org"' in response.text  # what was typed stays
    assert len(mail.outbox) == settings.SIGN_IN_LINKS_PER_ADDRESS


def test_an_unknown_address_is_limited_alike_so_the_limit_reveals_nothing(client, alice, settings):
    answers = {}
    for email in ("alice@example.org", "nobody@example.org"):
        responses = [
            ask(client, email, f"198.51.100.{n}")
            for n in range(settings.SIGN_IN_LINKS_PER_ADDRESS + 1)
        ]
        answers[email] = [
            (r.status_code, r.content.replace(b"nobody", b"alice")) for r in responses
        ]
    statuses = {email: [status for status, _ in pairs] for email, pairs in answers.items()}
    assert statuses["alice@example.org"] == statuses["nobody@example.org"]
    assert statuses["nobody@example.org"][-1] == 429


def test_one_client_asking_for_many_addresses_is_stopped(client, alice, settings):
    for number in range(settings.SIGN_IN_LINKS_PER_CLIENT):
        assert ask(client, f"person{number}@example.org").status_code == 200
    assert ask(client, "alice@example.org").status_code == 429
    assert mail.outbox == []  # Alice's link was not sent past the client's limit
    assert ask(Client(), "alice@example.org", "203.0.113.5").status_code == 200


def test_the_count_is_atomic_under_parallel_requests(db, settings, rf):
    settings.SIGN_IN_LINKS_PER_ADDRESS = 5
    settings.SIGN_IN_LINKS_PER_CLIENT = 1000
    refused = []
    start = threading.Barrier(20)

    def one(number):
        request = rf.post("/", REMOTE_ADDR=f"10.0.0.{number}")
        start.wait()
        refused.append(limits.too_many_link_requests(request, "alice@example.org"))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused.count(False) == 5 and refused.count(True) == 15


def test_the_cache_holds_no_address(client, alice, settings):
    ask(client, "alice@example.org")
    keys = list(cache._cache.keys())  # the local memory cache of the tests
    assert keys and not any("alice" in key for key in keys)
