import csv
import json

from django.core.management.base import BaseCommand, CommandError

from sessions.research.cross_case import (
    GROUP_BY,
    CrossCaseError,
    build_cross_case,
    grouped,
    latest_dialogue_sessions,
    parse_threshold,
    sessions_by_ids,
)


class Command(BaseCommand):
    help = (
        "The research view over learning communities: per case (sector) or setting and side, which "
        "motives at least THRESHOLD of that side's organisations named. Only learning "
        "communities whose coordinator agreed to the research view. JSON or CSV on stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            default="0.75",
            help="share of a side's organisations that must name a motive (0 < t <= 1; "
            "default 0.75; a share exactly at the threshold counts)",
        )
        parser.add_argument(
            "--sessions",
            nargs="+",
            type=int,
            metavar="ID",
            help="these sessions, one case each, in this order (default: per consenting "
            "learning community its most recent session that reached the joint dialogue)",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--group-by",
            choices=GROUP_BY,
            default="sector",
            help="sector: one column pair per case (default); setting: per public-public and "
            "public-private, the share over all organisations of a side in that setting's cases",
        )

    def handle(self, *args, **options):
        try:
            threshold = parse_threshold(options["threshold"])
            if options["sessions"]:
                sessions = sessions_by_ids(options["sessions"])
            else:
                sessions = latest_dialogue_sessions()
        except CrossCaseError as error:
            raise CommandError(str(error)) from None
        if not sessions:
            self.stderr.write(
                "No learning community whose coordinator agreed to the research view has a "
                "session that reached the joint dialogue."
            )
        result = grouped(build_cross_case(sessions, threshold=threshold), options["group_by"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_data(), ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerows(result.csv_rows())
