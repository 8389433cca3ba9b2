"""Organisations (and so their memberships) belong to one learning community.

Before this migration an organisation was global: adding "Fontys ICT" to a second
community, or importing a file that named it, linked the existing organisation,
and every member of it could open its formats in every community. Now each
community has its own organisation rows.

Data: an organisation that took part in several communities is split into one
organisation per community (the first community it joined keeps the original row).
Preparations and invitations follow the community of their session. A membership
goes to the community where the person accepted an invitation for that
organisation; a membership that came without an invitation (an import, the admin)
goes to the community the organisation had most recently joined when the membership
was made: the community whose page or file created it. Each such placement is
printed, so an administrator can check it. An organisation in no community and no
session is removed (it gave access to nothing).

Reversing merges the organisations of one name (ignoring case) back into the oldest,
with a partnership per community, as the old global rule required.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


def _check_constraints_now(schema_editor):
    """PostgreSQL checks foreign keys at commit; the schema changes after this step cannot
    wait for that ("pending trigger events"), so the checks run here instead."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _say(message):
    print(f"\n  organisations: {message}", end="")


def split_organisations(apps, schema_editor):
    Organisation = apps.get_model("partnerships", "Organisation")
    Partnership = apps.get_model("partnerships", "Partnership")
    Membership = apps.get_model("partnerships", "Membership")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")

    for organisation in Organisation.objects.order_by("pk"):
        joined = list(
            Partnership.objects.filter(organisation=organisation)
            .order_by("joined_at", "pk")
            .values_list("community_id", "joined_at")
        )
        communities = [community_id for community_id, _at in joined]
        for model in (Preparation, Invitation):
            for community_id in (
                model.objects.filter(organisation=organisation)
                .order_by("session__community_id")
                .values_list("session__community_id", flat=True)
                .distinct()
            ):
                if community_id not in communities:
                    communities.append(community_id)
        if not communities:
            _say(f"removed #{organisation.pk} “{organisation.name}”: in no community or session")
            organisation.delete()
            continue

        first, *others = communities
        organisation.community_id = first
        organisation.save(update_fields=["community"])
        if not others:
            continue

        memberships = list(Membership.objects.filter(organisation=organisation))
        homes = {}
        for membership in memberships:
            invited = set(
                Invitation.objects.filter(
                    organisation=organisation, accepted_by_id=membership.person_id
                ).values_list("session__community_id", flat=True)
            ) & set(communities)
            if invited:
                homes[membership.pk] = invited
                continue
            before = [c for c, at in joined if at <= membership.created_at]
            home = before[-1] if before else first
            homes[membership.pk] = {home}
            _say(
                f"membership of person #{membership.person_id} in “{organisation.name}” "
                f"placed in community #{home} (no accepted invitation; by date)"
            )

        for community_id in others:
            clone = Organisation.objects.create(
                community_id=community_id,
                name=organisation.name,
                partner_type=organisation.partner_type,
            )
            Organisation.objects.filter(pk=clone.pk).update(created_at=organisation.created_at)
            Preparation.objects.filter(
                organisation=organisation, session__community_id=community_id
            ).update(organisation=clone)
            Invitation.objects.filter(
                organisation=organisation, session__community_id=community_id
            ).update(organisation=clone)
            for membership in memberships:
                if community_id in homes[membership.pk]:
                    copy = Membership.objects.create(
                        person_id=membership.person_id, organisation=clone, role=membership.role
                    )
                    Membership.objects.filter(pk=copy.pk).update(created_at=membership.created_at)
            _say(
                f"“{organisation.name}” #{organisation.pk} split: community #{community_id} "
                f"now has its own organisation #{clone.pk}"
            )
        for membership in memberships:
            if first not in homes[membership.pk]:
                membership.delete()
    _check_constraints_now(schema_editor)


def merge_organisations(apps, schema_editor):
    Organisation = apps.get_model("partnerships", "Organisation")
    Partnership = apps.get_model("partnerships", "Partnership")
    Membership = apps.get_model("partnerships", "Membership")
    Preparation = apps.get_model("dialogue_sessions", "Preparation")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")

    keep_by_name = {}
    for organisation in Organisation.objects.order_by("created_at", "pk"):
        keep = keep_by_name.setdefault(organisation.name.casefold(), organisation)
        Partnership.objects.get_or_create(
            community_id=organisation.community_id, organisation=keep
        )
        if keep.pk == organisation.pk:
            continue
        Preparation.objects.filter(organisation=organisation).update(organisation=keep)
        Invitation.objects.filter(organisation=organisation).update(organisation=keep)
        for membership in Membership.objects.filter(organisation=organisation):
            Membership.objects.get_or_create(
                person_id=membership.person_id, organisation=keep, defaults={"role": membership.role}
            )
        organisation.delete()
    _check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("dialogue_sessions", "0005_quick_scan"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="community",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="partnerships.learningcommunity",
                verbose_name="learning community",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_name_unique_ci",
        ),
        migrations.RunPython(split_organisations, merge_organisations, elidable=False),
        migrations.RemoveField(
            model_name="learningcommunity",
            name="organisations",
        ),
        migrations.DeleteModel(
            name="Partnership",
        ),
        migrations.AlterField(
            model_name="organisation",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="organisations",
                to="partnerships.learningcommunity",
                verbose_name="learning community",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                models.F("community"),
                django.db.models.functions.text.Lower("name"),
                name="organisation_name_unique_in_community",
                violation_error_message=(
                    "This learning community already has a partner organisation with this name "
                    "(capital and small letters count as the same)."
                ),
            ),
        ),
    ]
