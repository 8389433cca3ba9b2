"""Each person switches optional mail off and on for themselves; essential mail always goes."""

from django.urls import reverse

from notifications.models import MailKind, MailOptOut
from notifications.services import queue_mail, wants_mail
from tests import factories


def test_a_person_switches_reminders_off_and_on_again(client, db):
    alice = factories.UserFactory(email="alice@example.org")
    client.force_login(alice)
    page = client.get(reverse("mail_preferences"))
    assert page.status_code == 200
    assert 'value="deadline_reminder"' in page.text and "checked" in page.text
    assert 'value="invitation"' not in page.text  # essential: cannot be switched off

    client.post(reverse("mail_preferences"), {"wanted": ["report_ready", "dialogue_open"]})
    assert set(MailOptOut.objects.filter(person=alice).values_list("kind", flat=True)) == {
        "deadline_reminder",
        "preparation_open",
        "agreement_due",
        "review_date",
    }
    assert not wants_mail(alice, MailKind.DEADLINE_REMINDER)
    assert wants_mail(alice, MailKind.INVITATION)
    assert (
        queue_mail(
            key="k",
            kind=MailKind.DEADLINE_REMINDER,
            to=alice.email,
            subject="s",
            body="b",
            person=alice,
        )
        is None
    )

    everything = [k.value for k in MailKind if k not in (MailKind.INVITATION, MailKind.PASSWORD)]
    client.post(reverse("mail_preferences"), {"wanted": everything})
    assert not MailOptOut.objects.filter(person=alice).exists()


def test_nonsense_is_refused_with_a_message_and_changes_nothing(client, db):
    alice = factories.UserFactory(email="alice@example.org")
    MailOptOut.objects.create(person=alice, kind=MailKind.REPORT_READY)
    client.force_login(alice)
    response = client.post(reverse("mail_preferences"), {"wanted": ["invitation", "<script>"]})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    assert list(MailOptOut.objects.values_list("kind", flat=True)) == ["report_ready"]


def test_one_persons_settings_never_touch_anothers(client, db):
    alice = factories.UserFactory(email="alice@example.org")
    mallory = factories.UserFactory(email="mallory@example.org")
    client.force_login(mallory)
    client.post(reverse("mail_preferences"), {"wanted": [], "person": alice.pk})
    assert not MailOptOut.objects.filter(person=alice).exists()
    assert MailOptOut.objects.filter(person=mallory).count() == 6
