import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from partnerships.models import LearningCommunity, User
from sessions.interchange.format import parse
from sessions.management.commands.load_demo import DEMO_DIR, DEMO_PASSWORD
from sessions.models import DialogueSession, Phase


def load(capsys=None):
    from io import StringIO

    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_demo_file_is_a_valid_session(db, path):
    parse(json.loads(path.read_text(encoding="utf-8")))


def test_demo_data_shows_the_articles_five_learning_communities(db):
    load()
    sectors = dict(LearningCommunity.objects.values_list("sector", "setting"))
    assert sectors == {
        "ICT": "public-private",
        "Techniek": "public-private",
        "Educatie": "public-public",
        "Economie": "public-private",
        "Zorg": "public-public",
    }
    years = dict(LearningCommunity.objects.values_list("sector", "start_year"))
    assert years == {
        "ICT": 2015,
        "Techniek": 2016,
        "Educatie": 2001,
        "Economie": 2018,
        "Zorg": 2007,
    }


def test_demo_sessions_cover_every_phase_and_both_partner_types(db):
    load()
    assert set(DialogueSession.objects.values_list("phase", flat=True)) == set(Phase.values)
    for community in LearningCommunity.objects.all():
        types = set(community.organisations.values_list("partner_type", flat=True))
        assert types == {"education", "practice"}, community.name


def test_demo_logins_are_printed_and_work(db, client):
    output = load()
    assert DEMO_PASSWORD in output
    assert "admin@demo.example.org" in output
    coordinator = User.objects.get(coordinated_communities__sessions__phase=Phase.PREPARATION)
    assert coordinator.email in output  # the one with work to do: a session in preparation
    # Through the sign-in form: the rate limiter (django-axes) needs the request.
    response = client.post(
        reverse("login"), {"username": coordinator.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_loading_twice_adds_nothing(db):
    load()
    count = DialogueSession.objects.count()
    assert "0 session(s) loaded" in load()
    assert DialogueSession.objects.count() == count


def test_a_follow_up_round_points_at_the_previous_session(db):
    load()
    assert DialogueSession.objects.filter(previous__isnull=False).exists()


def test_demo_data_is_refused_without_debug(db):
    with (
        override_settings(DEBUG=False),
        pytest.raises(CommandError, match="only loaded with DEBUG=1"),
    ):
        call_command("load_demo")
    assert DialogueSession.objects.count() == 0


def test_a_broken_demo_file_is_named_in_one_message(db, tmp_path, monkeypatch):
    from sessions.management.commands import load_demo

    (tmp_path / "broken.json").write_text('{"format": "sms-tool.session/1"}', encoding="utf-8")
    monkeypatch.setattr(load_demo, "DEMO_DIR", tmp_path)
    with (
        override_settings(DEBUG=True),
        pytest.raises(CommandError, match="Demo file broken.json is broken"),
    ):
        call_command("load_demo")


def test_every_demo_community_has_consent_so_the_research_view_is_full(db):
    load()
    assert LearningCommunity.objects.count() == 10  # five demo communities, five article cases
    assert set(LearningCommunity.objects.values_list("research_consent", flat=True)) == {True}


def test_demo_data_loaded_before_consent_existed_gets_it_on_the_next_load(db):
    load()
    LearningCommunity.objects.update(research_consent=False)
    assert "0 session(s) loaded" in load()
    assert not LearningCommunity.objects.filter(research_consent=False).exists()
