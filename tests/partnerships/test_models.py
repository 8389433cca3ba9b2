import pytest
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import User
from tests import factories


def test_organisation_names_are_unique_within_a_community_ignoring_case(db):
    community = factories.LearningCommunityFactory()
    factories.OrganisationFactory(community=community, name="Fontys ICT")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganisationFactory(community=community, name="fontys ict")


def test_two_communities_each_have_their_own_organisation_of_the_same_name(db):
    first, second = factories.LearningCommunityFactory(), factories.LearningCommunityFactory()
    ours = factories.OrganisationFactory(community=first, name="Fontys ICT")
    theirs = factories.OrganisationFactory(community=second, name="fontys ict")
    assert ours.pk != theirs.pk
    assert list(first.organisations.all()) == [ours]
    assert list(second.organisations.all()) == [theirs]


def test_a_person_is_member_of_an_organisation_once(db):
    membership = factories.MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MembershipFactory(person=membership.person, organisation=membership.organisation)


def test_people_sign_in_with_their_email_address_in_any_case(db, client):
    User.objects.create_user(email="Ann.Smit@Example.org", password="a-good-test-password")
    # Through the sign-in form: the rate limiter (django-axes) needs the request.
    response = client.post(
        reverse("login"), {"username": "ann.smit@example.org", "password": "a-good-test-password"}
    )
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_learning_community_names_are_unique_ignoring_case(db):
    factories.LearningCommunityFactory(name="LC Zorg")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.LearningCommunityFactory(name="lc zorg")
