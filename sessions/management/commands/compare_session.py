import csv
import json

from django.core.management.base import BaseCommand, CommandError

from sessions.comparison.matrix import MIN_ORGANISATIONS, build_comparison
from sessions.models import DialogueSession


def comparison_as_data(comparison):
    """The public JSON shape of INTERCHANGE.md; the page's computation, not a copy of it."""
    return {
        "session": comparison.session.pk,
        "organisations": [column.name for column in comparison.columns],
        "motives": [
            {
                "code": row.motive.code,
                "cluster": row.motive.cluster.code,
                "applies": row.applies_by_name(),
                "education_count": row.education_count,
                "practice_count": row.practice_count,
                "category": row.category,
            }
            for row in comparison.rows
        ],
    }


class Command(BaseCommand):
    help = "The Fase 2 comparison of one session, as JSON or CSV on stdout."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int, metavar="ID")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        session = DialogueSession.objects.filter(pk=options["session_id"]).first()
        if session is None:
            raise CommandError(f"There is no session with id {options['session_id']}.")
        comparison = build_comparison(session)
        if not comparison.enough:
            raise CommandError(
                f"Session {session.pk} has {len(comparison.columns)} submitted organisation(s); "
                f"a comparison needs at least {MIN_ORGANISATIONS}."
            )
        data = comparison_as_data(comparison)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # One row per motive; "applies" becomes one column per organisation.
        writer = csv.writer(self.stdout, lineterminator="\n")
        organisations = data["organisations"]
        writer.writerow(
            ["code", "cluster"]
            + [f"applies:{name}" for name in organisations]
            + ["education_count", "practice_count", "category"]
        )
        text = {True: "true", False: "false", None: ""}
        for motive in data["motives"]:
            writer.writerow(
                [motive["code"], motive["cluster"]]
                + [text[motive["applies"][name]] for name in organisations]
                + [motive["education_count"], motive["practice_count"], motive["category"]]
            )
