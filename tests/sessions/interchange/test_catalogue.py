"""``session.catalogue`` in sms-tool.session/1, exactly as INTERCHANGE.md specifies it."""

import pytest
from django.utils import translation

from sessions.interchange.format import InterchangeError, export_session, import_session
from sessions.models import Catalogue
from tests.sessions.samples import valid_document


def problems_of(document):
    with translation.override("en"), pytest.raises(InterchangeError) as caught:
        import_session(document)
    return {problem.path: problem.message for problem in caught.value.problems}


def compact_document():
    document = valid_document()
    document["session"]["catalogue"] = "compact"
    for organisation in document["organisations"]:
        organisation["answers"] = [
            answer
            for answer in organisation["answers"]
            if answer["motive"] in ("capital.network", "capital.financial")
        ]
    return document


def test_an_old_file_without_the_key_imports_as_the_extended_catalogue(db):
    session = import_session(valid_document())
    assert session.catalogue == Catalogue.EXTENDED
    assert export_session(session)["session"]["catalogue"] == "extended"


def test_a_compact_session_round_trips_to_an_equal_export(db):
    first = export_session(import_session(compact_document()))
    assert first["session"]["catalogue"] == "compact"
    assert export_session(import_session(first)) == first


def test_an_unknown_catalogue_is_refused_with_its_path(db):
    document = valid_document()
    document["session"]["catalogue"] = "huge"
    assert "session.catalogue" in problems_of(document)


def test_a_compact_file_with_an_article_motive_is_refused(db):
    document = compact_document()
    document["organisations"][0]["answers"].append(
        {"motive": "development.teachers", "applies": True, "intended_outcome": ""}
    )
    problems = problems_of(document)
    assert any("not in the compact format" in message for message in problems.values())
