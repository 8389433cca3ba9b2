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

PAGE = {"page": "1"}


def plain(name):
    return lambda w: reverse(name)


def of_session(name):
    return lambda w: reverse(name, args=[w.session.pk])


def in_dialogue(name, known):
    """A session page the facilitator opens in the joint dialogue."""
    return ("carol", Phase.DIALOGUE, of_session(name), known)


# name: (persona, phase, url, {parameter: a value the page knows})
PAGES = {
    "home": ("alice", Phase.PREPARATION, plain("home"), PAGE),
    "community_list": ("dave", Phase.PREPARATION, plain("community_list"), PAGE),
    "quickscan_list": ("dave", Phase.PREPARATION, plain("quickscan_list"), PAGE),
    "audit_log": ("dave", Phase.PREPARATION, plain("audit_log"), {"action": "login", **PAGE}),
    "invitation_list": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("invitation_list", kwargs={"session_pk": w.session.pk}),
        PAGE,
    ),
    "quickscan_results_state": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("quickscan_results_state", args=[w.scan.pk]),
        {"version": "1", "view": "words"},
    ),
    "quickscan_results": (
        "dave",
        Phase.PREPARATION,
        lambda w: reverse("quickscan_results", args=[w.scan.pk]),
        {"view": "sides"},
    ),
    "session_present": in_dialogue("session_present", {"slide": "1", "cluster": "capital"}),
    "session_present_state": in_dialogue(
        "session_present_state", {"version": "1", "slide": "positions"}
    ),
    "session_comparison": in_dialogue("session_comparison", {"slide": "1", "cluster": "capital"}),
    "session_priorities": in_dialogue("session_priorities", {"priority": "1", "sort": "priority"}),
    "session_report": in_dialogue(
        "session_report", {"language": "nl", "retry": "1", "format": "json", "token": "abc"}
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
