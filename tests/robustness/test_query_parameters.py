"""A NUL character in a query parameter of a page that reads one: never a server error.

PostgreSQL refuses NUL even as a query's parameter, so a view that passes such a value
on unchecked answers 500 there (SQLite does not mind). Each page below reads the
parameters named with it; each is sent with a NUL after a value the page knows, one
parameter at a time, by a person who may open the page. The page is shown as if the
value were unknown.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from sessions.models import Phase
from tests.robustness.conftest import client_for, rolled_back

PAGES = {
    # name: (persona, phase, url, {parameter: a value the page knows})
    "home": ("alice", Phase.PREPARATION, lambda w: reverse("home"), {"page": "1"}),
    "community_list": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("community_list"),
        {"page": "1"},
    ),
    "invitation_list": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("invitation_list", kwargs={"session_pk": w.session.pk}),
        {"page": "1"},
    ),
    "quickscan_list": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("quickscan_list"),
        {"page": "1"},
    ),
    "quickscan_results_state": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("quickscan_results_state", args=[w.scan.pk]),
        {"version": "1"},
    ),
    "audit_log": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("audit_log"),
        {"action": "login", "page": "1"},
    ),
    "session_present": (
        "carol",
        Phase.DIALOGUE,
        lambda w: reverse("session_present", args=[w.session.pk]),
        {"slide": "1", "cluster": "capital"},
    ),
    "session_present_state": (
        "carol",
        Phase.DIALOGUE,
        lambda w: reverse("session_present_state", args=[w.session.pk]),
        {"version": "1", "slide": "positions"},
    ),
    "session_comparison": (
        "carol",
        Phase.DIALOGUE,
        lambda w: reverse("session_comparison", args=[w.session.pk]),
        {"slide": "1", "cluster": "capital"},
    ),
    "session_priorities": (
        "carol",
        Phase.DIALOGUE,
        lambda w: reverse("session_priorities", args=[w.session.pk]),
        {"priority": "1", "sort": "priority"},
    ),
    "session_report": (
        "carol",
        Phase.DIALOGUE,
        lambda w: reverse("session_report", args=[w.session.pk]),
        {"language": "nl", "retry": "1", "format": "json", "token": "abc"},
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_nul_in_a_query_parameter_never_gives_a_server_error(world, name):
    persona, phase, url, known = PAGES[name]
    world.session.phase = phase
    world.session.save()
    for parameter in known:
        query = urlencode({**known, parameter: f"{known[parameter]}\x00"})
        with rolled_back():
            response = client_for(world, persona).get(f"{url(world)}?{query}")
        # The page is shown (the report: or its "being prepared" page), the value ignored.
        assert response.status_code in (200, 202), f"{name}?{parameter}: {response.status_code}"
