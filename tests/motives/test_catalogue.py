import json

import pytest

from motives.catalogue import CatalogueError, sync_catalogue
from motives.models import Cluster, Motive

EXPECTED = {
    "legitimising.mission": ("legitimising", "both"),
    "legitimising.image": ("legitimising", "both"),
    "legitimising.image-repair": ("legitimising", "both"),
    "legitimising.mandate": ("legitimising", "both"),
    "development.students": ("development", "both"),
    "development.practice-partners": ("development", "practice"),
    "development.teachers": ("development", "education"),
    "development.expertise": ("development", "both"),
    "development.new-perspective": ("development", "both"),
    "development.other-ways": ("development", "both"),
    "development.learning-community": ("development", "both"),
    "capital.innovation": ("capital", "both"),
    "capital.knowledge": ("capital", "both"),
    "capital.network": ("capital", "both"),
    "capital.recruitment": ("capital", "both"),
    "capital.financial": ("capital", "both"),
    "capital.scarce-resources": ("capital", "both"),
    "capital.curriculum": ("capital", "both"),
    "societal.educating-students": ("societal", "both"),
    "societal.goals": ("societal", "both"),
    "societal.quality": ("societal", "both"),
    "societal.external-pressure": ("societal", "both"),
}


def test_every_database_has_the_exact_catalogue_without_a_manual_step(db):
    found = {m.code: (m.cluster.code, m.audience) for m in Motive.objects.select_related("cluster")}
    assert found == EXPECTED


def test_clusters_come_in_the_format_order(db):
    assert list(Cluster.objects.values_list("code", flat=True)) == [
        "legitimising",
        "development",
        "capital",
        "societal",
    ]


def test_every_motive_has_labels_and_an_explanation_in_both_languages(db):
    for motive in Motive.objects.all():
        for field in ("label_nl", "label_en", "explanation_nl", "explanation_en"):
            assert getattr(motive, field).strip(), f"{motive.code} lacks {field}"


def test_labels_follow_the_active_language(db):
    from django.utils import translation

    motive = Motive.objects.get(code="capital.network")
    with translation.override("nl"):
        assert motive.label == "Uitbreiden/versterken netwerk"
    with translation.override("en"):
        assert motive.label == "Expanding/strengthening the network"


def test_syncing_again_changes_nothing_and_keeps_ids(db):
    before = dict(Motive.objects.values_list("code", "pk"))
    created, updated = sync_catalogue()
    assert created == 0
    assert updated == len(EXPECTED)
    assert dict(Motive.objects.values_list("code", "pk")) == before


def test_a_motive_that_left_the_file_is_kept_but_no_longer_offered(db, tmp_path):
    from motives.catalogue import CATALOGUE_FILE

    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["clusters"][0]["motives"] = data["clusters"][0]["motives"][1:]
    smaller = tmp_path / "catalogue.json"
    smaller.write_text(json.dumps(data), encoding="utf-8")

    sync_catalogue(path=smaller)

    dropped = Motive.objects.get(code="legitimising.mission")
    assert dropped.active is False
    assert Motive.objects.active().count() == len(EXPECTED) - 1


def test_a_broken_catalogue_file_is_reported_in_one_readable_sentence(db, tmp_path):
    broken = tmp_path / "catalogue.json"
    broken.write_text('{"clusters": [{"code": "x"', encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        sync_catalogue(path=broken)
    missing_field = tmp_path / "fields.json"
    missing_field.write_text('{"clusters": [{"code": "x"}]}', encoding="utf-8")
    with pytest.raises(CatalogueError, match="lacks the field 'order'"):
        sync_catalogue(path=missing_field)
