"""The joint results of a session, read once for every page and document that shows them."""

from collections.abc import Iterable
from typing import Any

from motives.models import Cluster
from sessions.models import DialogueSession, Note


def notes_by_cluster(notes: Iterable[Note]) -> list[dict[str, Any]]:
    """Notes about the dialogue as a whole first, then per cluster in catalogue order."""
    groups: dict[Cluster | None, list[Note]] = {}
    for note in notes:
        groups.setdefault(note.cluster, []).append(note)
    ordered = sorted(groups, key=lambda cluster: (cluster is not None, cluster and cluster.order))
    return [{"cluster": cluster, "notes": groups[cluster]} for cluster in ordered]


def joint_results(session: DialogueSession, *, with_notes: bool = True) -> dict[str, Any]:
    """Joint motives, agreements and notes (also grouped by cluster): three queries.

    The results page, the presentation panel and the PDF report all show these;
    the presentation panel, polled every few seconds, shows no notes.
    """
    results: dict[str, Any] = {
        "joint_motives": list(session.joint_motives.select_related("motive__cluster")),
        "agreements": list(session.agreements.all()),
    }
    if with_notes:
        notes = list(session.notes.select_related("cluster", "author"))
        results.update(notes=notes, note_groups=notes_by_cluster(notes))
    return results
