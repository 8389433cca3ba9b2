"""Every page's breadcrumb starts at the same root and follows community › session › page."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from sessions.models import Phase
from tests import factories


class Breadcrumb(HTMLParser):
    """The items of the page's breadcrumb: (text, href or None, aria-current or None)."""

    def __init__(self):
        super().__init__()
        self.navs = 0
        self.inside = False
        self.items = []
        self.nav_label = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Breadcrumb":
            self.navs += 1
            self.inside = True
            self.nav_label = attrs["aria-label"]
        elif self.inside and tag == "li":
            self.items.append(["", None, attrs.get("aria-current")])
        elif self.inside and tag == "a" and self.items:
            self.items[-1][1] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.items:
            self.items[-1][0] += data.strip()


def breadcrumb(response):
    assert response.status_code == 200, response.status_code
    parser = Breadcrumb()
    parser.feed(response.content.decode())
    assert parser.navs == 1, "one breadcrumb per page"
    return parser


@pytest.fixture
def pages(client, session_with_two_organisations):
    session = session_with_two_organisations
    people = session.people
    zuid = session.preparations.get(organisation=session.education)
    scan = factories.QuickScanFactory(created_by=people["carol"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def get(persona, url, phase=Phase.PREPARATION):
        session.phase = phase
        session.save()
        client.force_login(people[persona])
        return client.get(url)

    return (
        session,
        {
            "community": ("dave", reverse("community_detail", args=[session.community.pk])),
            "session (coordinator)": ("dave", reverse("session_detail", args=[session.pk])),
            "session (partner)": ("alice", reverse("session_detail", args=[session.pk])),
            "format": ("alice", reverse("preparation_detail", args=[session.pk, zuid.pk])),
            "submit": ("alice", reverse("preparation_submit", args=[session.pk, zuid.pk])),
            "comparison": (
                "carol",
                reverse("session_comparison", args=[session.pk]),
                Phase.DIALOGUE,
            ),
            "results": ("carol", reverse("session_results", args=[session.pk]), Phase.DIALOGUE),
            "invitations": ("dave", reverse("invitation_list", args=[session.pk])),
            "invite": ("dave", reverse("invitation_create", args=[session.pk])),
            "report page": ("alice", reverse("session_report", args=[session.pk])),
            "quick scans": ("carol", reverse("quickscan_list")),
            "new quick scan": ("carol", reverse("quickscan_create")),
            "quick scan": ("carol", reverse("quickscan_detail", args=[scan.pk])),
            "close quick scan": ("carol", reverse("quickscan_close", args=[scan.pk])),
        },
        get,
    )


def test_every_main_page_starts_its_breadcrumb_at_the_same_root(pages):
    _, urls, get = pages
    roots = {}
    for name, (persona, url, *phase) in urls.items():
        items = breadcrumb(get(persona, url, *phase)).items
        roots[name] = tuple(items[0][:2])
    assert set(roots.values()) == {("Start", reverse("home"))}, roots


def test_the_last_item_is_the_page_itself_and_only_it_is_marked_current(pages):
    _, urls, get = pages
    for name, (persona, url, *phase) in urls.items():
        items = breadcrumb(get(persona, url, *phase)).items
        assert [item[2] for item in items] == [None] * (len(items) - 1) + ["page"], name
        assert items[-1][1] is None, f"{name}: the current page is not a link"


def test_the_session_pages_name_the_community_then_the_session(pages):
    session, urls, get = pages
    community = session.community.name
    for name in ("format", "submit", "comparison", "results", "invitations", "invite"):
        persona, url, *phase = urls[name]
        texts = [item[0] for item in breadcrumb(get(persona, url, *phase)).items]
        assert texts[1:3] == [community, session.title], f"{name}: {texts}"
    persona, url, *_ = urls["report page"]
    texts = [item[0] for item in breadcrumb(get(persona, url)).items]
    assert texts == ["Start", community, session.title, "Report"]


def test_the_community_is_a_link_only_for_those_who_may_open_it(pages):
    session, urls, get = pages
    community_url = reverse("community_detail", args=[session.community.pk])
    coordinator = breadcrumb(get(*urls["session (coordinator)"])).items
    partner = breadcrumb(get(*urls["session (partner)"])).items
    assert coordinator[1][:2] == [session.community.name, community_url]
    assert partner[1][:2] == [session.community.name, None]  # a partner would get a 404
