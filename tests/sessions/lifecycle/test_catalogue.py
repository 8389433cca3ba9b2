"""The coordinator chooses per session the compact seed format or the extended catalogue."""

import pytest
from django.urls import reverse

from motives.models import Motive
from sessions.lifecycle import services
from sessions.models import Catalogue, DialogueSession
from sms_tool.errors import DomainError
from tests import factories


def edit(session, **changes):
    return services.session_update(
        session=session,
        by=session.people["dave"],
        title=session.title,
        date=session.date,
        organisations=[session.education, session.practice],
        facilitators=[session.people["carol"]],
        version=session.version,
        **changes,
    )


def test_a_coordinator_creates_a_session_with_the_compact_format(client, sign_in, session):
    sign_in("dave")
    response = client.post(
        reverse("session_create", args=[session.community.pk]),
        {
            "title": "Compact round",
            "organisations": [session.education.pk, session.practice.pk],
            "catalogue": "compact",
        },
    )
    assert response.status_code == 302
    assert DialogueSession.objects.get(title="Compact round").catalogue == Catalogue.COMPACT


def test_without_a_choice_a_new_session_has_the_extended_catalogue(session):
    created = services.session_create(
        community=session.community,
        by=session.people["dave"],
        title="Round",
        date=None,
        organisations=[session.education, session.practice],
        facilitators=[],
    )
    assert created.catalogue == Catalogue.EXTENDED


def test_narrowing_to_compact_is_refused_while_article_motives_are_answered(session):
    preparation = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(
        preparation=preparation, motive=Motive.objects.get(code="development.teachers")
    )
    with pytest.raises(DomainError) as refused:
        edit(session, catalogue=Catalogue.COMPACT)
    assert "Hogeschool Zuid" in refused.value.message
    assert refused.value.field == "catalogue"
    session.refresh_from_db()
    assert session.catalogue == Catalogue.EXTENDED
    assert preparation.answers.count() == 1


def test_narrowing_is_allowed_when_only_format_motives_are_answered(session):
    preparation = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(
        preparation=preparation, motive=Motive.objects.get(code="capital.network")
    )
    edit(session, catalogue=Catalogue.COMPACT)
    session.refresh_from_db()
    assert session.catalogue == Catalogue.COMPACT


def test_the_edit_form_shows_the_refusal_and_keeps_the_choice(client, sign_in, session):
    preparation = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(
        preparation=preparation, motive=Motive.objects.get(code="development.teachers")
    )
    sign_in("dave")
    response = client.post(
        reverse("session_edit", args=[session.pk]),
        {
            "title": session.title,
            "organisations": [session.education.pk, session.practice.pk],
            "catalogue": "compact",
            "version": session.version,
        },
    )
    assert response.status_code == 200
    assert "only in the extended catalogue" in response.text
