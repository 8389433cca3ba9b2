"""The format shows the session's motives and where each comes from (format or article)."""

import pytest
from django.urls import reverse

from motives.models import Motive
from sessions.comparison.matrix import build_comparison
from sessions.interchange.tables import answer_rows
from sessions.models import Catalogue, Phase
from tests import factories


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


def url(preparation):
    return reverse("preparation_detail", args=[preparation.session_id, preparation.pk])


def test_the_compact_format_offers_only_the_seed_motives(client, sign_in, session, education):
    session.catalogue = Catalogue.COMPACT
    session.save()
    text = sign_in("alice").get(url(education)).text
    assert "Expanding/strengthening the network" in text  # capital.network: in the seed format
    assert "An up-to-date curriculum" not in text  # capital.curriculum: from the article
    assert 'data-source="article"' not in text
    assert "Compact format" in text


def test_the_extended_catalogue_marks_each_motive_with_its_source(
    client, sign_in, session, education
):
    text = sign_in("alice").get(url(education)).text
    assert "An up-to-date curriculum" in text
    assert text.count('data-source="format"') == 9  # the seed's motives for education
    assert text.count('data-source="article"') == 12
    assert 'id="motive-source-legend"' in text


def test_the_comparison_and_the_answers_table_follow_the_compact_choice(session):
    session.catalogue = Catalogue.COMPACT
    session.phase = Phase.DIALOGUE
    session.save()
    network = Motive.objects.get(code="capital.network")
    for preparation in session.preparations.all():
        preparation.submitted_at = "2026-03-01T10:00:00Z"
        preparation.save()
        factories.AnswerFactory(preparation=preparation, motive=network)
    codes = {row.motive.code for row in build_comparison(session).rows}
    assert "capital.network" in codes
    assert "capital.curriculum" not in codes
    assert len(codes) == 10
    table_codes = {row["motive_code"] for row in answer_rows(session)}
    assert "capital.curriculum" not in table_codes
