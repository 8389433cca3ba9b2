import pytest
from django.conf import settings
from django.utils import translation

from partnerships.models import PartnerType
from tests import factories


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier request activated."""
    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture
def community(db):
    return factories.LearningCommunityFactory(name="Smart Industry Lab", sector="Techniek")


@pytest.fixture
def session_with_two_organisations(community):
    """A session in preparation: an education and a practice organisation, one member each.

    Personas: alice (education member), bob (practice member), carol (facilitator),
    dave (coordinator), and mallory (signed in, but in none of it).
    """
    session = factories.DialogueSessionFactory(community=community, title="Evaluatie voorjaar")
    education = factories.OrganisationFactory(
        community=community, name="Hogeschool Zuid", partner_type=PartnerType.EDUCATION
    )
    practice = factories.OrganisationFactory(
        community=community, name="Bouwbedrijf Noord", partner_type=PartnerType.PRACTICE
    )
    for organisation in (education, practice):
        factories.PreparationFactory(session=session, organisation=organisation)
    people = {
        "alice": factories.UserFactory(email="alice@example.org", name="Alice"),
        "bob": factories.UserFactory(email="bob@example.org", name="Bob"),
        "carol": factories.UserFactory(email="carol@example.org", name="Carol"),
        "dave": factories.UserFactory(email="dave@example.org", name="Dave"),
        "mallory": factories.UserFactory(email="mallory@example.org", name="Mallory"),
    }
    factories.MembershipFactory(person=people["alice"], organisation=education)
    factories.MembershipFactory(person=people["bob"], organisation=practice)
    session.facilitators.add(people["carol"])
    community.coordinators.add(people["dave"])
    session.people = people
    session.education = education
    session.practice = practice
    return session


@pytest.fixture
def session(session_with_two_organisations):
    return session_with_two_organisations


@pytest.fixture
def sign_in(client, session):
    """Sign in one of the session's personas; pages are read in English."""

    def sign_in(name):
        client.force_login(session.people[name])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded files (community logos) go to a folder of the test's own, never to media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT
