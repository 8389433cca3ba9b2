"""The Coordinators group: people in it may start a learning community.

Kept in place after every migrate (and test-database flush), like the motive catalogue.
"""

COORDINATORS_GROUP = "Coordinators"


def ensure_coordinators_group(using="default"):
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name=COORDINATORS_GROUP)
    permission = Permission.objects.using(using).get(
        content_type__app_label="partnerships", codename="add_learningcommunity"
    )
    group.permissions.add(permission)
    return group


def ensure_groups_after_migrate(sender, using="default", **kwargs):
    ensure_coordinators_group(using=using)
