"""The Coordinators group: people in it may start a learning community.
The Researchers group: people in it see the cross-case research view.

Kept in place after every migrate (and test-database flush), like the motive catalogue.
"""

COORDINATORS_GROUP = "Coordinators"
RESEARCHERS_GROUP = "Researchers"


def ensure_coordinators_group(using="default"):
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name=COORDINATORS_GROUP)
    permission = Permission.objects.using(using).get(
        content_type__app_label="partnerships", codename="add_learningcommunity"
    )
    group.permissions.add(permission)
    return group


def ensure_researchers_group(using="default"):
    """People in it see the cross-case research view (sessions.policy.people.can_view_research)."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.using(using).get_or_create(name=RESEARCHERS_GROUP)
    return group


def ensure_groups_after_migrate(sender, using="default", **kwargs):
    ensure_coordinators_group(using=using)
    ensure_researchers_group(using=using)
