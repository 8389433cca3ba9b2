from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnerships.groups import ensure_coordinators_group, ensure_researchers_group
from partnerships.models import LearningCommunity
from sessions.interchange.format import InterchangeError, import_session
from sessions.management.commands.import_session import read_json_file
from sessions.models import DialogueSession, Phase, Preparation

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# The article's five cases, one respondent per organisation, for the research view.
RESEARCH_DIR = Path(settings.BASE_DIR) / "fixtures" / "research"
DEMO_PASSWORD = "demo-sms-2026"  # noqa: S105 - printed on purpose; demo data needs DEBUG
ADMIN_EMAIL = "admin@demo.example.org"
RESEARCHER_EMAIL = "researcher@demo.example.org"


class Command(BaseCommand):
    help = "Load the demo learning communities and sessions (DEBUG only) and print demo logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has known passwords and is only loaded with DEBUG=1 "
                "(never in production)."
            )
        files = sorted(DEMO_DIR.glob("*.json"))
        if not files:
            raise CommandError(f"No demo files found in {DEMO_DIR}.")
        files += sorted(RESEARCH_DIR.glob("*.json"))
        loaded = 0
        consenting = set()
        for path in files:
            data = read_json_file(path)
            if self._consents(data):
                consenting.add(data["learning_community"]["name"])
            if self._already_loaded(data):
                continue
            try:
                with transaction.atomic():
                    import_session(data)
            except InterchangeError as error:
                first = error.problems[0]
                raise CommandError(
                    f"Demo file {path.name} is broken ({len(error.problems)} problems), "
                    f"first: {first}"
                ) from None
            loaded += 1
        self._link_rounds()
        self._give_research_consent(consenting)
        self._set_passwords()
        self._add_coordinators_to_group()
        self._add_researcher()
        self.stdout.write(
            f"Demo data: {loaded} session(s) loaded, {len(files) - loaded} already there."
        )
        self._print_logins()

    def _already_loaded(self, data):
        try:
            return DialogueSession.objects.filter(
                community__name__iexact=data["learning_community"]["name"],
                title=data["session"]["title"],
            ).exists()
        except (KeyError, TypeError):
            return False  # let the import report what is wrong

    def _consents(self, data):
        try:
            return data["learning_community"]["research_consent"] is True
        except (KeyError, TypeError):
            return False

    def _give_research_consent(self, names):
        """Demo communities loaded before consent existed get it too, so the research page is full.

        Only here, for demo data: a real import never gives an existing community consent.
        """
        for name in names:
            LearningCommunity.objects.filter(name__iexact=name, research_consent=False).update(
                research_consent=True,
                research_consent_changed_at=timezone.now(),
                research_consent_source=LearningCommunity.ConsentSource.IMPORT,
            )

    def _link_rounds(self):
        """Chain each demo community's sessions by date, so follow-up rounds have a previous one."""
        by_community = {}
        for session in DialogueSession.objects.order_by("community_id", "date", "id"):
            previous = by_community.get(session.community_id)
            if previous and session.previous_id is None:
                session.previous = previous
                session.save(update_fields=["previous"])
            by_community[session.community_id] = session

    def _set_passwords(self):
        User = get_user_model()
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            User.objects.create_superuser(
                email=ADMIN_EMAIL, name="Demo beheerder", password=DEMO_PASSWORD
            )
        for user in User.objects.filter(email__endswith="example.org"):
            if not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])

    def _add_coordinators_to_group(self):
        """Demo coordinators may start learning communities of their own."""
        User = get_user_model()
        group = ensure_coordinators_group()
        group.user_set.add(*User.objects.filter(coordinated_communities__isnull=False).distinct())

    def _add_researcher(self):
        """A researcher who sees the cross-case view over every demo case."""
        User = get_user_model()
        researcher = User.objects.filter(email=RESEARCHER_EMAIL).first()
        if researcher is None:
            researcher = User.objects.create_user(
                email=RESEARCHER_EMAIL, name="Demo onderzoeker", password=DEMO_PASSWORD
            )
        ensure_researchers_group().user_set.add(researcher)

    def _print_logins(self):
        """Logins of people who have something to do in the demo, not just anyone."""
        User = get_user_model()
        open_formats = Preparation.objects.filter(
            session__phase=Phase.PREPARATION, submitted_at__isnull=True
        )
        rows = [
            ("administrator", User.objects.filter(email=ADMIN_EMAIL)),
            ("researcher", User.objects.filter(email=RESEARCHER_EMAIL)),
            (
                "coordinator",
                User.objects.filter(coordinated_communities__sessions__phase=Phase.PREPARATION),
            ),
            ("facilitator", User.objects.filter(facilitated_sessions__phase=Phase.DIALOGUE)),
            (
                "education partner",
                User.objects.filter(
                    organisations__preparations__in=open_formats,
                    organisations__partner_type="education",
                ),
            ),
            (
                "practice partner",
                User.objects.filter(
                    organisations__preparations__in=open_formats,
                    organisations__partner_type="practice",
                ),
            ),
        ]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for role, people in rows:
            person = people.order_by("email").first()
            if person:
                self.stdout.write(f"  {role:<18} {person.email}")
        self.stdout.write("  every other demo person: any e-mail address in fixtures/demo/*.json")
        self.stdout.write(
            "The administration also asks the administrator for a code (second factor): "
            f"DEBUG=1 python manage.py totp_code {ADMIN_EMAIL} prints the key for an "
            "authenticator app and the code valid now."
        )
        self.stdout.write("Open the address the server prints below.\n")
