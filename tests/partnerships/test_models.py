import pytest
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import PartnerType, User
from tests import factories


def test_organisation_names_are_unique_ignoring_case(db):
    factories.OrganisationFactory(name="Fontys ICT")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganisationFactory(name="fontys ict")


def test_an_organisation_can_take_part_in_several_learning_communities(db):
    organisation = factories.OrganisationFactory(partner_type=PartnerType.EDUCATION)
    first, second = factories.LearningCommunityFactory(), factories.LearningCommunityFactory()
    factories.PartnershipFactory(community=first, organisation=organisation)
    factories.PartnershipFactory(community=second, organisation=organisation)
    assert set(organisation.communities.all()) == {first, second}
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PartnershipFactory(community=first, organisation=organisation)


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
