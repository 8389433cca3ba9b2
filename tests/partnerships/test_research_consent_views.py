"""The research consent on the community page and its confirmation page (coordinators only)."""

import pytest
from django.conf import settings
from django.urls import reverse

from partnerships import services
from partnerships.models import LearningCommunity
from tests import factories


def consent_url(community):
    return reverse("community_research_consent", args=[community.pk])


def detail_url(community):
    return reverse("community_detail", args=[community.pk])


def stored(community):
    return LearningCommunity.objects.get(pk=community.pk)


@pytest.fixture
def olga(db):
    """Coordinator of another learning community."""
    person = factories.UserFactory(email="olga@example.org", name="Olga")
    factories.LearningCommunityFactory(name="Other LC").coordinators.add(person)
    return person


def test_the_community_page_says_there_is_no_consent_yet_and_what_researchers_would_see(
    sign_in, community
):
    text = sign_in("dave").get(detail_url(community)).text
    assert "This learning community does not appear in the research view." in text
    assert "No coordinator has agreed yet." in text
    assert "how many organisations submitted their format" in text
    assert "per motive and side, how many of those organisations said the motive applies" in text
    assert "They never see the names of the organisations, which organisation said what" in text
    assert f'action="{consent_url(community)}"' in text
    assert 'name="action" value="give"' in text


def test_the_community_page_shows_the_consent_in_dutch(client, session, community):
    client.force_login(session.people["dave"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    text = client.get(detail_url(community)).text
    assert "Deze learning community verschijnt niet in de onderzoeksweergave." in text
    assert "Instemmen met de onderzoeksweergave" in text
    assert "Zij zien nooit de namen van de organisaties" in text


def test_the_coordinator_gives_consent_from_the_community_page(sign_in, session, community):
    client = sign_in("dave")
    response = client.post(consent_url(community), {"action": "give"})
    assert response.status_code == 302
    assert response.url == detail_url(community)
    assert stored(community).research_consent is True
    text = client.get(response.url).text
    assert "now appears in the research view" in text
    assert "This learning community appears in the research view." in text
    assert "Given by Dave on " in text
    assert "Withdraw consent…" in text


def test_withdrawing_asks_for_confirmation_first(sign_in, session, community):
    services.research_consent_give(community=community, by=session.people["dave"])
    client = sign_in("dave")
    page = client.get(consent_url(community))
    assert page.status_code == 200
    assert "Withdraw the consent of “Smart Industry Lab” for the research view?" in page.text
    assert 'name="action" value="withdraw"' in page.text
    assert stored(community).research_consent is True  # opening the page changes nothing
    response = client.post(consent_url(community), {"action": "withdraw"})
    assert response.url == detail_url(community)
    assert stored(community).research_consent is False
    text = client.get(response.url).text
    assert "no longer appears in the research view" in text
    assert "Withdrawn by Dave on " in text


def test_a_post_without_a_clear_choice_changes_nothing_and_says_so(sign_in, community):
    client = sign_in("dave")
    response = client.post(consent_url(community), {"action": "yes please"}, follow=True)
    assert "Nothing was changed: choose to give or withdraw consent." in response.text
    assert stored(community).research_consent is False


def test_giving_consent_twice_says_it_was_already_given(sign_in, community):
    client = sign_in("dave")
    client.post(consent_url(community), {"action": "give"})
    response = client.post(consent_url(community), {"action": "give"}, follow=True)
    assert "Consent was already given" in response.text


def test_a_coordinator_of_another_community_gets_404_and_changes_nothing(
    client, community, session, olga
):
    client.force_login(olga)
    assert client.get(consent_url(community)).status_code == 404
    assert client.post(consent_url(community), {"action": "give"}).status_code == 404
    assert stored(community).research_consent is False
    services.research_consent_give(community=community, by=session.people["dave"])
    assert client.post(consent_url(community), {"action": "withdraw"}).status_code == 404
    assert stored(community).research_consent is True


@pytest.mark.parametrize("person", ["alice", "carol", "mallory"])
def test_members_facilitators_and_outsiders_get_404(sign_in, community, person):
    client = sign_in(person)
    assert client.get(consent_url(community)).status_code == 404
    assert client.post(consent_url(community), {"action": "give"}).status_code == 404
    assert stored(community).research_consent is False


def test_anonymous_visitors_are_sent_to_sign_in(client, community):
    response = client.post(consent_url(community), {"action": "give"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert stored(community).research_consent is False


def test_consent_from_an_imported_file_says_so(sign_in, community):
    LearningCommunity.objects.filter(pk=community.pk).update(
        research_consent=True,
        research_consent_changed_at="2026-01-05T10:00:00+01:00",
        research_consent_source=LearningCommunity.ConsentSource.IMPORT,
    )
    text = sign_in("dave").get(detail_url(community)).text
    assert "Recorded on 5 January 2026, 10:00 from an imported session file." in text
