"""The migration that merges accounts whose addresses differ only in letter case.

It runs on a database migrated to just before it, with duplicates made through the
historical models (the constraint it adds does not exist yet), as on a real server.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

MIGRATION = ("partnerships", "0003_user_email_unique_ci")
migration = importlib.import_module("partnerships.migrations.0003_user_email_unique_ci")

UNUSABLE = "!unusable-password"  # what set_unusable_password() stores, minus the randomness


def migrate(targets):
    """Migrate to ``targets``; the models of every migration then applied, as migrate sees them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.fixture
def before(transactional_db):
    """The historical models just before the migration; the newest schema afterwards."""
    graph = MigrationExecutor(connection).loader.graph
    parents = sorted(parent.key for parent in graph.node_map[MIGRATION].parents)
    yield migrate(parents)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_accounts_with_one_address_in_several_cases_become_one_that_keeps_everything(
    before, capsys
):
    apps = before
    User = apps.get_model("partnerships", "User")
    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("partnerships", "Organisation")
    Membership = apps.get_model("partnerships", "Membership")
    Community = apps.get_model("partnerships", "LearningCommunity")
    Session = apps.get_model("dialogue_sessions", "DialogueSession")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")
    Note = apps.get_model("dialogue_sessions", "Note")
    QuickScan = apps.get_model("dialogue_sessions", "QuickScan")
    LogEntry = apps.get_model("admin", "LogEntry")
    now = timezone.now()

    # made by an import, never signed in, staff, in a group
    imported = User.objects.create(
        email="Alice@Example.org", name="Alice Smit", password=UNUSABLE, is_staff=True
    )
    User.objects.filter(pk=imported.pk).update(date_joined=now - datetime.timedelta(days=400))
    # the one she signs in with
    used = User.objects.create(
        email="alice@example.org", password=make_password("x"), last_login=now, language="en"
    )
    # deactivated, with spaces around the address
    switched_off = User.objects.create(
        email=" ALICE@example.org ", password=make_password("y"), is_active=False
    )
    bob = User.objects.create(email="Bob@Example.org", password=make_password("z"))

    community = Community.objects.create(name="Smart Industry Lab", setting="public-private")
    school = Organisation.objects.create(
        community=community, name="Hogeschool Zuid", partner_type="education"
    )
    firm = Organisation.objects.create(
        community=community, name="Bouwbedrijf Noord", partner_type="practice"
    )
    Membership.objects.create(person=imported, organisation=school, role="teacher")
    Membership.objects.create(person=imported, organisation=firm)
    Membership.objects.create(person=used, organisation=school, role="manager")
    group, _ = Group.objects.get_or_create(name="Coordinators")
    imported.groups.add(group)
    community.coordinators.add(imported, used)
    session = Session.objects.create(community=community, title="Evaluatie voorjaar")
    session.facilitators.add(switched_off)
    preparation = Preparation.objects.create(
        session=session, organisation=school, updated_by=imported, submitted_by=switched_off
    )
    invitation = Invitation.objects.create(
        session=session,
        role="member",
        organisation=firm,
        email="Eve@Example.org",
        token_hash="a" * 64,
        created_by=imported,
        accepted_by=switched_off,
        expires_at=now,
    )
    note = Note.objects.create(session=session, text="Netwerk", author=imported)
    scan = QuickScan.objects.create(title="Workshop", code="ABC234", created_by=imported)
    log = LogEntry.objects.create(user=imported, action_flag=1, object_repr="Alice")

    after = migrate([MIGRATION])

    User = after.get_model("partnerships", "User")
    Membership = after.get_model("partnerships", "Membership")
    [alice] = User.objects.filter(email__iexact="alice@example.org")
    assert alice.pk == used.pk  # the account she signed in with
    assert alice.email == "alice@example.org"
    assert alice.password == used.password
    assert (alice.is_staff, alice.is_active, alice.name, alice.language) == (
        True,
        True,
        "Alice Smit",
        "en",
    )
    assert alice.date_joined < now - datetime.timedelta(days=399)
    memberships = Membership.objects.filter(person=alice).order_by("organisation__name")
    # one membership per organisation: her own role at the school is kept
    assert [(m.organisation.name, m.role) for m in memberships] == [
        ("Bouwbedrijf Noord", ""),
        ("Hogeschool Zuid", "manager"),
    ]
    assert list(alice.groups.values_list("name", flat=True)) == ["Coordinators"]
    community = after.get_model("partnerships", "LearningCommunity").objects.get()
    assert list(community.coordinators.values_list("pk", flat=True)) == [alice.pk]
    session = after.get_model("dialogue_sessions", "DialogueSession").objects.get()
    assert list(session.facilitators.values_list("pk", flat=True)) == [alice.pk]
    preparation = after.get_model("dialogue_sessions", "Preparation").objects.get()
    assert (preparation.updated_by_id, preparation.submitted_by_id) == (alice.pk, alice.pk)
    invitation = after.get_model("dialogue_sessions", "Invitation").objects.get()
    assert (invitation.created_by_id, invitation.accepted_by_id) == (alice.pk, alice.pk)
    assert invitation.email == "eve@example.org"
    assert after.get_model("dialogue_sessions", "Note").objects.get(pk=note.pk).author_id == (
        alice.pk
    )
    assert after.get_model("dialogue_sessions", "QuickScan").objects.get(
        pk=scan.pk
    ).created_by_id == (alice.pk)
    assert after.get_model("admin", "LogEntry").objects.get(pk=log.pk).user_id == alice.pk
    assert User.objects.get(pk=bob.pk).email == "bob@example.org"
    assert User.objects.count() == 2

    printed = capsys.readouterr().out
    assert "1 e-mail address(es) had more than one account" in printed
    assert (
        f"Merged the accounts of alice@example.org: kept #{used.pk} (alice@example.org), "
        f"removed #{imported.pk} (Alice@Example.org), #{switched_off.pk} ( ALICE@example.org )"
    ) in printed
    assert "2 stored e-mail address(es) lower-cased." in printed  # Bob's and Eve's invitation


def test_a_database_without_duplicates_is_left_as_it_was_and_nothing_is_printed(before, capsys):
    User = before.get_model("partnerships", "User")
    User.objects.create(email="alice@example.org", password=make_password("x"))

    after = migrate([MIGRATION])

    assert list(
        after.get_model("partnerships", "User").objects.values_list("email", flat=True)
    ) == ["alice@example.org"]
    assert capsys.readouterr().out.strip() == ""


def account(pk, *, active=True, last_login=None, usable=True):
    return SimpleNamespace(
        pk=pk,
        is_active=active,
        last_login=last_login,
        password=make_password("x") if usable else UNUSABLE,
    )


def kept(*accounts):
    return sorted(accounts, key=migration.keep_first)[0].pk


def test_the_kept_account_is_active_then_signed_in_last_then_has_a_password_then_is_oldest():
    now = timezone.now()
    earlier = now - datetime.timedelta(days=3)
    # an active account wins over a deactivated one that signed in later
    assert kept(account(1, active=False, last_login=now), account(2, last_login=earlier)) == 2
    # the one that signed in last
    assert kept(account(1, last_login=earlier), account(2, last_login=now)) == 2
    # one that signed in wins over one that never did
    assert kept(account(1), account(2, last_login=earlier)) == 2
    # never signed in: the one with a usable password
    assert kept(account(1, usable=False), account(2)) == 2
    # otherwise the oldest
    assert kept(account(2), account(1)) == 1
