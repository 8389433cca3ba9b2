"""The main navigation: one query for its links, and the same answers as the pages' own checks."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.selectors import can_read_log
from partnerships.access import can_create_communities
from partnerships.groups import COORDINATORS_GROUP
from sessions.policy import people
from tests import factories

LINKS = {
    "communities": "community_list",
    "research": "research_cross_case",
    "quick_scans": "quickscan_list",
    "audit_log": "audit_log",
    "administration": "admin:index",
}


def _personas(session):
    """Everyone whose navigation differs, plus the look-alikes that must not get more."""
    direct = factories.UserFactory(name="Direct permission")
    direct.user_permissions.add(Permission.objects.get(codename="add_learningcommunity"))
    grouped = factories.UserFactory(name="Coordinators group")
    grouped.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    # In a group, but one without the permission.
    plain_group = factories.UserFactory(name="Other group")
    plain_group.groups.add(Group.objects.create(name="Partners"))
    return {
        **session.people,
        "direct": direct,
        "grouped": grouped,
        "plain_group": plain_group,
        "researcher": factories.ResearcherFactory(),
        "staff": factories.UserFactory(is_staff=True),
        "superuser": factories.UserFactory(is_staff=True, is_superuser=True),
    }


def _expected(user, session):
    """What each link's own page decides, asked the slow way (several queries)."""
    coordinates = session.community.coordinators.filter(pk=user.pk).exists()
    return people.Navigation(
        communities=can_create_communities(user) or coordinates,
        research=people.can_view_research(user),
        quick_scans=people.can_run_quick_scans(user),
        audit_log=can_read_log(user),
        administration=user.is_staff,
    )


def test_each_person_gets_the_links_their_pages_let_them_open(session):
    for name, user in _personas(session).items():
        # A fresh copy each time: has_perm caches on the user object.
        fresh = type(user).objects.get(pk=user.pk)
        assert people.navigation_for(fresh) == _expected(fresh, session), name


def test_the_navigation_asks_one_query(session):
    user = _personas(session)["grouped"]
    with CaptureQueriesContext(connection) as queries:
        people.navigation_for(user)
    assert len(queries) == 1


def test_a_deactivated_coordinator_gets_no_links(session):
    dave = session.people["dave"]
    dave.is_active = False
    assert people.navigation_for(dave) == people.Navigation()


@pytest.mark.parametrize(
    "name, shown",
    [
        ("alice", set()),
        ("mallory", set()),
        ("carol", {"quick_scans"}),
        ("dave", {"communities", "quick_scans", "audit_log"}),
        ("grouped", {"communities", "quick_scans"}),
        ("researcher", {"research"}),
        ("staff", {"audit_log", "administration"}),
    ],
)
def test_the_page_shows_exactly_those_links(client, session, name, shown):
    client.force_login(_personas(session)[name])
    page = client.get(reverse("home")).content.decode()
    navigation = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    offered = {key for key, url in LINKS.items() if f'href="{reverse(url)}"' in navigation}
    assert offered == shown
