"""A coordinator of another community tries to reach this community's private formats.

Eve coordinates "Zorg Lab". Alice's organisation "Hogeschool Zuid" of "Smart Industry
Lab" has a private draft. Eve reuses the name of Alice's organisation, once through a
session file on Zorg Lab's import page and once through Zorg Lab's own pages with an
invitation to herself. Neither gives her a way into Alice's format, and nothing tells
her that "Hogeschool Zuid" exists elsewhere.
"""

import html
import json
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import PartnerType
from sessions.models import DialogueSession
from tests import factories
from tests.tasks import commit_each_request

SECRET = "ALICE-PRIVATE-DRAFT-OUTCOME"
LINK = re.compile(r"https?://[^/\s]+(/invite/[^\s]+/)")


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Mail leaves after the request's commit, through the worker (tests/tasks.py)."""
    commit_each_request(monkeypatch)


@pytest.fixture
def alice_draft(session):
    """Alice's organisation's draft in Smart Industry Lab, not submitted."""
    preparation = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=preparation, intended_outcome=SECRET)
    return preparation


@pytest.fixture
def eve(client, db):
    """The coordinator of another learning community, signed in, reading English."""
    person = factories.UserFactory(email="eve@example.org", name="Eve")
    zorg = factories.LearningCommunityFactory(name="Zorg Lab", sector="Zorg")
    zorg.coordinators.add(person)
    client.force_login(person)
    client.cookies["django_language"] = "en"
    client.zorg = zorg
    client.person = person
    return client


def page(response):
    return html.unescape(response.content.decode())


def assert_no_way_into(eve, session, preparation):
    url = reverse("preparation_detail", args=[session.pk, preparation.pk])
    opened = eve.get(url)
    assert opened.status_code == 404
    assert SECRET not in page(opened)
    posted = eve.post(url, {"version": preparation.version, "save": "1"})
    assert posted.status_code == 404
    preparation.refresh_from_db()
    assert preparation.answers.get().intended_outcome == SECRET
    assert list(preparation.organisation.members.all()) == [session.people["alice"]]
    assert eve.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_a_crafted_file_on_the_import_page_does_not_join_another_communitys_organisation(
    eve, session, alice_draft
):
    document = {
        "format": "sms-tool.session/1",
        "learning_community": {"name": "Zorg Lab", "setting": "public-public"},
        "session": {"title": "Overname", "phase": "preparation"},
        "organisations": [
            {
                "name": "hogeschool zuid",
                "partner_type": "education",
                "members": [{"email": "eve@example.org", "name": "Eve"}],
            },
            {"name": "Bouwbedrijf Noord", "partner_type": "practice"},
        ],
    }
    upload = SimpleUploadedFile(
        "crafted.json", json.dumps(document).encode(), content_type="application/json"
    )
    url = reverse("community_import", args=[eve.zorg.pk])

    preview = eve.post(url, {"step": "preview", "file": upload})

    text = page(preview)
    assert preview.status_code == 200
    assert "Check the import" in text
    assert "existing organisation" not in text  # nothing says the names exist elsewhere
    token = preview.context["form"].initial["token"]
    confirmed = eve.post(url, {"step": "confirm", "token": token})
    assert confirmed.status_code == 302
    assert DialogueSession.objects.get(title="Overname").community == eve.zorg

    assert_no_way_into(eve, session, alice_draft)


def test_an_organisation_named_like_another_communitys_with_a_self_invitation_gives_no_access(
    eve, session, alice_draft
):
    added = eve.post(
        reverse("organisation_add", args=[eve.zorg.pk]),
        {"name": "HOGESCHOOL ZUID", "partner_type": PartnerType.EDUCATION},
    )
    assert added.status_code == 302
    ours = eve.zorg.organisations.get()
    assert ours.pk != session.education.pk
    other = eve.post(
        reverse("organisation_add", args=[eve.zorg.pk]),
        {"name": "Zorggroep Oost", "partner_type": PartnerType.PRACTICE},
    )
    assert other.status_code == 302
    created = eve.post(
        reverse("session_create", args=[eve.zorg.pk]),
        {
            "title": "Eigen sessie",
            "date": "",
            "organisations": [o.pk for o in eve.zorg.organisations.all()],
        },
    )
    assert created.status_code == 302, page(created)
    zorg_session = DialogueSession.objects.get(title="Eigen sessie")
    invited = eve.post(
        reverse("invitation_create", args=[zorg_session.pk]),
        {"email": "eve@example.org", "name": "Eve", "role": "member", "organisation": ours.pk},
    )
    assert invited.status_code == 302, page(invited)
    path = LINK.search(mail.outbox[-1].body).group(1)
    accepted = eve.post(path)
    assert accepted.status_code == 302

    assert_no_way_into(eve, session, alice_draft)
    # Within her own community the invitation works as it should.
    own = zorg_session.preparations.get(organisation=ours)
    assert eve.get(reverse("preparation_detail", args=[zorg_session.pk, own.pk])).status_code == (
        200
    )


def test_a_membership_counts_only_in_the_community_of_its_organisation(session, alice_draft):
    """The last line of defence: a session row pointing at another community's organisation."""
    from sessions.policy.phases import roles_for

    stray = factories.OrganisationFactory(name="Elders BV", partner_type=PartnerType.PRACTICE)
    intruder = factories.MembershipFactory(organisation=stray).person
    factories.PreparationFactory(session=session, organisation=stray)  # bypasses the services

    roles = roles_for(intruder, session)

    assert not roles.any
    assert not roles.is_member_of(stray.pk)


def test_a_session_fetched_with_one_persons_roles_answers_only_for_that_person(session):
    """``with_roles_of`` asks the coordinator and facilitator questions in the session's own
    query; handed someone else, ``roles_for`` asks again rather than lend them those roles."""
    from sessions.models import DialogueSession
    from sessions.policy.phases import roles_for, with_roles_of

    dave, mallory = session.people["dave"], session.people["mallory"]
    as_dave = with_roles_of(DialogueSession.objects.all(), dave).get(pk=session.pk)

    assert roles_for(dave, as_dave).coordinator
    assert not roles_for(mallory, as_dave).any
    carol = session.people["carol"]
    as_carol = with_roles_of(DialogueSession.objects.all(), carol).get(pk=session.pk)
    assert roles_for(carol, as_carol).facilitator
    assert not roles_for(carol, as_carol).coordinator


def test_a_preparation_fetched_with_one_persons_roles_answers_only_for_that_person(session):
    """The format page reads its session through the preparation's query
    (``with_roles_of(..., through="session")``): the coordinator and facilitator answers
    are about that session's community and facilitators, and only for the person asked."""
    from sessions.models import Preparation
    from sessions.policy.phases import roles_for, with_roles_of

    dave, mallory, carol = (session.people[name] for name in ("dave", "mallory", "carol"))
    preparation = session.preparations.get(organisation=session.education)
    rows = Preparation.objects.select_related("session__community")

    as_dave = with_roles_of(rows, dave, through="session").get(pk=preparation.pk)
    assert roles_for(dave, as_dave.session, asked=as_dave).coordinator
    assert not roles_for(mallory, as_dave.session, asked=as_dave).any
    as_carol = with_roles_of(rows, carol, through="session").get(pk=preparation.pk)
    assert roles_for(carol, as_carol.session, asked=as_carol).facilitator
    assert not roles_for(carol, as_carol.session, asked=as_carol).coordinator
    as_mallory = with_roles_of(rows, mallory, through="session").get(pk=preparation.pk)
    assert not roles_for(mallory, as_mallory.session, asked=as_mallory).any
