"""Reads that span relations, with their joins made explicit."""

from django.db.models import Q

from sessions.models import DialogueSession


def sessions_for_person(person):
    """Sessions a person takes part in: as member, facilitator or coordinator."""
    return (
        DialogueSession.objects.filter(
            Q(preparations__organisation__memberships__person=person)
            | Q(facilitators=person)
            | Q(community__coordinators=person)
        )
        .select_related("community")
        .distinct()
        .order_by("-date", "-id")
    )
