"""One account per e-mail address, whatever its letter case.

Before this migration, ``Mixed.Case@x`` and ``mixed.case@x`` could both exist (made
by an import or in the admin), and signing in with that address then failed for
good. This migration merges such accounts, lower-cases every stored address and
adds a database constraint on ``Lower("email")``.

Which account is kept, among those whose addresses are equal after trimming and
lower-casing (the first rule that decides wins):

1. an active account before a deactivated one;
2. the one that signed in most recently (one that never signed in comes last);
3. one with a usable password before one without;
4. the oldest (lowest id).

Everything that refers to the other accounts moves to the kept one: every foreign
key to the user in every app (found from the models, so memberships, preparations,
notes, invitations, Quick Scans, admin log entries... and whatever is added later)
and every many-to-many row (groups, permissions, coordinated communities,
facilitated sessions). Where the kept account already has the same row (the same
membership, the same group...), the other account's copy is deleted: one stays.
The kept account becomes staff or superuser if any of the merged accounts was (they
were all the same person's: the same mailbox), keeps its own password, takes a
name or language it lacked from the others, the earliest join date and the latest
sign-in. The other accounts are then deleted.

Each merge is printed, so it shows in the output of ``migrate``. The data step
cannot be undone (merged accounts cannot be told apart again); migrating back
only removes the constraint.
"""

from collections import defaultdict

from django.contrib.auth.hashers import is_password_usable
from django.db import migrations
from django.db.models import UniqueConstraint
from django.db.models.functions import Lower


def normalise(email):
    return (email or "").strip().lower()


def keep_first(account):
    """Sort key: the account to keep comes first (see the module's docstring)."""
    signed_in = account.last_login
    return (
        not account.is_active,
        signed_in is None,
        -signed_in.timestamp() if signed_in else 0,
        not is_password_usable(account.password),
        account.pk,
    )


def relations_to(apps, User):
    """(model, field) for every foreign key to ``User``, many-to-many rows included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            if field.is_relation and field.remote_field.model is User:
                found.append((model, field))
    return found


def unique_partners(model, field):
    """For each uniqueness rule that includes ``field``: the other fields' attnames."""
    sets = [tuple(fields) for fields in model._meta.unique_together]
    sets += [
        constraint.fields
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.condition
    ]
    partners = [
        [model._meta.get_field(name).attname for name in fields if name != field.name]
        for fields in sets
        if field.name in fields
    ]
    if field.unique:
        partners.append([])
    return partners


def move_references(model, field, others, keeper):
    """Point ``field`` of every row that refers to ``others`` at ``keeper``; drop clashes."""
    manager = model._base_manager
    partners = unique_partners(model, field)
    moved = dropped = 0
    for row in manager.filter(**{f"{field.attname}__in": [other.pk for other in others]}):
        clash = any(
            manager.filter(
                **{field.attname: keeper.pk},
                **{name: getattr(row, name) for name in names},
            ).exists()
            for names in partners
        )
        if clash:
            manager.filter(pk=row.pk).delete()
            dropped += 1
        else:
            # update(), not save(): no "last changed" timestamp moves.
            manager.filter(pk=row.pk).update(**{field.attname: keeper.pk})
            moved += 1
    return moved, dropped


def merge(apps, User, accounts):
    keeper, *others = sorted(accounts, key=keep_first)
    moved = dropped = 0
    for model, field in relations_to(apps, User):
        counts = move_references(model, field, others, keeper)
        moved += counts[0]
        dropped += counts[1]
    everyone = [keeper, *others]
    keeper.is_staff = any(account.is_staff for account in everyone)
    keeper.is_superuser = any(account.is_superuser for account in everyone)
    keeper.name = keeper.name or next((a.name for a in others if a.name), "")
    keeper.language = keeper.language or next((a.language for a in others if a.language), "")
    keeper.date_joined = min(account.date_joined for account in everyone)
    logins = [account.last_login for account in everyone if account.last_login]
    keeper.last_login = max(logins) if logins else None
    User.objects.filter(pk__in=[other.pk for other in others]).delete()
    User.objects.filter(pk=keeper.pk).update(
        email=normalise(keeper.email),
        is_staff=keeper.is_staff,
        is_superuser=keeper.is_superuser,
        name=keeper.name,
        language=keeper.language,
        date_joined=keeper.date_joined,
        last_login=keeper.last_login,
    )
    print(
        f"  Merged the accounts of {normalise(keeper.email)}: kept #{keeper.pk} "
        f"({keeper.email}), removed "
        + ", ".join(f"#{other.pk} ({other.email})" for other in others)
        + f"; {moved} references moved, {dropped} duplicate rows dropped."
    )


def merge_accounts_and_lower_case_addresses(apps, schema_editor):
    User = apps.get_model("partnerships", "User")
    Invitation = apps.get_model("dialogue_sessions", "Invitation")
    by_address = defaultdict(list)
    for account in User.objects.order_by("pk"):
        by_address[normalise(account.email)].append(account)
    duplicates = [accounts for accounts in by_address.values() if len(accounts) > 1]
    if duplicates:
        print(f"\n  {len(duplicates)} e-mail address(es) had more than one account:")
    for accounts in duplicates:
        merge(apps, User, accounts)

    lowered = 0
    for model in (User, Invitation):
        for pk, email in model.objects.values_list("pk", "email"):
            if email != normalise(email):
                model.objects.filter(pk=pk).update(email=normalise(email))
                lowered += 1
    if lowered:
        print(f"  {lowered} stored e-mail address(es) lower-cased.")
    # Run the deferred foreign-key checks now: PostgreSQL refuses to create the
    # index below on a table with pending trigger events.
    schema_editor.connection.check_constraints()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_community_scoped_organisations"),
        ("dialogue_sessions", "0005_quick_scan"),
    ]

    operations = [
        migrations.RunPython(merge_accounts_and_lower_case_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=(
                    "There is already an account with this e-mail address "
                    "(capital and small letters count as the same)."
                ),
            ),
        ),
    ]
