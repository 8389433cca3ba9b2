"""One small world for the robustness tests: a session with every kind of item in it.

Personas as in tests/conftest.py: alice (education member), bob (practice member),
carol (facilitator), dave (coordinator, also in the Coordinators group). The
session follows a closed previous round that has a joint motive and an agreement,
so that its review page has something to review; dave also runs an open Quick Scan.
"""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from motives.models import Motive
from partnerships.groups import COORDINATORS_GROUP
from partnerships.models import PartnerType
from sessions.models import Phase
from tests import factories


def build_world():
    community = factories.LearningCommunityFactory(name="LC Robust", sector="Techniek")
    previous = factories.DialogueSessionFactory(
        community=community, title="Previous round", phase=Phase.CLOSED
    )
    session = factories.DialogueSessionFactory(
        community=community, title="Robust session", phase=Phase.PREPARATION, previous=previous
    )
    education = factories.OrganisationFactory(
        community=community, name="Hogeschool Robuust", partner_type=PartnerType.EDUCATION
    )
    practice = factories.OrganisationFactory(
        community=community, name="Bedrijf Robuust", partner_type=PartnerType.PRACTICE
    )
    preparations = {}
    for organisation in (education, practice):
        factories.PreparationFactory(session=previous, organisation=organisation)
        preparations[organisation.partner_type] = factories.PreparationFactory(
            session=session, organisation=organisation
        )
    network = Motive.objects.get(code="capital.network")
    factories.AnswerFactory(preparation=preparations[PartnerType.EDUCATION], motive=network)
    practice_preparation = preparations[PartnerType.PRACTICE]
    factories.AnswerFactory(preparation=practice_preparation, motive=network)
    practice_preparation.submitted_at = timezone.now()
    practice_preparation.save()

    people = {
        "alice": factories.UserFactory(email="alice@example.org", name="Alice"),
        "bob": factories.UserFactory(email="bob@example.org", name="Bob"),
        "carol": factories.UserFactory(email="carol@example.org", name="Carol"),
        "dave": factories.UserFactory(email="dave@example.org", name="Dave"),
    }
    factories.MembershipFactory(person=people["alice"], organisation=education)
    factories.MembershipFactory(person=people["bob"], organisation=practice)
    for each in (session, previous):
        each.facilitators.add(people["carol"])
    community.coordinators.add(people["dave"])
    people["dave"].groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])

    return SimpleNamespace(
        community=community,
        session=session,
        previous=previous,
        education=education,
        practice=practice,
        preparation=preparations[PartnerType.EDUCATION],
        practice_preparation=practice_preparation,
        people=people,
        invitation=factories.InvitationFactory(
            session=session,
            organisation=education,
            email="new.person@example.org",
            name="New Person",
            expires_at=timezone.now() + datetime.timedelta(days=3),
        ),
        joint_motive=factories.JointMotiveFactory(session=session),
        agreement=factories.AgreementFactory(session=session),
        note=factories.NoteFactory(session=session),
        previous_joint_motive=factories.JointMotiveFactory(session=previous),
        previous_agreement=factories.AgreementFactory(session=previous),
        scan=factories.QuickScanFactory(created_by=people["dave"], title="Workshop"),
    )


@pytest.fixture
def world(db):
    return build_world()


def client_for(world, persona, language="en"):
    """A fresh client (no cookies left over from an earlier example) signed in as ``persona``."""
    client = Client()
    client.cookies["django_language"] = language
    if persona is not None:
        client.force_login(world.people[persona])
    return client


@contextmanager
def rolled_back():
    """Everything inside, including what a view writes, is undone afterwards.

    Each generated example then starts from the same world.
    """
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
