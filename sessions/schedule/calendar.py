"""The dialogue meeting as a calendar file (.ics, RFC 5545) through the icalendar package."""

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

from sessions.models import DialogueSession


def meeting_ics(session: DialogueSession, *, link: str) -> str:
    """An all-day event on the session's date; empty when the session has no date."""
    if session.date is None:
        return ""
    calendar = Calendar()
    calendar.add("prodid", "-//SMS-tool//Strategische Motieven voor Samenwerking//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # Stable per session: a changed date updates the same event in the person's calendar.
    event.add("uid", f"session-{session.pk}@{settings.SITE_DOMAIN}")
    event.add("summary", f"{session.title} · {session.community.name}")
    event.add("dtstart", session.date)
    event.add("dtend", session.date + timedelta(days=1))
    event.add("sequence", session.version)
    event.add("url", link)
    event.add("description", link)
    calendar.add_component(event)
    return calendar.to_ical().decode()
