"""The optional Table 1 keys of ``learning_community`` (INTERCHANGE.md, "Optional keys")."""

import pytest

from sessions.interchange.format import InterchangeError, export_session, import_session
from tests.sessions.samples import valid_document

TABLE_1 = {
    "other_partners": "mbo, kennisinstellingen",
    "size": "ca. 40 studenten",
    "programme_place": "minor, 3e jaar",
}


def test_the_table_1_keys_are_imported_and_exported_again(db):
    document = valid_document()
    document["learning_community"].update(TABLE_1)
    session = import_session(document)
    community = session.community
    assert (community.other_partners, community.size, community.programme_place) == (
        "mbo, kennisinstellingen",
        "ca. 40 studenten",
        "minor, 3e jaar",
    )
    exported = export_session(session)["learning_community"]
    assert {key: exported[key] for key in TABLE_1} == TABLE_1


def test_a_file_without_them_imports_as_before_and_exports_without_them(db):
    session = import_session(valid_document())
    assert session.community.size == ""
    exported = export_session(session)["learning_community"]
    assert not set(TABLE_1) & set(exported)


@pytest.mark.parametrize("bad", [42, ["mbo"], "x" * 201])
def test_a_table_1_key_that_is_not_short_text_is_refused_with_its_path(db, bad):
    document = valid_document()
    document["learning_community"]["size"] = bad
    with pytest.raises(InterchangeError) as refused:
        import_session(document)
    assert "learning_community.size" in {problem.path for problem in refused.value.problems}
