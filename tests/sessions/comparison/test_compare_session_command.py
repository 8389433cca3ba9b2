import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from sessions.interchange.format import import_session
from tests.sessions.samples import valid_document


def run(*args):
    out = io.StringIO()
    call_command("compare_session", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def session(db):
    document = valid_document()
    document["organisations"][1]["submitted"] = True
    return import_session(document)


def test_json_has_the_public_shape_and_the_pages_categories(session):
    data = json.loads(run(str(session.pk)))
    assert data["session"] == session.pk
    assert data["organisations"] == ["Fontys ICT", "Machinefabriek Oost"]
    network = next(m for m in data["motives"] if m["code"] == "capital.network")
    assert network == {
        "code": "capital.network",
        "cluster": "capital",
        "applies": {"Fontys ICT": True, "Machinefabriek Oost": False},
        "education_count": 1,
        "practice_count": 0,
        "category": "unique",
    }
    teachers = next(m for m in data["motives"] if m["code"] == "development.teachers")
    assert teachers["applies"] == {"Fontys ICT": True, "Machinefabriek Oost": None}
    assert len(data["motives"]) == 22


def test_csv_has_one_row_per_motive_with_the_same_fields(session):
    rows = list(csv.DictReader(io.StringIO(run(str(session.pk), "--format", "csv"))))
    assert len(rows) == 22
    network = next(r for r in rows if r["code"] == "capital.network")
    assert network == {
        "code": "capital.network",
        "cluster": "capital",
        "applies:Fontys ICT": "true",
        "applies:Machinefabriek Oost": "false",
        "education_count": "1",
        "practice_count": "0",
        "category": "unique",
    }


def test_a_session_with_one_submitted_organisation_is_refused_with_the_reason(db):
    session = import_session(valid_document())  # only Fontys ICT submitted
    with pytest.raises(CommandError, match="1 submitted organisation.*at least 2"):
        run(str(session.pk))


def test_an_unknown_session_is_named(db):
    with pytest.raises(CommandError, match="no session with id 4040"):
        run("4040")
