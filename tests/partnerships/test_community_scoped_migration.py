"""The migration that gives every learning community its own organisations.

Data of the old, global model is built with the historical models, the migration
runs, and everyone keeps their access in the community where they were invited,
while a membership that an import into another community added stays there.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("partnerships", "0001_initial"), ("dialogue_sessions", "0005_quick_scan")]
AFTER = [("partnerships", "0002_community_scoped_organisations")]
T0 = timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0))


def at(hours):
    return T0 + datetime.timedelta(hours=hours)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_world(transactional_db):
    """The global model, as an installation has it before the migration."""
    apps = migrate(BEFORE)
    User = apps.get_model("partnerships", "User")
    Community = apps.get_model("partnerships", "LearningCommunity")
    Organisation = apps.get_model("partnerships", "Organisation")
    Partnership = apps.get_model("partnerships", "Partnership")
    Membership = apps.get_model("partnerships", "Membership")
    Session = apps.get_model("dialogue_sessions", "DialogueSession")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")

    people = {
        name: User.objects.create(email=f"{name}@example.org", name=name.title())
        for name in ("alice", "bob", "olga", "eve", "ivan")
    }
    x = Community.objects.create(name="Smart Industry Lab", setting="public-private")
    y = Community.objects.create(name="Zorg Lab", setting="public-public")
    shared = Organisation.objects.create(name="Hogeschool Zuid", partner_type="education")
    single = Organisation.objects.create(name="Bouwbedrijf Noord", partner_type="practice")
    orphan = Organisation.objects.create(name="Nergens BV", partner_type="practice")
    for community, organisation, hours in ((x, shared, 0), (x, single, 0), (y, shared, 10)):
        partnership = Partnership.objects.create(community=community, organisation=organisation)
        Partnership.objects.filter(pk=partnership.pk).update(joined_at=at(hours))

    def member(name, organisation, hours):
        membership = Membership.objects.create(person=people[name], organisation=organisation)
        Membership.objects.filter(pk=membership.pk).update(created_at=at(hours))

    member("olga", shared, 1)  # imported into X before Y linked the organisation
    member("eve", shared, 10)  # imported into Y: the attack of the trust issue
    member("alice", shared, 20)  # invited in X after Y linked it
    member("bob", shared, 30)  # invited in both
    member("ivan", single, 2)
    member("ivan", orphan, 2)

    sx = Session.objects.create(community=x, title="X round", phase="preparation")
    sy = Session.objects.create(community=y, title="Y round", phase="preparation")
    px = Preparation.objects.create(session=sx, organisation=shared)
    py = Preparation.objects.create(session=sy, organisation=shared)
    Preparation.objects.create(session=sx, organisation=single)

    def invitation(session, email, accepted_by=None, token="t"):
        return Invitation.objects.create(
            session=session,
            role="member",
            organisation=shared,
            email=email,
            token_hash=f"{token}-{email}",
            expires_at=at(1000),
            accepted_at=at(20) if accepted_by else None,
            accepted_by=accepted_by,
        )

    invitation(sx, "alice@example.org", people["alice"])
    invitation(sx, "bob@example.org", people["bob"], token="x")
    invitation(sy, "bob@example.org", people["bob"], token="y")
    pending = invitation(sy, "new@example.org")
    yield {
        "x": x.pk,
        "y": y.pk,
        "shared": shared.pk,
        "single": single.pk,
        "orphan": orphan.pk,
        "px": px.pk,
        "py": py.pk,
        "pending": pending.pk,
    }
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def members(apps, organisation):
    Membership = apps.get_model("partnerships", "Membership")
    return sorted(
        Membership.objects.filter(organisation=organisation).values_list("person__name", flat=True)
    )


def test_a_shared_organisation_is_split_and_each_membership_goes_where_it_was_granted(
    old_world, capsys
):
    apps = migrate(AFTER)
    Organisation = apps.get_model("partnerships", "Organisation")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")

    original = Organisation.objects.get(pk=old_world["shared"])
    clone = Organisation.objects.get(community_id=old_world["y"], name="Hogeschool Zuid")
    assert original.community_id == old_world["x"]
    assert clone.pk != original.pk
    assert members(apps, original) == ["Alice", "Bob", "Olga"]
    assert members(apps, clone) == ["Bob", "Eve"]
    assert Preparation.objects.get(pk=old_world["px"]).organisation_id == original.pk
    assert Preparation.objects.get(pk=old_world["py"]).organisation_id == clone.pk
    assert Invitation.objects.get(pk=old_world["pending"]).organisation_id == clone.pk
    single = Organisation.objects.get(pk=old_world["single"])
    assert single.community_id == old_world["x"]
    assert members(apps, single) == ["Ivan"]
    assert not Organisation.objects.filter(pk=old_world["orphan"]).exists()
    printed = capsys.readouterr().out
    assert "placed in community" in printed  # each placement by date is reported


def test_reversing_merges_the_organisations_back_with_a_partnership_per_community(old_world):
    migrate(AFTER)
    apps = migrate(BEFORE)
    Organisation = apps.get_model("partnerships", "Organisation")
    Partnership = apps.get_model("partnerships", "Partnership")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")

    shared = Organisation.objects.get(name="Hogeschool Zuid")
    assert shared.pk == old_world["shared"]
    assert set(
        Partnership.objects.filter(organisation=shared).values_list("community_id", flat=True)
    ) == {old_world["x"], old_world["y"]}
    assert Preparation.objects.get(pk=old_world["py"]).organisation_id == shared.pk
    assert members(apps, shared) == ["Alice", "Bob", "Eve", "Olga"]
