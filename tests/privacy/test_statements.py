"""The privacy and accessibility statements: public, in Dutch and English, linked in the footer."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnerships import services
from tests import factories


def reader(language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "privacy", "accessibility"),
    [
        ("nl", "Privacyverklaring", "Toegankelijkheidsverklaring"),
        ("en", "Privacy statement", "Accessibility statement"),
    ],
)
def test_both_statements_are_public_in_both_languages_and_linked_in_the_footer(
    db, language, privacy, accessibility
):
    client = reader(language)
    home = client.get(reverse("login")).text
    footer = home[home.index("<footer") :]
    assert reverse("privacy_statement") in footer and reverse("accessibility_statement") in footer
    assert f">{privacy}<" in footer and f">{accessibility}<" in footer
    page = client.get(reverse("privacy_statement"))
    assert page.status_code == 200 and f'<h1 class="h3 mb-3">{privacy}</h1>' in page.text
    assert f'lang="{language}"' in page.text
    page = client.get(reverse("accessibility_statement"))
    assert page.status_code == 200 and f'<h1 class="h3 mb-3">{accessibility}</h1>' in page.text


def test_the_privacy_statement_names_the_retention_periods_from_the_settings(db, settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 17
    settings.CLOSED_SESSION_RETENTION_YEARS = 9
    page = reader("en").get(reverse("privacy_statement")).text
    assert "<td>17 days</td>" in page
    assert "unchanged for 9 years" in page


def test_the_privacy_statement_explains_the_research_consent_and_shows_it_for_her_communities(
    session,
):
    dave, alice = session.people["dave"], session.people["alice"]
    services.research_consent_give(community=session.community, by=dave)
    factories.LearningCommunityFactory(name="Somebody else's LC")
    client = reader("en")
    client.force_login(alice)
    page = client.get(reverse("privacy_statement")).text
    assert "Consent for the research view" in page
    assert "They never see names of organisations or people" in page
    row = page[page.index("<td>Smart Industry Lab</td>") :][:200]
    assert "<td>given</td>" in row
    assert "Somebody else" not in page
    client = reader("nl")
    client.force_login(alice)
    assert "<td>gegeven</td>" in client.get(reverse("privacy_statement")).text
    # anonymous readers get the explanation, no community
    anonymous = reader("en").get(reverse("privacy_statement")).text
    assert "Consent for the research view" in anonymous and "Smart Industry Lab" not in anonymous
